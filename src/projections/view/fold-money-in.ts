import type { LedgerEventIn, Quarter } from '../../events/catalogue/index.ts';
import { addAmount, addTo, entry, own } from './amounts.ts';
import type { YearView } from './types.ts';
import { addStream, contribution, request, settle } from './year-view-parts.ts';

/** Folds money in: contributions planned and varied, receipts, grants and instalments. */
export function foldMoneyIn(year: YearView, event: LedgerEventIn<'moneyIn'>, open: Quarter): void {
  switch (event.type) {
    case 'ContributionPlanned.v1':
      addTo(
        contribution(year, event.data.partnerId, event.data.fundingStream).plannedByQuarter,
        event.data.quarter,
        event.data.amount,
      );
      addStream(year, event.data.fundingStream, 'planned', event.data.amount);
      return;
    case 'ContributionVariationRequested.v1':
      year.variations.push({
        ...request(event.data.requestedBy, open),
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
        event.data.quarter,
      );
      addTo(
        contribution(year, event.data.partnerId, event.data.fundingStream).variedByQuarter,
        event.data.quarter,
        event.data.change,
      );
      addStream(year, event.data.fundingStream, 'varied', event.data.change);
      return;
    case 'ContributionVariationRejected.v1':
      settle(
        year.variations,
        'variationId',
        event.data.variationId,
        'rejected',
        event.data.rejectedBy,
        open,
      );
      return;
    case 'ContributionReceived.v1':
      addTo(
        contribution(year, event.data.partnerId, event.data.fundingStream).receivedByQuarter,
        open,
        event.data.amount,
      );
      addStream(year, event.data.fundingStream, 'received', event.data.amount);
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
