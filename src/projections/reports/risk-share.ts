import { Money } from '#money';
import type { YearEndTerms } from '../../events/catalogue/index.ts';
import {
  applyWaterfall,
  type WaterfallInput,
  type WaterfallResult,
} from '../../rules/waterfall.ts';
import { own } from '../view/amounts.ts';
import type { PoolView, YearView } from '../view/pool-view.ts';
import { lineBudget, orderedLines, schemeColumns, sumQuarters } from './figures.ts';

/**
 * The risk share as the reports show it: applied (from its recorded steps) once it is, or
 * projected before: the agreed terms' waterfall on each line's expected outturn. Without agreed
 * terms there is nothing to project.
 */
export type RiskShareOutlook =
  | { readonly status: 'applied' }
  | { readonly status: 'projected'; readonly result: WaterfallResult }
  | { readonly status: 'no-terms' }
  | { readonly status: 'not-applicable'; readonly problem: string };

/** The waterfall of the agreed terms on each line's expected outturn (`expected`, by line). */
export function projectedRiskShare(
  view: PoolView,
  year: YearView,
  expected: (schemeId: string, fundingStream: string) => Money,
): RiskShareOutlook {
  if (year.riskShare !== null) return { status: 'applied' };
  const terms = year.terms.agreed?.terms;
  if (terms === undefined) return { status: 'no-terms' };
  const waterfall = applyWaterfall(waterfallInputOf(view, year, terms, expected));
  return waterfall.ok
    ? { status: 'projected', result: waterfall.result }
    : { status: 'not-applicable', problem: waterfall.problem };
}

function waterfallInputOf(
  view: PoolView,
  year: YearView,
  terms: YearEndTerms,
  expected: (schemeId: string, fundingStream: string) => Money,
): WaterfallInput {
  const categories = new Map(
    (year.referenceData?.fundingStreams ?? []).map((stream) => [stream.name, stream.category]),
  );
  const contributions = new Map(
    view.partners.map((partner) => [
      partner.partnerId,
      new Map(
        Object.entries(own(year.contributions, partner.partnerId) ?? {}).map(
          ([stream, figures]) => [
            stream,
            sumQuarters(figures.plannedByQuarter).plus(sumQuarters(figures.variedByQuarter)),
          ],
        ),
      ),
    ]),
  );
  return {
    terms,
    partners: view.partners,
    hostPartnerId: view.registration?.hostPartnerId ?? '',
    contributions,
    streams: Object.entries(year.streams).map(([fundingStream, figures]) => ({
      fundingStream,
      capital: categories.get(fundingStream) === 'capital',
      contributions: Money.parseTotal(figures.planned)
        .plus(Money.parseTotal(figures.varied))
        .plus(Money.parseTotal(figures.broughtForward)),
      allocated: Money.parseTotal(figures.allocated),
    })),
    lines: orderedLines(year).map(({ schemeId, fundingStream, figures }) => {
      const columns = schemeColumns(view, year, schemeId);
      return {
        schemeId,
        fundingStream,
        budget: lineBudget(figures),
        expenditure: expected(schemeId, fundingStream),
        commissioner: columns?.commissioner ?? '',
        nhsPercentage: columns?.nhsPercentage,
        laPercentage: columns?.laPercentage,
      };
    }),
  };
}
