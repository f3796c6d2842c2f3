import { createHash } from 'node:crypto';
import { apportion, Money } from '#money';
import { canonicalJson } from '../../events/canonical-json.ts';
import type { WaterfallResult } from '../../rules/waterfall.ts';
import { own } from '../view/amounts.ts';
import type { PoolView, YearView } from '../view/pool-view.ts';
import { type Balances, type LineBalance, poolBalances } from './balances.ts';
import { compareSchemeIds, schemeColumns, sumQuarters } from './figures.ts';
import { projectedRiskShare } from './risk-share.ts';

/**
 * The year-end pooled fund statement: the memorandum account the host's auditor and every
 * partner's accounts need (domain brief, section 5). Funding by partner and stream (contributed,
 * due, received, owed) and brought forward; expenditure by scheme, scheme type, stream and
 * commissioner (joint lines split by their percentages), capital and revenue apart; the net; each
 * step of the risk share and each partner's share; the carry-forward; the prior year beside it.
 * It reconciles on its face (rule 13): funding - expenditure = net = the partners' shares +
 * carry-forward, a net below zero being a deficit and a share below zero what a partner pays in.
 *
 * Expenditure is the outturn (actual plus accruals) once determined; before, each line's forecast
 * outturn, and the risk share is projected on it by the agreed terms.
 */
export interface YearEndStatement {
  poolId: string;
  poolName: string;
  year: string;
  basis: 'outturn' | 'forecast';
  closed: boolean;
  funding: {
    byPartner: {
      partnerId: string;
      name: string;
      byStream: {
        fundingStream: string;
        contribution: string;
        due: string;
        received: string;
        owed: string;
      }[];
      total: { contribution: string; due: string; received: string; owed: string };
    }[];
    byStream: {
      fundingStream: string;
      capital: boolean;
      contributions: string;
      broughtForward: string;
      funding: string;
    }[];
    total: { contributions: string; broughtForward: string; funding: string };
  };
  expenditure: {
    byScheme: {
      schemeId: string;
      schemeName: string;
      schemeType: string;
      budget: string;
      spent: string;
      accrued: string;
      expenditure: string;
      variance: string;
    }[];
    bySchemeType: { schemeType: string; budget: string; expenditure: string; variance: string }[];
    byStream: {
      fundingStream: string;
      capital: boolean;
      funding: string;
      spent: string;
      accrued: string;
      expenditure: string;
      net: string;
    }[];
    byCommissioner: { commissioner: string; expenditure: string }[];
    capitalAndRevenue: {
      kind: 'revenue' | 'capital';
      funding: string;
      expenditure: string;
      net: string;
    }[];
  };
  /** Funding less expenditure: above zero a surplus, below zero a deficit (an overspend). */
  net: { funding: string; expenditure: string; net: string };
  riskShare: RiskShareSection;
  priorYear: {
    year: string;
    funding: string;
    expenditure: string;
    net: string;
    carriedForward: string;
  } | null;
}

export interface RiskShareSection {
  status: 'applied' | 'projected' | 'no-terms' | 'not-applicable';
  /** Why there is nothing to show, when there is not. */
  detail: string | null;
  offsets: { kind: string; offset: string }[];
  contingency: { schemeId: string; fundingStream: string; available: string; used: string } | null;
  overspends: {
    schemeId: string;
    fundingStream: string;
    overspend: string;
    profile: string;
    shares: { partnerId: string; amount: string }[];
  }[];
  underspends: {
    fundingStream: string;
    capital: boolean;
    underspend: string;
    unallocated: string;
    returned: { partnerId: string; amount: string }[];
    carriedForward: string;
  }[];
  /** Each partner's share of the net: above zero money back to it, below zero what it pays in. */
  shares: { partnerId: string; name: string; amount: string }[];
  carryForward: { fundingStream: string; amount: string }[];
  reconciliation: { net: string; shares: string; carryForward: string; reconciles: boolean };
}

export function yearEndStatement(view: PoolView, yearId: string): YearEndStatement | undefined {
  const year = own(view.years, yearId);
  const balances = poolBalances(view, yearId);
  if (year === undefined || balances === undefined) return undefined;
  const basis = year.outturn === null ? 'forecast' : 'outturn';
  const expenditureOf = (line: LineBalance) =>
    basis === 'outturn'
      ? Money.parseTotal(line.spent).plus(Money.parseTotal(line.accrued))
      : Money.parseTotal(line.forecastOutturn);
  const capital = capitalStreams(year);
  const byStream = expenditureByStream(balances, expenditureOf, capital);
  const funding = sum(byStream.map((stream) => stream.funding));
  const expenditure = sum(byStream.map((stream) => stream.expenditure));
  const net = funding.minus(expenditure);
  return {
    poolId: view.poolId,
    poolName: balances.poolName,
    year: yearId,
    basis,
    closed: year.yearClose.closedBy !== null,
    funding: fundingSection(view, year, balances, capital),
    expenditure: {
      byScheme: bySchemes(balances, expenditureOf),
      bySchemeType: bySchemeTypes(balances, expenditureOf),
      byStream,
      byCommissioner: byCommissioner(view, year, balances, expenditureOf),
      capitalAndRevenue: (['revenue', 'capital'] as const).map((kind) => {
        const ofKind = byStream.filter((stream) => stream.capital === (kind === 'capital'));
        const kindFunding = sum(ofKind.map((stream) => stream.funding));
        const kindExpenditure = sum(ofKind.map((stream) => stream.expenditure));
        return {
          kind,
          funding: kindFunding.toString(),
          expenditure: kindExpenditure.toString(),
          net: kindFunding.minus(kindExpenditure).toString(),
        };
      }),
    },
    net: { funding: funding.toString(), expenditure: expenditure.toString(), net: net.toString() },
    riskShare: riskShareSection(view, year, balances, expenditureOf, net),
    priorYear: priorYear(view, yearId),
  };
}

/**
 * SHA-256 of the statement's canonical JSON: what a year close records and an auditor checks.
 * Whether the year is closed is left out: the close itself must not change what was signed.
 */
export function yearEndDigest(statement: YearEndStatement): string {
  const { closed: _closed, ...signed } = statement;
  return createHash('sha256').update(canonicalJson(signed)).digest('hex');
}

function sum(values: readonly (string | Money)[]): Money {
  return Money.sum(
    values.map((value) => (typeof value === 'string' ? Money.parseTotal(value) : value)),
  );
}

function capitalStreams(year: YearView): Set<string> {
  return new Set(
    (year.referenceData?.fundingStreams ?? [])
      .filter((stream) => stream.category === 'capital')
      .map((stream) => stream.name),
  );
}

/** What each partner contributed, was asked for and paid, per stream; and each stream's funding. */
function fundingSection(
  view: PoolView,
  year: YearView,
  balances: Balances,
  capital: ReadonlySet<string>,
): YearEndStatement['funding'] {
  const byPartner = view.partners.flatMap((partner) => {
    const ofPartner = own(year.contributions, partner.partnerId);
    if (ofPartner === undefined) return [];
    const rows = Object.entries(ofPartner).map(([fundingStream, figures]) => {
      const contribution = sumQuarters(figures.plannedByQuarter).plus(
        sumQuarters(figures.variedByQuarter),
      );
      const due = sumQuarters(figures.dueByQuarter);
      const received = sumQuarters(figures.receivedByQuarter);
      return { fundingStream, contribution, due, received, owed: due.minus(received) };
    });
    const total = (pick: (row: (typeof rows)[number]) => Money) => sum(rows.map(pick)).toString();
    return [
      {
        partnerId: partner.partnerId,
        name: partner.name,
        byStream: rows.map((row) => ({
          fundingStream: row.fundingStream,
          contribution: row.contribution.toString(),
          due: row.due.toString(),
          received: row.received.toString(),
          owed: row.owed.toString(),
        })),
        total: {
          contribution: total((row) => row.contribution),
          due: total((row) => row.due),
          received: total((row) => row.received),
          owed: total((row) => row.owed),
        },
      },
    ];
  });
  const byStream = balances.streams.map((stream) => ({
    fundingStream: stream.fundingStream,
    capital: capital.has(stream.fundingStream),
    contributions: stream.contributions,
    broughtForward: stream.broughtForward,
    funding: sum([stream.contributions, stream.broughtForward]).toString(),
  }));
  return {
    byPartner,
    byStream,
    total: {
      contributions: sum(byStream.map((stream) => stream.contributions)).toString(),
      broughtForward: sum(byStream.map((stream) => stream.broughtForward)).toString(),
      funding: sum(byStream.map((stream) => stream.funding)).toString(),
    },
  };
}

function expenditureByStream(
  balances: Balances,
  expenditureOf: (line: LineBalance) => Money,
  capital: ReadonlySet<string>,
): (YearEndStatement['expenditure']['byStream'][number] & { funding: string })[] {
  return balances.streams.map((stream) => {
    const lines = balances.lines.filter((line) => line.fundingStream === stream.fundingStream);
    const expenditure = sum(lines.map(expenditureOf));
    const funding = sum([stream.contributions, stream.broughtForward]);
    return {
      fundingStream: stream.fundingStream,
      capital: capital.has(stream.fundingStream),
      funding: funding.toString(),
      spent: stream.spent,
      accrued: sum(lines.map((line) => line.accrued)).toString(),
      expenditure: expenditure.toString(),
      net: funding.minus(expenditure).toString(),
    };
  });
}

function bySchemes(
  balances: Balances,
  expenditureOf: (line: LineBalance) => Money,
): YearEndStatement['expenditure']['byScheme'] {
  const schemeIds = [...new Set(balances.lines.map((line) => line.schemeId))].sort(
    compareSchemeIds,
  );
  return schemeIds.map((schemeId) => {
    const lines = balances.lines.filter((line) => line.schemeId === schemeId);
    const budget = sum(lines.map((line) => line.currentBudget));
    const expenditure = sum(lines.map(expenditureOf));
    return {
      schemeId,
      schemeName: lines[0]?.schemeName ?? '',
      schemeType: lines[0]?.schemeType ?? '',
      budget: budget.toString(),
      spent: sum(lines.map((line) => line.spent)).toString(),
      accrued: sum(lines.map((line) => line.accrued)).toString(),
      expenditure: expenditure.toString(),
      variance: expenditure.minus(budget).toString(),
    };
  });
}

function bySchemeTypes(
  balances: Balances,
  expenditureOf: (line: LineBalance) => Money,
): YearEndStatement['expenditure']['bySchemeType'] {
  const schemeTypes = [...new Set(balances.lines.map((line) => line.schemeType))].sort();
  return schemeTypes.map((schemeType) => {
    const lines = balances.lines.filter((line) => line.schemeType === schemeType);
    const budget = sum(lines.map((line) => line.currentBudget));
    const expenditure = sum(lines.map(expenditureOf));
    return {
      schemeType,
      budget: budget.toString(),
      expenditure: expenditure.toString(),
      variance: expenditure.minus(budget).toString(),
    };
  });
}

/** Expenditure by who commissioned it; a joint line's split by its NHS and LA percentages. */
function byCommissioner(
  view: PoolView,
  year: YearView,
  balances: Balances,
  expenditureOf: (line: LineBalance) => Money,
): YearEndStatement['expenditure']['byCommissioner'] {
  const totals = new Map<string, Money>();
  const add = (commissioner: string, amount: Money) =>
    totals.set(commissioner, (totals.get(commissioner) ?? Money.zero).plus(amount));
  for (const line of balances.lines) {
    const columns = schemeColumns(view, year, line.schemeId);
    const amount = expenditureOf(line);
    if (columns?.commissioner !== 'Joint') {
      add(columns?.commissioner ?? '', amount);
      continue;
    }
    const [nhs = Money.zero, council = Money.zero] = amount.isZero()
      ? []
      : apportion(amount, [columns.nhsPercentage ?? '0', columns.laPercentage ?? '0']);
    add('CCG', nhs);
    add('Local Authority', council);
  }
  return [...totals]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([commissioner, amount]) => ({ commissioner, expenditure: amount.toString() }));
}

function riskShareSection(
  view: PoolView,
  year: YearView,
  balances: Balances,
  expenditureOf: (line: LineBalance) => Money,
  net: Money,
): RiskShareSection {
  const nameOf = (partnerId: string) =>
    view.partners.find((partner) => partner.partnerId === partnerId)?.name ?? '';
  if (year.riskShare !== null && year.riskShareSteps !== null)
    return appliedSection(year.riskShare, year.riskShareSteps, nameOf, net);
  const expected = new Map(
    balances.lines.map((line) => [
      `${line.schemeId}\u0000${line.fundingStream}`,
      expenditureOf(line),
    ]),
  );
  const outlook = projectedRiskShare(
    view,
    year,
    (schemeId, fundingStream) => expected.get(`${schemeId}\u0000${fundingStream}`) ?? Money.zero,
  );
  if (outlook.status !== 'projected') {
    const detail =
      outlook.status === 'not-applicable'
        ? outlook.problem
        : 'no year-end terms are agreed for the year, so the risk share cannot be projected';
    return emptySection(
      outlook.status === 'not-applicable' ? 'not-applicable' : 'no-terms',
      detail,
      net,
    );
  }
  const { outcome, steps } = asRecorded(outlook.result);
  return appliedSection(outcome, steps, nameOf, net, 'projected');
}

/** A projected waterfall in the shape the applied one is recorded in. */
function asRecorded(result: WaterfallResult): {
  outcome: NonNullable<YearView['riskShare']>;
  steps: Steps;
} {
  return {
    outcome: {
      net: result.net.toString(),
      allocations: result.shares.map((share) => ({
        partnerId: share.partnerId,
        amount: share.amount.toString(),
      })),
      carryForward: result.carryForward.map((entry) => ({
        fundingStream: entry.fundingStream,
        amount: entry.amount.toString(),
      })),
    },
    steps: {
      offsets: result.offsets.map((offset) => ({
        kind: offset.kind,
        offset: offset.offset.toString(),
      })),
      contingency:
        result.contingency === null
          ? null
          : {
              schemeId: result.contingency.schemeId,
              fundingStream: result.contingency.fundingStream,
              available: result.contingency.available.toString(),
              used: result.contingency.used.toString(),
            },
      overspends: result.overspends.map((line) => ({
        schemeId: line.schemeId,
        fundingStream: line.fundingStream,
        overspend: line.overspend.toString(),
        profile: line.profile,
        shares: line.shares.map((share) => ({
          partnerId: share.partnerId,
          amount: share.amount.toString(),
        })),
      })),
      underspends: result.underspends.map((stream) => ({
        fundingStream: stream.fundingStream,
        capital: stream.capital,
        underspend: stream.underspend.toString(),
        unallocated: stream.unallocated.toString(),
        returned: stream.returned.map((share) => ({
          partnerId: share.partnerId,
          amount: share.amount.toString(),
        })),
        carriedForward: stream.carriedForward.toString(),
      })),
    },
  };
}

type Steps = Pick<RiskShareSection, 'overspends' | 'underspends'> & {
  offsets: readonly { kind: string; offset: string }[];
  contingency: { schemeId: string; fundingStream: string; available: string; used: string } | null;
};

function appliedSection(
  outcome: NonNullable<YearView['riskShare']>,
  steps: Steps,
  nameOf: (partnerId: string) => string,
  net: Money,
  status: 'applied' | 'projected' = 'applied',
): RiskShareSection {
  const shares = outcome.allocations.map((share) => ({
    partnerId: share.partnerId,
    name: nameOf(share.partnerId),
    amount: share.amount,
  }));
  const sharesTotal = sum(shares.map((share) => share.amount));
  const carried = sum(outcome.carryForward.map((entry) => entry.amount));
  return {
    status,
    detail: null,
    offsets: steps.offsets.map((offset) => ({ kind: offset.kind, offset: offset.offset })),
    contingency:
      steps.contingency === null
        ? null
        : {
            schemeId: steps.contingency.schemeId,
            fundingStream: steps.contingency.fundingStream,
            available: steps.contingency.available,
            used: steps.contingency.used,
          },
    overspends: steps.overspends.map((line) => ({ ...line, shares: [...line.shares] })),
    underspends: steps.underspends.map((stream) => ({ ...stream, returned: [...stream.returned] })),
    shares,
    carryForward: outcome.carryForward.map((entry) => ({ ...entry })),
    // The statement's own net, from its funding and expenditure, against the risk share's.
    reconciliation: {
      net: net.toString(),
      shares: sharesTotal.toString(),
      carryForward: carried.toString(),
      reconciles:
        Money.parseTotal(outcome.net).equals(net) && sharesTotal.plus(carried).equals(net),
    },
  };
}

function emptySection(
  status: 'no-terms' | 'not-applicable',
  detail: string,
  net: Money,
): RiskShareSection {
  return {
    status,
    detail,
    offsets: [],
    contingency: null,
    overspends: [],
    underspends: [],
    shares: [],
    carryForward: [],
    reconciliation: {
      net: net.toString(),
      shares: '0.00',
      carryForward: '0.00',
      reconciles: net.isZero(),
    },
  };
}

/** The previous year's net and carry-forward, beside this year's, where the pool has that year. */
function priorYear(view: PoolView, yearId: string): YearEndStatement['priorYear'] {
  const start = Number(yearId.slice(0, 4)) - 1;
  const previous = `${start}-${String((start + 1) % 100).padStart(2, '0')}`;
  if (own(view.years, previous) === undefined) return null;
  const statement = yearEndStatement(view, previous);
  if (statement === undefined) return null;
  return {
    year: previous,
    funding: statement.net.funding,
    expenditure: statement.net.expenditure,
    net: statement.net.net,
    carriedForward: statement.riskShare.reconciliation.carryForward,
  };
}
