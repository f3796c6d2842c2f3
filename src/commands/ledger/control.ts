import { Money } from '#money';
import type { LedgerEvent } from '../../events/catalogue/index.ts';
import { riskShareAllocations } from '../../rules/risk-share.ts';
import { accept, type Decision, refuse } from '../decider.ts';
import { refusal } from '../refusals.ts';
import { checkApprover, referenceDataOf } from './ledger-checks.ts';
import type { LedgerCommand, LedgerCommandOf } from './ledger-commands.ts';
import { type LedgerState, openQuarter } from './ledger-state.ts';

/** Control: closing quarters (rule 9), the year-end outturn and the risk share (rule 10). */

/**
 * Rule 9: quarters close in order, on a position computed at the ledger's and the pool's
 * current versions. Asking again with another digest replaces a pending request.
 */
export function requestQuarterClose(
  command: LedgerCommandOf<'RequestQuarterClose'>,
  state: LedgerState,
): Decision<LedgerEvent> {
  const problem = checkNextQuarter(command, state) ?? checkPositionCurrent(command, state);
  if (problem !== undefined) return refuse(problem);
  const pending = state.closeRequest;
  if (pending?.quarter === command.quarter && pending.reportDigest === command.reportDigest)
    return accept();
  const { poolId, year, quarter, reportDigest, ledgerVersion, poolVersion } = command;
  return accept({
    type: 'QuarterCloseRequested.v1',
    data: {
      poolId,
      year,
      quarter,
      reportDigest,
      ledgerVersion,
      poolVersion,
      requestedBy: command.actor.id,
    },
  });
}

/** The approver's own computation of the position must match the one the requester saw. */
export function approveQuarterClose(
  command: LedgerCommandOf<'ApproveQuarterClose'>,
  state: LedgerState,
): Decision<LedgerEvent> {
  const outOfOrder = checkNextQuarter(command, state);
  if (outOfOrder !== undefined) return refuse(outOfOrder);
  const request = state.closeRequest;
  if (request?.quarter !== command.quarter) {
    return refuse(
      refusal(
        'close-not-requested',
        `nobody has requested closing ${command.quarter} ${command.year}`,
        'quarter',
        command.quarter,
      ),
    );
  }
  const problem =
    checkApprover(command, request.requestedBy, `closing ${command.quarter} ${command.year}`) ??
    checkPositionCurrent(command, state);
  if (problem !== undefined) return refuse(problem);
  if (request.reportDigest !== command.reportDigest) {
    return refuse(
      refusal(
        'position-changed-since-request',
        `the ${command.quarter} position has changed since the close was requested: request the close again`,
        'reportDigest',
        command.reportDigest,
      ),
    );
  }
  const { poolId, year, quarter, reportDigest, ledgerVersion, poolVersion } = command;
  return accept({
    type: 'QuarterClosed.v1',
    data: {
      poolId,
      year,
      quarter,
      reportDigest,
      ledgerVersion,
      poolVersion,
      requestedBy: request.requestedBy,
      approvedBy: command.actor.id,
    },
  });
}

/** The outturn per funding stream: spent (net of reversals and adjustments) against contributions. */
export function determineYearEndOutturn(
  command: LedgerCommandOf<'DetermineYearEndOutturn'>,
  state: LedgerState,
): Decision<LedgerEvent> {
  if (openQuarter(state) !== undefined) {
    return refuse(
      refusal(
        'year-end-not-ready',
        `close all four quarters of ${command.year} first (${state.closedQuarters} closed)`,
        'year',
        command.year,
      ),
    );
  }
  if (state.outturnNet !== undefined) {
    return refuse(
      refusal(
        'outturn-already-determined',
        `the ${command.year} outturn has already been determined`,
        'year',
        command.year,
      ),
    );
  }
  if (command.actor.role !== 'cfo') {
    return refuse(
      refusal(
        'approver-role-required',
        'only the CFO group determines the year-end outturn',
        'actor',
        command.actor.id,
      ),
    );
  }
  const byStream = referenceDataOf(command)
    .fundingStreams.map(({ name }) => {
      const contributions = state.streams.get(name)?.contributions ?? Money.zero;
      const spent = Money.sum(
        [...state.lines.entries()]
          .filter(([key]) => key.endsWith(`\u0000${name}`))
          .map(([, line]) => line.spent),
      );
      return { fundingStream: name, contributions, spent, net: spent.minus(contributions) };
    })
    .filter((stream) => !stream.contributions.isZero() || !stream.spent.isZero());
  const contributions = Money.sum(byStream.map((stream) => stream.contributions));
  const spent = Money.sum(byStream.map((stream) => stream.spent));
  return accept({
    type: 'YearEndOutturnDetermined.v1',
    data: {
      poolId: command.poolId,
      year: command.year,
      contributions: contributions.toString(),
      spent: spent.toString(),
      net: spent.minus(contributions).toString(),
      byStream: byStream.map((stream) => ({
        fundingStream: stream.fundingStream,
        contributions: stream.contributions.toString(),
        spent: stream.spent.toString(),
        net: stream.net.toString(),
      })),
    },
  });
}

/** Rule 10: the whole over- or underspend goes to partners under the terms, to the penny. */
export function applyRiskShare(
  command: LedgerCommandOf<'ApplyRiskShare'>,
  state: LedgerState,
): Decision<LedgerEvent> {
  const net = state.outturnNet;
  if (net === undefined) {
    return refuse(
      refusal(
        'outturn-not-determined',
        `determine the ${command.year} outturn before applying the risk share`,
        'year',
        command.year,
      ),
    );
  }
  if (state.riskShareApplied) {
    return refuse(
      refusal(
        'risk-share-already-applied',
        `the ${command.year} risk share has already been applied`,
        'year',
        command.year,
      ),
    );
  }
  if (command.actor.role !== 'cfo') {
    return refuse(
      refusal(
        'approver-role-required',
        'only the CFO group applies the risk share',
        'actor',
        command.actor.id,
      ),
    );
  }
  const shares = riskShares(command, state, net);
  const allocated = Money.sum(shares.values());
  // Paired with the apportionment's own guarantee: a risk share that does not sum to the net
  // would be a defect here, never a fact to record.
  if (!allocated.equals(net))
    throw new Error(`risk share allocates ${allocated.toString()} of ${net.toString()}`);
  return accept({
    type: 'RiskShareApplied.v1',
    data: {
      poolId: command.poolId,
      year: command.year,
      basis: command.pool.riskShare.basis,
      net: net.toString(),
      allocations: [...shares].map(([partnerId, amount]) => ({
        partnerId,
        amount: amount.toString(),
      })),
    },
  });
}

/** Each partner's share of `net` under the pool's terms, from the ledger's own figures. */
function riskShares(command: LedgerCommand, state: LedgerState, net: Money): Map<string, Money> {
  const contributions = new Map<string, Map<string, Money>>();
  for (const [key, amount] of state.contributions) {
    const [partnerId = '', fundingStream = ''] = key.split('\u0000');
    const byStream = contributions.get(partnerId) ?? new Map<string, Money>();
    byStream.set(fundingStream, amount);
    contributions.set(partnerId, byStream);
  }
  const streamNets = new Map<string, Money>();
  const schemeNets = new Map<string, Money>();
  for (const [key, line] of state.lines) {
    const [schemeId = '', fundingStream = ''] = key.split('\u0000');
    streamNets.set(fundingStream, (streamNets.get(fundingStream) ?? Money.zero).plus(line.spent));
    schemeNets.set(
      schemeId,
      (schemeNets.get(schemeId) ?? Money.zero).plus(line.spent.minus(line.budget)),
    );
  }
  for (const [fundingStream, totals] of state.streams) {
    streamNets.set(
      fundingStream,
      (streamNets.get(fundingStream) ?? Money.zero).minus(totals.contributions),
    );
  }
  return riskShareAllocations({
    terms: command.pool.riskShare,
    partnerIds: [...command.pool.partners.keys()],
    hostPartnerId: command.pool.registration?.hostPartnerId ?? '',
    net,
    contributions,
    streamNets,
    schemeNets,
  });
}

function checkNextQuarter(
  command: LedgerCommandOf<'RequestQuarterClose' | 'ApproveQuarterClose'>,
  state: LedgerState,
) {
  const next = openQuarter(state);
  if (next === command.quarter) return undefined;
  const message =
    next === undefined
      ? `every quarter of ${command.year} is closed`
      : `${next} ${command.year} must close before ${command.quarter}`;
  return refusal('quarter-out-of-order', message, 'quarter', command.quarter);
}

function checkPositionCurrent(
  command: LedgerCommandOf<'RequestQuarterClose' | 'ApproveQuarterClose'>,
  state: LedgerState,
) {
  if (command.ledgerVersion === state.version && command.poolVersion === command.pool.version)
    return undefined;
  return refusal(
    'position-out-of-date',
    `the position was computed at ledger version ${command.ledgerVersion} and pool version ${command.poolVersion}, but the ledger is at ${state.version} and the pool at ${command.pool.version}: compute it again`,
    'ledgerVersion',
    String(command.ledgerVersion),
  );
}
