import type { LedgerEventIn } from '../../events/catalogue/index.ts';
import { own } from './amounts.ts';
import type { YearView } from './types.ts';

/** Folds control: quarter closes, the outturn, the risk share, the year close. */
export function foldControl(year: YearView, event: LedgerEventIn<'control'>): void {
  switch (event.type) {
    case 'QuarterCloseRequested.v1':
      year.quarters[event.data.quarter].closeRequestedBy = event.data.requestedBy;
      return;
    case 'QuarterClosed.v1':
      year.quarters[event.data.quarter] = closed(event.data);
      year.closedQuarters += 1;
      return;
    case 'YearEndOutturnDetermined.v1': {
      const { contributions, spent, accrued, expenditure, net } = event.data;
      year.outturn = { contributions, spent, accrued, expenditure, net };
      for (const outturn of event.data.byLine) {
        const figures = own(own(year.lines, outturn.schemeId) ?? {}, outturn.fundingStream);
        if (figures !== undefined) figures.outturn = outturn.outturn;
      }
      return;
    }
    case 'OverspendOffset.v1':
      riskShareSteps(year).offsets.push(event.data);
      return;
    case 'ContingencyUsed.v1':
      riskShareSteps(year).contingency = event.data;
      return;
    case 'OverspendShared.v1':
      riskShareSteps(year).overspends = event.data.lines;
      return;
    case 'UnderspendTreated.v1':
      riskShareSteps(year).underspends = event.data.streams;
      return;
    case 'RiskShareApplied.v1':
      year.riskShare = {
        net: event.data.net,
        allocations: event.data.allocations,
        carryForward: event.data.carryForward,
      };
      return;
    case 'YearCloseRequested.v1':
      year.yearClose.closeRequestedBy = event.data.requestedBy;
      return;
    case 'YearClosed.v1':
      year.yearClose = closed(event.data);
      return;
  }
}

function riskShareSteps(year: YearView): NonNullable<YearView['riskShareSteps']> {
  year.riskShareSteps ??= { offsets: [], contingency: null, overspends: [], underspends: [] };
  return year.riskShareSteps;
}

function closed(data: {
  requestedBy: string;
  approvedBy: string;
  reportDigest: string;
  ledgerVersion: number;
  poolVersion: number;
}) {
  return {
    closeRequestedBy: data.requestedBy,
    closedBy: data.approvedBy,
    reportDigest: data.reportDigest,
    ledgerVersion: data.ledgerVersion,
    poolVersion: data.poolVersion,
  };
}
