import { z } from 'zod';
import { amountString, positiveAmountString } from '#money';
import { schemeColumns } from './pool-events.ts';
import {
  allocationBasis,
  calendarDate,
  code,
  factId,
  financialYear,
  hundredthsOfPercent,
  ibcfPurpose,
  name,
  percentage,
  period,
  quarter,
  text,
} from './vocabulary.ts';
import { yearEndTerms } from './year-end-terms.ts';

/**
 * Events of a pool's ledger for one financial year: every movement of money and every control
 * decision of that year. Each carries the pool and the year, so an event read alone says where
 * it belongs, and the period it counts in (`quarter`: Q1 to Q4, or YE for year-end adjustments),
 * decided once when it was recorded (docs/decisions/0008). A posting dated in a quarter that was
 * already closed counts in the open period and names the closed quarter in `priorPeriodOf`.
 */
const inLedger = { poolId: code, year: financialYear };
const line = { schemeId: code, fundingStream: name };
const posted = { quarter: period };
const late = { priorPeriodOf: quarter.optional() };

/** RAG thresholds, as percentages of the budget: over it (overspend) and under it (slippage). */
export const ragThresholds = z.strictObject({
  amberAbovePercent: percentage,
  redAbovePercent: percentage,
  amberBelowPercent: percentage,
  redBelowPercent: percentage,
});

/** How a line's budget is spread over the quarters, in percentages that sum to 100. */
export const quarterProfile = z
  .strictObject({ Q1: percentage, Q2: percentage, Q3: percentage, Q4: percentage })
  .refine(
    (profile) =>
      Object.values(profile).reduce((sum, share) => sum + hundredthsOfPercent(share), 0) === 10_000,
    { message: 'the four quarters’ percentages must sum to 100' },
  );

const digestFields = {
  reportDigest: z.string().regex(/^[0-9a-f]{64}$/),
  /** The ledger and pool stream versions the report was computed at. */
  ledgerVersion: z.int().min(0),
  poolVersion: z.int().min(0),
  requestedBy: factId,
};

const lineAmounts = z.array(z.strictObject({ ...line, amount: amountString })).max(2_000);
const partnerAmounts = z.array(z.strictObject({ partnerId: code, amount: amountString })).max(50);

/** A figure as a file wrote it: digits, sign, point, separators, brackets, a pound sign. */
export const amountAsWritten = z
  .string()
  .max(40)
  .regex(/^[0-9.,£()+\- ]+$/, 'an amount as a file wrote it');

/** A national metric's value: a count, a rate or a share, with up to four decimal places. */
export const measure = z
  .string()
  .regex(/^-?(0|[1-9][0-9]{0,11})(\.[0-9]{1,4})?$/, 'write a number such as 27401 or 2.5');

const outturnFigures = {
  contributions: amountString,
  /** Spend net of credits and corrections, to the end of the year. */
  spent: amountString,
  /** Year-end accruals. */
  accrued: amountString,
  /** Spent plus accrued: the outturn. */
  expenditure: amountString,
  /** Contributions minus expenditure (rule 13): above zero a surplus, below zero a deficit. */
  net: amountString,
};

export const ledgerEventSchemas = {
  'ContributionPlanned.v1': z.strictObject({
    ...inLedger,
    partnerId: code,
    fundingStream: name,
    amount: positiveAmountString,
    ...posted,
  }),
  'ContributionVariationRequested.v1': z.strictObject({
    ...inLedger,
    variationId: factId,
    partnerId: code,
    fundingStream: name,
    change: amountString,
    requestedBy: factId,
    ...posted,
  }),
  'ContributionVaried.v1': z.strictObject({
    ...inLedger,
    variationId: factId,
    partnerId: code,
    fundingStream: name,
    change: amountString,
    requestedBy: factId,
    approvedBy: factId,
    ...posted,
  }),
  'ContributionVariationRejected.v1': z.strictObject({
    ...inLedger,
    variationId: factId,
    rejectedBy: factId,
    ...posted,
  }),
  'ContributionDue.v1': z.strictObject({
    ...inLedger,
    dueId: factId,
    partnerId: code,
    fundingStream: name,
    amount: positiveAmountString,
    dueOn: calendarDate,
    reference: text,
    ...posted,
    ...late,
  }),
  'ContributionReceived.v1': z.strictObject({
    ...inLedger,
    receiptId: factId,
    partnerId: code,
    fundingStream: name,
    amount: positiveAmountString,
    receivedOn: calendarDate,
    reference: text,
    ...posted,
    ...late,
  }),
  'GrantAwardRecorded.v1': z.strictObject({
    ...inLedger,
    grantId: factId,
    fundingStream: name,
    amount: positiveAmountString,
    awardedOn: calendarDate,
    determinationReference: text,
    ...posted,
  }),
  'GrantInstalmentReceived.v1': z.strictObject({
    ...inLedger,
    instalmentId: factId,
    grantId: factId,
    amount: positiveAmountString,
    receivedOn: calendarDate,
    reference: text,
    ...posted,
    ...late,
  }),
  'FundsAllocated.v1': z.strictObject({
    ...inLedger,
    allocationId: factId,
    ...line,
    amount: positiveAmountString,
    /** Original (the plan's) or supplementary (added later in the year). */
    basis: allocationBasis,
    ...posted,
  }),
  'AllocationReleased.v1': z.strictObject({
    ...inLedger,
    releaseId: factId,
    ...line,
    amount: positiveAmountString,
    ...posted,
  }),
  'VirementRequested.v1': z.strictObject({
    ...inLedger,
    virementId: factId,
    fundingStream: name,
    fromSchemeId: code,
    toSchemeId: code,
    amount: positiveAmountString,
    requestedBy: factId,
    ...posted,
  }),
  'VirementApproved.v1': z.strictObject({
    ...inLedger,
    virementId: factId,
    fundingStream: name,
    fromSchemeId: code,
    toSchemeId: code,
    amount: positiveAmountString,
    requestedBy: factId,
    approvedBy: factId,
    ...posted,
  }),
  'VirementRejected.v1': z.strictObject({
    ...inLedger,
    virementId: factId,
    rejectedBy: factId,
    ...posted,
  }),
  'SchemeClassified.v1': z.strictObject({
    ...inLedger,
    schemeId: code,
    ...schemeColumns.shape,
    ...posted,
  }),
  'BudgetPhased.v1': z.strictObject({ ...inLedger, ...line, profile: quarterProfile, ...posted }),
  'RagThresholdsSet.v1': z.strictObject({ ...inLedger, thresholds: ragThresholds, ...posted }),
  'SpendRecorded.v1': z.strictObject({
    ...inLedger,
    spendId: factId,
    ...line,
    ...posted,
    ...late,
    /** The invoice date: it decides the quarter. */
    spendDate: calendarDate,
    amount: positiveAmountString,
    supplier: text,
    erpReference: text,
    description: text,
    ibcfPurpose: ibcfPurpose.optional(),
    /** The commitment the invoice is against, and how much of it the invoice uses up. */
    commitmentId: factId.optional(),
    fromCommitment: positiveAmountString.optional(),
    /** An imported amount as its file wrote it, where that was not exactly pounds and pence. */
    amountAsWritten: amountAsWritten.optional(),
  }),
  'CreditNoteRecorded.v1': z.strictObject({
    ...inLedger,
    creditId: factId,
    ...line,
    ...posted,
    ...late,
    creditDate: calendarDate,
    /** The size of the credit: it takes this much off the line's spend. */
    amount: positiveAmountString,
    supplier: text,
    reference: text,
    description: text,
    /** The invoice of this year it credits, in full or in part. */
    creditsSpendId: factId.optional(),
    /** A refund of an earlier year's invoice: that invoice's reference, as the supplier gives it. */
    refundsPriorYear: text.optional(),
    ibcfPurpose: ibcfPurpose.optional(),
    /** An imported amount as its file wrote it (a negative line), where that was not exact. */
    amountAsWritten: amountAsWritten.optional(),
  }),
  'SpendReversed.v1': z.strictObject({
    ...inLedger,
    reversalId: factId,
    spendId: factId,
    ...line,
    /** The original spend's amount; the reversal takes it off again. */
    amount: positiveAmountString,
    ...posted,
    ...late,
    ibcfPurpose: ibcfPurpose.optional(),
  }),
  'SpendRecoded.v1': z.strictObject({
    ...inLedger,
    recodeId: factId,
    spendId: factId,
    fromSchemeId: code,
    fromFundingStream: name,
    toSchemeId: code,
    toFundingStream: name,
    amount: positiveAmountString,
    ...posted,
    ...late,
    fromIbcfPurpose: ibcfPurpose.optional(),
    toIbcfPurpose: ibcfPurpose.optional(),
    reason: text,
  }),
  'CommitmentRaised.v1': z.strictObject({
    ...inLedger,
    commitmentId: factId,
    ...line,
    raisedOn: calendarDate,
    amount: positiveAmountString,
    supplier: text,
    reference: text,
    description: text,
    ...posted,
    ...late,
  }),
  'CommitmentReleased.v1': z.strictObject({
    ...inLedger,
    commitmentId: factId,
    ...line,
    amount: positiveAmountString,
    reason: text,
    ...posted,
  }),
  'AccrualPosted.v1': z.strictObject({
    ...inLedger,
    accrualId: factId,
    ...line,
    /** Above zero an expense owed for the year; below zero one paid in it for the next. */
    amount: amountString,
    description: text,
    ...posted,
  }),
  'PriorPeriodAdjustmentPosted.v1': z.strictObject({
    ...inLedger,
    adjustmentId: factId,
    closedQuarter: quarter,
    ...posted,
    ...line,
    amount: amountString,
    description: text,
    ibcfPurpose: ibcfPurpose.optional(),
  }),
  'PriorYearAdjustmentPosted.v1': z.strictObject({
    ...inLedger,
    adjustmentId: factId,
    correctsYear: financialYear,
    ...posted,
    ...line,
    amount: amountString,
    description: text,
    ibcfPurpose: ibcfPurpose.optional(),
  }),
  'ForecastUpdated.v1': z.strictObject({
    ...inLedger,
    ...line,
    /** The quarter the forecast is given in. */
    quarter,
    forecastOutturn: amountString,
  }),
  'SavingPlanned.v1': z.strictObject({
    ...inLedger,
    savingId: factId,
    schemeId: code,
    amount: positiveAmountString,
    cashable: z.boolean(),
    description: text,
    ...posted,
  }),
  'SavingRealised.v1': z.strictObject({
    ...inLedger,
    realisationId: factId,
    schemeId: code,
    savingId: factId.optional(),
    realisedOn: calendarDate,
    ...posted,
    ...late,
    amount: positiveAmountString,
    evidence: text,
  }),
  'QuarterCloseRequested.v1': z.strictObject({ ...inLedger, quarter, ...digestFields }),
  'QuarterClosed.v1': z.strictObject({
    ...inLedger,
    quarter,
    ...digestFields,
    approvedBy: factId,
  }),
  'YearEndOutturnDetermined.v1': z.strictObject({
    ...inLedger,
    ...outturnFigures,
    byStream: z.array(z.strictObject({ fundingStream: name, ...outturnFigures })),
    /** Each line's outturn: its actual plus its accruals. */
    byLine: z.array(
      z.strictObject({
        ...line,
        spent: amountString,
        accrued: amountString,
        outturn: amountString,
      }),
    ),
  }),
  'YearEndTermsProposed.v1': z.strictObject({
    ...inLedger,
    terms: yearEndTerms,
    proposedBy: factId,
    ...posted,
  }),
  'YearEndTermsAgreed.v1': z.strictObject({
    ...inLedger,
    terms: yearEndTerms,
    proposedBy: factId,
    approvedBy: factId,
    ...posted,
  }),
  /** Waterfall step: overspends met from underspends of the same kind of money. */
  'OverspendOffset.v1': z.strictObject({
    ...inLedger,
    kind: z.enum(['revenue', 'capital']),
    offset: amountString,
    overspendMet: lineAmounts,
    underspendUsed: lineAmounts,
  }),
  /** Waterfall step: the contingency line's unspent budget meeting overspends of its kind. */
  'ContingencyUsed.v1': z.strictObject({
    ...inLedger,
    ...line,
    available: amountString,
    used: amountString,
    overspendMet: lineAmounts,
  }),
  /** Waterfall step: each line's remaining overspend, and what each partner bears of it. */
  'OverspendShared.v1': z.strictObject({
    ...inLedger,
    lines: z
      .array(
        z.strictObject({
          ...line,
          overspend: amountString,
          profile: z.enum([
            'commissioner',
            'contributions',
            'stream-contributors',
            'host',
            'fixed',
          ]),
          shares: partnerAmounts,
        }),
      )
      .max(2_000),
  }),
  /** Each stream's remaining underspend and unallocated money: what goes back to whom, and what is carried forward. */
  'UnderspendTreated.v1': z.strictObject({
    ...inLedger,
    streams: z
      .array(
        z.strictObject({
          fundingStream: name,
          capital: z.boolean(),
          underspend: amountString,
          unallocated: amountString,
          returned: partnerAmounts,
          carriedForward: amountString,
        }),
      )
      .max(50),
  }),
  /**
   * The risk share's outcome (rule 13): net = the partners' shares + carry-forward, where a share
   * above zero is money back to the partner and below zero overspend it bears.
   */
  'RiskShareApplied.v1': z.strictObject({
    ...inLedger,
    net: amountString,
    allocations: partnerAmounts,
    carryForward: z.array(z.strictObject({ fundingStream: name, amount: amountString })).max(50),
  }),
  /** The previous year's carry-forward, brought into this year's funding per stream. */
  'BalanceBroughtForward.v1': z.strictObject({
    ...inLedger,
    fromYear: financialYear,
    byStream: z
      .array(z.strictObject({ fundingStream: name, amount: positiveAmountString }))
      .max(50),
    ...posted,
  }),
  /** The national minimums for the year: the NHS contribution to social care, out-of-hospital spend. */
  'MinimumsSet.v1': z.strictObject({
    ...inLedger,
    minimumSocialCare: amountString,
    minimumOutOfHospital: amountString,
    ...posted,
  }),
  'MetricTargetSet.v1': z.strictObject({
    ...inLedger,
    metricId: code,
    forQuarter: quarter,
    target: measure,
    ...posted,
  }),
  'MetricActualRecorded.v1': z.strictObject({
    ...inLedger,
    metricId: code,
    forQuarter: quarter,
    value: measure,
    status: z.enum(['provisional', 'final']),
    ...posted,
  }),
  'YearCloseRequested.v1': z.strictObject({ ...inLedger, ...digestFields }),
  'YearClosed.v1': z.strictObject({ ...inLedger, ...digestFields, approvedBy: factId }),
} as const;

type Schemas = typeof ledgerEventSchemas;
export type LedgerEvent = {
  [Type in keyof Schemas]: { type: Type; data: z.infer<Schemas[Type]> };
}[keyof Schemas];
export type LedgerEventOf<Type extends LedgerEvent['type']> = Extract<LedgerEvent, { type: Type }>;

/**
 * The ledger's events in five groups, the way the brief and the folds divide the work: money in
 * (contributions, dues, receipts, grants), budget (allocations, releases, virements), plan (the
 * year's classification of schemes, phasing, RAG thresholds), money out (spend, credits,
 * corrections, commitments, accruals, forecasts, savings) and control (closes, outturn, risk share). Every type is in
 * exactly one group (checked by a test), so each fold handles one group.
 */
export const LEDGER_EVENT_GROUPS = {
  moneyIn: [
    'ContributionPlanned.v1',
    'ContributionVariationRequested.v1',
    'ContributionVaried.v1',
    'ContributionVariationRejected.v1',
    'ContributionDue.v1',
    'ContributionReceived.v1',
    'BalanceBroughtForward.v1',
    'GrantAwardRecorded.v1',
    'GrantInstalmentReceived.v1',
  ],
  budget: [
    'FundsAllocated.v1',
    'AllocationReleased.v1',
    'VirementRequested.v1',
    'VirementApproved.v1',
    'VirementRejected.v1',
  ],
  plan: [
    'SchemeClassified.v1',
    'BudgetPhased.v1',
    'RagThresholdsSet.v1',
    'YearEndTermsProposed.v1',
    'YearEndTermsAgreed.v1',
    'MinimumsSet.v1',
    'MetricTargetSet.v1',
    'MetricActualRecorded.v1',
  ],
  moneyOut: [
    'SpendRecorded.v1',
    'CreditNoteRecorded.v1',
    'SpendReversed.v1',
    'SpendRecoded.v1',
    'CommitmentRaised.v1',
    'CommitmentReleased.v1',
    'AccrualPosted.v1',
    'PriorPeriodAdjustmentPosted.v1',
    'PriorYearAdjustmentPosted.v1',
    'ForecastUpdated.v1',
    'SavingPlanned.v1',
    'SavingRealised.v1',
  ],
  control: [
    'QuarterCloseRequested.v1',
    'QuarterClosed.v1',
    'YearEndOutturnDetermined.v1',
    'OverspendOffset.v1',
    'ContingencyUsed.v1',
    'OverspendShared.v1',
    'UnderspendTreated.v1',
    'RiskShareApplied.v1',
    'YearCloseRequested.v1',
    'YearClosed.v1',
  ],
} as const satisfies Record<string, readonly LedgerEvent['type'][]>;

export type LedgerEventGroup = keyof typeof LEDGER_EVENT_GROUPS;
export type LedgerEventIn<Group extends LedgerEventGroup> = LedgerEventOf<
  (typeof LEDGER_EVENT_GROUPS)[Group][number]
>;

const GROUP_OF_TYPE: ReadonlyMap<string, LedgerEventGroup> = new Map(
  Object.entries(LEDGER_EVENT_GROUPS).flatMap(([group, types]) =>
    types.map((type) => [type, group as LedgerEventGroup] as const),
  ),
);

/** The group of a ledger event type; undefined for a type that is not a ledger event's. */
export function ledgerEventGroup(type: string): LedgerEventGroup | undefined {
  return GROUP_OF_TYPE.get(type);
}
