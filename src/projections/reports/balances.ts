import { Money } from '#money';
import type { Period } from '../../events/catalogue/index.ts';
import { riskShareAllocations } from '../../rules/risk-share.ts';
import { own } from '../view/amounts.ts';
import type {
  ContributionFigures,
  LineFigures,
  PeriodAmounts,
  PoolView,
  YearView,
} from '../view/pool-view.ts';
import {
  budgetToDate,
  currentPeriod,
  latestForecast,
  lineBudget,
  orderedLines,
  orderedStreams,
  ProjectionInvariantError,
  periodsTo,
  type Rag,
  type RagThresholds,
  rag,
  schemeLabel,
  sumQuarters,
  thresholdsAt,
} from './figures.ts';

/**
 * The pooled-budget position of a pool and year, now: per funding stream, per scheme line and per
 * partner. Checks the ledger's identities as it derives them (rule 14): per stream, allocated
 * equals the sum of its lines' budgets and spent the sum of their spend, the unallocated balance
 * is never below zero; per line, budget = spent + committed + remaining, with committed equal to
 * what is outstanding on the line's commitments. The reports refuse to show figures that break them.
 */
export interface Balances {
  poolId: string;
  poolName: string;
  year: string;
  /** The period the figures "to date" run to: the open quarter, or YE once Q4 is closed. */
  toDate: Period;
  streams: StreamBalance[];
  lines: LineBalance[];
  partners: PartnerBalance[];
  totals: {
    contributions: string;
    due: string;
    received: string;
    allocated: string;
    unallocated: string;
    spent: string;
    committed: string;
    remaining: string;
  };
}

export interface StreamBalance {
  fundingStream: string;
  planned: string;
  varied: string;
  contributions: string;
  due: string;
  received: string;
  /** Due less received: what partners still owe the pool for the stream. */
  outstanding: string;
  allocated: string;
  unallocated: string;
  spent: string;
  committed: string;
  remaining: string;
  grantsAwarded: string;
  grantsReceived: string;
}

export interface LineBalance {
  schemeId: string;
  schemeName: string;
  schemeType: string;
  /** A withdrawn scheme still shows its budget and spend. */
  withdrawn: boolean;
  fundingStream: string;
  originalBudget: string;
  supplementaryBudget: string;
  released: string;
  virementsIn: string;
  virementsOut: string;
  currentBudget: string;
  budgetToDate: string;
  spendByQuarter: Record<Period, string>;
  spent: string;
  spendToDate: string;
  committed: string;
  accrued: string;
  /** Budget less spent and committed: below zero an overspend. */
  remaining: string;
  forecastOutturn: string;
  forecastGiven: boolean;
  variance: string;
  rag: Rag;
  overspent: boolean;
}

export interface PartnerBalance {
  partnerId: string;
  name: string;
  planned: string;
  varied: string;
  contributions: string;
  due: string;
  received: string;
  outstanding: string;
  /** The partner's share of the over- (positive) or underspend under the pool's terms. */
  riskShareExposure: string;
  /** 'applied' once the year-end risk share is recorded; 'projected' from forecasts before. */
  riskShareStatus: 'applied' | 'projected';
}

export function poolBalances(view: PoolView, yearId: string): Balances | undefined {
  const year = own(view.years, yearId);
  if (year === undefined) return undefined;
  const toDate = currentPeriod(year);
  const thresholds = thresholdsAt(year, toDate);
  const lines = orderedLines(year).map(({ schemeId, fundingStream, figures }) => ({
    schemeId,
    ...schemeLabel(view, year, schemeId),
    fundingStream,
    ...lineBalance(year, schemeId, fundingStream, figures, toDate, thresholds),
  }));
  const streams = orderedStreams(year).map((fundingStream) =>
    streamBalance(year, fundingStream, lines),
  );
  const partners = partnerBalances(view, year, lines);
  const total = (pick: (stream: StreamBalance) => string) =>
    Money.sum(streams.map((stream) => Money.parseTotal(pick(stream)))).toString();
  return {
    poolId: view.poolId,
    poolName: view.registration?.name ?? '',
    year: yearId,
    toDate,
    streams,
    lines,
    partners,
    totals: {
      contributions: total((stream) => stream.contributions),
      due: total((stream) => stream.due),
      received: total((stream) => stream.received),
      allocated: total((stream) => stream.allocated),
      unallocated: total((stream) => stream.unallocated),
      spent: total((stream) => stream.spent),
      committed: total((stream) => stream.committed),
      remaining: total((stream) => stream.remaining),
    },
  };
}

/**
 * A line's figures now. Its forecast outturn is its outturn (actual plus accruals) once that is
 * determined; after Q4 closes, what is spent, accrued and committed; before, the latest forecast
 * given, or the budget.
 */
function lineBalance(
  year: YearView,
  schemeId: string,
  fundingStream: string,
  figures: LineFigures,
  toDate: Period,
  thresholds: RagThresholds,
) {
  const currentBudget = lineBudget(figures);
  const spent = sumQuarters(figures.spendByQuarter);
  const committed = sumQuarters(figures.committedByQuarter);
  const accrued = sumQuarters(figures.accruedByQuarter);
  checkCommitments(year, schemeId, fundingStream, committed);
  // Rule 14: budget = spent + committed + remaining, committed checked against the commitments.
  const remaining = currentBudget.minus(spent).minus(committed);
  const given = latestForecast(figures);
  const forecast =
    figures.outturn !== null
      ? Money.parseTotal(figures.outturn)
      : toDate === 'YE'
        ? spent.plus(accrued).plus(committed)
        : (given ?? currentBudget);
  const budgetNow = toDate === 'YE' ? currentBudget : budgetToDate(figures, toDate);
  const spendToDate = sumQuarters(figures.spendByQuarter, periodsTo(toDate));
  return {
    originalBudget: sumQuarters(figures.originalByQuarter).toString(),
    supplementaryBudget: sumQuarters(figures.supplementaryByQuarter).toString(),
    released: sumQuarters(figures.releasedByQuarter).toString(),
    virementsIn: sumQuarters(figures.virementsInByQuarter).toString(),
    virementsOut: sumQuarters(figures.virementsOutByQuarter).toString(),
    currentBudget: currentBudget.toString(),
    budgetToDate: budgetNow.toString(),
    spendByQuarter: { ...figures.spendByQuarter },
    spent: spent.toString(),
    spendToDate: spendToDate.toString(),
    committed: committed.toString(),
    accrued: accrued.toString(),
    remaining: remaining.toString(),
    forecastOutturn: forecast.toString(),
    forecastGiven: figures.outturn === null && toDate !== 'YE' && given !== undefined,
    variance: forecast.minus(currentBudget).toString(),
    rag: rag(
      { budget: currentBudget, budgetToDate: budgetNow, spendToDate, spent, forecast },
      thresholds,
    ),
    overspent: spent.greaterThan(currentBudget),
  };
}

/** Committed on a line, by its periods, must be what is outstanding on its commitments. */
function checkCommitments(
  year: YearView,
  schemeId: string,
  fundingStream: string,
  committed: Money,
): void {
  const outstanding = Money.sum(
    Object.values(year.commitments)
      .filter((each) => each.schemeId === schemeId && each.fundingStream === fundingStream)
      .map((each) => Money.parseTotal(each.outstanding)),
  );
  if (!outstanding.equals(committed) || committed.isNegative()) {
    throw new ProjectionInvariantError(
      `${schemeId} ${fundingStream} ${year.year}: committed ${committed} but its commitments have ${outstanding} outstanding`,
    );
  }
}

function streamBalance(
  year: YearView,
  fundingStream: string,
  lines: readonly LineBalance[],
): StreamBalance {
  const figures = own(year.streams, fundingStream) ?? {
    planned: '0.00',
    varied: '0.00',
    due: '0.00',
    received: '0.00',
    allocated: '0.00',
    spent: '0.00',
  };
  const planned = Money.parseTotal(figures.planned);
  const varied = Money.parseTotal(figures.varied);
  const contributions = planned.plus(varied);
  const allocated = Money.parseTotal(figures.allocated);
  const spent = Money.parseTotal(figures.spent);
  const ofStream = lines.filter((line) => line.fundingStream === fundingStream);
  const linesBudget = Money.sum(ofStream.map((line) => Money.parseTotal(line.currentBudget)));
  const linesSpent = Money.sum(ofStream.map((line) => Money.parseTotal(line.spent)));
  const committed = Money.sum(ofStream.map((line) => Money.parseTotal(line.committed)));
  if (!linesBudget.equals(allocated) || !linesSpent.equals(spent)) {
    throw new ProjectionInvariantError(
      `${fundingStream} ${year.year}: allocated ${allocated} and spent ${spent}, but its lines hold ${linesBudget} and ${linesSpent}`,
    );
  }
  const unallocated = contributions.minus(allocated);
  if (unallocated.isNegative()) {
    throw new ProjectionInvariantError(
      `${fundingStream} ${year.year}: allocations exceed contributions by ${unallocated.negated()}`,
    );
  }
  const grants = Object.values(year.grants).filter(
    (grant) => grant.fundingStream === fundingStream,
  );
  const due = Money.parseTotal(figures.due);
  const received = Money.parseTotal(figures.received);
  return {
    fundingStream,
    planned: planned.toString(),
    varied: varied.toString(),
    contributions: contributions.toString(),
    due: due.toString(),
    received: received.toString(),
    outstanding: due.minus(received).toString(),
    allocated: allocated.toString(),
    unallocated: unallocated.toString(),
    spent: spent.toString(),
    committed: committed.toString(),
    remaining: allocated.minus(spent).minus(committed).toString(),
    grantsAwarded: Money.sum(grants.map((grant) => Money.parseTotal(grant.awarded))).toString(),
    grantsReceived: Money.sum(grants.map((grant) => Money.parseTotal(grant.received))).toString(),
  };
}

function partnerBalances(
  view: PoolView,
  year: YearView,
  lines: readonly LineBalance[],
): PartnerBalance[] {
  const contributions = new Map<string, Map<string, Money>>();
  const rows = view.partners.map((partner) => {
    const byStream = Object.values(own(year.contributions, partner.partnerId) ?? {});
    const sum = (pick: (figures: ContributionFigures) => PeriodAmounts) =>
      Money.sum(byStream.map((figures) => sumQuarters(pick(figures))));
    contributions.set(
      partner.partnerId,
      new Map(
        Object.entries(own(year.contributions, partner.partnerId) ?? {}).map(
          ([stream, figures]) => [
            stream,
            sumQuarters(figures.plannedByQuarter).plus(sumQuarters(figures.variedByQuarter)),
          ],
        ),
      ),
    );
    return {
      partner,
      planned: sum((figures) => figures.plannedByQuarter),
      varied: sum((figures) => figures.variedByQuarter),
      due: sum((figures) => figures.dueByQuarter),
      received: sum((figures) => figures.receivedByQuarter),
    };
  });
  const exposure = riskShareExposure(view, year, lines, contributions);
  return rows.map(({ partner, planned, varied, due, received }) => ({
    partnerId: partner.partnerId,
    name: partner.name,
    planned: planned.toString(),
    varied: varied.toString(),
    contributions: planned.plus(varied).toString(),
    due: due.toString(),
    received: received.toString(),
    outstanding: due.minus(received).toString(),
    riskShareExposure: (exposure.shares.get(partner.partnerId) ?? Money.zero).toString(),
    riskShareStatus: exposure.status,
  }));
}

/** Applied shares once recorded; before that, the terms applied to the forecast outturn. */
function riskShareExposure(
  view: PoolView,
  year: YearView,
  lines: readonly LineBalance[],
  contributions: Map<string, Map<string, Money>>,
) {
  if (year.riskShare !== null) {
    return {
      status: 'applied' as const,
      shares: new Map(
        year.riskShare.allocations.map((share) => [
          share.partnerId,
          Money.parseTotal(share.amount),
        ]),
      ),
    };
  }
  const streamNets = new Map<string, Money>();
  const schemeNets = new Map<string, Money>();
  for (const line of lines) {
    const forecast = Money.parseTotal(line.forecastOutturn);
    streamNets.set(
      line.fundingStream,
      (streamNets.get(line.fundingStream) ?? Money.zero).plus(forecast),
    );
    schemeNets.set(
      line.schemeId,
      (schemeNets.get(line.schemeId) ?? Money.zero).plus(Money.parseTotal(line.variance)),
    );
  }
  for (const [fundingStream, figures] of Object.entries(year.streams)) {
    const streamContributions = Money.parseTotal(figures.planned).plus(
      Money.parseTotal(figures.varied),
    );
    streamNets.set(
      fundingStream,
      (streamNets.get(fundingStream) ?? Money.zero).minus(streamContributions),
    );
  }
  const net = Money.sum(streamNets.values());
  const shares = riskShareAllocations({
    terms: view.riskShare as Parameters<typeof riskShareAllocations>[0]['terms'],
    partnerIds: view.partners.map((partner) => partner.partnerId),
    hostPartnerId: view.registration?.hostPartnerId ?? view.partners[0]?.partnerId ?? '',
    net,
    contributions,
    streamNets,
    schemeNets,
  });
  return { status: 'projected' as const, shares };
}
