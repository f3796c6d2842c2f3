import type { LedgerEventIn } from '../../events/catalogue/index.ts';
import type { LedgerState } from './ledger-state.ts';

/** Folds the year's plan: only the classification of its schemes bears on what is decided. */
export function evolvePlan(state: LedgerState, event: LedgerEventIn<'plan'>): void {
  if (event.type !== 'SchemeClassified.v1') return;
  const { poolId: _pool, year: _year, schemeId, quarter: _quarter, ...columns } = event.data;
  state.classifications.set(schemeId, columns);
}
