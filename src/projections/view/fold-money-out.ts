import { Money } from '#money';
import type { LedgerEventIn, LedgerEventOf, Quarter } from '../../events/catalogue/index.ts';
import { addAmount, addTo, entry, own } from './amounts.ts';
import type { CorrectionRecord, YearView } from './types.ts';
import { addSpend, line, savingsOf } from './year-view-parts.ts';

/** Folds money out: spend, credits, corrections, commitments, accruals, forecasts, savings. */
export function foldMoneyOut(year: YearView, event: LedgerEventIn<'moneyOut'>): void {
  switch (event.type) {
    case 'SpendRecorded.v1':
      foldSpend(year, event);
      return;
    case 'CreditNoteRecorded.v1': {
      const amount = negated(event.data.amount);
      addSpend(year, { ...event.data, amount });
      if (event.data.priorPeriodOf !== undefined)
        correction(year, event.data, event.data.creditId, 'late-posting', amount, {
          description: `credit note ${event.data.reference || event.data.creditId} dated ${event.data.creditDate}`,
        });
      return;
    }
    case 'SpendReversed.v1': {
      const amount = negated(event.data.amount);
      addSpend(year, { ...event.data, amount });
      correction(year, event.data, event.data.reversalId, 'reversal', amount, {
        description: `reversal of spend ${event.data.spendId}`,
      });
      return;
    }
    case 'SpendRecoded.v1':
      foldRecode(year, event);
      return;
    case 'CommitmentRaised.v1':
    case 'CommitmentReleased.v1':
      foldCommitment(year, event);
      return;
    case 'AccrualPosted.v1':
      addTo(
        line(year, event.data.schemeId, event.data.fundingStream, event.data.quarter)
          .accruedByQuarter,
        event.data.quarter,
        event.data.amount,
      );
      return;
    case 'PriorPeriodAdjustmentPosted.v1':
    case 'PriorYearAdjustmentPosted.v1': {
      addSpend(year, event.data);
      const correcting =
        event.type === 'PriorPeriodAdjustmentPosted.v1' ? event.data.closedQuarter : null;
      correction(
        year,
        event.data,
        event.data.adjustmentId,
        'prior-period-adjustment',
        event.data.amount,
        {
          correcting,
          description:
            event.type === 'PriorYearAdjustmentPosted.v1'
              ? `correction of ${event.data.correctsYear}: ${event.data.description}`
              : event.data.description,
        },
      );
      return;
    }
    default:
      foldForecastsAndSavings(year, event);
  }
}

function foldSpend(year: YearView, event: LedgerEventOf<'SpendRecorded.v1'>): void {
  addSpend(year, event.data);
  if (event.data.priorPeriodOf !== undefined)
    correction(year, event.data, event.data.spendId, 'late-posting', event.data.amount, {
      description: `invoice ${event.data.erpReference || event.data.spendId} dated ${event.data.spendDate}`,
    });
  const used = event.data.fromCommitment;
  if (event.data.commitmentId === undefined || used === undefined) return;
  const commitment = own(year.commitments, event.data.commitmentId);
  if (commitment !== undefined)
    commitment.outstanding = addAmount(commitment.outstanding, negated(used));
  addTo(
    line(year, event.data.schemeId, event.data.fundingStream, event.data.quarter)
      .committedByQuarter,
    event.data.quarter,
    negated(used),
  );
}

function foldRecode(year: YearView, event: LedgerEventOf<'SpendRecoded.v1'>): void {
  const { quarter, amount } = event.data;
  const from = { schemeId: event.data.fromSchemeId, fundingStream: event.data.fromFundingStream };
  const to = { schemeId: event.data.toSchemeId, fundingStream: event.data.toFundingStream };
  addSpend(year, {
    ...from,
    quarter,
    amount: negated(amount),
    ibcfPurpose: event.data.fromIbcfPurpose,
  });
  addSpend(year, { ...to, quarter, amount, ibcfPurpose: event.data.toIbcfPurpose });
  const description = `recode of spend ${event.data.spendId} to scheme ${to.schemeId} ${to.fundingStream}: ${event.data.reason}`;
  correction(year, { ...event.data, ...from }, event.data.recodeId, 'recode', negated(amount), {
    description,
  });
  correction(year, { ...event.data, ...to }, event.data.recodeId, 'recode', amount, {
    description,
  });
}

function foldCommitment(
  year: YearView,
  event: LedgerEventOf<'CommitmentRaised.v1' | 'CommitmentReleased.v1'>,
): void {
  const { commitmentId, schemeId, fundingStream, quarter } = event.data;
  const change =
    event.type === 'CommitmentRaised.v1' ? event.data.amount : negated(event.data.amount);
  const commitment = entry(year.commitments, commitmentId, () => ({
    schemeId,
    fundingStream,
    outstanding: '0.00',
  }));
  commitment.outstanding = addAmount(commitment.outstanding, change);
  addTo(line(year, schemeId, fundingStream, quarter).committedByQuarter, quarter, change);
}

function foldForecastsAndSavings(
  year: YearView,
  event: LedgerEventOf<'ForecastUpdated.v1' | 'SavingPlanned.v1' | 'SavingRealised.v1'>,
): void {
  switch (event.type) {
    case 'ForecastUpdated.v1':
      line(
        year,
        event.data.schemeId,
        event.data.fundingStream,
        event.data.quarter,
      ).forecastByQuarter[event.data.quarter] = event.data.forecastOutturn;
      return;
    case 'SavingPlanned.v1': {
      const saving = savingsOf(year, event.data.schemeId, event.data.quarter);
      addTo(saving.plannedByQuarter, event.data.quarter, event.data.amount);
      if (event.data.cashable)
        addTo(saving.cashablePlannedByQuarter, event.data.quarter, event.data.amount);
      return;
    }
    case 'SavingRealised.v1':
      addTo(
        savingsOf(year, event.data.schemeId, event.data.quarter).realisedByQuarter,
        event.data.quarter,
        event.data.amount,
      );
      return;
  }
}

/** A correction, or a posting that came after its quarter closed, listed beside the positions. */
function correction(
  year: YearView,
  posting: {
    readonly schemeId: string;
    readonly fundingStream: string;
    readonly quarter: CorrectionRecord['postedIn'];
    readonly priorPeriodOf?: Quarter | undefined;
  },
  id: string,
  kind: CorrectionRecord['kind'],
  amount: string,
  details: { correcting?: Quarter | null; description: string },
): void {
  year.corrections.push({
    id,
    kind,
    schemeId: posting.schemeId,
    fundingStream: posting.fundingStream,
    amount,
    postedIn: posting.quarter,
    correcting: details.correcting ?? posting.priorPeriodOf ?? null,
    description: details.description,
  });
}

function negated(amount: string): string {
  return Money.parseTotal(amount).negated().toString();
}
