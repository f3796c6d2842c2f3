import { Money } from '#money';
import { type LedgerEvent, text } from '../../events/catalogue/index.ts';
import { accept, type Decision, refuse } from '../decider.ts';
import { refusal } from '../refusals.ts';
import { checkGross } from './gross-totals.ts';
import {
  checkFundingStream,
  checkNewId,
  checkPartner,
  checkTexts,
  datedPosting,
  isRefusal,
  parseAmount,
  pendingRequest,
  postingFields,
  postingPeriod,
} from './ledger-checks.ts';
import type { LedgerCommandOf } from './ledger-commands.ts';
import { contributionKey, type LedgerState, streamTotals } from './ledger-state.ts';

/** Money in: planned contributions and their variations, amounts due, receipts, grants. */

export function planContribution(
  command: LedgerCommandOf<'PlanContribution'>,
  state: LedgerState,
): Decision<LedgerEvent> {
  const amount = parseAmount('amount', command.amount, 'positive');
  if (isRefusal(amount)) return refuse(amount);
  const problem =
    checkPartner(command.pool, command.partnerId) ??
    checkFundingStream(command, command.fundingStream);
  if (problem !== undefined) return refuse(problem);
  const planned = state.contributions.get(
    contributionKey(command.partnerId, command.fundingStream),
  );
  if (planned !== undefined) {
    if (planned.equals(amount)) return accept();
    return refuse(
      refusal(
        'contribution-already-planned',
        `${command.partnerId} already plans ${planned.toString()} of ${command.fundingStream} in ${command.year}: request a variation to change it`,
        'partnerId',
        command.partnerId,
      ),
    );
  }
  const outOfRange = checkGross(state, command.year, 'contributions', amount, 'amount');
  if (outOfRange !== undefined) return refuse(outOfRange);
  const quarter = postingPeriod(state, command);
  if (isRefusal(quarter)) return refuse(quarter);
  const { poolId, year, partnerId, fundingStream } = command;
  return accept({
    type: 'ContributionPlanned.v1',
    data: { poolId, year, partnerId, fundingStream, amount: amount.toString(), quarter },
  });
}

export function requestContributionVariation(
  command: LedgerCommandOf<'RequestContributionVariation'>,
  state: LedgerState,
): Decision<LedgerEvent> {
  const change = parseAmount('change', command.change, 'non-zero');
  if (isRefusal(change)) return refuse(change);
  const problem =
    checkNewId(state.variations.has(command.variationId), 'variationId', command.variationId) ??
    checkPartner(command.pool, command.partnerId) ??
    checkFundingStream(command, command.fundingStream) ??
    checkPlanned(command, state) ??
    checkGross(state, command.year, 'contributions', change, 'change');
  if (problem !== undefined) return refuse(problem);
  const quarter = postingPeriod(state, command);
  if (isRefusal(quarter)) return refuse(quarter);
  const { poolId, year, variationId, partnerId, fundingStream } = command;
  return accept({
    type: 'ContributionVariationRequested.v1',
    data: {
      poolId,
      year,
      variationId,
      partnerId,
      fundingStream,
      change: change.toString(),
      requestedBy: command.actor.id,
      quarter,
    },
  });
}

/**
 * Approving a variation changes the contribution. A reduction may not take the contribution
 * below zero, nor the stream's contributions below what is already allocated (rule 3).
 */
export function approveContributionVariation(
  command: LedgerCommandOf<'ApproveContributionVariation'>,
  state: LedgerState,
): Decision<LedgerEvent> {
  const variation = pendingRequest(command, state.variations, 'variationId', command.variationId);
  if (isRefusal(variation)) return refuse(variation);
  const planned =
    state.contributions.get(contributionKey(variation.partnerId, variation.fundingStream)) ??
    Money.zero;
  if (planned.plus(variation.change).isNegative()) {
    return refuse(
      refusal(
        'amount-invalid',
        `the change ${variation.change.toString()} would take ${variation.partnerId}'s ${variation.fundingStream} contribution below zero (it is ${planned.toString()})`,
        'change',
        variation.change.toString(),
      ),
    );
  }
  const outOfRange = checkGross(state, command.year, 'contributions', variation.change, 'change');
  if (outOfRange !== undefined) return refuse(outOfRange);
  const totals = streamTotals(state, variation.fundingStream);
  const unallocated = totals.contributions.minus(totals.allocated);
  if (unallocated.plus(variation.change).isNegative()) {
    return refuse(
      refusal(
        'insufficient-unallocated-funds',
        `the change ${variation.change.toString()} is more than the ${unallocated.toString()} of ${variation.fundingStream} left unallocated in ${command.year}: release allocations first`,
        'change',
        variation.change.toString(),
      ),
    );
  }
  const quarter = postingPeriod(state, command);
  if (isRefusal(quarter)) return refuse(quarter);
  return accept({
    type: 'ContributionVaried.v1',
    data: {
      poolId: command.poolId,
      year: command.year,
      variationId: command.variationId,
      partnerId: variation.partnerId,
      fundingStream: variation.fundingStream,
      change: variation.change.toString(),
      requestedBy: variation.requestedBy,
      approvedBy: command.actor.id,
      quarter,
    },
  });
}

export function rejectContributionVariation(
  command: LedgerCommandOf<'RejectContributionVariation'>,
  state: LedgerState,
): Decision<LedgerEvent> {
  if (state.variations.get(command.variationId)?.status === 'rejected') return accept();
  const variation = pendingRequest(command, state.variations, 'variationId', command.variationId);
  if (isRefusal(variation)) return refuse(variation);
  const quarter = postingPeriod(state, command);
  if (isRefusal(quarter)) return refuse(quarter);
  return accept({
    type: 'ContributionVariationRejected.v1',
    data: {
      poolId: command.poolId,
      year: command.year,
      variationId: command.variationId,
      rejectedBy: command.actor.id,
      quarter,
    },
  });
}

/**
 * An amount a partner is asked to pay (an invoice to the partner), counting in the quarter of its
 * due date; what is due never exceeds what the partner contributes to the stream.
 */
export function recordContributionDue(
  command: LedgerCommandOf<'RecordContributionDue'>,
  state: LedgerState,
): Decision<LedgerEvent> {
  const amount = parseAmount('amount', command.amount, 'positive');
  if (isRefusal(amount)) return refuse(amount);
  const problem =
    checkTexts([['reference', command.reference, text]]) ??
    checkNewId(state.usedIds.has(`due:${command.dueId}`), 'dueId', command.dueId) ??
    checkPartner(command.pool, command.partnerId) ??
    checkFundingStream(command, command.fundingStream) ??
    checkPlanned(command, state) ??
    checkDueWithinContribution(command, state, amount) ??
    checkGross(state, command.year, 'due', amount, 'amount');
  if (problem !== undefined) return refuse(problem);
  const posting = datedPosting(state, command, command.dueOn, 'dueOn');
  if (isRefusal(posting)) return refuse(posting);
  const { poolId, year, dueId, partnerId, fundingStream, dueOn, reference } = command;
  return accept({
    type: 'ContributionDue.v1',
    data: {
      poolId,
      year,
      dueId,
      partnerId,
      fundingStream,
      amount: amount.toString(),
      dueOn,
      reference,
      ...postingFields(posting),
    },
  });
}

/** Cash received from a partner counts in the quarter it was received (rule 3). */
export function recordContributionReceived(
  command: LedgerCommandOf<'RecordContributionReceived'>,
  state: LedgerState,
): Decision<LedgerEvent> {
  const amount = parseAmount('amount', command.amount, 'positive');
  if (isRefusal(amount)) return refuse(amount);
  const problem =
    checkTexts([['reference', command.reference, text]]) ??
    checkNewId(state.usedIds.has(`receipt:${command.receiptId}`), 'receiptId', command.receiptId) ??
    checkPartner(command.pool, command.partnerId) ??
    checkFundingStream(command, command.fundingStream) ??
    checkPlanned(command, state) ??
    checkGross(state, command.year, 'received', amount, 'amount');
  if (problem !== undefined) return refuse(problem);
  const posting = datedPosting(state, command, command.receivedOn, 'receivedOn');
  if (isRefusal(posting)) return refuse(posting);
  const { poolId, year, receiptId, partnerId, fundingStream, receivedOn, reference } = command;
  return accept({
    type: 'ContributionReceived.v1',
    data: {
      poolId,
      year,
      receiptId,
      partnerId,
      fundingStream,
      amount: amount.toString(),
      receivedOn,
      reference,
      ...postingFields(posting),
    },
  });
}

export function recordGrantAward(
  command: LedgerCommandOf<'RecordGrantAward'>,
  state: LedgerState,
): Decision<LedgerEvent> {
  const amount = parseAmount('amount', command.amount, 'positive');
  if (isRefusal(amount)) return refuse(amount);
  const problem =
    checkTexts([['determinationReference', command.determinationReference, text]]) ??
    checkNewId(state.grants.has(command.grantId), 'grantId', command.grantId) ??
    checkFundingStream(command, command.fundingStream) ??
    checkGross(state, command.year, 'grants', amount, 'amount');
  if (problem !== undefined) return refuse(problem);
  // A determination is often made before the year begins: the award counts in the open period.
  const quarter = postingPeriod(state, command);
  if (isRefusal(quarter)) return refuse(quarter);
  const { poolId, year, grantId, fundingStream, awardedOn, determinationReference } = command;
  return accept({
    type: 'GrantAwardRecorded.v1',
    data: {
      poolId,
      year,
      grantId,
      fundingStream,
      amount: amount.toString(),
      awardedOn,
      determinationReference,
      quarter,
    },
  });
}

export function recordGrantInstalment(
  command: LedgerCommandOf<'RecordGrantInstalment'>,
  state: LedgerState,
): Decision<LedgerEvent> {
  const amount = parseAmount('amount', command.amount, 'positive');
  if (isRefusal(amount)) return refuse(amount);
  const duplicate =
    checkTexts([['reference', command.reference, text]]) ??
    checkNewId(
      state.usedIds.has(`instalment:${command.instalmentId}`),
      'instalmentId',
      command.instalmentId,
    );
  if (duplicate !== undefined) return refuse(duplicate);
  const grant = state.grants.get(command.grantId);
  if (grant === undefined) {
    return refuse(
      refusal(
        'grant-unknown',
        `no grant award "${command.grantId}" in ${command.year}: record the award first`,
        'grantId',
        command.grantId,
      ),
    );
  }
  const received = grant.received.plus(amount);
  if (received.greaterThan(grant.award)) {
    return refuse(
      refusal(
        'instalment-exceeds-award',
        `amount ${amount.toString()} would take instalments of "${command.grantId}" to ${received.toString()}, above its award of ${grant.award.toString()}`,
        'amount',
        command.amount,
      ),
    );
  }
  const posting = datedPosting(state, command, command.receivedOn, 'receivedOn');
  if (isRefusal(posting)) return refuse(posting);
  const { poolId, year, instalmentId, grantId, receivedOn, reference } = command;
  return accept({
    type: 'GrantInstalmentReceived.v1',
    data: {
      poolId,
      year,
      instalmentId,
      grantId,
      amount: amount.toString(),
      receivedOn,
      reference,
      ...postingFields(posting),
    },
  });
}

function checkDueWithinContribution(
  command: LedgerCommandOf<'RecordContributionDue'>,
  state: LedgerState,
  amount: Money,
) {
  const key = contributionKey(command.partnerId, command.fundingStream);
  const contribution = state.contributions.get(key) ?? Money.zero;
  const due = (state.dues.get(key) ?? Money.zero).plus(amount);
  if (!due.greaterThan(contribution)) return undefined;
  return refusal(
    'due-exceeds-contribution',
    `amount ${amount.toString()} would make ${due.toString()} due from ${command.partnerId} for ${command.fundingStream}, more than its contribution of ${contribution.toString()}`,
    'amount',
    command.amount,
  );
}

function checkPlanned(
  command: { partnerId: string; fundingStream: string; year: string },
  state: LedgerState,
) {
  if (state.contributions.has(contributionKey(command.partnerId, command.fundingStream)))
    return undefined;
  return refusal(
    'contribution-not-planned',
    `${command.partnerId} has no ${command.fundingStream} contribution planned in ${command.year}`,
    'fundingStream',
    command.fundingStream,
  );
}
