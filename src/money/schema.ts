import { z } from 'zod';
import { checkAmountText, describeParseFailure, Money } from './money.ts';

/**
 * The wire and event form of an amount: a decimal string that Money.parse accepts. The refusal
 * message names the value and what is wrong with it, so it can go straight to a finance officer.
 * The pattern in the metadata is for the API's documentation; the check itself is checkAmountText.
 */
export const amountString = z
  .string()
  .superRefine((value, context) => {
    const failure = checkAmountText(value);
    if (failure !== undefined)
      context.addIssue({ code: 'custom', message: describeParseFailure(failure, value) });
  })
  .meta({
    description:
      'An amount in pounds: a decimal string with at most two decimal places, never a number',
    pattern: '^-?(0|[1-9][0-9]{0,11})(\\.[0-9]{1,2})?$',
    examples: ['1250000.00'],
  });

/** An amount that must be above zero (contributions, allocations, spend). */
export const positiveAmountString = amountString
  .superRefine((value, context) => {
    const parsed = Money.tryParse(value);
    if (parsed instanceof Money && !parsed.isPositive()) {
      context.addIssue({ code: 'custom', message: `"${value}" must be more than 0.00` });
    }
  })
  .meta({
    description:
      'An amount in pounds above zero: a decimal string with at most two decimal places, never a number',
    pattern: '^(0|[1-9][0-9]{0,11})(\\.[0-9]{1,2})?$',
    examples: ['1250.00'],
  });
