import { Money } from '#money';
import type { LedgerEventIn } from '../../events/catalogue/index.ts';
import { addAmount, addTo } from './amounts.ts';
import type { YearView } from './types.ts';
import { addSpend, line, savingsOf } from './year-view-parts.ts';

/** Folds money out: spend, corrections, forecasts and savings. */
export function foldMoneyOut(year: YearView, event: LedgerEventIn<'moneyOut'>): void {
  switch (event.type) {
    case 'SpendRecorded.v1':
      addSpend(year, event.data);
      return;
    case 'SpendReversed.v1': {
      const amount = Money.parseTotal(event.data.amount).negated().toString();
      addSpend(year, { ...event.data, amount });
      year.corrections.push({
        id: event.data.reversalId,
        kind: 'reversal',
        schemeId: event.data.schemeId,
        fundingStream: event.data.fundingStream,
        amount,
        postedIn: event.data.quarter,
        correcting: event.data.priorPeriodOf ?? null,
        description: `reversal of spend ${event.data.spendId}`,
      });
      return;
    }
    case 'PriorPeriodAdjustmentPosted.v1':
      addSpend(year, event.data);
      year.corrections.push({
        id: event.data.adjustmentId,
        kind: 'prior-period-adjustment',
        schemeId: event.data.schemeId,
        fundingStream: event.data.fundingStream,
        amount: event.data.amount,
        postedIn: event.data.quarter,
        correcting: event.data.closedQuarter,
        description: event.data.description,
      });
      return;
    case 'ForecastUpdated.v1':
      line(year, event.data.schemeId, event.data.fundingStream).forecastByQuarter[
        event.data.quarter
      ] = event.data.forecastOutturn;
      return;
    case 'SavingPlanned.v1': {
      const saving = savingsOf(year, event.data.schemeId);
      saving.planned = addAmount(saving.planned, event.data.amount);
      if (event.data.cashable)
        saving.cashablePlanned = addAmount(saving.cashablePlanned, event.data.amount);
      return;
    }
    case 'SavingRealised.v1':
      addTo(
        savingsOf(year, event.data.schemeId).realisedByQuarter,
        event.data.quarter,
        event.data.amount,
      );
      return;
  }
}
