import { QUARTERS } from '../../events/catalogue/index.ts';
import { own, zeroByQuarter } from '../view/amounts.ts';
import type { PoolView, QuarterAmounts } from '../view/pool-view.ts';
import { sumQuarters } from './figures.ts';

/** iBCF spend by purpose and quarter: what the council reports to NHS England each quarter. */
export interface IbcfSplit {
  poolId: string;
  year: string;
  purposes: { purpose: string; byQuarter: QuarterAmounts; total: string }[];
}

export function ibcfSplit(view: PoolView, yearId: string): IbcfSplit | undefined {
  const year = own(view.years, yearId);
  if (year === undefined) return undefined;
  const purposes = Object.keys(year.ibcfByPurpose)
    .sort()
    .map((purpose) => {
      const byQuarter = own(year.ibcfByPurpose, purpose) ?? zeroByQuarter();
      return { purpose, byQuarter, total: sumQuarters(byQuarter, QUARTERS).toString() };
    });
  return { poolId: view.poolId, year: yearId, purposes };
}
