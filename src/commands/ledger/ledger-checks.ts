import type { z } from 'zod';
import { Money } from '#money';
import {
  IBCF_PURPOSES,
  type LedgerEvent,
  type Period,
  periodBefore,
  type Quarter,
  quarterDates,
  quarterOfDate,
  type ReferenceData,
  type SchemeColumns,
  yearDates,
} from '../../events/catalogue/index.ts';
import type { DomainError } from '../decider.ts';
import type { PoolState } from '../pool/pool-state.ts';
import { refusal } from '../refusals.ts';
import type { LedgerCommand } from './ledger-commands.ts';
import { isClosed, type LedgerState, lineKey, openPeriod } from './ledger-state.ts';

/**
 * The checks the ledger's commands share. Each returns the refusal, or undefined when the check
 * passes, so a command reads as a list: `checkA() ?? checkB() ?? ...`.
 */

/** The pool is registered, is the one the command is for, and has the year open. */
export function checkLedgerContext(command: LedgerCommand): DomainError | undefined {
  const registration = command.pool.registration;
  if (registration === undefined) {
    return refusal(
      'pool-not-registered',
      `pool "${command.poolId}" has not been registered`,
      'poolId',
      command.poolId,
    );
  }
  if (registration.poolId !== command.poolId) {
    return refusal(
      'pool-mismatch',
      `the command is for pool "${command.poolId}", not "${registration.poolId}"`,
      'poolId',
      command.poolId,
    );
  }
  if (!command.pool.years.has(command.year)) {
    return refusal(
      'year-not-open',
      `financial year ${command.year} has not been opened for pool "${command.poolId}"`,
      'year',
      command.year,
    );
  }
  return undefined;
}

export function referenceDataOf(command: LedgerCommand): ReferenceData {
  const reference = command.pool.years.get(command.year);
  if (reference === undefined)
    throw new Error(`year ${command.year} is not open; checkLedgerContext runs first`);
  return reference;
}

export function fundingCategoryOf(command: LedgerCommand, fundingStream: string) {
  return referenceDataOf(command).fundingStreams.find((stream) => stream.name === fundingStream)
    ?.category;
}

export function checkFundingStream(
  command: LedgerCommand,
  fundingStream: string,
  field = 'fundingStream',
): DomainError | undefined {
  if (fundingCategoryOf(command, fundingStream) !== undefined) return undefined;
  const known = referenceDataOf(command).fundingStreams.map((stream) => stream.name);
  return refusal(
    'reference-unknown',
    `funding stream "${fundingStream}" is not one of ${command.year}'s: ${known.join(', ')}`,
    field,
    fundingStream,
  );
}

export function checkPartner(
  pool: PoolState,
  partnerId: string,
  field = 'partnerId',
): DomainError | undefined {
  if (pool.partners.has(partnerId)) return undefined;
  return refusal(
    'partner-unknown',
    `partner "${partnerId}" has not joined the pool`,
    field,
    partnerId,
  );
}

/** A scheme line exists once funds have been allocated to it (rule 6). */
export function checkLineExists(
  state: LedgerState,
  command: LedgerCommand,
  schemeId: string,
  fundingStream: string,
): DomainError | undefined {
  if (state.lines.has(lineKey(schemeId, fundingStream))) return undefined;
  return refusal(
    'scheme-line-unknown',
    `scheme "${schemeId}" has no ${fundingStream} budget line in ${command.year}: allocate funds to it first`,
    'schemeId',
    schemeId,
  );
}

/** Capital funding (DFG) goes only to schemes of a capital scheme type (rule 6). */
export function checkCapitalUse(
  command: LedgerCommand,
  state: LedgerState,
  schemeId: string,
  fundingStream: string,
  field = 'schemeId',
): DomainError | undefined {
  if (fundingCategoryOf(command, fundingStream) !== 'capital') return undefined;
  const schemeType = schemeColumnsFor(command, state, schemeId)?.schemeType;
  const capital =
    referenceDataOf(command).schemeTypes.find((type) => type.name === schemeType)?.capital === true;
  if (capital) return undefined;
  return refusal(
    'capital-to-revenue',
    `${fundingStream} is capital funding and may not go to scheme "${schemeId}", whose type "${schemeType}" is revenue`,
    field,
    schemeId,
  );
}

/** The scheme's classification for the year: the year's own, or the pool's as it stands. */
export function schemeColumnsFor(
  command: LedgerCommand,
  state: LedgerState,
  schemeId: string,
): SchemeColumns | undefined {
  const classified = state.classifications.get(schemeId);
  if (classified !== undefined) return classified;
  const scheme = command.pool.schemes.get(schemeId);
  if (scheme === undefined) return undefined;
  const { withdrawn: _withdrawn, ...columns } = scheme;
  return columns;
}

/**
 * The year's classification of a scheme the year has not touched yet: the pool's columns as they
 * stand, copied into the year before the first posting on it, so that amending the pool's scheme
 * later never relabels this year's reports (docs/decisions/0008).
 */
export function classifyIfNew(
  command: LedgerCommand,
  state: LedgerState,
  schemeId: string,
  quarter: Period,
): LedgerEvent[] {
  if (state.classifications.has(schemeId)) return [];
  const columns = schemeColumnsFor(command, state, schemeId);
  if (columns === undefined) return [];
  const { poolId, year } = command;
  return [{ type: 'SchemeClassified.v1', data: { poolId, year, schemeId, ...columns, quarter } }];
}

/** iBCF spend names one of the three purposes; other spend names none (rule 5). */
export function checkIbcfPurpose(
  command: LedgerCommand,
  fundingStream: string,
  purpose: string | undefined,
): DomainError | undefined {
  const ibcf = fundingCategoryOf(command, fundingStream) === 'ibcf';
  if (ibcf && purpose === undefined) {
    return refusal(
      'ibcf-purpose-required',
      `${fundingStream} spend must name its purpose: one of ${IBCF_PURPOSES.join(', ')}`,
      'ibcfPurpose',
      '',
    );
  }
  if (ibcf && !(IBCF_PURPOSES as readonly string[]).includes(purpose ?? '')) {
    return refusal(
      'ibcf-purpose-required',
      `"${purpose}" is not an iBCF purpose: use one of ${IBCF_PURPOSES.join(', ')}`,
      'ibcfPurpose',
      purpose ?? '',
    );
  }
  if (!ibcf && purpose !== undefined) {
    return refusal(
      'ibcf-purpose-not-applicable',
      `${fundingStream} is not iBCF, so its spend names no iBCF purpose`,
      'ibcfPurpose',
      purpose,
    );
  }
  return undefined;
}

/** A quarter named by a command (a forecast's) must still be open (rule 9). */
export function checkQuarterOpen(
  state: LedgerState,
  command: LedgerCommand,
  quarter: Quarter,
  field = 'quarter',
): DomainError | undefined {
  if (!isClosed(state, quarter)) return undefined;
  const open = openPeriod(state);
  const advice =
    open === undefined
      ? 'the year is closed'
      : `post it in ${open} as a prior-period adjustment naming ${quarter}`;
  return refusal(
    'quarter-closed',
    `${quarter} ${command.year} is closed: ${advice}`,
    field,
    quarter,
  );
}

/**
 * The period undated postings go into now (the first open quarter, then YE), or why nothing can
 * be posted to the year: its outturn is determined, or it is closed (rule 10).
 */
export function postingPeriod(state: LedgerState, command: LedgerCommand): Period | DomainError {
  const { year } = command;
  const open = openPeriod(state);
  if (open === undefined) {
    return refusal(
      'year-closed',
      `${year} is closed: post the correction in the next year, naming ${year}`,
      'year',
      year,
    );
  }
  if (state.outturnNet !== undefined) {
    return refusal(
      'outturn-determined',
      `the ${year} outturn has been determined, so nothing more is posted to ${year}; once it is closed, correct it in the next year`,
      'year',
      year,
    );
  }
  return open;
}

/**
 * The open period for what moves no money (year-end terms, metrics, minimums): still taken once
 * the outturn is determined, refused once the year is closed.
 */
export function openPeriodOrRefusal(
  state: LedgerState,
  command: LedgerCommand,
): Period | DomainError {
  return (
    openPeriod(state) ??
    refusal('year-closed', `${command.year} is closed: nothing changes it`, 'year', command.year)
  );
}

/** Where a posting counts: its period, and the closed quarter it belongs to when it came late. */
export interface Posting {
  readonly quarter: Period;
  readonly priorPeriodOf?: Quarter;
}

/**
 * Rule 3: dated money counts in the quarter of its business date; a date outside the year is
 * refused; a date in a closed quarter makes it a prior-period adjustment, counting in the open
 * period and naming the closed quarter (rule 9).
 */
export function datedPosting(
  state: LedgerState,
  command: LedgerCommand,
  date: string,
  field: string,
): Posting | DomainError {
  const businessQuarter = quarterOfDate(command.year, date);
  if (businessQuarter === undefined) {
    const { first, last } = yearDates(command.year);
    return refusal(
      'date-outside-year',
      `${date} is not in ${command.year} (${first} to ${last})`,
      field,
      date,
    );
  }
  const open = postingPeriod(state, command);
  if (isRefusal(open)) return open;
  return postingAfter(businessQuarter, open);
}

/** A posting belonging to `original`, made while `open` is the open period. */
export function postingAfter(original: Period, open: Period): Posting {
  if (!periodBefore(original, open)) return { quarter: original };
  return { quarter: open, priorPeriodOf: original as Quarter };
}

/** The posting's fields as an event carries them. */
export function postingFields(posting: Posting): Posting {
  return posting.priorPeriodOf === undefined
    ? { quarter: posting.quarter }
    : { quarter: posting.quarter, priorPeriodOf: posting.priorPeriodOf };
}

export function checkDateInQuarter(
  command: LedgerCommand,
  quarter: Quarter,
  date: string,
  field: string,
): DomainError | undefined {
  const { first, last } = quarterDates(command.year, quarter);
  if (date >= first && date <= last) return undefined;
  return refusal(
    'date-outside-quarter',
    `${date} is not in ${quarter} ${command.year} (${first} to ${last})`,
    field,
    date,
  );
}

export function checkNewId(used: boolean, field: string, value: string): DomainError | undefined {
  return used
    ? refusal(
        'duplicate-id',
        `${field} "${value}" has been used already in this ledger`,
        field,
        value,
      )
    : undefined;
}

/** Maker-checker: approvals need the approver role and another person than the requester (rule 4). */
export function checkApprover(
  command: LedgerCommand,
  requestedBy: string,
  what: string,
): DomainError | undefined {
  if (command.actor.role !== 'cfo') {
    return refusal(
      'approver-role-required',
      `only the CFO group's approver may decide ${what}; you act as ${command.actor.role}`,
      'actor',
      command.actor.id,
    );
  }
  if (command.actor.id === requestedBy) {
    return refusal(
      'same-person-approval',
      `${what} was requested by you, so another approver must decide it`,
      'actor',
      command.actor.id,
    );
  }
  return undefined;
}

export type AmountRule = 'positive' | 'non-negative' | 'non-zero';

/** The amount as Money, or a refusal naming the field and value. */
export function parseAmount(field: string, value: string, rule: AmountRule): Money | DomainError {
  const parsed = Money.tryParse(value);
  if (!(parsed instanceof Money))
    return refusal('amount-invalid', `${field}: ${parsed.message}`, field, String(value));
  const ok =
    rule === 'positive'
      ? parsed.isPositive()
      : rule === 'non-negative'
        ? !parsed.isNegative()
        : !parsed.isZero();
  if (ok) return parsed;
  const wanted =
    rule === 'positive'
      ? 'more than 0.00'
      : rule === 'non-negative'
        ? '0.00 or more'
        : 'other than 0.00';
  return refusal(
    'amount-invalid',
    `${field} must be ${wanted}, not ${parsed.toString()}`,
    field,
    value,
  );
}

/**
 * Free text the command carries, judged by the catalogue's own field schema (no control
 * characters, bounded; given where it must be), so that no edge can send what the event store would
 * then refuse. Each [field, value, schema] in turn; the first that does not fit is refused.
 */
export function checkTexts(
  texts: readonly (readonly [field: string, value: string, schema: z.ZodType<string>])[],
): DomainError | undefined {
  for (const [field, value, schema] of texts) {
    const parsed = schema.safeParse(value);
    if (parsed.success) continue;
    const reason = parsed.error.issues[0]?.message ?? 'is not valid';
    return refusal('text-invalid', `${field}: ${reason}`, field, value.slice(0, 200));
  }
  return undefined;
}

export function isRefusal(value: unknown): value is DomainError {
  return typeof value === 'object' && value !== null && 'code' in value && 'message' in value;
}

/**
 * The request (virement, contribution variation) the command decides, if it may decide it now:
 * it exists, is still pending, and the deciding person is an approver other than the requester.
 */
export function pendingRequest<Request extends { status: string; requestedBy: string }>(
  command: LedgerCommand,
  requests: ReadonlyMap<string, Request>,
  field: 'variationId' | 'virementId',
  id: string,
): Request | DomainError {
  const kind = field === 'variationId' ? 'contribution variation' : 'virement';
  const request = requests.get(id);
  if (request === undefined) {
    return refusal(
      field === 'variationId' ? 'variation-unknown' : 'virement-unknown',
      `no ${kind} "${id}" in ${command.year}`,
      field,
      id,
    );
  }
  if (request.status !== 'pending')
    return refusal('not-pending', `${kind} "${id}" has already been ${request.status}`, field, id);
  return checkApprover(command, request.requestedBy, `${kind} "${id}"`) ?? request;
}
