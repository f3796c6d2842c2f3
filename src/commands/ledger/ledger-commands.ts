import type { Quarter } from '../../events/catalogue/index.ts';
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
      { allocationId: string; schemeId: string; fundingStream: string; amount: string }
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
  | Command<
      'RecordSpend',
      {
        spendId: string;
        schemeId: string;
        fundingStream: string;
        quarter: Quarter;
        spendDate: string;
        amount: string;
        supplier: string;
        erpReference: string;
        description: string;
        ibcfPurpose?: string | undefined;
      }
    >
  | Command<'ReverseSpend', { reversalId: string; spendId: string; reason: string }>
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
        quarter: Quarter;
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
  | Command<'DetermineYearEndOutturn', Record<never, never>>
  | Command<'ApplyRiskShare', Record<never, never>>;

export type LedgerCommandOf<Type extends LedgerCommand['type']> = Extract<
  LedgerCommand,
  { type: Type }
>;
