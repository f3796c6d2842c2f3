import { own } from '../view/amounts.ts';
import type { PeriodAmounts, PoolView } from '../view/pool-view.ts';
import { compareSchemeIds, schemeLabel, sumQuarters } from './figures.ts';

/** Savings planned against realised, per scheme: unrealised = planned - realised. */
export interface SavingsReport {
  poolId: string;
  year: string;
  schemes: {
    schemeId: string;
    schemeName: string;
    planned: string;
    cashablePlanned: string;
    realisedByQuarter: PeriodAmounts;
    realised: string;
    unrealised: string;
  }[];
}

export function savingsReport(view: PoolView, yearId: string): SavingsReport | undefined {
  const year = own(view.years, yearId);
  if (year === undefined) return undefined;
  const schemes = Object.keys(year.savings)
    .sort(compareSchemeIds)
    .flatMap((schemeId) => {
      const saving = own(year.savings, schemeId);
      if (saving === undefined) return [];
      const planned = sumQuarters(saving.plannedByQuarter);
      const realised = sumQuarters(saving.realisedByQuarter);
      return [
        {
          schemeId,
          schemeName: schemeLabel(view, year, schemeId).schemeName,
          planned: planned.toString(),
          cashablePlanned: sumQuarters(saving.cashablePlannedByQuarter).toString(),
          realisedByQuarter: { ...saving.realisedByQuarter },
          realised: realised.toString(),
          unrealised: planned.minus(realised).toString(),
        },
      ];
    });
  return { poolId: view.poolId, year: yearId, schemes };
}
