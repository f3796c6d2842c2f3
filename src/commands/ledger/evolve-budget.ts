import { Money } from '#money';
import type { LedgerEventIn } from '../../events/catalogue/index.ts';
import { addGross } from './gross-totals.ts';
import { type LedgerState, lineKey, lineOf, setStatus, streamTotals } from './ledger-state.ts';

/** Folds budget: allocations and releases (from the stream's unallocated), virements between lines. */
export function evolveBudget(state: LedgerState, event: LedgerEventIn<'budget'>): void {
  switch (event.type) {
    case 'FundsAllocated.v1':
      state.usedIds.add(`allocation:${event.data.allocationId}`);
      moveBudget(
        state,
        event.data.schemeId,
        event.data.fundingStream,
        Money.parse(event.data.amount),
        true,
      );
      return;
    case 'AllocationReleased.v1':
      state.usedIds.add(`release:${event.data.releaseId}`);
      moveBudget(
        state,
        event.data.schemeId,
        event.data.fundingStream,
        Money.parse(event.data.amount).negated(),
        true,
      );
      return;
    case 'VirementRequested.v1':
      state.virements.set(event.data.virementId, {
        status: 'pending',
        requestedBy: event.data.requestedBy,
        fundingStream: event.data.fundingStream,
        fromSchemeId: event.data.fromSchemeId,
        toSchemeId: event.data.toSchemeId,
        amount: Money.parse(event.data.amount),
      });
      return;
    case 'VirementApproved.v1': {
      setStatus(state.virements, event.data.virementId, 'approved');
      const amount = Money.parse(event.data.amount);
      moveBudget(state, event.data.fromSchemeId, event.data.fundingStream, amount.negated(), false);
      moveBudget(state, event.data.toSchemeId, event.data.fundingStream, amount, false);
      // A virement is two postings, one off a line and one on another.
      addGross(state, 'budget', amount.plus(amount));
      return;
    }
    case 'VirementRejected.v1':
      setStatus(state.virements, event.data.virementId, 'rejected');
      return;
  }
}

/** Changes a line's budget; allocations and releases also change the stream's allocated total. */
function moveBudget(
  state: LedgerState,
  schemeId: string,
  fundingStream: string,
  amount: Money,
  fromUnallocated: boolean,
): void {
  const line = lineOf(state, schemeId, fundingStream);
  state.lines.set(lineKey(schemeId, fundingStream), { ...line, budget: line.budget.plus(amount) });
  if (fromUnallocated) {
    addGross(state, 'budget', amount);
    const totals = streamTotals(state, fundingStream);
    state.streams.set(fundingStream, { ...totals, allocated: totals.allocated.plus(amount) });
  }
}
