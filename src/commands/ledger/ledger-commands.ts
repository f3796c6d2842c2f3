import type {
  AllocationBasis,
  Quarter,
  SchemeColumns,
  YearEndTerms,
} from '../../events/catalogue/index.ts';
import type { PoolState } from '../pool/pool-state.ts';
import type { Actor } from '../refusals.ts';

/**
 * The commands of a pool's ledger for one year. Each carries who issues it and the pool as it
 * stood when the command was taken up: the pool's partners, schemes and reference lists are
 * facts the ledger checks against but does not own (docs/decisions/0003).
 */
interface LedgerCommandBase {
  actor: Actor;
  poolId: string;
  year: string;
  pool: PoolState;
}

type Command<Type extends string, Fields> = LedgerCommandBase & { type: Type } & Fields;

export type LedgerCommand =
  | Command<'PlanContribution', { partnerId: string; fundingStream: string; amount: string }>
  | Command<
      'RequestContributionVariation',
      { variationId: string; partnerId: string; fundingStream: string; change: string }
    >
  | Command<'ApproveContributionVariation', { variationId: string }>
  | Command<'RejectContributionVariation', { variationId: string }>
  | Command<
      'RecordContributionDue',
      {
        dueId: string;
        partnerId: string;
        fundingStream: string;
        amount: string;
        dueOn: string;
        reference: string;
      }
    >
  | Command<
      'RecordContributionReceived',
      {
        receiptId: string;
        partnerId: string;
        fundingStream: string;
        amount: string;
        receivedOn: string;
        reference: string;
      }
    >
  | Command<
      'RecordGrantAward',
      {
        grantId: string;
        fundingStream: string;
        amount: string;
        awardedOn: string;
        determinationReference: string;
      }
    >
  | Command<
      'RecordGrantInstalment',
      {
        instalmentId: string;
        grantId: string;
        amount: string;
        receivedOn: string;
        reference: string;
      }
    >
  | Command<
      'AllocateFunds',
      {
        allocationId: string;
        schemeId: string;
        fundingStream: string;
        amount: string;
        /** Original until the first quarter closes, supplementary after, unless given. */
        basis?: AllocationBasis | undefined;
      }
    >
  | Command<
      'ReleaseAllocation',
      { releaseId: string; schemeId: string; fundingStream: string; amount: string }
    >
  | Command<
      'RequestVirement',
      {
        virementId: string;
        fundingStream: string;
        fromSchemeId: string;
        toSchemeId: string;
        amount: string;
      }
    >
  | Command<'ApproveVirement', { virementId: string }>
  | Command<'RejectVirement', { virementId: string }>
  | Command<'ClassifyScheme', { schemeId: string; columns: SchemeColumns }>
  | Command<
      'PhaseBudget',
      { schemeId: string; fundingStream: string; profile: Record<Quarter, string> }
    >
  | Command<
      'SetRagThresholds',
      {
        thresholds: {
          amberAbovePercent: string;
          redAbovePercent: string;
          amberBelowPercent: string;
          redBelowPercent: string;
        };
      }
    >
  | Command<
      'RecordSpend',
      {
        spendId: string;
        schemeId: string;
        fundingStream: string;
        /** The invoice date decides the quarter; a quarter given must agree with it. */
        quarter?: Quarter | undefined;
        spendDate: string;
        amount: string;
        supplier: string;
        erpReference: string;
        description: string;
        ibcfPurpose?: string | undefined;
        commitmentId?: string | undefined;
        /** An imported amount as its file wrote it, where it was rounded or reformatted. */
        amountAsWritten?: string | undefined;
      }
    >
  | Command<
      'RecordCreditNote',
      {
        creditId: string;
        /** Taken from the invoice it credits when not given. */
        schemeId?: string | undefined;
        fundingStream?: string | undefined;
        creditDate: string;
        amount: string;
        supplier: string;
        reference: string;
        description: string;
        creditsSpendId?: string | undefined;
        refundsPriorYear?: string | undefined;
        ibcfPurpose?: string | undefined;
        amountAsWritten?: string | undefined;
      }
    >
  | Command<'ReverseSpend', { reversalId: string; spendId: string; reason: string }>
  | Command<
      'RecodeSpend',
      {
        recodeId: string;
        spendId: string;
        toSchemeId: string;
        toFundingStream: string;
        /** All that is left of the invoice on its line when not given. */
        amount?: string | undefined;
        reason: string;
        ibcfPurpose?: string | undefined;
      }
    >
  | Command<
      'RaiseCommitment',
      {
        commitmentId: string;
        schemeId: string;
        fundingStream: string;
        raisedOn: string;
        amount: string;
        supplier: string;
        reference: string;
        description: string;
      }
    >
  | Command<
      'ReleaseCommitment',
      { commitmentId: string; amount?: string | undefined; reason: string }
    >
  | Command<
      'PostAccrual',
      {
        accrualId: string;
        schemeId: string;
        fundingStream: string;
        amount: string;
        description: string;
      }
    >
  | Command<
      'UpdateForecast',
      { schemeId: string; fundingStream: string; quarter: Quarter; forecastOutturn: string }
    >
  | Command<
      'PlanSaving',
      { savingId: string; schemeId: string; amount: string; cashable: boolean; description: string }
    >
  | Command<
      'RecordRealisedSaving',
      {
        realisationId: string;
        schemeId: string;
        savingId?: string | undefined;
        realisedOn: string;
        amount: string;
        evidence: string;
      }
    >
  | Command<
      'RequestQuarterClose',
      { quarter: Quarter; reportDigest: string; ledgerVersion: number; poolVersion: number }
    >
  | Command<
      'ApproveQuarterClose',
      { quarter: Quarter; reportDigest: string; ledgerVersion: number; poolVersion: number }
    >
  | Command<
      'PostPriorPeriodAdjustment',
      {
        adjustmentId: string;
        closedQuarter: Quarter;
        schemeId: string;
        fundingStream: string;
        amount: string;
        description: string;
        ibcfPurpose?: string | undefined;
      }
    >
  | Command<
      'PostPriorYearAdjustment',
      {
        adjustmentId: string;
        correctsYear: string;
        schemeId: string;
        fundingStream: string;
        amount: string;
        description: string;
        ibcfPurpose?: string | undefined;
        /** Whether the year it corrects is closed: the router reads that year's ledger. */
        correctedYearClosed: boolean;
      }
    >
  | Command<'DetermineYearEndOutturn', Record<never, never>>
  | Command<'ProposeYearEndTerms', { terms: YearEndTerms }>
  | Command<'ApproveYearEndTerms', Record<never, never>>
  | Command<'ApplyRiskShare', Record<never, never>>
  | Command<
      'BringForwardBalance',
      {
        fromYear: string;
        /** What the year it comes from carried forward, and whether it is closed: the router reads them. */
        carriedForward: readonly { fundingStream: string; amount: string }[];
        fromYearClosed: boolean;
      }
    >
  | Command<'SetMinimums', { minimumSocialCare: string; minimumOutOfHospital: string }>
  | Command<'SetMetricTarget', { metricId: string; forQuarter: Quarter; target: string }>
  | Command<
      'RecordMetricActual',
      {
        metricId: string;
        forQuarter: Quarter;
        value: string;
        status: 'provisional' | 'final';
      }
    >
  | Command<'RequestYearClose', YearCloseFields>
  | Command<'ApproveYearClose', YearCloseFields>;

/** A year close signs the statement at these versions; the previous year must be closed first. */
interface YearCloseFields {
  reportDigest: string;
  ledgerVersion: number;
  poolVersion: number;
  /** The pool's previous year, when it has one still open: the write face reads it. */
  openPreviousYear?: string | undefined;
}

export type LedgerCommandOf<Type extends LedgerCommand['type']> = Extract<
  LedgerCommand,
  { type: Type }
>;
