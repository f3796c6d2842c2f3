import type { Money } from '#money';
import type { LedgerEvent } from '../../events/catalogue/index.ts';
import { accept, type Decision, refuse } from '../decider.ts';
import { checkScheme } from '../pool/pool-state.ts';
import { refusal } from '../refusals.ts';
import { checkGross } from './gross-totals.ts';
import {
  checkCapitalUse,
  checkFundingStream,
  checkLineExists,
  checkNewId,
  classifyIfNew,
  isRefusal,
  parseAmount,
  pendingRequest,
  postingPeriod,
} from './ledger-checks.ts';
import type { LedgerCommandOf } from './ledger-commands.ts';
import { type LedgerState, lineKey, streamTotals } from './ledger-state.ts';

/** Budget: allocating funds to scheme lines, releasing them, and virements between lines. */

/**
 * Rule 4: allocations never exceed contributions, so the unallocated balance never goes below
 * zero. An allocation is original (the plan's) until the first quarter closes and supplementary
 * after, unless the command says which.
 */
export function allocateFunds(
  command: LedgerCommandOf<'AllocateFunds'>,
  state: LedgerState,
): Decision<LedgerEvent> {
  const amount = parseAmount('amount', command.amount, 'positive');
  if (isRefusal(amount)) return refuse(amount);
  const problem =
    checkNewId(
      state.usedIds.has(`allocation:${command.allocationId}`),
      'allocationId',
      command.allocationId,
    ) ??
    checkScheme(command.pool, command.schemeId) ??
    checkFundingStream(command, command.fundingStream) ??
    checkCapitalUse(command, state, command.schemeId, command.fundingStream) ??
    checkGross(state, command.year, 'budget', amount, 'amount');
  if (problem !== undefined) return refuse(problem);
  const totals = streamTotals(state, command.fundingStream);
  const unallocated = totals.contributions.minus(totals.allocated);
  if (amount.greaterThan(unallocated)) {
    return refuse(
      refusal(
        'insufficient-unallocated-funds',
        `amount ${amount.toString()} is more than the ${unallocated.toString()} of ${command.fundingStream} left unallocated in ${command.year}`,
        'amount',
        command.amount,
      ),
    );
  }
  const quarter = postingPeriod(state, command);
  if (isRefusal(quarter)) return refuse(quarter);
  const { poolId, year, allocationId, schemeId, fundingStream } = command;
  const basis = command.basis ?? (state.closedQuarters === 0 ? 'original' : 'supplementary');
  return accept(...classifyIfNew(command, state, schemeId, quarter), {
    type: 'FundsAllocated.v1',
    data: {
      poolId,
      year,
      allocationId,
      schemeId,
      fundingStream,
      amount: amount.toString(),
      basis,
      quarter,
    },
  });
}

/** Returns budget from a line to the stream's unallocated balance; only what is unspent can go. */
export function releaseAllocation(
  command: LedgerCommandOf<'ReleaseAllocation'>,
  state: LedgerState,
): Decision<LedgerEvent> {
  const amount = parseAmount('amount', command.amount, 'positive');
  if (isRefusal(amount)) return refuse(amount);
  const problem =
    checkNewId(state.usedIds.has(`release:${command.releaseId}`), 'releaseId', command.releaseId) ??
    checkScheme(command.pool, command.schemeId, 'schemeId', true) ??
    checkFundingStream(command, command.fundingStream) ??
    checkLineExists(state, command, command.schemeId, command.fundingStream) ??
    checkUnspent(state, command.schemeId, command.fundingStream, amount, 'amount');
  if (problem !== undefined) return refuse(problem);
  const quarter = postingPeriod(state, command);
  if (isRefusal(quarter)) return refuse(quarter);
  const { poolId, year, releaseId, schemeId, fundingStream } = command;
  return accept({
    type: 'AllocationReleased.v1',
    data: { poolId, year, releaseId, schemeId, fundingStream, amount: amount.toString(), quarter },
  });
}

/** Rule 5: a virement moves budget between two lines of the same stream and year, once approved. */
export function requestVirement(
  command: LedgerCommandOf<'RequestVirement'>,
  state: LedgerState,
): Decision<LedgerEvent> {
  const amount = parseAmount('amount', command.amount, 'positive');
  if (isRefusal(amount)) return refuse(amount);
  if (command.fromSchemeId === command.toSchemeId) {
    return refuse(
      refusal(
        'virement-same-line',
        `a virement needs two different schemes; both are "${command.fromSchemeId}"`,
        'toSchemeId',
        command.toSchemeId,
      ),
    );
  }
  const problem =
    checkNewId(state.virements.has(command.virementId), 'virementId', command.virementId) ??
    checkFundingStream(command, command.fundingStream) ??
    checkScheme(command.pool, command.fromSchemeId, 'fromSchemeId', true) ??
    checkLineExists(state, command, command.fromSchemeId, command.fundingStream) ??
    checkScheme(command.pool, command.toSchemeId, 'toSchemeId') ??
    checkCapitalUse(command, state, command.toSchemeId, command.fundingStream, 'toSchemeId');
  if (problem !== undefined) return refuse(problem);
  const quarter = postingPeriod(state, command);
  if (isRefusal(quarter)) return refuse(quarter);
  const { poolId, year, virementId, fundingStream, fromSchemeId, toSchemeId } = command;
  return accept({
    type: 'VirementRequested.v1',
    data: {
      poolId,
      year,
      virementId,
      fundingStream,
      fromSchemeId,
      toSchemeId,
      amount: amount.toString(),
      requestedBy: command.actor.id,
      quarter,
    },
  });
}

/** The source line must have the amount unspent when the virement is approved, not only when asked. */
export function approveVirement(
  command: LedgerCommandOf<'ApproveVirement'>,
  state: LedgerState,
): Decision<LedgerEvent> {
  const virement = pendingRequest(command, state.virements, 'virementId', command.virementId);
  if (isRefusal(virement)) return refuse(virement);
  const problem =
    checkScheme(command.pool, virement.toSchemeId, 'toSchemeId') ??
    checkUnspent(state, virement.fromSchemeId, virement.fundingStream, virement.amount, 'amount') ??
    checkGross(state, command.year, 'budget', virement.amount.plus(virement.amount), 'amount');
  if (problem !== undefined) return refuse(problem);
  const quarter = postingPeriod(state, command);
  if (isRefusal(quarter)) return refuse(quarter);
  return accept(...classifyIfNew(command, state, virement.toSchemeId, quarter), {
    type: 'VirementApproved.v1',
    data: {
      poolId: command.poolId,
      year: command.year,
      virementId: command.virementId,
      fundingStream: virement.fundingStream,
      fromSchemeId: virement.fromSchemeId,
      toSchemeId: virement.toSchemeId,
      amount: virement.amount.toString(),
      requestedBy: virement.requestedBy,
      approvedBy: command.actor.id,
      quarter,
    },
  });
}

export function rejectVirement(
  command: LedgerCommandOf<'RejectVirement'>,
  state: LedgerState,
): Decision<LedgerEvent> {
  if (state.virements.get(command.virementId)?.status === 'rejected') return accept();
  const virement = pendingRequest(command, state.virements, 'virementId', command.virementId);
  if (isRefusal(virement)) return refuse(virement);
  const quarter = postingPeriod(state, command);
  if (isRefusal(quarter)) return refuse(quarter);
  return accept({
    type: 'VirementRejected.v1',
    data: {
      poolId: command.poolId,
      year: command.year,
      virementId: command.virementId,
      rejectedBy: command.actor.id,
      quarter,
    },
  });
}

function checkUnspent(
  state: LedgerState,
  schemeId: string,
  fundingStream: string,
  amount: Money,
  field: string,
) {
  const line = state.lines.get(lineKey(schemeId, fundingStream));
  // Budget = spent + committed + remaining: only what is neither spent nor committed can move.
  const unspent =
    line === undefined ? undefined : line.budget.minus(line.spent).minus(line.committed);
  if (unspent !== undefined && !amount.greaterThan(unspent)) return undefined;
  return refusal(
    'insufficient-line-budget',
    `${field} ${amount.toString()} is more than the ${unspent?.toString() ?? '0.00'} neither spent nor committed on scheme "${schemeId}" ${fundingStream}`,
    field,
    amount.toString(),
  );
}
