import { apportion, Money } from '#money';
import {
  PERIODS,
  type Period,
  QUARTERS,
  type Quarter,
  type SchemeColumns,
} from '../../events/catalogue/index.ts';
import { own } from '../view/amounts.ts';
import type {
  LineFigures,
  PeriodAmounts,
  PoolView,
  RagThresholdFigures,
  YearView,
} from '../view/pool-view.ts';

/** Arithmetic the reports share: sums over periods, a line's budget, phasing, forecast, RAG. */

/**
 * RAG thresholds, as percentages: a line is amber or red when its spend to date is ahead of its
 * phased budget to date, or its forecast above its budget, by more than the "above" thresholds
 * (overspend); or behind or below them by more than the "below" thresholds (slippage). Set per
 * pool and year (`SetRagThresholds`); these are the defaults (docs/domain.md).
 */
export type RagThresholds = RagThresholdFigures;

export const DEFAULT_RAG_THRESHOLDS: RagThresholds = {
  amberAbovePercent: '0.00',
  redAbovePercent: '5.00',
  amberBelowPercent: '10.00',
  redBelowPercent: '25.00',
};

export type Rag = 'green' | 'amber' | 'red';

/** Equal quarters: the profile of a line whose budget has not been phased. */
export const EQUAL_PROFILE: Readonly<Record<Quarter, string>> = {
  Q1: '25',
  Q2: '25',
  Q3: '25',
  Q4: '25',
};

export class ProjectionInvariantError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProjectionInvariantError';
  }
}

/** The periods up to and including `last`: a quarterly position's year to date. */
export function periodsTo(last: Period): Period[] {
  return PERIODS.slice(0, PERIODS.indexOf(last) + 1);
}

export function sumQuarters(amounts: PeriodAmounts, periods: readonly Period[] = PERIODS): Money {
  return Money.sum(periods.map((period) => Money.parseTotal(amounts[period])));
}

/** A line's budget: original and supplementary allocations, less releases, with virements. */
export function lineBudget(line: LineFigures, periods: readonly Period[] = PERIODS): Money {
  return sumQuarters(line.originalByQuarter, periods)
    .plus(sumQuarters(line.supplementaryByQuarter, periods))
    .minus(sumQuarters(line.releasedByQuarter, periods))
    .plus(sumQuarters(line.virementsInByQuarter, periods))
    .minus(sumQuarters(line.virementsOutByQuarter, periods));
}

/**
 * The line's budget to the end of `quarter` by its profile (the last set by then; equal quarters
 * before any): the budget as it stood then, spread over the quarters to the penny.
 */
export function budgetToDate(line: LineFigures, quarter: Quarter): Money {
  const periods = periodsTo(quarter);
  const profile =
    [...periods]
      .reverse()
      .map((period) => line.profileByQuarter[period])
      .find((set) => set !== null) ?? EQUAL_PROFILE;
  const spread = apportion(
    lineBudget(line, periods),
    QUARTERS.map((each) => profile[each]),
  );
  return Money.sum(spread.slice(0, QUARTERS.indexOf(quarter) + 1));
}

/** The latest forecast given in any of the quarters, or undefined when none was. */
export function latestForecast(
  line: LineFigures,
  quarters: readonly Period[] = QUARTERS,
): Money | undefined {
  for (const quarter of [...quarters].reverse()) {
    if (quarter === 'YE') continue;
    const forecast = line.forecastByQuarter[quarter];
    if (forecast !== null) return Money.parseTotal(forecast);
  }
  return undefined;
}

/** The thresholds in force at the end of a period: the last set by then, or the defaults. */
export function thresholdsAt(year: YearView, period: Period): RagThresholds {
  return (
    [...periodsTo(period)]
      .reverse()
      .map((each) => year.ragThresholds[each])
      .find((set) => set !== null) ?? DEFAULT_RAG_THRESHOLDS
  );
}

export interface RagFigures {
  readonly budget: Money;
  readonly budgetToDate: Money;
  readonly spendToDate: Money;
  /** All the spend of the year so far, a later quarter's included. */
  readonly spent: Money;
  readonly forecast: Money;
}

/**
 * A line's RAG: the worse of its variance to date (spend to date against the phased budget to
 * date) and its forecast variance (forecast against budget), each judged by the thresholds above
 * (overspend) and below (slippage); red whenever spend already exceeds the whole budget.
 */
export function rag(figures: RagFigures, thresholds: RagThresholds): Rag {
  if (figures.spent.greaterThan(figures.budget)) return 'red';
  return worse(
    judged(figures.spendToDate, figures.budgetToDate, thresholds),
    judged(figures.forecast, figures.budget, thresholds),
  );
}

function judged(actual: Money, expected: Money, thresholds: RagThresholds): Rag {
  const variance = actual.minus(expected);
  if (variance.isZero()) return 'green';
  if (!expected.isPositive()) return variance.isPositive() ? 'red' : 'green';
  const [amber, red] = variance.isPositive()
    ? [thresholds.amberAbovePercent, thresholds.redAbovePercent]
    : [thresholds.amberBelowPercent, thresholds.redBelowPercent];
  const size = variance.abs();
  if (size.exceedsPercentageOf(expected, red)) return 'red';
  if (size.exceedsPercentageOf(expected, amber)) return 'amber';
  return 'green';
}

function worse(a: Rag, b: Rag): Rag {
  const order: Rag[] = ['green', 'amber', 'red'];
  return order[Math.max(order.indexOf(a), order.indexOf(b))] ?? 'red';
}

/** Streams in the order of the year's reference list, then any others by name. */
export function orderedStreams(year: YearView): string[] {
  const listed = year.referenceData?.fundingStreams.map((stream) => stream.name) ?? [];
  const seen = new Set([
    ...Object.keys(year.streams),
    ...Object.values(year.lines).flatMap((byStream) => Object.keys(byStream)),
  ]);
  return [
    ...listed.filter((name) => seen.has(name)),
    ...[...seen].filter((name) => !listed.includes(name)).sort(),
  ];
}

/** Scheme ids as the template numbers them: 2 before 10. */
export function compareSchemeIds(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

/** Every scheme line of the year (shown by `period` when given), in scheme then stream order. */
export function orderedLines(
  year: YearView,
  period?: Period,
): { schemeId: string; fundingStream: string; figures: LineFigures }[] {
  const streams = orderedStreams(year);
  return Object.keys(year.lines)
    .sort(compareSchemeIds)
    .flatMap((schemeId) => {
      const byStream = own(year.lines, schemeId) ?? {};
      return streams.flatMap((fundingStream) => {
        const figures = own(byStream, fundingStream);
        if (figures === undefined) return [];
        if (period !== undefined && !shownBy(figures.firstPeriod, period)) return [];
        return [{ schemeId, fundingStream, figures }];
      });
    });
}

/** Whether something first posted in `first` shows in a report to the end of `period`. */
export function shownBy(first: Period, period: Period): boolean {
  return PERIODS.indexOf(first) <= PERIODS.indexOf(period);
}

/** The scheme's classification for the year, or the pool's when the year has none. */
export function schemeColumns(
  view: PoolView,
  year: YearView,
  schemeId: string,
): SchemeColumns | undefined {
  const classified = own(year.schemes, schemeId);
  if (classified !== undefined) return classified;
  const scheme = own(view.schemes, schemeId);
  if (scheme === undefined) return undefined;
  const { withdrawn: _withdrawn, ...columns } = scheme;
  return columns;
}

export function schemeLabel(view: PoolView, year: YearView, schemeId: string) {
  const columns = schemeColumns(view, year, schemeId);
  return {
    schemeName: columns?.name ?? '',
    schemeType: columns?.schemeType ?? '',
    withdrawn: own(view.schemes, schemeId)?.withdrawn ?? false,
  };
}

/** The period a live report reads to: the open one (the first quarter not closed), or all. */
export function currentPeriod(year: YearView): Period {
  return QUARTERS[year.closedQuarters] ?? 'YE';
}
