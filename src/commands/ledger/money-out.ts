import { Money } from '#money';
import {
  amountAsWritten as amountAsWrittenSchema,
  type IbcfPurpose,
  type LedgerEvent,
  requiredText,
  text,
} from '../../events/catalogue/index.ts';
import { accept, type Decision, refuse } from '../decider.ts';
import { checkScheme } from '../pool/pool-state.ts';
import { refusal } from '../refusals.ts';
import { checkGross } from './gross-totals.ts';
import {
  checkCapitalUse,
  checkDateInQuarter,
  checkFundingStream,
  checkIbcfPurpose,
  checkLineExists,
  checkNewId,
  checkTexts,
  datedPosting,
  isRefusal,
  parseAmount,
  postingAfter,
  postingFields,
  postingPeriod,
} from './ledger-checks.ts';
import type { LedgerCommandOf } from './ledger-commands.ts';
import type { LedgerState, SpendRecord } from './ledger-state.ts';

/** Money out: invoices, credit notes, reversals and recodes (rules 7 and 8). */

/**
 * Rule 7: spend goes against an existing scheme line; an overspend is recorded, not refused. The
 * invoice date decides the quarter (rule 3). An invoice against a commitment uses it up, as far
 * as it goes.
 */
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
      ...asWritten(command.amountAsWritten),
    ]) ??
    checkNewId(state.spends.has(command.spendId), 'spendId', command.spendId) ??
    checkScheme(command.pool, command.schemeId) ??
    checkFundingStream(command, command.fundingStream) ??
    checkLineExists(state, command, command.schemeId, command.fundingStream) ??
    (command.quarter === undefined
      ? undefined
      : checkDateInQuarter(command, command.quarter, command.spendDate, 'spendDate')) ??
    checkIbcfPurpose(command, command.fundingStream, command.ibcfPurpose) ??
    checkGross(state, command.year, 'spend', amount, 'amount');
  if (problem !== undefined) return refuse(problem);
  const fromCommitment = commitmentUse(command, state, amount);
  if (isRefusal(fromCommitment)) return refuse(fromCommitment);
  const posting = datedPosting(state, command, command.spendDate, 'spendDate');
  if (isRefusal(posting)) return refuse(posting);
  const { poolId, year, spendId, schemeId, fundingStream, spendDate } = command;
  return accept({
    type: 'SpendRecorded.v1',
    data: {
      poolId,
      year,
      spendId,
      schemeId,
      fundingStream,
      ...postingFields(posting),
      spendDate,
      amount: amount.toString(),
      supplier: command.supplier,
      erpReference: command.erpReference,
      description: command.description,
      ...purpose(command.ibcfPurpose),
      ...(fromCommitment === undefined
        ? {}
        : { commitmentId: command.commitmentId, fromCommitment: fromCommitment.toString() }),
      ...(command.amountAsWritten === undefined
        ? {}
        : { amountAsWritten: command.amountAsWritten }),
    },
  });
}

/** The amount as an imported file wrote it, checked as the event will hold it. */
function asWritten(written: string | undefined) {
  return written === undefined
    ? []
    : [['amountAsWritten', written, amountAsWrittenSchema] as const];
}

/** How much of the named commitment the invoice uses up: all of the invoice, or what is left. */
function commitmentUse(command: LedgerCommandOf<'RecordSpend'>, state: LedgerState, amount: Money) {
  if (command.commitmentId === undefined) return undefined;
  const commitment = state.commitments.get(command.commitmentId);
  if (commitment === undefined || commitment.outstanding.isZero()) {
    return refusal(
      'commitment-unknown',
      `no open commitment "${command.commitmentId}" in ${command.year}`,
      'commitmentId',
      command.commitmentId,
    );
  }
  if (
    commitment.schemeId !== command.schemeId ||
    commitment.fundingStream !== command.fundingStream
  ) {
    return refusal(
      'commitment-line-mismatch',
      `commitment "${command.commitmentId}" is on scheme "${commitment.schemeId}" ${commitment.fundingStream}, not on this invoice's line`,
      'commitmentId',
      command.commitmentId,
    );
  }
  return Money.min(amount, commitment.outstanding);
}

/**
 * Rule 8: a supplier's credit is a credit note, dated in its own quarter. It may name the invoice
 * of this year it credits (in part or in full, never more than is left of it; its line and iBCF
 * purpose are the invoice's), or be a refund of an earlier year's invoice.
 */
export function recordCreditNote(
  command: LedgerCommandOf<'RecordCreditNote'>,
  state: LedgerState,
): Decision<LedgerEvent> {
  const amount = parseAmount('amount', command.amount, 'positive');
  if (isRefusal(amount)) return refuse(amount);
  const textProblem =
    checkTexts([
      ['supplier', command.supplier, text],
      ['reference', command.reference, text],
      ['description', command.description, text],
      ...asWritten(command.amountAsWritten),
      ...(command.refundsPriorYear === undefined
        ? []
        : [['refundsPriorYear', command.refundsPriorYear, requiredText] as const]),
    ]) ?? checkNewId(state.usedIds.has(`credit:${command.creditId}`), 'creditId', command.creditId);
  if (textProblem !== undefined) return refuse(textProblem);
  const target = creditTarget(command, state, amount);
  if (isRefusal(target)) return refuse(target);
  const problem =
    checkScheme(command.pool, target.schemeId, 'schemeId', true) ??
    checkFundingStream(command, target.fundingStream) ??
    checkLineExists(state, command, target.schemeId, target.fundingStream) ??
    checkIbcfPurpose(command, target.fundingStream, target.ibcfPurpose) ??
    checkGross(state, command.year, 'spend', amount, 'amount');
  if (problem !== undefined) return refuse(problem);
  const posting = datedPosting(state, command, command.creditDate, 'creditDate');
  if (isRefusal(posting)) return refuse(posting);
  const { poolId, year, creditId, creditDate, supplier, reference, description } = command;
  return accept({
    type: 'CreditNoteRecorded.v1',
    data: {
      poolId,
      year,
      creditId,
      schemeId: target.schemeId,
      fundingStream: target.fundingStream,
      ...postingFields(posting),
      creditDate,
      amount: amount.toString(),
      supplier,
      reference,
      description,
      ...(command.creditsSpendId === undefined ? {} : { creditsSpendId: command.creditsSpendId }),
      ...(command.refundsPriorYear === undefined
        ? {}
        : { refundsPriorYear: command.refundsPriorYear }),
      ...purpose(target.ibcfPurpose),
      ...(command.amountAsWritten === undefined
        ? {}
        : { amountAsWritten: command.amountAsWritten }),
    },
  });
}

/** The line a credit goes to: the invoice's, when it names one (and then never more than is left). */
function creditTarget(
  command: LedgerCommandOf<'RecordCreditNote'>,
  state: LedgerState,
  amount: Money,
) {
  if (command.creditsSpendId === undefined) {
    if (command.schemeId === undefined || command.fundingStream === undefined) {
      return refusal(
        'scheme-line-unknown',
        'a credit note names the invoice it credits, or its scheme and funding stream',
        command.schemeId === undefined ? 'schemeId' : 'fundingStream',
        '',
      );
    }
    return {
      schemeId: command.schemeId,
      fundingStream: command.fundingStream,
      ibcfPurpose: command.ibcfPurpose,
    };
  }
  const spend = knownSpend(command, state, command.creditsSpendId, 'creditsSpendId');
  if (isRefusal(spend)) return spend;
  const otherLine =
    (command.schemeId !== undefined && command.schemeId !== spend.schemeId) ||
    (command.fundingStream !== undefined && command.fundingStream !== spend.fundingStream);
  if (otherLine) {
    return refusal(
      'credit-line-mismatch',
      `invoice "${command.creditsSpendId}" is on scheme "${spend.schemeId}" ${spend.fundingStream}; leave the line out or give that one`,
      'schemeId',
      command.schemeId ?? '',
    );
  }
  const left = leftOnLine(spend);
  if (amount.greaterThan(left)) {
    return refusal(
      'credit-exceeds-invoice',
      `amount ${amount.toString()} is more than the ${left.toString()} left of invoice "${command.creditsSpendId}"`,
      'amount',
      command.amount,
    );
  }
  return {
    schemeId: spend.schemeId,
    fundingStream: spend.fundingStream,
    ibcfPurpose: command.ibcfPurpose ?? spend.ibcfPurpose,
  };
}

/**
 * Rule 8: a mistaken posting is reversed in full, once, with a reason; in its own period while
 * that is open, otherwise in the open period naming the closed quarter. An invoice already
 * credited or recoded in part is corrected by another credit note or recode instead.
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
  const problem =
    checkTexts([['reason', command.reason, requiredText]]) ??
    checkNewId(
      state.usedIds.has(`reversal:${command.reversalId}`),
      'reversalId',
      command.reversalId,
    );
  if (problem !== undefined) return refuse(problem);
  const spend = knownSpend(command, state, command.spendId, 'spendId');
  if (isRefusal(spend)) return refuse(spend);
  if (!spend.credited.isZero() || !spend.recoded.isZero()) {
    return refuse(
      refusal(
        'spend-credited',
        `invoice "${command.spendId}" has ${spend.credited.toString()} credited and ${spend.recoded.toString()} recoded: correct what is left with a credit note or a recode`,
        'spendId',
        command.spendId,
      ),
    );
  }
  const outOfRange = checkGross(state, command.year, 'spend', spend.amount, 'amount');
  if (outOfRange !== undefined) return refuse(outOfRange);
  const open = postingPeriod(state, command);
  if (isRefusal(open)) return refuse(open);
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
      ...postingFields(postingAfter(spend.period, open)),
      ...purpose(spend.ibcfPurpose),
    },
  });
}

/**
 * Rule 8: a mis-coded invoice is moved, in full or in part, to the line it belongs to: one posting
 * off its line and one onto the other, linked, in its own period while that is open, otherwise in
 * the open period naming the closed quarter.
 */
export function recodeSpend(
  command: LedgerCommandOf<'RecodeSpend'>,
  state: LedgerState,
): Decision<LedgerEvent> {
  const problem =
    checkTexts([['reason', command.reason, requiredText]]) ??
    checkNewId(state.usedIds.has(`recode:${command.recodeId}`), 'recodeId', command.recodeId);
  if (problem !== undefined) return refuse(problem);
  const spend = knownSpend(command, state, command.spendId, 'spendId');
  if (isRefusal(spend)) return refuse(spend);
  const left = leftOnLine(spend);
  const amount =
    command.amount === undefined ? left : parseAmount('amount', command.amount, 'positive');
  if (isRefusal(amount)) return refuse(amount);
  const { toSchemeId, toFundingStream } = command;
  const toPurpose =
    command.ibcfPurpose ??
    (spend.fundingStream === toFundingStream ? spend.ibcfPurpose : undefined);
  const lineProblem =
    checkRecodeTarget(command, spend, amount, left) ??
    checkScheme(command.pool, toSchemeId, 'toSchemeId') ??
    checkFundingStream(command, toFundingStream, 'toFundingStream') ??
    checkLineExists(state, command, toSchemeId, toFundingStream) ??
    checkCapitalUse(command, state, toSchemeId, toFundingStream, 'toSchemeId') ??
    checkIbcfPurpose(command, toFundingStream, toPurpose) ??
    checkGross(state, command.year, 'spend', amount.plus(amount), 'amount');
  if (lineProblem !== undefined) return refuse(lineProblem);
  const open = postingPeriod(state, command);
  if (isRefusal(open)) return refuse(open);
  return accept({
    type: 'SpendRecoded.v1',
    data: {
      poolId: command.poolId,
      year: command.year,
      recodeId: command.recodeId,
      spendId: command.spendId,
      fromSchemeId: spend.schemeId,
      fromFundingStream: spend.fundingStream,
      toSchemeId,
      toFundingStream,
      amount: amount.toString(),
      ...postingFields(postingAfter(spend.period, open)),
      ...(spend.ibcfPurpose === undefined
        ? {}
        : { fromIbcfPurpose: spend.ibcfPurpose as IbcfPurpose }),
      ...(toPurpose === undefined ? {} : { toIbcfPurpose: toPurpose as IbcfPurpose }),
      reason: command.reason,
    },
  });
}

function checkRecodeTarget(
  command: LedgerCommandOf<'RecodeSpend'>,
  spend: SpendRecord,
  amount: Money,
  left: Money,
) {
  if (spend.schemeId === command.toSchemeId && spend.fundingStream === command.toFundingStream) {
    return refusal(
      'recode-same-line',
      `invoice "${command.spendId}" is already on scheme "${spend.schemeId}" ${spend.fundingStream}`,
      'toSchemeId',
      command.toSchemeId,
    );
  }
  if (amount.isZero() || amount.greaterThan(left)) {
    return refusal(
      'recode-exceeds-spend',
      `${amount.toString()} is more than the ${left.toString()} left of invoice "${command.spendId}" on its line`,
      'amount',
      amount.toString(),
    );
  }
  return undefined;
}

/** An invoice of this year that has not been reversed. */
function knownSpend(
  command: { readonly year: string },
  state: LedgerState,
  spendId: string,
  field: string,
): SpendRecord | ReturnType<typeof refusal> {
  const spend = state.spends.get(spendId);
  if (spend === undefined)
    return refusal('spend-unknown', `no spend "${spendId}" in ${command.year}`, field, spendId);
  if (spend.reversed)
    return refusal('already-reversed', `spend "${spendId}" has been reversed`, field, spendId);
  return spend;
}

/** What is left of an invoice on its own line: its amount less credits and recodes. */
function leftOnLine(spend: SpendRecord): Money {
  return spend.amount.minus(spend.credited).minus(spend.recoded);
}

function purpose(ibcfPurpose: string | undefined) {
  return ibcfPurpose === undefined ? {} : { ibcfPurpose: ibcfPurpose as IbcfPurpose };
}
