import { Money } from '#money';
import type { LedgerEventIn } from '../../events/catalogue/index.ts';
import { addGross } from './gross-totals.ts';
import { contributionKey, type LedgerState, setStatus, streamTotals } from './ledger-state.ts';

/** Folds money in: planned contributions and their variations, dues, receipts, grants. */
export function evolveMoneyIn(state: LedgerState, event: LedgerEventIn<'moneyIn'>): void {
  switch (event.type) {
    case 'ContributionPlanned.v1':
      addContribution(state, event.data.partnerId, event.data.fundingStream, event.data.amount);
      return;
    case 'ContributionVariationRequested.v1':
      state.variations.set(event.data.variationId, {
        status: 'pending',
        requestedBy: event.data.requestedBy,
        partnerId: event.data.partnerId,
        fundingStream: event.data.fundingStream,
        change: Money.parse(event.data.change),
      });
      return;
    case 'ContributionVaried.v1':
      setStatus(state.variations, event.data.variationId, 'approved');
      addContribution(state, event.data.partnerId, event.data.fundingStream, event.data.change);
      return;
    case 'ContributionVariationRejected.v1':
      setStatus(state.variations, event.data.variationId, 'rejected');
      return;
    case 'ContributionDue.v1': {
      state.usedIds.add(`due:${event.data.dueId}`);
      const amount = Money.parse(event.data.amount);
      addGross(state, 'due', amount);
      const key = contributionKey(event.data.partnerId, event.data.fundingStream);
      state.dues.set(key, (state.dues.get(key) ?? Money.zero).plus(amount));
      return;
    }
    case 'ContributionReceived.v1':
      state.usedIds.add(`receipt:${event.data.receiptId}`);
      addGross(state, 'received', Money.parse(event.data.amount));
      return;
    case 'BalanceBroughtForward.v1':
      // Brought forward, it is funding of this year to allocate, though no partner's contribution.
      state.broughtForwardFrom = event.data.fromYear;
      for (const { fundingStream, amount } of event.data.byStream) {
        const totals = streamTotals(state, fundingStream);
        const money = Money.parse(amount);
        addGross(state, 'contributions', money);
        state.streams.set(fundingStream, {
          ...totals,
          contributions: totals.contributions.plus(money),
        });
      }
      return;
    case 'GrantAwardRecorded.v1':
      state.grants.set(event.data.grantId, {
        fundingStream: event.data.fundingStream,
        award: Money.parse(event.data.amount),
        received: Money.zero,
      });
      addGross(state, 'grants', Money.parse(event.data.amount));
      return;
    case 'GrantInstalmentReceived.v1': {
      state.usedIds.add(`instalment:${event.data.instalmentId}`);
      const grant = state.grants.get(event.data.grantId);
      if (grant !== undefined) grant.received = grant.received.plus(Money.parse(event.data.amount));
      return;
    }
  }
}

function addContribution(
  state: LedgerState,
  partnerId: string,
  fundingStream: string,
  amountText: string,
): void {
  const amount = Money.parse(amountText);
  addGross(state, 'contributions', amount);
  const key = contributionKey(partnerId, fundingStream);
  state.contributions.set(key, (state.contributions.get(key) ?? Money.zero).plus(amount));
  const totals = streamTotals(state, fundingStream);
  state.streams.set(fundingStream, { ...totals, contributions: totals.contributions.plus(amount) });
}
