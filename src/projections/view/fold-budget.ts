import { Money } from '#money';
import type { LedgerEventIn, Quarter } from '../../events/catalogue/index.ts';
import { addTo } from './amounts.ts';
import type { YearView } from './types.ts';
import { addStream, line, request, settle } from './year-view-parts.ts';

/** Folds budget: allocations less releases, virements requested and decided. */
export function foldBudget(year: YearView, event: LedgerEventIn<'budget'>, open: Quarter): void {
  switch (event.type) {
    case 'FundsAllocated.v1':
      addTo(
        line(year, event.data.schemeId, event.data.fundingStream).allocatedByQuarter,
        event.data.quarter,
        event.data.amount,
      );
      addStream(year, event.data.fundingStream, 'allocated', event.data.amount);
      return;
    case 'AllocationReleased.v1': {
      const released = Money.parseTotal(event.data.amount).negated().toString();
      addTo(
        line(year, event.data.schemeId, event.data.fundingStream).allocatedByQuarter,
        event.data.quarter,
        released,
      );
      addStream(year, event.data.fundingStream, 'allocated', released);
      return;
    }
    case 'VirementRequested.v1':
      year.virements.push({
        ...request(event.data.requestedBy, open),
        virementId: event.data.virementId,
        fundingStream: event.data.fundingStream,
        fromSchemeId: event.data.fromSchemeId,
        toSchemeId: event.data.toSchemeId,
        amount: event.data.amount,
      });
      return;
    case 'VirementApproved.v1':
      settle(
        year.virements,
        'virementId',
        event.data.virementId,
        'approved',
        event.data.approvedBy,
        event.data.quarter,
      );
      addTo(
        line(year, event.data.fromSchemeId, event.data.fundingStream).virementsOutByQuarter,
        event.data.quarter,
        event.data.amount,
      );
      addTo(
        line(year, event.data.toSchemeId, event.data.fundingStream).virementsInByQuarter,
        event.data.quarter,
        event.data.amount,
      );
      return;
    case 'VirementRejected.v1':
      settle(
        year.virements,
        'virementId',
        event.data.virementId,
        'rejected',
        event.data.rejectedBy,
        open,
      );
      return;
  }
}
