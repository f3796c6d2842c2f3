import { z } from 'zod';
import { quarter, requiredText } from '../catalogue/index.ts';
import { ledgerEventSchemas } from '../catalogue/ledger-events.ts';
import { schemeColumns } from '../catalogue/pool-events.ts';
import { yearEndTerms } from '../catalogue/year-end-terms.ts';

/**
 * What a ledger command asks for, as the API and the pages accept it: each schema picked from the event the command records, so that
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
export const recordDue = events['ContributionDue.v1'].pick({
  dueId: true,
  partnerId: true,
  fundingStream: true,
  amount: true,
  dueOn: true,
  reference: true,
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
export const allocate = events['FundsAllocated.v1']
  .pick({ allocationId: true, schemeId: true, fundingStream: true, amount: true })
  .extend({ basis: events['FundsAllocated.v1'].shape.basis.optional() });
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
export const classifyScheme = schemeColumns;
export const phaseBudget = events['BudgetPhased.v1'].pick({
  schemeId: true,
  fundingStream: true,
  profile: true,
});
export const ragThresholds = events['RagThresholdsSet.v1'].shape.thresholds;
const spend = events['SpendRecorded.v1'].shape;
export const recordSpend = events['SpendRecorded.v1']
  .pick({
    spendId: true,
    schemeId: true,
    fundingStream: true,
    spendDate: true,
    amount: true,
    ibcfPurpose: true,
    commitmentId: true,
  })
  .extend({
    /** The invoice date decides the quarter; one given must agree with it. */
    quarter: quarter.optional(),
    supplier: spend.supplier.default(''),
    erpReference: spend.erpReference.default(''),
    description: spend.description.default(''),
  });
const credit = events['CreditNoteRecorded.v1'].shape;
export const recordCreditNote = events['CreditNoteRecorded.v1']
  .pick({
    creditId: true,
    creditDate: true,
    amount: true,
    creditsSpendId: true,
    refundsPriorYear: true,
    ibcfPurpose: true,
  })
  .extend({
    schemeId: credit.schemeId.optional(),
    fundingStream: credit.fundingStream.optional(),
    supplier: credit.supplier.default(''),
    reference: credit.reference.default(''),
    description: credit.description.default(''),
  });
export const recodeSpend = events['SpendRecoded.v1']
  .pick({ recodeId: true, toSchemeId: true, toFundingStream: true })
  .extend({
    amount: events['SpendRecoded.v1'].shape.amount.optional(),
    reason: requiredText,
    ibcfPurpose: events['SpendRecoded.v1'].shape.toIbcfPurpose,
  });
const commitment = events['CommitmentRaised.v1'].shape;
export const raiseCommitment = events['CommitmentRaised.v1']
  .pick({ commitmentId: true, schemeId: true, fundingStream: true, raisedOn: true, amount: true })
  .extend({
    supplier: commitment.supplier.default(''),
    reference: commitment.reference.default(''),
    description: commitment.description.default(''),
  });
export const releaseCommitment = z.strictObject({
  amount: events['CommitmentReleased.v1'].shape.amount.optional(),
  reason: requiredText,
});
export const postAccrual = events['AccrualPosted.v1']
  .pick({ accrualId: true, schemeId: true, fundingStream: true, amount: true })
  .extend({ description: requiredText });
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
  .pick({ realisationId: true, schemeId: true, savingId: true, realisedOn: true, amount: true })
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
export const priorYearAdjustment = events['PriorYearAdjustmentPosted.v1']
  .pick({
    adjustmentId: true,
    correctsYear: true,
    schemeId: true,
    fundingStream: true,
    amount: true,
    ibcfPurpose: true,
  })
  .extend({ description: requiredText });
export const proposeTerms = yearEndTerms;
export const bringForward = events['BalanceBroughtForward.v1'].pick({ fromYear: true });
export const minimums = events['MinimumsSet.v1'].pick({
  minimumSocialCare: true,
  minimumOutOfHospital: true,
});
export const metricTarget = events['MetricTargetSet.v1'].pick({
  metricId: true,
  forQuarter: true,
  target: true,
});
export const metricActual = events['MetricActualRecorded.v1'].pick({
  metricId: true,
  forQuarter: true,
  value: true,
  status: true,
});
