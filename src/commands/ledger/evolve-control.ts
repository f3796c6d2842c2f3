import { Money } from '#money';
import type { LedgerEventIn } from '../../events/catalogue/index.ts';
import type { LedgerState } from './ledger-state.ts';

/** Folds control: quarter closes, the year-end outturn, the risk share, the year close. */
export function evolveControl(state: LedgerState, event: LedgerEventIn<'control'>): void {
  switch (event.type) {
    case 'QuarterCloseRequested.v1':
      state.closeRequest = {
        quarter: event.data.quarter,
        reportDigest: event.data.reportDigest,
        requestedBy: event.data.requestedBy,
      };
      return;
    case 'QuarterClosed.v1':
      state.closedQuarters += 1;
      state.closeRequest = undefined;
      return;
    case 'YearEndOutturnDetermined.v1':
      state.outturnNet = Money.parse(event.data.net);
      return;
    case 'RiskShareApplied.v1':
      state.riskShareApplied = true;
      for (const { fundingStream, amount } of event.data.carryForward)
        state.carryForward.set(fundingStream, Money.parse(amount));
      return;
    case 'YearCloseRequested.v1':
      state.yearCloseRequest = {
        reportDigest: event.data.reportDigest,
        requestedBy: event.data.requestedBy,
      };
      return;
    case 'YearClosed.v1':
      state.yearClosed = true;
      state.yearCloseRequest = undefined;
      return;
    default:
      // The risk share's steps are recorded for the reports; its outcome is RiskShareApplied.
      return;
  }
}
