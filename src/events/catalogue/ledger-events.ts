import { z } from 'zod';
import { amountString, positiveAmountString } from '#money';
import {
  calendarDate,
  code,
  factId,
  financialYear,
  ibcfPurpose,
  name,
  quarter,
  riskShareBasis,
  text,
} from './vocabulary.ts';

/**
 * Events of a pool's ledger for one financial year: every movement of money and every control
 * decision of that year. Each carries the pool and the year, so an event read alone says where
 * it belongs.
 */
const inLedger = { poolId: code, year: financialYear };
const line = { schemeId: code, fundingStream: name };

export const ledgerEventSchemas = {
  'ContributionPlanned.v1': z.strictObject({
    ...inLedger,
    partnerId: code,
    fundingStream: name,
    amount: positiveAmountString,
    quarter,
  }),
  'ContributionVariationRequested.v1': z.strictObject({
    ...inLedger,
    variationId: factId,
    partnerId: code,
    fundingStream: name,
    change: amountString,
    requestedBy: factId,
  }),
  'ContributionVaried.v1': z.strictObject({
    ...inLedger,
    variationId: factId,
    partnerId: code,
    fundingStream: name,
    change: amountString,
    requestedBy: factId,
    approvedBy: factId,
    quarter,
  }),
  'ContributionVariationRejected.v1': z.strictObject({
    ...inLedger,
    variationId: factId,
    rejectedBy: factId,
  }),
  'ContributionReceived.v1': z.strictObject({
    ...inLedger,
    receiptId: factId,
    partnerId: code,
    fundingStream: name,
    amount: positiveAmountString,
    receivedOn: calendarDate,
    reference: text,
  }),
  'GrantAwardRecorded.v1': z.strictObject({
    ...inLedger,
    grantId: factId,
    fundingStream: name,
    amount: positiveAmountString,
    awardedOn: calendarDate,
    determinationReference: text,
  }),
  'GrantInstalmentReceived.v1': z.strictObject({
    ...inLedger,
    instalmentId: factId,
    grantId: factId,
    amount: positiveAmountString,
    receivedOn: calendarDate,
    reference: text,
  }),
  'FundsAllocated.v1': z.strictObject({
    ...inLedger,
    allocationId: factId,
    ...line,
    amount: positiveAmountString,
    quarter,
  }),
  'AllocationReleased.v1': z.strictObject({
    ...inLedger,
    releaseId: factId,
    ...line,
    amount: positiveAmountString,
    quarter,
  }),
  'VirementRequested.v1': z.strictObject({
    ...inLedger,
    virementId: factId,
    fundingStream: name,
    fromSchemeId: code,
    toSchemeId: code,
    amount: positiveAmountString,
    requestedBy: factId,
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
    quarter,
  }),
  'VirementRejected.v1': z.strictObject({ ...inLedger, virementId: factId, rejectedBy: factId }),
  'SpendRecorded.v1': z.strictObject({
    ...inLedger,
    spendId: factId,
    ...line,
    quarter,
    spendDate: calendarDate,
    amount: positiveAmountString,
    supplier: text,
    erpReference: text,
    description: text,
    ibcfPurpose: ibcfPurpose.optional(),
  }),
  'SpendReversed.v1': z.strictObject({
    ...inLedger,
    reversalId: factId,
    spendId: factId,
    ...line,
    /** The original spend's amount; the reversal takes it off again. */
    amount: positiveAmountString,
    /** The quarter the reversal is posted in. */
    quarter,
    /** Set when the original's quarter was closed: the reversal is then a prior-period adjustment. */
    priorPeriodOf: quarter.optional(),
    ibcfPurpose: ibcfPurpose.optional(),
  }),
  'ForecastUpdated.v1': z.strictObject({
    ...inLedger,
    ...line,
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
  }),
  'SavingRealised.v1': z.strictObject({
    ...inLedger,
    realisationId: factId,
    schemeId: code,
    savingId: factId.optional(),
    quarter,
    amount: positiveAmountString,
    evidence: text,
  }),
  'QuarterCloseRequested.v1': z.strictObject({
    ...inLedger,
    quarter,
    reportDigest: z.string().regex(/^[0-9a-f]{64}$/),
    /** The ledger and pool stream versions the position was computed at. */
    ledgerVersion: z.int().min(0),
    poolVersion: z.int().min(0),
    requestedBy: factId,
  }),
  'QuarterClosed.v1': z.strictObject({
    ...inLedger,
    quarter,
    reportDigest: z.string().regex(/^[0-9a-f]{64}$/),
    /** The report is reproduced from exactly these many ledger and pool events. */
    ledgerVersion: z.int().min(0),
    poolVersion: z.int().min(0),
    requestedBy: factId,
    approvedBy: factId,
  }),
  'PriorPeriodAdjustmentPosted.v1': z.strictObject({
    ...inLedger,
    adjustmentId: factId,
    closedQuarter: quarter,
    quarter,
    ...line,
    amount: amountString,
    description: text,
    ibcfPurpose: ibcfPurpose.optional(),
  }),
  'YearEndOutturnDetermined.v1': z.strictObject({
    ...inLedger,
    contributions: amountString,
    spent: amountString,
    /** Spent minus contributions: above zero an overspend, below zero an underspend. */
    net: amountString,
    byStream: z.array(
      z.strictObject({
        fundingStream: name,
        contributions: amountString,
        spent: amountString,
        net: amountString,
      }),
    ),
  }),
  'RiskShareApplied.v1': z.strictObject({
    ...inLedger,
    basis: riskShareBasis,
    net: amountString,
    allocations: z.array(z.strictObject({ partnerId: code, amount: amountString })),
  }),
} as const;

type Schemas = typeof ledgerEventSchemas;
export type LedgerEvent = {
  [Type in keyof Schemas]: { type: Type; data: z.infer<Schemas[Type]> };
}[keyof Schemas];
export type LedgerEventOf<Type extends LedgerEvent['type']> = Extract<LedgerEvent, { type: Type }>;

/**
 * The ledger's events in four groups, the way the brief and the folds divide the work: money in
 * (contributions, receipts, grants), budget (allocations, releases, virements), money out (spend,
 * corrections, forecasts, savings) and control (closes, outturn, risk share). Every type is in
 * exactly one group (checked by a test), so each fold handles one group.
 */
export const LEDGER_EVENT_GROUPS = {
  moneyIn: [
    'ContributionPlanned.v1',
    'ContributionVariationRequested.v1',
    'ContributionVaried.v1',
    'ContributionVariationRejected.v1',
    'ContributionReceived.v1',
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
  moneyOut: [
    'SpendRecorded.v1',
    'SpendReversed.v1',
    'PriorPeriodAdjustmentPosted.v1',
    'ForecastUpdated.v1',
    'SavingPlanned.v1',
    'SavingRealised.v1',
  ],
  control: [
    'QuarterCloseRequested.v1',
    'QuarterClosed.v1',
    'YearEndOutturnDetermined.v1',
    'RiskShareApplied.v1',
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
