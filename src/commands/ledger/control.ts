import { Money } from '#money';
import type { LedgerEvent } from '../../events/catalogue/index.ts';
import { accept, type Decision, refuse } from '../decider.ts';
import { refusal } from '../refusals.ts';
import { checkApprover, referenceDataOf } from './ledger-checks.ts';
import type { LedgerCommand, LedgerCommandOf } from './ledger-commands.ts';
import { type LedgerState, openQuarter } from './ledger-state.ts';

/** Control: closing quarters (rule 9), the year-end outturn, the risk share and the year close (rule 10). */

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

/**
 * The outturn, once all four quarters are closed: each line's actual (spend net of credits and
 * corrections) plus its accruals, and per funding stream against its contributions.
 */
export function determineYearEndOutturn(
  command: LedgerCommandOf<'DetermineYearEndOutturn'>,
  state: LedgerState,
): Decision<LedgerEvent> {
  const problem = checkOutturnReady(command, state);
  if (problem !== undefined) return refuse(problem);
  const byLine = [...state.lines.entries()].map(([key, line]) => {
    const [schemeId = '', fundingStream = ''] = key.split('\u0000');
    return { schemeId, fundingStream, spent: line.spent, accrued: line.accrued };
  });
  const byStream = referenceDataOf(command)
    .fundingStreams.map(({ name }) => {
      const ofStream = byLine.filter((line) => line.fundingStream === name);
      return {
        fundingStream: name,
        ...outturnFigures(
          state.streams.get(name)?.contributions ?? Money.zero,
          Money.sum(ofStream.map((line) => line.spent)),
          Money.sum(ofStream.map((line) => line.accrued)),
        ),
      };
    })
    .filter((stream) =>
      [stream.contributions, stream.spent, stream.accrued].some((figure) => figure !== '0.00'),
    );
  const total = outturnFigures(
    Money.sum(byStream.map((stream) => Money.parse(stream.contributions))),
    Money.sum(byStream.map((stream) => Money.parse(stream.spent))),
    Money.sum(byStream.map((stream) => Money.parse(stream.accrued))),
  );
  return accept({
    type: 'YearEndOutturnDetermined.v1',
    data: {
      poolId: command.poolId,
      year: command.year,
      ...total,
      byStream,
      byLine: byLine.map((line) => ({
        schemeId: line.schemeId,
        fundingStream: line.fundingStream,
        spent: line.spent.toString(),
        accrued: line.accrued.toString(),
        outturn: line.spent.plus(line.accrued).toString(),
      })),
    },
  });
}

function outturnFigures(contributions: Money, spent: Money, accrued: Money) {
  const expenditure = spent.plus(accrued);
  return {
    contributions: contributions.toString(),
    spent: spent.toString(),
    accrued: accrued.toString(),
    expenditure: expenditure.toString(),
    // Funding less expenditure: below zero, a deficit (rule 13).
    net: contributions.minus(expenditure).toString(),
  };
}

function checkOutturnReady(command: LedgerCommand, state: LedgerState) {
  if (openQuarter(state) !== undefined) {
    return refusal(
      'year-end-not-ready',
      `close all four quarters of ${command.year} first (${state.closedQuarters} closed)`,
      'year',
      command.year,
    );
  }
  if (state.outturnNet !== undefined) {
    return refusal(
      'outturn-already-determined',
      `the ${command.year} outturn has already been determined`,
      'year',
      command.year,
    );
  }
  return checkApproverRole(command, 'determines the year-end outturn');
}

export function checkApproverRole(command: LedgerCommand, what: string) {
  if (command.actor.role === 'cfo') return undefined;
  return refusal('approver-role-required', `only the CFO group ${what}`, 'actor', command.actor.id);
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
  command: LedgerCommandOf<
    'RequestQuarterClose' | 'ApproveQuarterClose' | 'RequestYearClose' | 'ApproveYearClose'
  >,
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

/**
 * Rule 10: the CFO group closes the year on the digest of its year-end statement, once Q4 is
 * closed, the outturn determined and the risk share applied; one requests, another approves.
 * Asking again with another digest replaces a pending request.
 */
export function requestYearClose(
  command: LedgerCommandOf<'RequestYearClose'>,
  state: LedgerState,
): Decision<LedgerEvent> {
  const problem = checkYearCloseReady(command, state) ?? checkPositionCurrent(command, state);
  if (problem !== undefined) return refuse(problem);
  if (state.yearCloseRequest?.reportDigest === command.reportDigest) return accept();
  const { poolId, year, reportDigest, ledgerVersion, poolVersion } = command;
  return accept({
    type: 'YearCloseRequested.v1',
    data: { poolId, year, reportDigest, ledgerVersion, poolVersion, requestedBy: command.actor.id },
  });
}

export function approveYearClose(
  command: LedgerCommandOf<'ApproveYearClose'>,
  state: LedgerState,
): Decision<LedgerEvent> {
  const notReady = checkYearCloseReady(command, state);
  if (notReady !== undefined) return refuse(notReady);
  const request = state.yearCloseRequest;
  if (request === undefined) {
    return refuse(
      refusal(
        'year-close-not-requested',
        `nobody has requested closing ${command.year}`,
        'year',
        command.year,
      ),
    );
  }
  const problem =
    checkApprover(command, request.requestedBy, `closing ${command.year}`) ??
    checkPositionCurrent(command, state);
  if (problem !== undefined) return refuse(problem);
  if (request.reportDigest !== command.reportDigest) {
    return refuse(
      refusal(
        'year-statement-changed-since-request',
        `the ${command.year} year-end statement has changed since the close was requested: request it again`,
        'reportDigest',
        command.reportDigest,
      ),
    );
  }
  const { poolId, year, reportDigest, ledgerVersion, poolVersion } = command;
  return accept({
    type: 'YearClosed.v1',
    data: {
      poolId,
      year,
      reportDigest,
      ledgerVersion,
      poolVersion,
      requestedBy: request.requestedBy,
      approvedBy: command.actor.id,
    },
  });
}

function checkYearCloseReady(
  command: LedgerCommandOf<'RequestYearClose' | 'ApproveYearClose'>,
  state: LedgerState,
) {
  const missing =
    command.openPreviousYear !== undefined
      ? `close ${command.openPreviousYear} first: this year's statement shows it beside this one`
      : openQuarter(state) !== undefined
        ? `close ${openQuarter(state)} first`
        : state.outturnNet === undefined
          ? 'determine the outturn first'
          : !state.riskShareApplied
            ? 'apply the risk share first'
            : undefined;
  if (missing === undefined) return undefined;
  return refusal(
    'year-close-not-ready',
    `${command.year} cannot close yet: ${missing}`,
    'year',
    command.year,
  );
}
