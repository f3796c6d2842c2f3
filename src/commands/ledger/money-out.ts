import { Money } from '#money';
import {
  type IbcfPurpose,
  type LedgerEvent,
  requiredText,
  text,
} from '../../events/catalogue/index.ts';
import { accept, type Decision, refuse } from '../decider.ts';
import { checkScheme } from '../pool/pool-state.ts';
import { refusal } from '../refusals.ts';
import { checkGross, checkGrossAfter, grossOf } from './gross-totals.ts';
import {
  checkDateInQuarter,
  checkFundingStream,
  checkIbcfPurpose,
  checkLineExists,
  checkNewId,
  checkQuarterOpen,
  checkTexts,
  isRefusal,
  parseAmount,
  postingQuarter,
} from './ledger-checks.ts';
import type { LedgerCommandOf } from './ledger-commands.ts';
import { forecastKey, isClosed, type LedgerState } from './ledger-state.ts';

/** Money out: spend, reversals, prior-period adjustments, forecasts, and savings. */

/** Rule 6: spend goes against an existing scheme line; an overspend is recorded, not refused. */
export function recordSpend(
  command: LedgerCommandOf<'RecordSpend'>,
  state: LedgerState,
): Decision<LedgerEvent> {
  const amount = parseAmount('amount', command.amount, 'positive');
  if (isRefusal(amount)) return refuse(amount);
  const problem =
    checkTexts([
      ['supplier', command.supplier, text],
      ['erpReference', command.erpReference, text],
      ['description', command.description, text],
    ]) ??
    checkNewId(state.spends.has(command.spendId), 'spendId', command.spendId) ??
    checkScheme(command.pool, command.schemeId) ??
    checkFundingStream(command, command.fundingStream) ??
    checkLineExists(state, command, command.schemeId, command.fundingStream) ??
    checkQuarterOpen(state, command, command.quarter) ??
    checkDateInQuarter(command, command.quarter, command.spendDate, 'spendDate') ??
    checkIbcfPurpose(command, command.fundingStream, command.ibcfPurpose) ??
    checkGross(state, command.year, 'spend', amount, 'amount');
  if (problem !== undefined) return refuse(problem);
  const {
    poolId,
    year,
    spendId,
    schemeId,
    fundingStream,
    quarter,
    spendDate,
    supplier,
    erpReference,
    description,
  } = command;
  return accept({
    type: 'SpendRecorded.v1',
    data: {
      poolId,
      year,
      spendId,
      schemeId,
      fundingStream,
      quarter,
      spendDate,
      amount: amount.toString(),
      supplier,
      erpReference,
      description,
      ...(command.ibcfPurpose === undefined
        ? {}
        : { ibcfPurpose: command.ibcfPurpose as IbcfPurpose }),
    },
  });
}

/**
 * Rule 7: a mistake is corrected by a reversal naming the original, with a reason; once only.
 * Rule 8: if the original's quarter is closed, the reversal goes into the open quarter as a
 * prior-period adjustment naming the closed one.
 */
export function reverseSpend(
  command: LedgerCommandOf<'ReverseSpend'>,
  state: LedgerState,
): Decision<LedgerEvent> {
  if (command.reason.trim().length === 0) {
    return refuse(
      refusal(
        'reason-required',
        'say why the spend is reversed: an auditor will read it',
        'reason',
        command.reason,
      ),
    );
  }
  const badReason = checkTexts([['reason', command.reason, requiredText]]);
  if (badReason !== undefined) return refuse(badReason);
  const duplicate = checkNewId(
    state.usedIds.has(`reversal:${command.reversalId}`),
    'reversalId',
    command.reversalId,
  );
  if (duplicate !== undefined) return refuse(duplicate);
  const spend = state.spends.get(command.spendId);
  if (spend === undefined)
    return refuse(
      refusal(
        'spend-unknown',
        `no spend "${command.spendId}" in ${command.year}`,
        'spendId',
        command.spendId,
      ),
    );
  if (spend.reversed)
    return refuse(
      refusal(
        'already-reversed',
        `spend "${command.spendId}" has already been reversed`,
        'spendId',
        command.spendId,
      ),
    );
  const outOfRange = checkGross(state, command.year, 'spend', spend.amount, 'amount');
  if (outOfRange !== undefined) return refuse(outOfRange);
  const closed = isClosed(state, spend.quarter);
  const quarter = closed ? postingQuarter(state, command) : spend.quarter;
  if (isRefusal(quarter)) return refuse(quarter);
  return accept({
    type: 'SpendReversed.v1',
    data: {
      poolId: command.poolId,
      year: command.year,
      reversalId: command.reversalId,
      spendId: command.spendId,
      schemeId: spend.schemeId,
      fundingStream: spend.fundingStream,
      amount: spend.amount.toString(),
      quarter,
      ...(closed ? { priorPeriodOf: spend.quarter } : {}),
      ...(spend.ibcfPurpose === undefined ? {} : { ibcfPurpose: spend.ibcfPurpose as IbcfPurpose }),
    },
  });
}

/** Rule 8: a correction of a closed quarter, posted in the open quarter and naming the closed one. */
export function postPriorPeriodAdjustment(
  command: LedgerCommandOf<'PostPriorPeriodAdjustment'>,
  state: LedgerState,
): Decision<LedgerEvent> {
  const amount = parseAmount('amount', command.amount, 'non-zero');
  if (isRefusal(amount)) return refuse(amount);
  if (!isClosed(state, command.closedQuarter)) {
    return refuse(
      refusal(
        'quarter-not-closed',
        `${command.closedQuarter} ${command.year} is still open: post to it directly`,
        'closedQuarter',
        command.closedQuarter,
      ),
    );
  }
  const problem =
    checkTexts([['description', command.description, requiredText]]) ??
    checkNewId(
      state.usedIds.has(`adjustment:${command.adjustmentId}`),
      'adjustmentId',
      command.adjustmentId,
    ) ??
    checkScheme(command.pool, command.schemeId, 'schemeId', true) ??
    checkFundingStream(command, command.fundingStream) ??
    checkLineExists(state, command, command.schemeId, command.fundingStream) ??
    checkIbcfPurpose(command, command.fundingStream, command.ibcfPurpose) ??
    checkGross(state, command.year, 'spend', amount, 'amount');
  if (problem !== undefined) return refuse(problem);
  const quarter = postingQuarter(state, command);
  if (isRefusal(quarter)) return refuse(quarter);
  const { poolId, year, adjustmentId, closedQuarter, schemeId, fundingStream, description } =
    command;
  return accept({
    type: 'PriorPeriodAdjustmentPosted.v1',
    data: {
      poolId,
      year,
      adjustmentId,
      closedQuarter,
      quarter,
      schemeId,
      fundingStream,
      amount: amount.toString(),
      description,
      ...(command.ibcfPurpose === undefined
        ? {}
        : { ibcfPurpose: command.ibcfPurpose as IbcfPurpose }),
    },
  });
}

/** The forecast outturn of a line as seen in a quarter; the same figure again changes nothing. */
export function updateForecast(
  command: LedgerCommandOf<'UpdateForecast'>,
  state: LedgerState,
): Decision<LedgerEvent> {
  const forecast = parseAmount('forecastOutturn', command.forecastOutturn, 'non-negative');
  if (isRefusal(forecast)) return refuse(forecast);
  const problem =
    checkScheme(command.pool, command.schemeId, 'schemeId', true) ??
    checkFundingStream(command, command.fundingStream) ??
    checkLineExists(state, command, command.schemeId, command.fundingStream) ??
    checkQuarterOpen(state, command, command.quarter);
  if (problem !== undefined) return refuse(problem);
  const current = state.forecasts.get(
    forecastKey(command.schemeId, command.fundingStream, command.quarter),
  );
  if (current?.equals(forecast)) return accept();
  // A new forecast replaces the line's last one for the quarter: the gross moves by the difference.
  const after = grossOf(state, 'forecasts')
    .minus(current ?? Money.zero)
    .plus(forecast);
  const outOfRange = checkGrossAfter(command.year, 'forecasts', after, forecast, 'forecastOutturn');
  if (outOfRange !== undefined) return refuse(outOfRange);
  const { poolId, year, schemeId, fundingStream, quarter } = command;
  return accept({
    type: 'ForecastUpdated.v1',
    data: { poolId, year, schemeId, fundingStream, quarter, forecastOutturn: forecast.toString() },
  });
}

export function planSaving(
  command: LedgerCommandOf<'PlanSaving'>,
  state: LedgerState,
): Decision<LedgerEvent> {
  const amount = parseAmount('amount', command.amount, 'positive');
  if (isRefusal(amount)) return refuse(amount);
  const problem =
    checkTexts([['description', command.description, text]]) ??
    checkNewId(state.savings.has(command.savingId), 'savingId', command.savingId) ??
    checkScheme(command.pool, command.schemeId) ??
    checkGross(state, command.year, 'savings', amount, 'amount');
  if (problem !== undefined) return refuse(problem);
  const { poolId, year, savingId, schemeId, cashable, description } = command;
  return accept({
    type: 'SavingPlanned.v1',
    data: { poolId, year, savingId, schemeId, amount: amount.toString(), cashable, description },
  });
}

export function recordRealisedSaving(
  command: LedgerCommandOf<'RecordRealisedSaving'>,
  state: LedgerState,
): Decision<LedgerEvent> {
  const amount = parseAmount('amount', command.amount, 'positive');
  if (isRefusal(amount)) return refuse(amount);
  if (command.evidence.trim().length === 0) {
    return refuse(
      refusal(
        'reason-required',
        'a realised saving needs its evidence',
        'evidence',
        command.evidence,
      ),
    );
  }
  const planned = command.savingId === undefined ? undefined : state.savings.get(command.savingId);
  if (command.savingId !== undefined && planned?.schemeId !== command.schemeId) {
    return refuse(
      refusal(
        'saving-unknown',
        `no planned saving "${command.savingId}" for scheme "${command.schemeId}"`,
        'savingId',
        command.savingId,
      ),
    );
  }
  const problem =
    checkTexts([['evidence', command.evidence, requiredText]]) ??
    checkNewId(
      state.usedIds.has(`realisation:${command.realisationId}`),
      'realisationId',
      command.realisationId,
    ) ??
    checkScheme(command.pool, command.schemeId, 'schemeId', true) ??
    checkQuarterOpen(state, command, command.quarter) ??
    checkGross(state, command.year, 'savings', amount, 'amount');
  if (problem !== undefined) return refuse(problem);
  const { poolId, year, realisationId, schemeId, quarter, evidence } = command;
  return accept({
    type: 'SavingRealised.v1',
    data: {
      poolId,
      year,
      realisationId,
      schemeId,
      ...(command.savingId === undefined ? {} : { savingId: command.savingId }),
      quarter,
      amount: amount.toString(),
      evidence,
    },
  });
}
