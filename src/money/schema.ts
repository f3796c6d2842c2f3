import { z } from 'zod';
import { checkAmountText, describeParseFailure, Money } from './money.ts';

/**
 * The wire and event form of an amount: a decimal string that Money.parse accepts. The refusal
 * message names the value and what is wrong with it, so it can go straight to a finance officer.
 */
export const amountString = z.string().superRefine((value, context) => {
  const failure = checkAmountText(value);
  if (failure !== undefined)
    context.addIssue({ code: 'custom', message: describeParseFailure(failure, value) });
});

/** An amount that must be above zero (contributions, allocations, spend). */
export const positiveAmountString = amountString.superRefine((value, context) => {
  const parsed = Money.tryParse(value);
  if (parsed instanceof Money && !parsed.isPositive()) {
    context.addIssue({ code: 'custom', message: `"${value}" must be more than 0.00` });
  }
});
