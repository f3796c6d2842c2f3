import { Money } from '#money';
import { own, zeroByQuarter } from '../view/amounts.ts';
import type { PoolView, QuarterAmounts } from '../view/pool-view.ts';
import { compareSchemeIds, sumQuarters } from './figures.ts';

/** Savings planned against realised, per scheme: unrealised = planned - realised. */
export interface SavingsReport {
  poolId: string;
  year: string;
  schemes: {
    schemeId: string;
    schemeName: string;
    planned: string;
    cashablePlanned: string;
    realisedByQuarter: QuarterAmounts;
    realised: string;
    unrealised: string;
  }[];
}

export function savingsReport(view: PoolView, yearId: string): SavingsReport | undefined {
  const year = own(view.years, yearId);
  if (year === undefined) return undefined;
  const schemes = Object.keys(year.savings)
    .sort(compareSchemeIds)
    .map((schemeId) => {
      const saving = own(year.savings, schemeId) ?? {
        planned: '0.00',
        cashablePlanned: '0.00',
        realisedByQuarter: zeroByQuarter(),
      };
      const realised = sumQuarters(saving.realisedByQuarter);
      return {
        schemeId,
        schemeName: own(view.schemes, schemeId)?.name ?? '',
        planned: saving.planned,
        cashablePlanned: saving.cashablePlanned,
        realisedByQuarter: saving.realisedByQuarter,
        realised: realised.toString(),
        unrealised: Money.parseTotal(saving.planned).minus(realised).toString(),
      };
    });
  return { poolId: view.poolId, year: yearId, schemes };
}
