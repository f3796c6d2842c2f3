import { Money } from '#money';
import type { Period } from '../../events/catalogue/index.ts';
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
import { projectedRiskShare } from './risk-share.ts';

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
  /** Carried forward from the previous year: funding to allocate, though no partner's contribution. */
  broughtForward: string;
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
  /** The partner's share of the year's net by the year-end terms: below zero, overspend it bears. */
  riskShareExposure: string;
  /**
   * 'applied' once the year-end risk share is recorded; 'projected' from the forecasts by the
   * agreed terms before; 'no-terms' while no year-end terms are agreed.
   */
  riskShareStatus: 'applied' | 'projected' | 'no-terms';
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
    broughtForward: '0.00',
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
  const broughtForward = Money.parseTotal(figures.broughtForward);
  const unallocated = contributions.plus(broughtForward).minus(allocated);
  if (unallocated.isNegative()) {
    throw new ProjectionInvariantError(
      `${fundingStream} ${year.year}: allocations exceed contributions and the balance brought forward by ${unallocated.negated()}`,
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
    broughtForward: broughtForward.toString(),
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
  const rows = view.partners.map((partner) => {
    const byStream = Object.values(own(year.contributions, partner.partnerId) ?? {});
    const sum = (pick: (figures: ContributionFigures) => PeriodAmounts) =>
      Money.sum(byStream.map((figures) => sumQuarters(pick(figures))));
    return {
      partner,
      planned: sum((figures) => figures.plannedByQuarter),
      varied: sum((figures) => figures.variedByQuarter),
      due: sum((figures) => figures.dueByQuarter),
      received: sum((figures) => figures.receivedByQuarter),
    };
  });
  const exposure = riskShareExposure(view, year, lines);
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

/** Applied shares once recorded; before that, the agreed terms' waterfall on the forecast outturn. */
function riskShareExposure(view: PoolView, year: YearView, lines: readonly LineBalance[]) {
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
  const forecasts = new Map(
    lines.map((line) => [`${line.schemeId}\u0000${line.fundingStream}`, line.forecastOutturn]),
  );
  const outlook = projectedRiskShare(view, year, (schemeId, fundingStream) =>
    Money.parseTotal(forecasts.get(`${schemeId}\u0000${fundingStream}`) ?? '0.00'),
  );
  if (outlook.status !== 'projected') return { status: 'no-terms' as const, shares: new Map() };
  return {
    status: 'projected' as const,
    shares: new Map(outlook.result.shares.map((share) => [share.partnerId, share.amount])),
  };
}
