import { canonicalJson } from '../../events/canonical-json.ts';
import {
  hundredthsOfPercent,
  type LedgerEvent,
  type SchemeColumns,
} from '../../events/catalogue/index.ts';
import { quarterProfile, ragThresholds } from '../../events/catalogue/ledger-events.ts';
import { accept, type Decision, refuse } from '../decider.ts';
import { checkColumnsAgainst, checkScheme } from '../pool/pool-state.ts';
import { refusal } from '../refusals.ts';
import {
  checkFundingStream,
  checkLineExists,
  isRefusal,
  postingPeriod,
  referenceDataOf,
} from './ledger-checks.ts';
import type { LedgerCommandOf } from './ledger-commands.ts';
import type { LedgerState } from './ledger-state.ts';

/** The year's plan: each scheme's classification for the year, phasing, RAG thresholds. */

/**
 * A scheme's classification for this year (the template's columns), checked against the year's
 * reference lists. Its name and type show in every quarterly position, so once a quarter of the
 * year is closed they cannot change; the other columns can, until the outturn.
 */
export function classifyScheme(
  command: LedgerCommandOf<'ClassifyScheme'>,
  state: LedgerState,
): Decision<LedgerEvent> {
  const problem =
    checkScheme(command.pool, command.schemeId, 'schemeId', true) ??
    checkColumnsAgainst(command.columns, referenceDataOf(command));
  if (problem !== undefined) return refuse(problem);
  const current = state.classifications.get(command.schemeId);
  if (current !== undefined && sameColumns(current, command.columns)) return accept();
  if (current !== undefined && state.closedQuarters > 0) {
    const fixed = (['name', 'schemeType'] as const).find(
      (column) => current[column] !== command.columns[column],
    );
    if (fixed !== undefined) {
      return refuse(
        refusal(
          'classification-fixed',
          `scheme "${command.schemeId}" is "${current[fixed]}" in the signed-off quarters of ${command.year}, so its ${fixed === 'name' ? 'name' : 'type'} stays for ${command.year}; classify it anew in the next year`,
          fixed,
          command.columns[fixed],
        ),
      );
    }
  }
  const quarter = postingPeriod(state, command);
  if (isRefusal(quarter)) return refuse(quarter);
  const { poolId, year, schemeId, columns } = command;
  return accept({
    type: 'SchemeClassified.v1',
    data: { poolId, year, schemeId, ...columns, quarter },
  });
}

/**
 * How a line's budget is spread over the quarters, as percentages summing to 100 (equal quarters
 * until one is given). It counts from the open quarter: a closed quarter keeps the profile it was
 * signed off with.
 */
export function phaseBudget(
  command: LedgerCommandOf<'PhaseBudget'>,
  state: LedgerState,
): Decision<LedgerEvent> {
  const profile = quarterProfile.safeParse(command.profile);
  if (!profile.success) {
    return refuse(
      refusal(
        'profile-invalid',
        `the profile ${Object.values(command.profile).join(' / ')}: ${profile.error.issues[0]?.message ?? 'is not valid'}`,
        'profile',
        Object.values(command.profile).join('/'),
      ),
    );
  }
  const problem =
    checkFundingStream(command, command.fundingStream) ??
    checkLineExists(state, command, command.schemeId, command.fundingStream);
  if (problem !== undefined) return refuse(problem);
  const quarter = postingPeriod(state, command);
  if (isRefusal(quarter)) return refuse(quarter);
  const { poolId, year, schemeId, fundingStream } = command;
  return accept({
    type: 'BudgetPhased.v1',
    data: { poolId, year, schemeId, fundingStream, profile: profile.data, quarter },
  });
}

/**
 * The pool's RAG thresholds for the year (docs/domain.md gives the defaults). They count from
 * the open quarter, so a closed quarter keeps the ratings it was signed off with.
 */
export function setRagThresholds(
  command: LedgerCommandOf<'SetRagThresholds'>,
  state: LedgerState,
): Decision<LedgerEvent> {
  const valid = ragThresholds.safeParse(command.thresholds);
  if (!valid.success) {
    const issue = valid.error.issues[0];
    return refuse(
      refusal(
        'amount-invalid',
        `${String(issue?.path.at(-1) ?? 'thresholds')}: ${issue?.message ?? 'not a percentage'}`,
        'thresholds',
      ),
    );
  }
  const { amberAbovePercent, redAbovePercent, amberBelowPercent, redBelowPercent } = valid.data;
  const below = (a: string, b: string) => hundredthsOfPercent(a) <= hundredthsOfPercent(b);
  if (!below(amberAbovePercent, redAbovePercent) || !below(amberBelowPercent, redBelowPercent)) {
    return refuse(
      refusal(
        'amount-invalid',
        'an amber threshold must not be above its red threshold',
        'thresholds',
        `${amberAbovePercent}/${redAbovePercent}, ${amberBelowPercent}/${redBelowPercent}`,
      ),
    );
  }
  const quarter = postingPeriod(state, command);
  if (isRefusal(quarter)) return refuse(quarter);
  const { poolId, year } = command;
  return accept({
    type: 'RagThresholdsSet.v1',
    data: {
      poolId,
      year,
      thresholds: { amberAbovePercent, redAbovePercent, amberBelowPercent, redBelowPercent },
      quarter,
    },
  });
}

function sameColumns(a: SchemeColumns, b: SchemeColumns): boolean {
  return canonicalJson(a) === canonicalJson(b);
}
