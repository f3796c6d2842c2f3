import type { LedgerEventIn } from '../../events/catalogue/index.ts';
import type { LedgerState } from './ledger-state.ts';

/** Folds the year's plan: classifications, year-end terms and the metrics' status bear on decisions. */
export function evolvePlan(state: LedgerState, event: LedgerEventIn<'plan'>): void {
  switch (event.type) {
    case 'SchemeClassified.v1': {
      const { poolId: _pool, year: _year, schemeId, quarter: _quarter, ...columns } = event.data;
      state.classifications.set(schemeId, columns);
      return;
    }
    case 'YearEndTermsProposed.v1':
      state.proposedTerms = { terms: event.data.terms, proposedBy: event.data.proposedBy };
      return;
    case 'YearEndTermsAgreed.v1':
      state.agreedTerms = event.data.terms;
      state.proposedTerms = undefined;
      return;
    case 'MetricActualRecorded.v1':
      state.metricActuals.set(
        `${event.data.metricId}\u0000${event.data.forQuarter}`,
        event.data.status,
      );
      return;
    default:
      return;
  }
}
