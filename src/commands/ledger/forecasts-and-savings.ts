import { Money } from '#money';
import { type LedgerEvent, requiredText, text } from '../../events/catalogue/index.ts';
import { accept, type Decision, refuse } from '../decider.ts';
import { checkScheme } from '../pool/pool-state.ts';
import { refusal } from '../refusals.ts';
import { checkGross, checkGrossAfter, grossOf } from './gross-totals.ts';
import {
  checkFundingStream,
  checkLineExists,
  checkNewId,
  checkQuarterOpen,
  checkTexts,
  classifyIfNew,
  datedPosting,
  isRefusal,
  parseAmount,
  postingFields,
  postingPeriod,
} from './ledger-checks.ts';
import type { LedgerCommandOf } from './ledger-commands.ts';
import { forecastKey, type LedgerState } from './ledger-state.ts';

/** Forecasts of each line's outturn, and savings planned and realised. */

/**
 * The forecast outturn of a line as seen in a quarter that is not closed; the same figure again
 * changes nothing. After Q4 closes the outturn is actual plus accruals, so no more forecasts.
 */
export function updateForecast(
  command: LedgerCommandOf<'UpdateForecast'>,
  state: LedgerState,
): Decision<LedgerEvent> {
  const forecast = parseAmount('forecastOutturn', command.forecastOutturn, 'non-negative');
  if (isRefusal(forecast)) return refuse(forecast);
  const open = postingPeriod(state, command);
  if (isRefusal(open)) return refuse(open);
  if (open === 'YE') {
    return refuse(
      refusal(
        'forecast-after-year-end',
        `Q4 ${command.year} is closed: the outturn is actual plus accruals, so post an accrual`,
        'quarter',
        command.quarter,
      ),
    );
  }
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
  const quarter = postingPeriod(state, command);
  if (isRefusal(quarter)) return refuse(quarter);
  const { poolId, year, savingId, schemeId, cashable, description } = command;
  return accept(...classifyIfNew(command, state, schemeId, quarter), {
    type: 'SavingPlanned.v1',
    data: {
      poolId,
      year,
      savingId,
      schemeId,
      amount: amount.toString(),
      cashable,
      description,
      quarter,
    },
  });
}

/** A saving realised counts in the quarter of the date it was realised on, with its evidence. */
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
    checkGross(state, command.year, 'savings', amount, 'amount');
  if (problem !== undefined) return refuse(problem);
  const posting = datedPosting(state, command, command.realisedOn, 'realisedOn');
  if (isRefusal(posting)) return refuse(posting);
  const { poolId, year, realisationId, schemeId, realisedOn, evidence } = command;
  return accept(...classifyIfNew(command, state, schemeId, posting.quarter), {
    type: 'SavingRealised.v1',
    data: {
      poolId,
      year,
      realisationId,
      schemeId,
      ...(command.savingId === undefined ? {} : { savingId: command.savingId }),
      realisedOn,
      ...postingFields(posting),
      amount: amount.toString(),
      evidence,
    },
  });
}
