import { Money } from '#money';
import type { LedgerEventIn } from '../../events/catalogue/index.ts';
import { addGross } from './gross-totals.ts';
import { forecastKey, type LedgerState, lineKey } from './ledger-state.ts';

/** Folds money out: spend, reversals, prior-period adjustments, forecasts, savings. */
export function evolveMoneyOut(state: LedgerState, event: LedgerEventIn<'moneyOut'>): void {
  switch (event.type) {
    case 'SpendRecorded.v1': {
      const amount = Money.parse(event.data.amount);
      state.spends.set(event.data.spendId, {
        schemeId: event.data.schemeId,
        fundingStream: event.data.fundingStream,
        amount,
        quarter: event.data.quarter,
        ibcfPurpose: event.data.ibcfPurpose,
        reversed: false,
      });
      addSpend(state, event.data.schemeId, event.data.fundingStream, amount);
      return;
    }
    case 'SpendReversed.v1': {
      state.usedIds.add(`reversal:${event.data.reversalId}`);
      const spend = state.spends.get(event.data.spendId);
      if (spend !== undefined) spend.reversed = true;
      addSpend(
        state,
        event.data.schemeId,
        event.data.fundingStream,
        Money.parse(event.data.amount).negated(),
      );
      return;
    }
    case 'PriorPeriodAdjustmentPosted.v1':
      state.usedIds.add(`adjustment:${event.data.adjustmentId}`);
      addSpend(
        state,
        event.data.schemeId,
        event.data.fundingStream,
        Money.parse(event.data.amount),
      );
      return;
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
  const key = lineKey(schemeId, fundingStream);
  const line = state.lines.get(key) ?? { budget: Money.zero, spent: Money.zero };
  state.lines.set(key, { ...line, spent: line.spent.plus(amount) });
}
