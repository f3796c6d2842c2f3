import { MAX_ENTERED_AMOUNT, Money } from '#money';
import type { DomainError } from '../decider.ts';
import { refusal } from '../refusals.ts';
import type { GrossKind, LedgerState } from './ledger-state.ts';

/**
 * The gross of each kind of money the year's ledger records: the sum of the sizes of all its
 * postings of that kind (a release or a reversal counts as much as what it undoes). Every total the
 * ledger or a report keeps is a signed sum of some of these postings, so its size is at most the
 * gross; keeping each gross within the largest amount keeps every total representable, exactly, in
 * every form the ledger writes (a view, a report, a spreadsheet cell). A posting that would take a
 * gross beyond it is refused where it is decided (rule 1).
 */
const LARGEST = Money.parse(MAX_ENTERED_AMOUNT);

export function addGross(state: LedgerState, kind: GrossKind, amount: Money): void {
  state.gross.set(kind, grossOf(state, kind).plus(amount.abs()));
}

export function grossOf(state: LedgerState, kind: GrossKind): Money {
  return state.gross.get(kind) ?? Money.zero;
}

/** Refuses a posting of `amount` (of this kind) that would take the year's gross beyond the largest amount. */
export function checkGross(
  state: LedgerState,
  year: string,
  kind: GrossKind,
  amount: Money,
  field: string,
): DomainError | undefined {
  return checkGrossAfter(year, kind, grossOf(state, kind).plus(amount.abs()), amount, field);
}

/** Refuses a posting of `amount` that would leave the year's gross of its kind at `after`, beyond the largest amount. */
export function checkGrossAfter(
  year: string,
  kind: GrossKind,
  after: Money,
  amount: Money,
  field: string,
): DomainError | undefined {
  if (!after.greaterThan(LARGEST)) return undefined;
  return refusal(
    'total-out-of-range',
    `${field} ${amount.toString()} would take the ${kind} recorded in ${year} to ${after.toString()}, beyond ${MAX_ENTERED_AMOUNT}, the largest total the ledger keeps`,
    field,
    amount.toString(),
  );
}
