import { PERIODS } from '../../events/catalogue/index.ts';
import { own } from '../view/amounts.ts';
import type { PeriodAmounts, PoolView } from '../view/pool-view.ts';
import { sumQuarters } from './figures.ts';

/** iBCF spend by purpose and period: what the council reports to NHS England each quarter. */
export interface IbcfSplit {
  poolId: string;
  year: string;
  purposes: { purpose: string; byQuarter: PeriodAmounts; total: string }[];
}

export function ibcfSplit(view: PoolView, yearId: string): IbcfSplit | undefined {
  const year = own(view.years, yearId);
  if (year === undefined) return undefined;
  const purposes = Object.keys(year.ibcfByPurpose)
    .sort()
    .flatMap((purpose) => {
      const amounts = own(year.ibcfByPurpose, purpose);
      if (amounts === undefined) return [];
      const { firstPeriod: _first, ...byQuarter } = amounts;
      return [{ purpose, byQuarter, total: sumQuarters(byQuarter, PERIODS).toString() }];
    });
  return { poolId: view.poolId, year: yearId, purposes };
}
