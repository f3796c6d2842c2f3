import { Decimal } from 'decimal.js';
import { Money } from './money.ts';

const WeightDecimal = Decimal.clone({
  precision: 60,
  rounding: Decimal.ROUND_FLOOR,
  toExpNeg: -60,
  toExpPos: 60,
});
const WEIGHT_PATTERN = /^(0|[1-9][0-9]{0,14})(\.[0-9]{1,10})?$/;

export class ApportionmentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ApportionmentError';
  }
}

/**
 * Splits `total` into parts proportional to `weights` (non-negative decimal strings: amounts,
 * percentages, shares) by the largest-remainder rule, so the parts sum to the total exactly,
 * to the penny.
 *
 * Each part first gets the whole pence of its exact share, rounded towards zero; the pence
 * left over go one each to the parts with the largest discarded fractions, and equal fractions
 * are broken by position (earlier first), so the result is deterministic. A negative total is
 * split as its magnitude and negated, so an overspend and an underspend of the same size
 * apportion as mirror images.
 */
export function apportion(total: Money, weights: readonly string[]): Money[] {
  if (weights.length === 0)
    throw new ApportionmentError('there is nobody to apportion the amount to');
  const parsedWeights = weights.map((weight, index) => parseWeight(weight, index));
  const weightSum = parsedWeights.reduce((sum, weight) => sum.plus(weight), new WeightDecimal(0));
  if (weightSum.isZero())
    throw new ApportionmentError(
      'the weights sum to zero, so there is no proportion to apportion by',
    );

  const totalPence = total.toPence();
  const magnitude = new WeightDecimal((totalPence < 0n ? -totalPence : totalPence).toString());
  const shares = parsedWeights.map((weight, index) => {
    const exact = magnitude.times(weight).dividedBy(weightSum);
    const whole = exact.floor();
    return { index, pence: BigInt(whole.toFixed(0)), fraction: exact.minus(whole) };
  });

  const assigned = shares.reduce((sum, share) => sum + share.pence, 0n);
  let leftover = BigInt(magnitude.toFixed(0)) - assigned;
  const byLargestFraction = [...shares].sort(
    (a, b) => b.fraction.comparedTo(a.fraction) || a.index - b.index,
  );
  for (const share of byLargestFraction) {
    if (leftover === 0n) break;
    share.pence += 1n;
    leftover -= 1n;
  }

  const sign = totalPence < 0n ? -1n : 1n;
  return shares.map((share) => Money.fromPence(sign * share.pence));
}

function parseWeight(weight: string, index: number): Decimal {
  if (!WEIGHT_PATTERN.test(weight)) {
    throw new ApportionmentError(`weight ${index + 1} ("${weight}") is not a non-negative decimal`);
  }
  return new WeightDecimal(weight);
}
