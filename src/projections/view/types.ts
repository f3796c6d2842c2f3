import type { Quarter, ReferenceData, SchemeColumns } from '../../events/catalogue/index.ts';

/**
 * The pool view: everything the reports need about one pool, folded from its events. Plain JSON
 * (amounts as decimal strings) so it can be stored, compared byte for byte, and rebuilt.
 *
 * Ledger events are folded without looking at the pool's own facts and the other way round, so
 * the view is the same whether the pool's and the ledger's streams are folded interleaved, in
 * global order, or one after the other. Every effect lands in the quarter stamped on the event or,
 * for events without one, in the quarter open when it was recorded: a closed quarter's figures
 * never change afterwards.
 */
export interface PoolView {
  poolId: string;
  /** The pool stream's version this view reflects: what a read's ETag says. */
  poolVersion: number;
  registration: { name: string; hwbArea: string; currency: string; hostPartnerId: string } | null;
  partners: { partnerId: string; name: string; kind: string }[];
  schemes: Record<string, SchemeColumns & { withdrawn: boolean }>;
  riskShare: {
    basis: string;
    fixedShares: { schemeId: string; shares: { partnerId: string; percentage: string }[] }[];
  };
  years: Record<string, YearView>;
}

export type QuarterAmounts = Record<Quarter, string>;

export interface YearView {
  year: string;
  /** The year's ledger stream version this view reflects. */
  ledgerVersion: number;
  referenceData: ReferenceData | null;
  closedQuarters: number;
  /** Per funding stream, kept alongside the lines so reports can check one against the other. */
  streams: Record<string, StreamFigures>;
  grants: Record<string, { fundingStream: string; awarded: string; received: string }>;
  contributions: Record<
    string,
    Record<
      string,
      {
        plannedByQuarter: QuarterAmounts;
        variedByQuarter: QuarterAmounts;
        receivedByQuarter: QuarterAmounts;
      }
    >
  >;
  lines: Record<string, Record<string, LineFigures>>;
  ibcfByPurpose: Record<string, QuarterAmounts>;
  savings: Record<
    string,
    { planned: string; cashablePlanned: string; realisedByQuarter: QuarterAmounts }
  >;
  quarters: Record<Quarter, QuarterControl>;
  virements: VirementRecord[];
  variations: VariationRecord[];
  corrections: CorrectionRecord[];
  outturn: { contributions: string; spent: string; net: string } | null;
  riskShare: {
    basis: string;
    net: string;
    allocations: { partnerId: string; amount: string }[];
  } | null;
}

export interface StreamFigures {
  planned: string;
  varied: string;
  received: string;
  allocated: string;
  spent: string;
}

export interface LineFigures {
  /** Allocations less releases, by the quarter they were posted in. */
  allocatedByQuarter: QuarterAmounts;
  virementsInByQuarter: QuarterAmounts;
  virementsOutByQuarter: QuarterAmounts;
  /** Spend less reversals plus adjustments, by the quarter they were posted in. */
  spendByQuarter: QuarterAmounts;
  /** The forecast outturn of the line as last given in each quarter. */
  forecastByQuarter: Record<Quarter, string | null>;
}

export interface QuarterControl {
  closeRequestedBy: string | null;
  closedBy: string | null;
  reportDigest: string | null;
  ledgerVersion: number | null;
  poolVersion: number | null;
}

export interface VirementRecord {
  virementId: string;
  fundingStream: string;
  fromSchemeId: string;
  toSchemeId: string;
  amount: string;
  status: 'pending' | 'approved' | 'rejected';
  requestedBy: string;
  requestedIn: Quarter;
  decidedBy: string | null;
  decidedIn: Quarter | null;
}

export interface VariationRecord {
  variationId: string;
  partnerId: string;
  fundingStream: string;
  change: string;
  status: 'pending' | 'approved' | 'rejected';
  requestedBy: string;
  requestedIn: Quarter;
  decidedBy: string | null;
  decidedIn: Quarter | null;
}

export interface CorrectionRecord {
  id: string;
  kind: 'reversal' | 'prior-period-adjustment';
  schemeId: string;
  fundingStream: string;
  /** Signed: a reversal takes the spend off again. */
  amount: string;
  postedIn: Quarter;
  /** The closed quarter it corrects; null for a reversal within the same open quarter. */
  correcting: Quarter | null;
  description: string;
}
