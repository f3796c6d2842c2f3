import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  amountString,
  apportion,
  MAX_ENTERED_AMOUNT,
  Money,
  MoneyParseError,
  positiveAmountString,
} from '#money';

/** Amount strings in canonical form, from -MAX to MAX, built from whole pence so they are exact. */
const maxPence = 99_999_999_999_999n;
const pence = fc.bigInt({ min: -maxPence, max: maxPence });
const canonicalAmount = pence.map((value) => Money.fromPence(value).toString());

function refusal(input: unknown): string {
  const result = Money.tryParse(input);
  if (!(result instanceof MoneyParseError))
    throw new Error(`expected ${String(input)} to be refused`);
  return result.failure;
}

describe('Money.parse', () => {
  it('reads decimal strings and writes them back with two places', () => {
    expect(Money.parse('1250000').toString()).toBe('1250000.00');
    expect(Money.parse('0.1').toString()).toBe('0.10');
    expect(Money.parse('-12.34').toString()).toBe('-12.34');
    expect(Money.parse('0').toString()).toBe('0.00');
    expect(Money.parse(MAX_ENTERED_AMOUNT).toString()).toBe(MAX_ENTERED_AMOUNT);
    expect(Money.parse(`-${MAX_ENTERED_AMOUNT}`).toString()).toBe(`-${MAX_ENTERED_AMOUNT}`);
  });

  it('refuses JS numbers, including integers and floats', () => {
    expect(refusal(0.1)).toBe('not-a-string');
    expect(refusal(100)).toBe('not-a-string');
    expect(refusal(Number.NaN)).toBe('not-a-string');
    expect(refusal(Number.POSITIVE_INFINITY)).toBe('not-a-string');
    expect(refusal(null)).toBe('not-a-string');
    expect(refusal(10n)).toBe('not-a-string');
  });

  it('refuses exponents, NaN and Infinity written as strings', () => {
    for (const input of ['1e3', '1E3', '1.5e2', 'NaN', 'Infinity', '-Infinity', '0x10', '1_000']) {
      expect(refusal(input), input).toBe('malformed');
    }
  });

  it('refuses more than two decimal places, naming the problem', () => {
    expect(refusal('12.345')).toBe('too-many-decimal-places');
    expect(refusal('0.001')).toBe('too-many-decimal-places');
    expect(() => Money.parse('12.345')).toThrow('"12.345" has more than two decimal places');
  });

  it('refuses amounts beyond the stated bound', () => {
    expect(refusal('1000000000000')).toBe('out-of-range');
    expect(refusal('1000000000000.00')).toBe('out-of-range');
    expect(refusal('-1000000000000.00')).toBe('out-of-range');
  });

  it('refuses malformed text: separators, symbols, spaces, leading zeros, other scripts', () => {
    const malformed = [
      '',
      ' 1',
      '1 ',
      '£10',
      '1,000.00',
      '+5',
      '007',
      '1.',
      '.5',
      '--1',
      '١٢٣',
      '１２',
      '1.2.3',
    ];
    for (const input of malformed)
      expect(['malformed', 'empty'], JSON.stringify(input)).toContain(refusal(input));
  });

  it('refuses a negative zero', () => {
    expect(refusal('-0')).toBe('negative-zero');
    expect(refusal('-0.00')).toBe('negative-zero');
  });

  it('round-trips every canonical amount exactly', () => {
    fc.assert(
      fc.property(canonicalAmount, (text) => {
        expect(Money.parse(text).toString()).toBe(text);
      }),
      { numRuns: 2_000 },
    );
  });

  it('round-trips through pence exactly', () => {
    fc.assert(
      fc.property(pence, (value) => {
        expect(Money.fromPence(value).toPence()).toBe(value);
      }),
    );
  });

  it('adds associatively and exactly, where floating point does not', () => {
    expect(Money.parse('0.10').plus(Money.parse('0.20')).toString()).toBe('0.30');
    fc.assert(
      fc.property(canonicalAmount, canonicalAmount, canonicalAmount, (a, b, c) => {
        const [x, y, z] = [Money.parse(a), Money.parse(b), Money.parse(c)];
        expect(x.plus(y).plus(z).toString()).toBe(x.plus(y.plus(z)).toString());
        expect(x.plus(y).minus(y).toString()).toBe(x.toString());
      }),
      { numRuns: 2_000 },
    );
  });

  it('agrees with integer pence arithmetic on every sum', () => {
    fc.assert(
      fc.property(fc.array(pence, { maxLength: 50 }), (values) => {
        const total = Money.sum(values.map((value) => Money.fromPence(value)));
        expect(total.toPence()).toBe(values.reduce((sum, value) => sum + value, 0n));
      }),
    );
  });
});

describe('Money.fromSpreadsheetNumber', () => {
  it('takes a cell’s exact pounds and pence, and refuses float noise', () => {
    expect(String(Money.fromSpreadsheetNumber(30000000))).toBe('30000000.00');
    expect(String(Money.fromSpreadsheetNumber(1250.5))).toBe('1250.50');
    expect(String(Money.fromSpreadsheetNumber(-0))).toBe('0.00');
    expect(Money.fromSpreadsheetNumber(0.1 + 0.2)).toBeInstanceOf(MoneyParseError);
    expect(Money.fromSpreadsheetNumber(Number.NaN)).toBeInstanceOf(MoneyParseError);
    expect(Money.fromSpreadsheetNumber(1e21)).toBeInstanceOf(MoneyParseError);
  });
});

describe('Money.toSpreadsheetNumber', () => {
  it('writes every amount and total below 10^13 as a cell that reads back to the penny', () => {
    const belowBound = fc.bigInt({ min: -(10n ** 15n) + 1n, max: 10n ** 15n - 1n });
    fc.assert(
      fc.property(belowBound, (value) => {
        const amount = Money.fromPence(value);
        expect(amount.fitsSpreadsheetCell()).toBe(true);
        const cell = amount.toSpreadsheetNumber();
        expect(Money.parseTotal(String(cell)).equals(amount)).toBe(true);
      }),
    );
    // A totals row past the largest entry, as three lines near it make.
    expect(Money.parseTotal('1000000699999.99').toSpreadsheetNumber()).toBe(1000000699999.99);
  });

  it('refuses, rather than rounds, a total a float cannot hold to the penny', () => {
    const beyond = Money.parseTotal('123456789012345678.91');
    expect(beyond.fitsSpreadsheetCell()).toBe(false);
    expect(() => beyond.toSpreadsheetNumber()).toThrow(RangeError);
  });
});

describe('amount schemas', () => {
  it('accept amounts and refuse everything Money.parse refuses, with its message', () => {
    expect(amountString.safeParse('10.00').success).toBe(true);
    const refused = amountString.safeParse('1e3');
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]?.message).toContain('"1e3" is not an amount');
  });

  it('positive amounts refuse zero and negatives', () => {
    expect(positiveAmountString.safeParse('0.01').success).toBe(true);
    expect(positiveAmountString.safeParse('0.00').error?.issues[0]?.message).toBe(
      '"0.00" must be more than 0.00',
    );
    expect(positiveAmountString.safeParse('-5').success).toBe(false);
  });
});

describe('apportion', () => {
  it('splits by largest remainder so the parts sum to the total', () => {
    const parts = apportion(Money.parse('100.00'), ['1', '1', '1']).map(String);
    expect(parts).toEqual(['33.34', '33.33', '33.33']);
  });

  it('gives the leftover pence to the largest fractions, not the first parts', () => {
    // 10.00 split 3:3:4 exactly would be 3.00, 3.00, 4.00; 0.10 split 1:2 is 0.0333.. and 0.0666..
    expect(apportion(Money.parse('0.10'), ['1', '2']).map(String)).toEqual(['0.03', '0.07']);
  });

  it('mirrors negative totals (an overspend) exactly', () => {
    expect(apportion(Money.parse('-100.00'), ['1', '1', '1']).map(String)).toEqual([
      '-33.34',
      '-33.33',
      '-33.33',
    ]);
  });

  it('refuses an empty list and weights that sum to zero', () => {
    expect(() => apportion(Money.parse('1.00'), [])).toThrow('nobody to apportion');
    expect(() => apportion(Money.parse('1.00'), ['0', '0'])).toThrow('sum to zero');
    expect(() => apportion(Money.parse('1.00'), ['-1', '2'])).toThrow('not a non-negative decimal');
  });

  it('always sums to the whole, to the penny, and each part is within a penny of its exact share', () => {
    const weight = fc.oneof(
      fc
        .bigInt({ min: 0n, max: 10n ** 12n })
        .map((value) => Money.fromPence(value).toString().replace(/^-/, '')),
      fc.integer({ min: 0, max: 100 }).map(String),
    );
    fc.assert(
      fc.property(
        pence,
        fc
          .array(weight, { minLength: 1, maxLength: 20 })
          .filter((ws) => ws.some((w) => !/^0(\.0+)?$/.test(w))),
        (totalPence, weights) => {
          const total = Money.fromPence(totalPence);
          const parts = apportion(total, weights);
          expect(parts).toHaveLength(weights.length);
          expect(Money.sum(parts).toString()).toBe(total.toString());
          // Weights here have at most two places, so in hundredths they are whole numbers and the
          // "within a penny" check can be done in exact integer arithmetic.
          const hundredths = weights.map((w) => Money.parse(w).toPence());
          const weightSum = hundredths.reduce((sum, w) => sum + w, 0n);
          for (const [index, part] of parts.entries()) {
            const error = part.toPence() * weightSum - totalPence * (hundredths[index] ?? 0n);
            expect(error < 0n ? -error : error).toBeLessThan(weightSum);
            if (!part.isZero()) expect(part.isNegative()).toBe(total.isNegative());
          }
        },
      ),
      { numRuns: 1_000 },
    );
  });
});

describe('Money.axisLabel', () => {
  it('labels a chart tick short: millions, thousands, pounds', () => {
    expect(Money.axisLabel(12_000_000)).toBe('£12m');
    expect(Money.axisLabel(1_500_000)).toBe('£1.5m');
    expect(Money.axisLabel(-2_500_000)).toBe('£-2.5m');
    expect(Money.axisLabel(250_000)).toBe('£250k');
    expect(Money.axisLabel(40)).toBe('£40');
    expect(Money.axisLabel(0)).toBe('£0');
    expect(Money.axisLabel(Number.NaN)).toBe('£0');
  });
});
