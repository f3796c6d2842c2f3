import type { LedgerEventIn, Period } from '../../events/catalogue/index.ts';
import { addAmount, addTo, entry, own } from './amounts.ts';
import type { ContributionFigures, StreamFigures, YearView } from './types.ts';
import { addStream, contribution, request, settle } from './year-view-parts.ts';

/** Folds money in: contributions planned and varied, amounts due, receipts, grants. */
export function foldMoneyIn(year: YearView, event: LedgerEventIn<'moneyIn'>): void {
  const { quarter } = event.data;
  switch (event.type) {
    case 'ContributionPlanned.v1':
      addContribution(year, event.data, 'plannedByQuarter', 'planned', event.data.amount);
      return;
    case 'ContributionVariationRequested.v1':
      year.variations.push({
        ...request(event.data.requestedBy, quarter),
        variationId: event.data.variationId,
        partnerId: event.data.partnerId,
        fundingStream: event.data.fundingStream,
        change: event.data.change,
      });
      return;
    case 'ContributionVaried.v1':
      settle(
        year.variations,
        'variationId',
        event.data.variationId,
        'approved',
        event.data.approvedBy,
        quarter,
      );
      addContribution(year, event.data, 'variedByQuarter', 'varied', event.data.change);
      return;
    case 'ContributionVariationRejected.v1':
      settle(
        year.variations,
        'variationId',
        event.data.variationId,
        'rejected',
        event.data.rejectedBy,
        quarter,
      );
      return;
    case 'ContributionDue.v1':
      addContribution(year, event.data, 'dueByQuarter', 'due', event.data.amount);
      return;
    case 'ContributionReceived.v1':
      addContribution(year, event.data, 'receivedByQuarter', 'received', event.data.amount);
      return;
    case 'BalanceBroughtForward.v1':
      year.broughtForward = { fromYear: event.data.fromYear, byStream: event.data.byStream };
      for (const { fundingStream, amount } of event.data.byStream)
        addStream(year, fundingStream, 'broughtForward', amount);
      return;
    case 'GrantAwardRecorded.v1':
      entry(year.grants, event.data.grantId, () => ({
        fundingStream: event.data.fundingStream,
        awarded: event.data.amount,
        received: '0.00',
      }));
      return;
    case 'GrantInstalmentReceived.v1': {
      const grant = own(year.grants, event.data.grantId);
      if (grant !== undefined) grant.received = addAmount(grant.received, event.data.amount);
      return;
    }
  }
}

/** A partner's contribution figure for a stream, in its period, and the stream's total with it. */
function addContribution(
  year: YearView,
  posting: { partnerId: string; fundingStream: string; quarter: Period },
  figure: Exclude<keyof ContributionFigures, 'firstPeriod'>,
  streamFigure: keyof StreamFigures,
  amount: string,
): void {
  const { partnerId, fundingStream, quarter } = posting;
  addTo(contribution(year, partnerId, fundingStream, quarter)[figure], quarter, amount);
  addStream(year, fundingStream, streamFigure, amount);
}
