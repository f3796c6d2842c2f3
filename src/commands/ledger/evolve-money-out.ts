import { Money } from '#money';
import type { LedgerEventIn, LedgerEventOf } from '../../events/catalogue/index.ts';
import { addGross } from './gross-totals.ts';
import { forecastKey, type LedgerState, type LineState, lineKey, lineOf } from './ledger-state.ts';

/** Folds money out: spend, credits, corrections, commitments, accruals, forecasts, savings. */
export function evolveMoneyOut(state: LedgerState, event: LedgerEventIn<'moneyOut'>): void {
  switch (event.type) {
    case 'SpendRecorded.v1':
      recordSpend(state, event);
      return;
    case 'CreditNoteRecorded.v1': {
      state.usedIds.add(`credit:${event.data.creditId}`);
      const amount = Money.parse(event.data.amount);
      const spend =
        event.data.creditsSpendId === undefined
          ? undefined
          : state.spends.get(event.data.creditsSpendId);
      if (spend !== undefined) spend.credited = spend.credited.plus(amount);
      addSpend(state, event.data.schemeId, event.data.fundingStream, amount.negated());
      return;
    }
    case 'SpendReversed.v1': {
      state.usedIds.add(`reversal:${event.data.reversalId}`);
      const spend = state.spends.get(event.data.spendId);
      if (spend !== undefined) spend.reversed = true;
      const amount = Money.parse(event.data.amount);
      addSpend(state, event.data.schemeId, event.data.fundingStream, amount.negated());
      return;
    }
    case 'SpendRecoded.v1': {
      state.usedIds.add(`recode:${event.data.recodeId}`);
      const amount = Money.parse(event.data.amount);
      const spend = state.spends.get(event.data.spendId);
      if (spend !== undefined) spend.recoded = spend.recoded.plus(amount);
      addSpend(state, event.data.fromSchemeId, event.data.fromFundingStream, amount.negated());
      addSpend(state, event.data.toSchemeId, event.data.toFundingStream, amount);
      return;
    }
    case 'CommitmentRaised.v1':
    case 'CommitmentReleased.v1':
      moveCommitment(state, event);
      return;
    case 'AccrualPosted.v1': {
      state.usedIds.add(`accrual:${event.data.accrualId}`);
      const amount = Money.parse(event.data.amount);
      addGross(state, 'accruals', amount);
      updateLine(state, event.data.schemeId, event.data.fundingStream, (line) => ({
        ...line,
        accrued: line.accrued.plus(amount),
      }));
      return;
    }
    case 'PriorPeriodAdjustmentPosted.v1':
    case 'PriorYearAdjustmentPosted.v1':
      state.usedIds.add(`adjustment:${event.data.adjustmentId}`);
      addSpend(
        state,
        event.data.schemeId,
        event.data.fundingStream,
        Money.parse(event.data.amount),
      );
      return;
    default:
      evolveForecastsAndSavings(state, event);
  }
}

function recordSpend(state: LedgerState, event: LedgerEventOf<'SpendRecorded.v1'>): void {
  const amount = Money.parse(event.data.amount);
  state.spends.set(event.data.spendId, {
    schemeId: event.data.schemeId,
    erpReference: event.data.erpReference,
    fundingStream: event.data.fundingStream,
    amount,
    period: event.data.quarter,
    ibcfPurpose: event.data.ibcfPurpose,
    reversed: false,
    credited: Money.zero,
    recoded: Money.zero,
  });
  addSpend(state, event.data.schemeId, event.data.fundingStream, amount);
  const commitmentId = event.data.commitmentId;
  const used = event.data.fromCommitment;
  if (commitmentId === undefined || used === undefined) return;
  const commitment = state.commitments.get(commitmentId);
  const amountUsed = Money.parse(used);
  if (commitment !== undefined) commitment.outstanding = commitment.outstanding.minus(amountUsed);
  updateLine(state, event.data.schemeId, event.data.fundingStream, (line) => ({
    ...line,
    committed: line.committed.minus(amountUsed),
  }));
}

function moveCommitment(
  state: LedgerState,
  event: LedgerEventOf<'CommitmentRaised.v1' | 'CommitmentReleased.v1'>,
): void {
  const { commitmentId, schemeId, fundingStream } = event.data;
  const amount = Money.parse(event.data.amount);
  addGross(state, 'commitments', amount);
  const change = event.type === 'CommitmentRaised.v1' ? amount : amount.negated();
  const commitment = state.commitments.get(commitmentId) ?? {
    schemeId,
    fundingStream,
    outstanding: Money.zero,
  };
  state.commitments.set(commitmentId, {
    ...commitment,
    outstanding: commitment.outstanding.plus(change),
  });
  updateLine(state, schemeId, fundingStream, (line) => ({
    ...line,
    committed: line.committed.plus(change),
  }));
}

function evolveForecastsAndSavings(
  state: LedgerState,
  event: LedgerEventOf<'ForecastUpdated.v1' | 'SavingPlanned.v1' | 'SavingRealised.v1'>,
): void {
  switch (event.type) {
    case 'ForecastUpdated.v1': {
      const key = forecastKey(event.data.schemeId, event.data.fundingStream, event.data.quarter);
      const forecast = Money.parse(event.data.forecastOutturn);
      // The forecasts' gross is the sum of the forecasts standing now: a new one replaces the old.
      const replaced = state.forecasts.get(key) ?? Money.zero;
      state.gross.set(
        'forecasts',
        (state.gross.get('forecasts') ?? Money.zero).minus(replaced).plus(forecast),
      );
      state.forecasts.set(key, forecast);
      return;
    }
    case 'SavingPlanned.v1':
      state.savings.set(event.data.savingId, { schemeId: event.data.schemeId });
      addGross(state, 'savings', Money.parse(event.data.amount));
      return;
    case 'SavingRealised.v1':
      state.usedIds.add(`realisation:${event.data.realisationId}`);
      addGross(state, 'savings', Money.parse(event.data.amount));
      return;
  }
}

function addSpend(
  state: LedgerState,
  schemeId: string,
  fundingStream: string,
  amount: Money,
): void {
  addGross(state, 'spend', amount);
  updateLine(state, schemeId, fundingStream, (line) => ({
    ...line,
    spent: line.spent.plus(amount),
  }));
}

function updateLine(
  state: LedgerState,
  schemeId: string,
  fundingStream: string,
  change: (line: LineState) => LineState,
): void {
  state.lines.set(lineKey(schemeId, fundingStream), change(lineOf(state, schemeId, fundingStream)));
}
