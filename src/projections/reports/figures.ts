import { Money } from '#money';
import { QUARTERS, type Quarter } from '../../events/catalogue/index.ts';
import { own } from '../view/amounts.ts';
import type { LineFigures, PoolView, QuarterAmounts, YearView } from '../view/pool-view.ts';

/** Arithmetic the reports share: sums over quarters, a line's budget and forecast, RAG. */

/**
 * RAG of a scheme line, by how far its forecast outturn is above its budget, as a percentage of
 * the budget: red above `redAbovePercent` (or when spend already exceeds the budget), amber above
 * `amberAbovePercent`, green otherwise. Configured in src/config.ts, documented in docs/domain.md.
 */
export interface RagThresholds {
  readonly amberAbovePercent: string;
  readonly redAbovePercent: string;
}

export const DEFAULT_RAG_THRESHOLDS: RagThresholds = {
  amberAbovePercent: '0.00',
  redAbovePercent: '5.00',
};

export type Rag = 'green' | 'amber' | 'red';

export class ProjectionInvariantError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProjectionInvariantError';
  }
}

export function sumQuarters(
  amounts: QuarterAmounts,
  quarters: readonly Quarter[] = QUARTERS,
): Money {
  return Money.sum(quarters.map((quarter) => Money.parseTotal(amounts[quarter])));
}

/** A line's budget: allocations less releases, plus virements in, less virements out. */
export function lineBudget(line: LineFigures, quarters: readonly Quarter[] = QUARTERS): Money {
  return sumQuarters(line.allocatedByQuarter, quarters)
    .plus(sumQuarters(line.virementsInByQuarter, quarters))
    .minus(sumQuarters(line.virementsOutByQuarter, quarters));
}

/** The latest forecast given in any of the quarters, or undefined when none was. */
export function latestForecast(
  line: LineFigures,
  quarters: readonly Quarter[] = QUARTERS,
): Money | undefined {
  for (const quarter of [...quarters].reverse()) {
    const forecast = line.forecastByQuarter[quarter];
    if (forecast !== null) return Money.parseTotal(forecast);
  }
  return undefined;
}

export function rag(budget: Money, spent: Money, forecast: Money, thresholds: RagThresholds): Rag {
  if (spent.greaterThan(budget)) return 'red';
  const variance = forecast.minus(budget);
  if (!variance.isPositive()) return 'green';
  if (!budget.isPositive() || variance.exceedsPercentageOf(budget, thresholds.redAbovePercent))
    return 'red';
  if (variance.exceedsPercentageOf(budget, thresholds.amberAbovePercent)) return 'amber';
  return 'green';
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

/** Every scheme line of the year, in scheme order then stream order. */
export function orderedLines(
  year: YearView,
): { schemeId: string; fundingStream: string; figures: LineFigures }[] {
  const streams = orderedStreams(year);
  return Object.keys(year.lines)
    .sort(compareSchemeIds)
    .flatMap((schemeId) => {
      const byStream = own(year.lines, schemeId) ?? {};
      return streams
        .filter((fundingStream) => own(byStream, fundingStream) !== undefined)
        .map((fundingStream) => ({
          schemeId,
          fundingStream,
          figures: own(byStream, fundingStream) as LineFigures,
        }));
    });
}

export function schemeLabel(view: PoolView, schemeId: string) {
  const scheme = own(view.schemes, schemeId);
  return {
    schemeName: scheme?.name ?? '',
    schemeType: scheme?.schemeType ?? '',
    withdrawn: scheme?.withdrawn ?? false,
  };
}
