import type { LedgerEventIn } from '../../events/catalogue/index.ts';
import type { YearView } from './types.ts';

/** Folds control: quarter closes, the outturn and the risk share. */
export function foldControl(year: YearView, event: LedgerEventIn<'control'>): void {
  switch (event.type) {
    case 'QuarterCloseRequested.v1':
      year.quarters[event.data.quarter].closeRequestedBy = event.data.requestedBy;
      return;
    case 'QuarterClosed.v1':
      year.quarters[event.data.quarter] = {
        closeRequestedBy: event.data.requestedBy,
        closedBy: event.data.approvedBy,
        reportDigest: event.data.reportDigest,
        ledgerVersion: event.data.ledgerVersion,
        poolVersion: event.data.poolVersion,
      };
      year.closedQuarters += 1;
      return;
    case 'YearEndOutturnDetermined.v1':
      year.outturn = {
        contributions: event.data.contributions,
        spent: event.data.spent,
        net: event.data.net,
      };
      return;
    case 'RiskShareApplied.v1':
      year.riskShare = {
        basis: event.data.basis,
        net: event.data.net,
        allocations: event.data.allocations,
      };
      return;
  }
}
