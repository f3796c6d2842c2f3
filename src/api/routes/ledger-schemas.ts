import { z } from 'zod';
import { amountString, positiveAmountString } from '#money';
import {
  calendarDate,
  code,
  factId,
  ibcfPurpose,
  name,
  quarter,
  text,
} from '../../events/catalogue/index.ts';

/** Request schemas of the ledger routes, built from the event catalogue's fields. */

export const planContribution = z.strictObject({
  partnerId: code,
  fundingStream: name,
  amount: positiveAmountString,
});
export const requestVariation = z.strictObject({
  variationId: factId,
  partnerId: code,
  fundingStream: name,
  change: amountString,
});
export const recordReceipt = z.strictObject({
  receiptId: factId,
  partnerId: code,
  fundingStream: name,
  amount: positiveAmountString,
  receivedOn: calendarDate,
  reference: text,
});
export const recordGrant = z.strictObject({
  grantId: factId,
  fundingStream: name,
  amount: positiveAmountString,
  awardedOn: calendarDate,
  determinationReference: text,
});
export const recordInstalment = z.strictObject({
  instalmentId: factId,
  amount: positiveAmountString,
  receivedOn: calendarDate,
  reference: text,
});
export const allocate = z.strictObject({
  allocationId: factId,
  schemeId: code,
  fundingStream: name,
  amount: positiveAmountString,
});
export const release = z.strictObject({
  releaseId: factId,
  schemeId: code,
  fundingStream: name,
  amount: positiveAmountString,
});
export const requestVirement = z.strictObject({
  virementId: factId,
  fundingStream: name,
  fromSchemeId: code,
  toSchemeId: code,
  amount: positiveAmountString,
});
export const recordSpend = z.strictObject({
  spendId: factId,
  schemeId: code,
  fundingStream: name,
  quarter,
  spendDate: calendarDate,
  amount: positiveAmountString,
  supplier: text.default(''),
  erpReference: text.default(''),
  description: text.default(''),
  ibcfPurpose: ibcfPurpose.optional(),
});
export const reverseSpend = z.strictObject({
  reversalId: factId,
  reason: z.string().min(1).max(2000),
});
export const forecast = z.strictObject({
  schemeId: code,
  fundingStream: name,
  quarter,
  forecastOutturn: amountString,
});
export const planSaving = z.strictObject({
  savingId: factId,
  schemeId: code,
  amount: positiveAmountString,
  cashable: z.boolean(),
  description: text,
});
export const realiseSaving = z.strictObject({
  realisationId: factId,
  schemeId: code,
  savingId: factId.optional(),
  quarter,
  amount: positiveAmountString,
  evidence: z.string().min(1).max(2000),
});
export const priorPeriodAdjustment = z.strictObject({
  adjustmentId: factId,
  closedQuarter: quarter,
  schemeId: code,
  fundingStream: name,
  amount: amountString,
  description: z.string().min(1).max(2000),
  ibcfPurpose: ibcfPurpose.optional(),
});
