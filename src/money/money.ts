import { Decimal } from 'decimal.js';

/**
 * Exact pounds and pence. Every amount in the ledger is a Money: parsed from a decimal string,
 * computed with one explicitly configured Decimal, written back as a decimal string with two
 * places. A JS number never holds an amount.
 */

/**
 * The one Decimal configuration of the ledger. Forty significant digits hold any sum the ledger
 * can meet (the bound below has fourteen) without rounding; the rounding mode only matters for
 * division, which happens in apportionment and ratios, and is stated rather than left to the
 * library default. Exponent notation is pushed far out so toFixed never emits it.
 */
const LedgerDecimal = Decimal.clone({
  precision: 40,
  rounding: Decimal.ROUND_HALF_EVEN,
  toExpNeg: -40,
  toExpPos: 40,
  maxE: 40,
  minE: -40,
});

/** The largest amount, positive or negative, a single entered figure may have: £999,999,999,999.99. */
export const MAX_ENTERED_AMOUNT = '999999999999.99';

/**
 * The most whole digits a figure the ledger computed (a total, a sum across pools) may have when
 * read back from a stored view. Far beyond any total the ledger's rules let arise, so that reading
 * a stored figure can never fail where adding it up did not.
 */
const MAXIMUM_TOTAL_WHOLE_DIGITS = 30;

/**
 * An optional minus sign, whole pounds without leading zeros, and an optional one or two decimal
 * places. ASCII digits only: `\d` would also accept other scripts.
 */
const AMOUNT_PATTERN = /^-?(0|[1-9][0-9]*)(\.[0-9]{1,2})?$/;
const MAXIMUM_WHOLE_DIGITS = 12;

export type MoneyParseFailure =
  | 'not-a-string'
  | 'empty'
  | 'malformed'
  | 'too-many-decimal-places'
  | 'negative-zero'
  | 'out-of-range';

export class MoneyParseError extends Error {
  readonly failure: MoneyParseFailure;
  readonly input: unknown;

  constructor(failure: MoneyParseFailure, input: unknown) {
    super(describeParseFailure(failure, input));
    this.name = 'MoneyParseError';
    this.failure = failure;
    this.input = input;
  }
}

export function describeParseFailure(failure: MoneyParseFailure, input: unknown): string {
  const shown = typeof input === 'string' ? `"${truncate(input)}"` : describeType(input);
  switch (failure) {
    case 'not-a-string':
      return `an amount must be a decimal string such as "1250.00", not ${shown}`;
    case 'empty':
      return 'an amount must not be empty';
    case 'malformed':
      return `${shown} is not an amount: write pounds and pence as digits, such as "1250.00", without exponents, spaces, separators or currency symbols`;
    case 'too-many-decimal-places':
      return `${shown} has more than two decimal places; amounts are in pounds and pence`;
    case 'negative-zero':
      return `${shown} is a negative zero; write "0.00"`;
    case 'out-of-range':
      return `${shown} is beyond the largest amount the ledger accepts (${MAX_ENTERED_AMOUNT})`;
  }
}

function truncate(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

function describeType(input: unknown): string {
  if (input === null) return 'null';
  if (typeof input === 'number') return `the number ${String(input)}`;
  return `a value of type ${typeof input}`;
}

/**
 * Why the text is not an amount, or undefined when it is one. Text only, no Decimal: this runs on
 * every amount of every event read, so it must be cheap. Twelve whole digits at most is exactly
 * the bound MAX_ENTERED_AMOUNT.
 */
export function checkAmountText(
  input: unknown,
  maximumWholeDigits = MAXIMUM_WHOLE_DIGITS,
): MoneyParseFailure | undefined {
  if (typeof input !== 'string') return 'not-a-string';
  if (input.length === 0) return 'empty';
  if (!AMOUNT_PATTERN.test(input)) {
    const decimals = /^-?[0-9]+\.([0-9]+)$/.exec(input)?.[1];
    return decimals !== undefined && decimals.length > 2 ? 'too-many-decimal-places' : 'malformed';
  }
  const unsigned = input.startsWith('-') ? input.slice(1) : input;
  const point = unsigned.indexOf('.');
  if ((point === -1 ? unsigned.length : point) > maximumWholeDigits) return 'out-of-range';
  if (NEGATIVE_ZERO_PATTERN.test(input)) return 'negative-zero';
  return undefined;
}

const NEGATIVE_ZERO_PATTERN = /^-0(\.0{1,2})?$/;
const MAXIMUM_ENTERED = new LedgerDecimal(MAX_ENTERED_AMOUNT);
/** Below 10^13 pounds an amount in pence has at most fifteen digits, which a float holds exactly. */
const SPREADSHEET_EXACT_BOUND = new LedgerDecimal('1e13');

export class Money {
  readonly #value: Decimal;

  private constructor(value: Decimal) {
    this.#value = value;
  }

  static readonly zero: Money = new Money(new LedgerDecimal(0));

  /** Parses an entered amount. Throws MoneyParseError saying exactly what is wrong. */
  static parse(input: unknown): Money {
    const result = Money.tryParse(input);
    if (result instanceof MoneyParseError) throw result;
    return result;
  }

  /** Parses an entered amount, returning the error as a value. */
  static tryParse(input: unknown): Money | MoneyParseError {
    const failure = checkAmountText(input);
    if (failure !== undefined) return new MoneyParseError(failure, input);
    return new Money(new LedgerDecimal(input as string));
  }

  /**
   * A figure the ledger computed and stored (a total in a view, a report's sum), read back. The
   * same grammar as an entered amount, without the entered bound: a total may exceed any one entry.
   */
  static parseTotal(input: string): Money {
    const failure = checkAmountText(input, MAXIMUM_TOTAL_WHOLE_DIGITS);
    if (failure !== undefined) throw new MoneyParseError(failure, input);
    return new Money(new LedgerDecimal(input));
  }

  /** Whether the amount is one a single entry may have: within ±MAX_ENTERED_AMOUNT. */
  isWithinEnteredBound(): boolean {
    return this.#value.abs().lessThanOrEqualTo(MAXIMUM_ENTERED);
  }

  /**
   * Whether a spreadsheet's numeric cell (a binary float) holds this amount exactly enough to read
   * back as the same pounds and pence: fifteen significant digits at most.
   */
  fitsSpreadsheetCell(): boolean {
    return this.#value.abs().lessThan(SPREADSHEET_EXACT_BOUND);
  }

  /**
   * An amount from a spreadsheet's numeric cell. The cell holds a binary float; its shortest
   * decimal form is taken, and refused if it has more than two places (as 0.1 + 0.2 would),
   * so a float's noise never becomes money.
   */
  static fromSpreadsheetNumber(cell: number): Money | MoneyParseError {
    if (!Number.isFinite(cell)) return new MoneyParseError('malformed', String(cell));
    const text = String(cell);
    if (/e/i.test(text)) return Money.tryParse(new LedgerDecimal(text).toFixed());
    return Money.tryParse(Object.is(cell, -0) ? '0' : text);
  }

  /**
   * The amount as a spreadsheet's numeric cell. A workbook stores binary floats; every amount the
   * ledger accepts, and every total below 10^13, has at most fifteen significant digits, which a
   * float holds exactly enough to read back as the same pounds and pence (checked on the way out).
   */
  toSpreadsheetNumber(): number {
    const cell = Number(this.#value.toFixed(2));
    // Read back as a total, not an entry: a workbook's totals row may exceed any one entry.
    if (!Number.isFinite(cell) || !new LedgerDecimal(String(cell)).equals(this.#value))
      throw new RangeError(`${this.toString()} does not fit a spreadsheet cell exactly`);
    return cell;
  }

  /**
   * A chart axis's tick (a number the charting library chose for drawing, never a figure anyone
   * reads as money) as a short label: £12m, £1.5m, £250k, £40.
   */
  static axisLabel(tick: number): string {
    const value = new LedgerDecimal(Number.isFinite(tick) ? String(tick) : '0');
    const size = value.abs();
    if (size.greaterThanOrEqualTo(1_000_000))
      return `£${value.dividedBy(1_000_000).toFixed(size.greaterThanOrEqualTo(10_000_000) ? 0 : 1)}m`;
    if (size.greaterThanOrEqualTo(1_000)) return `£${value.dividedBy(1_000).toFixed(0)}k`;
    return `£${value.toFixed()}`;
  }

  /**
   * A figure from a file a spreadsheet wrote, with binary float noise (`73423.70999999999`),
   * rounded to the nearest penny, halves away from zero; only where the user asked for rounding.
   * Digits with at most one point and an optional minus sign, nothing else.
   */
  static parseRoundingToPence(input: string): Money | MoneyParseError {
    if (!/^-?[0-9]+(\.[0-9]+)?$/.test(input)) return new MoneyParseError('malformed', input);
    const rounded = new LedgerDecimal(input).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2);
    return Money.tryParse(rounded === '-0.00' ? '0.00' : rounded);
  }

  /** Whole pence, for integer-only wire formats and apportionment. */
  static fromPence(pence: bigint): Money {
    return new Money(new LedgerDecimal(pence.toString()).dividedBy(100));
  }

  toPence(): bigint {
    return BigInt(this.#value.times(100).toFixed(0));
  }

  plus(other: Money): Money {
    return new Money(this.#value.plus(other.#value));
  }

  minus(other: Money): Money {
    return new Money(this.#value.minus(other.#value));
  }

  negated(): Money {
    return this.isZero() ? this : new Money(this.#value.negated());
  }

  abs(): Money {
    return new Money(this.#value.abs());
  }

  compare(other: Money): -1 | 0 | 1 {
    return this.#value.comparedTo(other.#value) as -1 | 0 | 1;
  }

  equals(other: Money): boolean {
    return this.#value.equals(other.#value);
  }

  greaterThan(other: Money): boolean {
    return this.#value.greaterThan(other.#value);
  }

  lessThan(other: Money): boolean {
    return this.#value.lessThan(other.#value);
  }

  isZero(): boolean {
    return this.#value.isZero();
  }

  isNegative(): boolean {
    return this.#value.isNegative() && !this.#value.isZero();
  }

  isPositive(): boolean {
    return this.#value.isPositive() && !this.#value.isZero();
  }

  /** The canonical decimal string: always two places, no exponent, "-" only when below zero. */
  toString(): string {
    return this.#value.toFixed(2);
  }

  toJSON(): string {
    return this.toString();
  }

  /** Whether this amount is more than `percent` per cent of `whole`, compared exactly. */
  exceedsPercentageOf(whole: Money, percent: string): boolean {
    return this.#value.times(100).greaterThan(whole.#value.times(new LedgerDecimal(percent)));
  }

  /** The smaller of two amounts. */
  static min(a: Money, b: Money): Money {
    return a.greaterThan(b) ? b : a;
  }

  static sum(amounts: Iterable<Money>): Money {
    let total = Money.zero;
    for (const amount of amounts) total = total.plus(amount);
    return total;
  }
}
