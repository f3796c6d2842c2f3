import type {
  LedgerEventOf,
  Period,
  Quarter,
  ReferenceData,
  SchemeColumns,
  YearEndTerms,
} from '../../events/catalogue/index.ts';

/**
 * The pool view: everything the reports need about one pool, folded from its events. Plain JSON
 * (amounts as decimal strings) so it can be stored, compared byte for byte, and rebuilt.
 *
 * Ledger events are folded without looking at the pool's own facts and the other way round, so
 * the view is the same whether the pool's and the ledger's streams are folded interleaved, in
 * global order, or one after the other. Every effect lands in the period the event names (a
 * quarter, or YE for year-end adjustments), and every keyed record remembers the first period it
 * was posted in, so a quarterly position shows exactly what was posted by its quarter's end and a
 * closed quarter's figures never change afterwards (docs/decisions/0008).
 */
export interface PoolView {
  poolId: string;
  /** The pool stream's version this view reflects: what a read's ETag says. */
  poolVersion: number;
  registration: {
    name: string;
    hwbArea: string;
    region: string | null;
    currency: string;
    hostPartnerId: string;
  } | null;
  partners: { partnerId: string; name: string; kind: string }[];
  /** The schemes as registered with the pool: what a year starts from. */
  schemes: Record<string, SchemeColumns & { withdrawn: boolean }>;
  years: Record<string, YearView>;
}

/** An amount per period: the four quarters and the year-end adjustments. */
export type PeriodAmounts = Record<Period, string>;

export interface RagThresholdFigures {
  amberAbovePercent: string;
  redAbovePercent: string;
  amberBelowPercent: string;
  redBelowPercent: string;
}

export interface YearView {
  year: string;
  /** The year's ledger stream version this view reflects. */
  ledgerVersion: number;
  referenceData: ReferenceData | null;
  closedQuarters: number;
  /** The year's classification of each scheme it has touched. */
  schemes: Record<string, SchemeColumns>;
  /** RAG thresholds as set in each period; a period without uses the last set before it. */
  ragThresholds: Record<Period, RagThresholdFigures | null>;
  /** Per funding stream, kept alongside the lines so reports can check one against the other. */
  streams: Record<string, StreamFigures>;
  grants: Record<string, { fundingStream: string; awarded: string; received: string }>;
  contributions: Record<string, Record<string, ContributionFigures>>;
  lines: Record<string, Record<string, LineFigures>>;
  /** Every commitment raised, with what is still outstanding on it. */
  commitments: Record<string, { schemeId: string; fundingStream: string; outstanding: string }>;
  ibcfByPurpose: Record<string, PeriodAmounts & { firstPeriod: Period }>;
  savings: Record<
    string,
    {
      firstPeriod: Period;
      plannedByQuarter: PeriodAmounts;
      cashablePlannedByQuarter: PeriodAmounts;
      realisedByQuarter: PeriodAmounts;
    }
  >;
  quarters: Record<Quarter, CloseControl>;
  yearClose: CloseControl;
  virements: VirementRecord[];
  variations: VariationRecord[];
  corrections: CorrectionRecord[];
  outturn: {
    contributions: string;
    spent: string;
    accrued: string;
    expenditure: string;
    net: string;
  } | null;
  /** The year-end terms awaiting approval, and those agreed. */
  terms: {
    proposed: { terms: YearEndTerms; proposedBy: string } | null;
    agreed: { terms: YearEndTerms; proposedBy: string; approvedBy: string } | null;
  };
  /** The risk share's steps as applied (each step's event data), and its outcome. */
  riskShareSteps: {
    offsets: LedgerEventOf<'OverspendOffset.v1'>['data'][];
    contingency: LedgerEventOf<'ContingencyUsed.v1'>['data'] | null;
    overspends: LedgerEventOf<'OverspendShared.v1'>['data']['lines'];
    underspends: LedgerEventOf<'UnderspendTreated.v1'>['data']['streams'];
  } | null;
  riskShare: {
    net: string;
    allocations: { partnerId: string; amount: string }[];
    carryForward: { fundingStream: string; amount: string }[];
  } | null;
  broughtForward: {
    fromYear: string;
    byStream: { fundingStream: string; amount: string }[];
  } | null;
  minimums: { minimumSocialCare: string; minimumOutOfHospital: string } | null;
  /** Every target and actual of the national metrics, with the period it was recorded in. */
  metricRecords: {
    metricId: string;
    forQuarter: Quarter;
    kind: 'target' | 'actual';
    value: string;
    status: 'provisional' | 'final' | null;
    recordedIn: Period;
  }[];
}

export interface StreamFigures {
  planned: string;
  varied: string;
  /** Carried forward from the previous year: funding, though no partner's contribution. */
  broughtForward: string;
  due: string;
  received: string;
  allocated: string;
  spent: string;
}

export interface ContributionFigures {
  firstPeriod: Period;
  plannedByQuarter: PeriodAmounts;
  variedByQuarter: PeriodAmounts;
  dueByQuarter: PeriodAmounts;
  receivedByQuarter: PeriodAmounts;
}

export interface LineFigures {
  /** The first period anything was posted to the line: it shows in positions from then on. */
  firstPeriod: Period;
  /** Original and supplementary allocations, and releases, by the period they count in. */
  originalByQuarter: PeriodAmounts;
  supplementaryByQuarter: PeriodAmounts;
  releasedByQuarter: PeriodAmounts;
  virementsInByQuarter: PeriodAmounts;
  virementsOutByQuarter: PeriodAmounts;
  /** Invoices less credit notes and reversals, with recodes and adjustments, by period. */
  spendByQuarter: PeriodAmounts;
  /** Commitments raised less released and invoiced, by period. */
  committedByQuarter: PeriodAmounts;
  accruedByQuarter: PeriodAmounts;
  /** The forecast outturn of the line as last given in each quarter. */
  forecastByQuarter: Record<Quarter, string | null>;
  /** The budget profile (percentages per quarter) as set in each period; equal quarters before. */
  profileByQuarter: Record<Period, Record<Quarter, string> | null>;
  /** Actual plus accruals, once the year's outturn is determined. */
  outturn: string | null;
}

export interface CloseControl {
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
  requestedIn: Period;
  decidedBy: string | null;
  decidedIn: Period | null;
}

export interface VariationRecord {
  variationId: string;
  partnerId: string;
  fundingStream: string;
  change: string;
  status: 'pending' | 'approved' | 'rejected';
  requestedBy: string;
  requestedIn: Period;
  decidedBy: string | null;
  decidedIn: Period | null;
}

export interface CorrectionRecord {
  id: string;
  kind: 'reversal' | 'recode' | 'credit-note' | 'late-posting' | 'prior-period-adjustment';
  schemeId: string;
  fundingStream: string;
  /** Signed: what it did to the line's spend (a recode appears once per line it touched). */
  amount: string;
  postedIn: Period;
  /** The closed quarter it belongs to or corrects; null for one within its own open period. */
  correcting: Quarter | null;
  description: string;
}
