import type { Money } from '#money';
import type { IbcfPurpose, LedgerEvent } from '../../events/catalogue/index.ts';
import { requiredText } from '../../events/catalogue/index.ts';
import { accept, type Decision, refuse } from '../decider.ts';
import { checkScheme } from '../pool/pool-state.ts';
import { refusal } from '../refusals.ts';
import { checkGross } from './gross-totals.ts';
import {
  checkFundingStream,
  checkIbcfPurpose,
  checkLineExists,
  checkNewId,
  checkTexts,
  isRefusal,
  parseAmount,
  postingPeriod,
} from './ledger-checks.ts';
import type { LedgerCommand, LedgerCommandOf } from './ledger-commands.ts';
import { isClosed, type LedgerState } from './ledger-state.ts';

/**
 * Adjustments: corrections of a closed quarter posted in the open period (rule 9), year-end
 * accruals (rule 10), and corrections of a closed year posted in the next one.
 */

/** Rule 9: a correction of a closed quarter, posted in the open period and naming the closed one. */
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
    checkNewId(
      state.usedIds.has(`adjustment:${command.adjustmentId}`),
      'adjustmentId',
      command.adjustmentId,
    ) ?? checkAdjustedLine(command, state, amount);
  if (problem !== undefined) return refuse(problem);
  const quarter = postingPeriod(state, command);
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
      ...purpose(command.ibcfPurpose),
    },
  });
}

/**
 * Rule 10: after Q4 closes and before the year closes, accruals add to a line's expenditure what
 * the year owes (or, below zero, take off what it paid for the next year); the outturn is actual
 * plus accruals.
 */
export function postAccrual(
  command: LedgerCommandOf<'PostAccrual'>,
  state: LedgerState,
): Decision<LedgerEvent> {
  const amount = parseAmount('amount', command.amount, 'non-zero');
  if (isRefusal(amount)) return refuse(amount);
  const quarter = postingPeriod(state, command);
  if (isRefusal(quarter)) return refuse(quarter);
  if (quarter !== 'YE') {
    return refuse(
      refusal(
        'accrual-before-year-end',
        `${quarter} ${command.year} is open: accruals are posted once Q4 is closed`,
        'year',
        command.year,
      ),
    );
  }
  const problem =
    checkTexts([['description', command.description, requiredText]]) ??
    checkNewId(state.usedIds.has(`accrual:${command.accrualId}`), 'accrualId', command.accrualId) ??
    checkScheme(command.pool, command.schemeId, 'schemeId', true) ??
    checkFundingStream(command, command.fundingStream) ??
    checkLineExists(state, command, command.schemeId, command.fundingStream) ??
    checkGross(state, command.year, 'accruals', amount, 'amount');
  if (problem !== undefined) return refuse(problem);
  const { poolId, year, accrualId, schemeId, fundingStream, description } = command;
  return accept({
    type: 'AccrualPosted.v1',
    data: {
      poolId,
      year,
      accrualId,
      schemeId,
      fundingStream,
      amount: amount.toString(),
      description,
      quarter,
    },
  });
}

/**
 * Rule 10: a correction of a closed year goes into a later year, naming the year it corrects; an
 * earlier year still open is corrected in itself.
 */
export function postPriorYearAdjustment(
  command: LedgerCommandOf<'PostPriorYearAdjustment'>,
  state: LedgerState,
): Decision<LedgerEvent> {
  const amount = parseAmount('amount', command.amount, 'non-zero');
  if (isRefusal(amount)) return refuse(amount);
  if (!(command.correctsYear < command.year) || !command.correctedYearClosed) {
    return refuse(
      refusal(
        'prior-year-not-closed',
        command.correctsYear < command.year
          ? `${command.correctsYear} is not closed: post the correction in ${command.correctsYear} itself`
          : `${command.correctsYear} is not a year before ${command.year}`,
        'correctsYear',
        command.correctsYear,
      ),
    );
  }
  const problem =
    checkNewId(
      state.usedIds.has(`adjustment:${command.adjustmentId}`),
      'adjustmentId',
      command.adjustmentId,
    ) ?? checkAdjustedLine(command, state, amount);
  if (problem !== undefined) return refuse(problem);
  const quarter = postingPeriod(state, command);
  if (isRefusal(quarter)) return refuse(quarter);
  const { poolId, year, adjustmentId, correctsYear, schemeId, fundingStream, description } =
    command;
  return accept({
    type: 'PriorYearAdjustmentPosted.v1',
    data: {
      poolId,
      year,
      adjustmentId,
      correctsYear,
      quarter,
      schemeId,
      fundingStream,
      amount: amount.toString(),
      description,
      ...purpose(command.ibcfPurpose),
    },
  });
}

function checkAdjustedLine(
  command: LedgerCommand & {
    schemeId: string;
    fundingStream: string;
    description: string;
    ibcfPurpose?: string | undefined;
  },
  state: LedgerState,
  amount: Money,
) {
  return (
    checkTexts([['description', command.description, requiredText]]) ??
    checkScheme(command.pool, command.schemeId, 'schemeId', true) ??
    checkFundingStream(command, command.fundingStream) ??
    checkLineExists(state, command, command.schemeId, command.fundingStream) ??
    checkIbcfPurpose(command, command.fundingStream, command.ibcfPurpose) ??
    checkGross(state, command.year, 'spend', amount, 'amount')
  );
}

function purpose(ibcfPurpose: string | undefined) {
  return ibcfPurpose === undefined ? {} : { ibcfPurpose: ibcfPurpose as IbcfPurpose };
}
