import type { SchemeColumns } from '../../events/catalogue/index.ts';
import { own } from '../view/amounts.ts';
import type { PoolView } from '../view/pool-view.ts';
import { compareSchemeIds } from './figures.ts';

/** A pool: its registration, partners, schemes and years. */
export interface PoolSummary {
  poolId: string;
  name: string;
  hwbArea: string;
  region: string | null;
  currency: string;
  hostPartnerId: string;
  partners: PoolView['partners'];
  schemes: (SchemeColumns & { schemeId: string; withdrawn: boolean })[];
  years: { year: string; closedQuarters: number; referenceDataVersion: string | null }[];
}

export function poolSummary(view: PoolView): PoolSummary | undefined {
  const registration = view.registration;
  if (registration === null) return undefined;
  return {
    poolId: view.poolId,
    ...registration,
    partners: view.partners,
    schemes: Object.keys(view.schemes)
      .sort(compareSchemeIds)
      .flatMap((schemeId) => {
        const scheme = own(view.schemes, schemeId);
        return scheme === undefined ? [] : [{ schemeId, ...scheme }];
      }),
    years: Object.values(view.years)
      .sort((a, b) => a.year.localeCompare(b.year))
      .map((year) => ({
        year: year.year,
        closedQuarters: year.closedQuarters,
        referenceDataVersion: year.referenceData?.version ?? null,
      })),
  };
}
