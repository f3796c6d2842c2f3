import { Money } from '#money';
import {
  hundredthsOfPercent,
  type LedgerEvent,
  type YearEndTerms,
  yearEndTerms,
} from '../../events/catalogue/index.ts';
import {
  applyWaterfall,
  termsCoverage,
  type WaterfallInput,
  type WaterfallResult,
} from '../../rules/waterfall.ts';
import { accept, type Decision, refuse } from '../decider.ts';
import { refusal } from '../refusals.ts';
import { checkApproverRole } from './control.ts';
import {
  checkApprover,
  fundingCategoryOf,
  isRefusal,
  openPeriodOrRefusal,
  postingPeriod,
  referenceDataOf,
  schemeColumnsFor,
} from './ledger-checks.ts';
import type { LedgerCommand, LedgerCommandOf } from './ledger-commands.ts';
import type { LedgerState } from './ledger-state.ts';

/**
 * The year end of the section 75 agreement (rule 11): its terms proposed by one CFO and agreed
 * by another, the risk-share waterfall applied step by step once the outturn is determined, and
 * the carry-forward brought into the next year.
 */

export function proposeYearEndTerms(
  command: LedgerCommandOf<'ProposeYearEndTerms'>,
  state: LedgerState,
): Decision<LedgerEvent> {
  const problem =
    checkApproverRole(command, 'proposes the year-end terms') ??
    checkTermsShape(command) ??
    checkRiskShareOpen(command, state);
  if (problem !== undefined) return refuse(problem);
  const quarter = openPeriodOrRefusal(state, command);
  if (isRefusal(quarter)) return refuse(quarter);
  return accept({
    type: 'YearEndTermsProposed.v1',
    data: {
      poolId: command.poolId,
      year: command.year,
      terms: command.terms,
      proposedBy: command.actor.id,
      quarter,
    },
  });
}

/** Another CFO agrees the terms proposed, once they can be applied to every line of the year. */
export function approveYearEndTerms(
  command: LedgerCommandOf<'ApproveYearEndTerms'>,
  state: LedgerState,
): Decision<LedgerEvent> {
  const proposal = state.proposedTerms;
  if (proposal === undefined) {
    return refuse(
      refusal(
        'terms-not-proposed',
        `no year-end terms for ${command.year} await approval: propose them first`,
        'year',
        command.year,
      ),
    );
  }
  const problem =
    checkApprover(command, proposal.proposedBy, `the ${command.year} year-end terms`) ??
    checkRiskShareOpen(command, state);
  if (problem !== undefined) return refuse(problem);
  const uncovered = termsCoverage(waterfallInput(command, state, proposal.terms, 'budget'));
  if (uncovered !== undefined)
    return refuse(refusal('risk-share-terms-invalid', uncovered, 'terms'));
  const quarter = openPeriodOrRefusal(state, command);
  if (isRefusal(quarter)) return refuse(quarter);
  return accept({
    type: 'YearEndTermsAgreed.v1',
    data: {
      poolId: command.poolId,
      year: command.year,
      terms: proposal.terms,
      proposedBy: proposal.proposedBy,
      approvedBy: command.actor.id,
      quarter,
    },
  });
}

/**
 * Rule 11: once the outturn is determined, the agreed terms applied to it step by step, each step
 * recorded with its figures, and the outcome: each partner's share and what is carried forward.
 */
export function applyRiskShare(
  command: LedgerCommandOf<'ApplyRiskShare'>,
  state: LedgerState,
): Decision<LedgerEvent> {
  const problem =
    checkOutturnDetermined(command, state) ??
    checkRiskShareOpen(command, state) ??
    checkApproverRole(command, 'applies the risk share');
  if (problem !== undefined) return refuse(problem);
  const terms = state.agreedTerms;
  if (terms === undefined) {
    return refuse(
      refusal(
        'terms-not-agreed',
        `agree the ${command.year} year-end terms (proposed by one CFO, approved by another) before applying the risk share`,
        'year',
        command.year,
      ),
    );
  }
  const waterfall = applyWaterfall(waterfallInput(command, state, terms, 'outturn'));
  if (!waterfall.ok) return refuse(refusal('risk-share-terms-invalid', waterfall.problem, 'terms'));
  if (!waterfall.result.net.equals(state.outturnNet ?? Money.zero))
    throw new Error('the risk share and the outturn disagree on the net');
  return accept(...stepEvents(command, waterfall.result));
}

/** The year's figures as the waterfall takes them: by the outturn, or (before it) by the budget. */
export function waterfallInput(
  command: LedgerCommand,
  state: LedgerState,
  terms: WaterfallInput['terms'],
  figures: 'outturn' | 'budget',
): WaterfallInput {
  const reference = referenceDataOf(command);
  const contributions = new Map<string, Map<string, Money>>();
  for (const [key, amount] of state.contributions) {
    const [partnerId = '', fundingStream = ''] = key.split('\u0000');
    const byStream = contributions.get(partnerId) ?? new Map<string, Money>();
    byStream.set(fundingStream, amount);
    contributions.set(partnerId, byStream);
  }
  return {
    terms,
    partners: [...command.pool.partners].map(([partnerId, partner]) => ({
      partnerId,
      kind: partner.kind,
    })),
    hostPartnerId: command.pool.registration?.hostPartnerId ?? '',
    contributions,
    streams: reference.fundingStreams.map(({ name }) => ({
      fundingStream: name,
      capital: fundingCategoryOf(command, name) === 'capital',
      contributions: state.streams.get(name)?.contributions ?? Money.zero,
      allocated: state.streams.get(name)?.allocated ?? Money.zero,
    })),
    lines: [...state.lines].map(([key, line]) => {
      const [schemeId = '', fundingStream = ''] = key.split('\u0000');
      const columns = schemeColumnsFor(command, state, schemeId);
      return {
        schemeId,
        fundingStream,
        budget: line.budget,
        expenditure: figures === 'outturn' ? line.spent.plus(line.accrued) : line.budget,
        commissioner: columns?.commissioner ?? '',
        nhsPercentage: columns?.nhsPercentage,
        laPercentage: columns?.laPercentage,
      };
    }),
  };
}

function stepEvents(
  command: LedgerCommandOf<'ApplyRiskShare'>,
  result: WaterfallResult,
): LedgerEvent[] {
  const inLedger = { poolId: command.poolId, year: command.year };
  const lineAmounts = (
    amounts: readonly { schemeId: string; fundingStream: string; amount: Money }[],
  ) =>
    amounts.map(({ schemeId, fundingStream, amount }) => ({
      schemeId,
      fundingStream,
      amount: amount.toString(),
    }));
  const events: LedgerEvent[] = result.offsets.map((offset) => ({
    type: 'OverspendOffset.v1',
    data: {
      ...inLedger,
      kind: offset.kind,
      offset: offset.offset.toString(),
      overspendMet: lineAmounts(offset.overspendMet),
      underspendUsed: lineAmounts(offset.underspendUsed),
    },
  }));
  if (result.contingency !== null) {
    const { schemeId, fundingStream, available, used, overspendMet } = result.contingency;
    events.push({
      type: 'ContingencyUsed.v1',
      data: {
        ...inLedger,
        schemeId,
        fundingStream,
        available: available.toString(),
        used: used.toString(),
        overspendMet: lineAmounts(overspendMet),
      },
    });
  }
  events.push(...outcomeEvents(inLedger, result));
  return events;
}

/** The last steps: overspends shared, underspends treated, and the outcome. */
function outcomeEvents(
  inLedger: { poolId: string; year: string },
  result: WaterfallResult,
): LedgerEvent[] {
  const partnerAmounts = (amounts: readonly { partnerId: string; amount: Money }[]) =>
    amounts.map(({ partnerId, amount }) => ({ partnerId, amount: amount.toString() }));
  return [
    {
      type: 'OverspendShared.v1',
      data: {
        ...inLedger,
        lines: result.overspends.map((line) => ({
          schemeId: line.schemeId,
          fundingStream: line.fundingStream,
          overspend: line.overspend.toString(),
          profile: line.profile,
          shares: partnerAmounts(line.shares),
        })),
      },
    },
    {
      type: 'UnderspendTreated.v1',
      data: {
        ...inLedger,
        streams: result.underspends.map((stream) => ({
          fundingStream: stream.fundingStream,
          capital: stream.capital,
          underspend: stream.underspend.toString(),
          unallocated: stream.unallocated.toString(),
          returned: partnerAmounts(stream.returned),
          carriedForward: stream.carriedForward.toString(),
        })),
      },
    },
    {
      type: 'RiskShareApplied.v1',
      data: {
        ...inLedger,
        net: result.net.toString(),
        allocations: partnerAmounts(result.shares),
        carryForward: result.carryForward.map(({ fundingStream, amount }) => ({
          fundingStream,
          amount: amount.toString(),
        })),
      },
    },
  ];
}

/**
 * The previous year's carry-forward brought into this year's funding, stream by stream, capital
 * staying capital; once the year it comes from is closed, and once only.
 */
export function bringForwardBalance(
  command: LedgerCommandOf<'BringForwardBalance'>,
  state: LedgerState,
): Decision<LedgerEvent> {
  if (state.broughtForwardFrom === command.fromYear) return accept();
  if (state.broughtForwardFrom !== undefined) {
    return refuse(
      refusal(
        'already-brought-forward',
        `${state.broughtForwardFrom}'s balance has already been brought forward into ${command.year}`,
        'fromYear',
        command.fromYear,
      ),
    );
  }
  if (!(command.fromYear < command.year) || !command.fromYearClosed) {
    return refuse(
      refusal(
        'prior-year-not-closed',
        `${command.fromYear} must be an earlier year of the pool, closed, before its balance is brought forward`,
        'fromYear',
        command.fromYear,
      ),
    );
  }
  const byStream = command.carriedForward.filter((entry) => !Money.parse(entry.amount).isZero());
  const unknown = byStream.find(
    (entry) => fundingCategoryOf(command, entry.fundingStream) === undefined,
  );
  if (unknown !== undefined) {
    return refuse(
      refusal(
        'reference-unknown',
        `${command.fromYear} carried forward ${unknown.fundingStream}, which is not one of ${command.year}'s funding streams`,
        'fromYear',
        command.fromYear,
      ),
    );
  }
  const quarter = postingPeriod(state, command);
  if (isRefusal(quarter)) return refuse(quarter);
  if (byStream.length === 0) return accept();
  return accept({
    type: 'BalanceBroughtForward.v1',
    data: {
      poolId: command.poolId,
      year: command.year,
      fromYear: command.fromYear,
      byStream,
      quarter,
    },
  });
}

/** The terms are whole: the shape, the fixed shares summing to 100, partners and streams known. */
function checkTermsShape(command: LedgerCommandOf<'ProposeYearEndTerms'>) {
  const parsed = yearEndTerms.safeParse(command.terms);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return refusal(
      'risk-share-terms-invalid',
      `${issue?.path.join('.') || 'terms'}: ${issue?.message ?? 'not valid'}`,
      'terms',
    );
  }
  const terms = parsed.data;
  const order = stepsProblem(terms);
  if (order !== undefined) return refusal('risk-share-terms-invalid', order, 'terms.steps');
  const profiles = [
    { whose: 'the default profile', field: 'terms.defaultProfile', profile: terms.defaultProfile },
    ...terms.lineProfiles.map((line, index) => ({
      whose: `scheme "${line.schemeId}" ${line.fundingStream}`,
      field: `terms.lineProfiles[${index}]`,
      profile: line.profile,
    })),
  ];
  for (const { whose, field, profile } of profiles) {
    if (profile.kind !== 'fixed') continue;
    const total = profile.shares.reduce(
      (sum, share) => sum + hundredthsOfPercent(share.percentage),
      0,
    );
    if (total !== 10_000) {
      const percent = `${Math.trunc(total / 100)}.${String(total % 100).padStart(2, '0')}`;
      return refusal(
        'risk-share-terms-invalid',
        `the fixed shares of ${whose} add up to ${percent}%, not 100%`,
        field,
        percent,
      );
    }
    const stranger = profile.shares.find((share) => !command.pool.partners.has(share.partnerId));
    if (stranger !== undefined)
      return refusal(
        'partner-unknown',
        `partner "${stranger.partnerId}" in the fixed shares of ${whose} has not joined the pool`,
        field,
        stranger.partnerId,
      );
  }
  const stream = [
    ...terms.underspend.map((entry) => entry.fundingStream),
    ...terms.lineProfiles.map((entry) => entry.fundingStream),
    ...(terms.contingency === undefined ? [] : [terms.contingency.fundingStream]),
  ].find((name) => fundingCategoryOf(command, name) === undefined);
  if (stream !== undefined)
    return refusal(
      'reference-unknown',
      `funding stream "${stream}" is not one of ${command.year}'s`,
      'terms',
      stream,
    );
  return undefined;
}

function checkRiskShareOpen(command: LedgerCommand, state: LedgerState) {
  if (!state.riskShareApplied) return undefined;
  return refusal(
    'risk-share-already-applied',
    `the ${command.year} risk share has already been applied`,
    'year',
    command.year,
  );
}

function checkOutturnDetermined(command: LedgerCommand, state: LedgerState) {
  if (state.outturnNet !== undefined) return undefined;
  return refusal(
    'outturn-not-determined',
    `determine the ${command.year} outturn before applying the risk share`,
    'year',
    command.year,
  );
}

/** The steps in an order that can be applied: each once, sharing the overspends last. */
function stepsProblem(terms: YearEndTerms): string | undefined {
  if (new Set(terms.steps).size !== terms.steps.length)
    return 'each step of the waterfall appears once';
  if (terms.steps.at(-1) !== 'share-overspend')
    return 'the waterfall ends by sharing what is left of the overspends (`share-overspend`)';
  if (terms.steps.includes('contingency') && terms.contingency === undefined)
    return 'the `contingency` step needs the contingency line (`contingency`: scheme and stream)';
  return undefined;
}
