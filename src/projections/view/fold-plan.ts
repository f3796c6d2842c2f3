import type { LedgerEventIn } from '../../events/catalogue/index.ts';
import { entry } from './amounts.ts';
import type { YearView } from './types.ts';
import { line } from './year-view-parts.ts';

/** Folds the year's plan: each scheme's classification for the year, phasing, RAG thresholds. */
export function foldPlan(year: YearView, event: LedgerEventIn<'plan'>): void {
  switch (event.type) {
    case 'SchemeClassified.v1': {
      const { poolId: _pool, year: _year, schemeId, quarter: _quarter, ...columns } = event.data;
      const classification = entry(year.schemes, schemeId, () => columns);
      Object.assign(classification, columns);
      // A column the new classification leaves out (a joint split, say) is gone from it.
      for (const column of ['nhsPercentage', 'laPercentage'] as const)
        if (columns[column] === undefined) delete classification[column];
      return;
    }
    case 'BudgetPhased.v1': {
      // Setting a profile is not a posting: the line shows from its first allocation, not from here.
      const figures = line(year, event.data.schemeId, event.data.fundingStream, 'YE');
      figures.profileByQuarter[event.data.quarter] = { ...event.data.profile };
      return;
    }
    case 'RagThresholdsSet.v1':
      year.ragThresholds[event.data.quarter] = { ...event.data.thresholds };
      return;
  }
}
