import type { LedgerEvent } from '../../events/catalogue/index.ts';
import { requiredText, text } from '../../events/catalogue/index.ts';
import { accept, type Decision, refuse } from '../decider.ts';
import { checkScheme } from '../pool/pool-state.ts';
import { refusal } from '../refusals.ts';
import { checkGross } from './gross-totals.ts';
import {
  checkFundingStream,
  checkLineExists,
  checkNewId,
  checkTexts,
  datedPosting,
  isRefusal,
  parseAmount,
  postingFields,
  postingPeriod,
} from './ledger-checks.ts';
import type { LedgerCommandOf } from './ledger-commands.ts';
import type { LedgerState } from './ledger-state.ts';

/**
 * Commitments: orders raised and not yet invoiced. A line's budget is spent, committed or
 * remaining (rule 14); an invoice against a commitment moves its amount from committed to spent,
 * and what will not be invoiced is released.
 */

export function raiseCommitment(
  command: LedgerCommandOf<'RaiseCommitment'>,
  state: LedgerState,
): Decision<LedgerEvent> {
  const amount = parseAmount('amount', command.amount, 'positive');
  if (isRefusal(amount)) return refuse(amount);
  const problem =
    checkTexts([
      ['supplier', command.supplier, text],
      ['reference', command.reference, text],
      ['description', command.description, text],
    ]) ??
    checkNewId(state.commitments.has(command.commitmentId), 'commitmentId', command.commitmentId) ??
    checkScheme(command.pool, command.schemeId) ??
    checkFundingStream(command, command.fundingStream) ??
    checkLineExists(state, command, command.schemeId, command.fundingStream) ??
    checkGross(state, command.year, 'commitments', amount, 'amount');
  if (problem !== undefined) return refuse(problem);
  const posting = datedPosting(state, command, command.raisedOn, 'raisedOn');
  if (isRefusal(posting)) return refuse(posting);
  const { poolId, year, commitmentId, schemeId, fundingStream, raisedOn } = command;
  return accept({
    type: 'CommitmentRaised.v1',
    data: {
      poolId,
      year,
      commitmentId,
      schemeId,
      fundingStream,
      raisedOn,
      amount: amount.toString(),
      supplier: command.supplier,
      reference: command.reference,
      description: command.description,
      ...postingFields(posting),
    },
  });
}

/** Releases what will not be invoiced of a commitment: all that is outstanding, or a part. */
export function releaseCommitment(
  command: LedgerCommandOf<'ReleaseCommitment'>,
  state: LedgerState,
): Decision<LedgerEvent> {
  const reason = checkTexts([['reason', command.reason, requiredText]]);
  if (reason !== undefined) return refuse(reason);
  const commitment = state.commitments.get(command.commitmentId);
  if (commitment === undefined || commitment.outstanding.isZero()) {
    return refuse(
      refusal(
        'commitment-unknown',
        `no open commitment "${command.commitmentId}" in ${command.year}`,
        'commitmentId',
        command.commitmentId,
      ),
    );
  }
  const amount =
    command.amount === undefined
      ? commitment.outstanding
      : parseAmount('amount', command.amount, 'positive');
  if (isRefusal(amount)) return refuse(amount);
  if (amount.greaterThan(commitment.outstanding)) {
    return refuse(
      refusal(
        'commitment-exceeded',
        `${amount.toString()} is more than the ${commitment.outstanding.toString()} outstanding on commitment "${command.commitmentId}"`,
        'amount',
        amount.toString(),
      ),
    );
  }
  const outOfRange = checkGross(state, command.year, 'commitments', amount, 'amount');
  if (outOfRange !== undefined) return refuse(outOfRange);
  const quarter = postingPeriod(state, command);
  if (isRefusal(quarter)) return refuse(quarter);
  return accept({
    type: 'CommitmentReleased.v1',
    data: {
      poolId: command.poolId,
      year: command.year,
      commitmentId: command.commitmentId,
      schemeId: commitment.schemeId,
      fundingStream: commitment.fundingStream,
      amount: amount.toString(),
      reason: command.reason,
      quarter,
    },
  });
}
