import type { LedgerEventIn } from '../../events/catalogue/index.ts';
import { entry } from './amounts.ts';
import type { YearView } from './types.ts';
import { line } from './year-view-parts.ts';

/**
 * Folds the year's plan: each scheme's classification for the year, phasing, RAG thresholds, the
 * year-end terms, the national minimums and metrics.
 */
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
    case 'YearEndTermsProposed.v1':
      year.terms.proposed = { terms: event.data.terms, proposedBy: event.data.proposedBy };
      return;
    case 'YearEndTermsAgreed.v1':
      year.terms = {
        proposed: null,
        agreed: {
          terms: event.data.terms,
          proposedBy: event.data.proposedBy,
          approvedBy: event.data.approvedBy,
        },
      };
      return;
    case 'MinimumsSet.v1':
      year.minimums = {
        minimumSocialCare: event.data.minimumSocialCare,
        minimumOutOfHospital: event.data.minimumOutOfHospital,
      };
      return;
    case 'MetricTargetSet.v1':
    case 'MetricActualRecorded.v1': {
      const actual = event.type === 'MetricActualRecorded.v1';
      year.metricRecords.push({
        metricId: event.data.metricId,
        forQuarter: event.data.forQuarter,
        kind: actual ? 'actual' : 'target',
        value: actual ? event.data.value : event.data.target,
        status: actual ? event.data.status : null,
        recordedIn: event.data.quarter,
      });
      return;
    }
  }
}
