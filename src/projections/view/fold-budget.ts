import { Money } from '#money';
import type { LedgerEventIn } from '../../events/catalogue/index.ts';
import { addTo } from './amounts.ts';
import type { YearView } from './types.ts';
import { addStream, line, request, settle } from './year-view-parts.ts';

/** Folds budget: allocations (original or supplementary), releases, virements. */
export function foldBudget(year: YearView, event: LedgerEventIn<'budget'>): void {
  const { quarter } = event.data;
  switch (event.type) {
    case 'FundsAllocated.v1': {
      const figures = line(year, event.data.schemeId, event.data.fundingStream, quarter);
      addTo(
        event.data.basis === 'original'
          ? figures.originalByQuarter
          : figures.supplementaryByQuarter,
        quarter,
        event.data.amount,
      );
      addStream(year, event.data.fundingStream, 'allocated', event.data.amount);
      return;
    }
    case 'AllocationReleased.v1': {
      const { schemeId, fundingStream, amount } = event.data;
      addTo(line(year, schemeId, fundingStream, quarter).releasedByQuarter, quarter, amount);
      addStream(year, fundingStream, 'allocated', Money.parseTotal(amount).negated().toString());
      return;
    }
    case 'VirementRequested.v1':
      year.virements.push({
        ...request(event.data.requestedBy, quarter),
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
        quarter,
      );
      addTo(
        line(year, event.data.fromSchemeId, event.data.fundingStream, quarter)
          .virementsOutByQuarter,
        quarter,
        event.data.amount,
      );
      addTo(
        line(year, event.data.toSchemeId, event.data.fundingStream, quarter).virementsInByQuarter,
        quarter,
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
        quarter,
      );
      return;
  }
}
