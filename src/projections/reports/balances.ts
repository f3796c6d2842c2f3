import { Money } from '#money';
import { riskShareAllocations } from '../../rules/risk-share.ts';
import { own } from '../view/amounts.ts';
import type { PoolView, YearView } from '../view/pool-view.ts';
import {
  latestForecast,
  lineBudget,
  orderedLines,
  orderedStreams,
  ProjectionInvariantError,
  type Rag,
  type RagThresholds,
  rag,
  schemeLabel,
  sumQuarters,
} from './figures.ts';

/**
 * The pooled-budget position of a pool and year: per funding stream, per scheme line and per
 * partner. Checks the ledger's identities as it derives them (rule 11): per stream, allocated
 * equals the sum of its lines' budgets and spent the sum of their spend, and the unallocated
 * balance is never below zero; the reports refuse to show figures that break them.
 */
export interface Balances {
  poolId: string;
  poolName: string;
  year: string;
  streams: StreamBalance[];
  lines: LineBalance[];
  partners: PartnerBalance[];
  totals: {
    contributions: string;
    received: string;
    allocated: string;
    unallocated: string;
    spent: string;
    remaining: string;
  };
}

export interface StreamBalance {
  fundingStream: string;
  planned: string;
  varied: string;
  contributions: string;
  received: string;
  allocated: string;
  unallocated: string;
  spent: string;
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
  virementsIn: string;
  virementsOut: string;
  currentBudget: string;
  spendByQuarter: Record<string, string>;
  spent: string;
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
  received: string;
  /** The partner's share of the over- (positive) or underspend under the pool's terms. */
  riskShareExposure: string;
  /** 'applied' once the year-end risk share is recorded; 'projected' from forecasts before. */
  riskShareStatus: 'applied' | 'projected';
}

export function poolBalances(
  view: PoolView,
  yearId: string,
  thresholds: RagThresholds,
): Balances | undefined {
  const year = own(view.years, yearId);
  if (year === undefined) return undefined;
  const lines = orderedLines(year).map(({ schemeId, fundingStream, figures }) => {
    const originalBudget = sumQuarters(figures.allocatedByQuarter);
    const virementsIn = sumQuarters(figures.virementsInByQuarter);
    const virementsOut = sumQuarters(figures.virementsOutByQuarter);
    const currentBudget = lineBudget(figures);
    const spent = sumQuarters(figures.spendByQuarter);
    const given = latestForecast(figures);
    const forecast = given ?? currentBudget;
    return {
      schemeId,
      ...schemeLabel(view, schemeId),
      fundingStream,
      originalBudget: originalBudget.toString(),
      virementsIn: virementsIn.toString(),
      virementsOut: virementsOut.toString(),
      currentBudget: currentBudget.toString(),
      spendByQuarter: { ...figures.spendByQuarter },
      spent: spent.toString(),
      remaining: currentBudget.minus(spent).toString(),
      forecastOutturn: forecast.toString(),
      forecastGiven: given !== undefined,
      variance: forecast.minus(currentBudget).toString(),
      rag: rag(currentBudget, spent, forecast, thresholds),
      overspent: spent.greaterThan(currentBudget),
    };
  });
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
    streams,
    lines,
    partners,
    totals: {
      contributions: total((stream) => stream.contributions),
      received: total((stream) => stream.received),
      allocated: total((stream) => stream.allocated),
      unallocated: total((stream) => stream.unallocated),
      spent: total((stream) => stream.spent),
      remaining: total((stream) => stream.remaining),
    },
  };
}

function streamBalance(
  year: YearView,
  fundingStream: string,
  lines: readonly LineBalance[],
): StreamBalance {
  const figures = own(year.streams, fundingStream) ?? {
    planned: '0.00',
    varied: '0.00',
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
  return {
    fundingStream,
    planned: planned.toString(),
    varied: varied.toString(),
    contributions: contributions.toString(),
    received: figures.received,
    allocated: allocated.toString(),
    unallocated: unallocated.toString(),
    spent: spent.toString(),
    remaining: allocated.minus(spent).toString(),
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
    const byStream = own(year.contributions, partner.partnerId) ?? {};
    const planned = Money.sum(
      Object.values(byStream).map((stream) => sumQuarters(stream.plannedByQuarter)),
    );
    const varied = Money.sum(
      Object.values(byStream).map((stream) => sumQuarters(stream.variedByQuarter)),
    );
    const received = Money.sum(
      Object.values(byStream).map((stream) => sumQuarters(stream.receivedByQuarter)),
    );
    contributions.set(
      partner.partnerId,
      new Map(
        Object.entries(byStream).map(([stream, figures]) => [
          stream,
          sumQuarters(figures.plannedByQuarter).plus(sumQuarters(figures.variedByQuarter)),
        ]),
      ),
    );
    return { partner, planned, varied, received };
  });
  const exposure = riskShareExposure(view, year, lines, contributions);
  return rows.map(({ partner, planned, varied, received }) => ({
    partnerId: partner.partnerId,
    name: partner.name,
    planned: planned.toString(),
    varied: varied.toString(),
    contributions: planned.plus(varied).toString(),
    received: received.toString(),
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
