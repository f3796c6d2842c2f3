import { z } from 'zod';
import { requiredText } from '../../events/catalogue/index.ts';
import { ledgerEventSchemas } from '../../events/catalogue/ledger-events.ts';

/**
 * Request schemas of the ledger routes, each picked from the event the command records, so that
 * nothing the API accepts can be refused by the event store and free text is judged the same way
 * on every route: one definition per field.
 */
const events = ledgerEventSchemas;

export const planContribution = events['ContributionPlanned.v1'].pick({
  partnerId: true,
  fundingStream: true,
  amount: true,
});
export const requestVariation = events['ContributionVariationRequested.v1'].pick({
  variationId: true,
  partnerId: true,
  fundingStream: true,
  change: true,
});
export const recordReceipt = events['ContributionReceived.v1'].pick({
  receiptId: true,
  partnerId: true,
  fundingStream: true,
  amount: true,
  receivedOn: true,
  reference: true,
});
export const recordGrant = events['GrantAwardRecorded.v1'].pick({
  grantId: true,
  fundingStream: true,
  amount: true,
  awardedOn: true,
  determinationReference: true,
});
export const recordInstalment = events['GrantInstalmentReceived.v1'].pick({
  instalmentId: true,
  amount: true,
  receivedOn: true,
  reference: true,
});
export const allocate = events['FundsAllocated.v1'].pick({
  allocationId: true,
  schemeId: true,
  fundingStream: true,
  amount: true,
});
export const release = events['AllocationReleased.v1'].pick({
  releaseId: true,
  schemeId: true,
  fundingStream: true,
  amount: true,
});
export const requestVirement = events['VirementRequested.v1'].pick({
  virementId: true,
  fundingStream: true,
  fromSchemeId: true,
  toSchemeId: true,
  amount: true,
});
const spend = events['SpendRecorded.v1'].shape;
export const recordSpend = events['SpendRecorded.v1']
  .pick({
    spendId: true,
    schemeId: true,
    fundingStream: true,
    quarter: true,
    spendDate: true,
    amount: true,
    ibcfPurpose: true,
  })
  .extend({
    supplier: spend.supplier.default(''),
    erpReference: spend.erpReference.default(''),
    description: spend.description.default(''),
  });
export const reverseSpend = z.strictObject({
  reversalId: events['SpendReversed.v1'].shape.reversalId,
  reason: requiredText,
});
export const forecast = events['ForecastUpdated.v1'].pick({
  schemeId: true,
  fundingStream: true,
  quarter: true,
  forecastOutturn: true,
});
export const planSaving = events['SavingPlanned.v1'].pick({
  savingId: true,
  schemeId: true,
  amount: true,
  cashable: true,
  description: true,
});
export const realiseSaving = events['SavingRealised.v1']
  .pick({ realisationId: true, schemeId: true, savingId: true, quarter: true, amount: true })
  .extend({ evidence: requiredText });
export const priorPeriodAdjustment = events['PriorPeriodAdjustmentPosted.v1']
  .pick({
    adjustmentId: true,
    closedQuarter: true,
    schemeId: true,
    fundingStream: true,
    amount: true,
    ibcfPurpose: true,
  })
  .extend({ description: requiredText });
