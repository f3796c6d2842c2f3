import { Money } from '#money';
import {
  type Period,
  QUARTERS,
  type Quarter,
  type SchemeColumns,
  type YearEndTerms,
} from '../../events/catalogue/index.ts';

/**
 * What the ledger of one pool and year must know to decide: the money per funding stream and
 * scheme line, the spends that may still be credited, reversed or recoded, the commitments still
 * open, the requests awaiting approval, the year's classification of its schemes, and how far
 * the year has been closed. Folded from the ledger stream only; the pool's facts (partners,
 * schemes, reference lists) arrive with each command.
 */
export interface LedgerState {
  /** How many events the ledger stream holds. */
  version: number;
  /** Planned plus approved variations, per partner and funding stream. */
  contributions: Map<string, Money>;
  /** Amounts due from each partner, per partner and funding stream. */
  dues: Map<string, Money>;
  /** Per funding stream: contributions (planned and varied) and what is allocated to lines. */
  streams: Map<string, { contributions: Money; allocated: Money }>;
  /** Per scheme line (scheme x stream). */
  lines: Map<string, LineState>;
  spends: Map<string, SpendRecord>;
  commitments: Map<string, CommitmentRecord>;
  variations: Map<
    string,
    PendingChange & { partnerId: string; fundingStream: string; change: Money }
  >;
  virements: Map<
    string,
    PendingChange & {
      fundingStream: string;
      fromSchemeId: string;
      toSchemeId: string;
      amount: Money;
    }
  >;
  grants: Map<string, { fundingStream: string; award: Money; received: Money }>;
  /** Ids of receipts, dues, allocations, releases, instalments, corrections, savings, accruals... */
  usedIds: Set<string>;
  /** Latest forecast outturn per scheme line and quarter. */
  forecasts: Map<string, Money>;
  savings: Map<string, { schemeId: string }>;
  /** The year's classification of each scheme it has touched (docs/decisions/0008). */
  classifications: Map<string, SchemeColumns>;
  closedQuarters: number;
  closeRequest: { quarter: Quarter; reportDigest: string; requestedBy: string } | undefined;
  outturnNet: Money | undefined;
  /** The year-end terms proposed and awaiting another CFO, and the terms agreed. */
  proposedTerms: { terms: YearEndTerms; proposedBy: string } | undefined;
  agreedTerms: YearEndTerms | undefined;
  riskShareApplied: boolean;
  /** What the risk share carried forward, per stream, for the next year to bring forward. */
  carryForward: Map<string, Money>;
  broughtForwardFrom: string | undefined;
  /** The status of each metric's actual per quarter, so a final one is never made provisional. */
  metricActuals: Map<string, 'provisional' | 'final'>;
  yearCloseRequest: { reportDigest: string; requestedBy: string } | undefined;
  yearClosed: boolean;
  /** The gross of each kind of posting: see gross-totals.ts. */
  gross: Map<GrossKind, Money>;
}

/** budget = spent + committed + remaining; accrued is the year-end's addition to spent. */
export interface LineState {
  budget: Money;
  spent: Money;
  committed: Money;
  accrued: Money;
}

/** The kinds of posting whose gross the ledger bounds (gross-totals.ts). */
export const GROSS_KINDS = [
  'contributions',
  'due',
  'received',
  'grants',
  'budget',
  'spend',
  'commitments',
  'accruals',
  'savings',
  'forecasts',
] as const;
export type GrossKind = (typeof GROSS_KINDS)[number];

export interface SpendRecord {
  schemeId: string;
  /** The invoice's reference in the finance system: an import finds the invoice a credit names. */
  erpReference: string;
  fundingStream: string;
  amount: Money;
  /** The period it counts in. */
  period: Period;
  ibcfPurpose: string | undefined;
  reversed: boolean;
  /** Taken off it by credit notes naming it, and moved off its line by recodes. */
  credited: Money;
  recoded: Money;
}

export interface CommitmentRecord {
  schemeId: string;
  fundingStream: string;
  outstanding: Money;
}

export interface PendingChange {
  status: 'pending' | 'approved' | 'rejected';
  requestedBy: string;
}

export function initialLedgerState(): LedgerState {
  return {
    version: 0,
    contributions: new Map(),
    dues: new Map(),
    streams: new Map(),
    lines: new Map(),
    spends: new Map(),
    commitments: new Map(),
    variations: new Map(),
    virements: new Map(),
    grants: new Map(),
    usedIds: new Set(),
    forecasts: new Map(),
    savings: new Map(),
    classifications: new Map(),
    closedQuarters: 0,
    closeRequest: undefined,
    outturnNet: undefined,
    proposedTerms: undefined,
    agreedTerms: undefined,
    riskShareApplied: false,
    carryForward: new Map(),
    broughtForwardFrom: undefined,
    metricActuals: new Map(),
    yearCloseRequest: undefined,
    yearClosed: false,
    gross: new Map(),
  };
}

export function lineKey(schemeId: string, fundingStream: string): string {
  return `${schemeId}\u0000${fundingStream}`;
}

/** The key of a line's forecast as given in a quarter. */
export function forecastKey(schemeId: string, fundingStream: string, quarter: string): string {
  return `${lineKey(schemeId, fundingStream)}\u0000${quarter}`;
}

export function contributionKey(partnerId: string, fundingStream: string): string {
  return `${partnerId}\u0000${fundingStream}`;
}

export function emptyLine(): LineState {
  return { budget: Money.zero, spent: Money.zero, committed: Money.zero, accrued: Money.zero };
}

/** The line's state, or an empty one (a line exists once funds are allocated to it). */
export function lineOf(state: LedgerState, schemeId: string, fundingStream: string): LineState {
  return state.lines.get(lineKey(schemeId, fundingStream)) ?? emptyLine();
}

/**
 * The period postings go into now: the first quarter not closed, then YE once all four are;
 * undefined once the year is closed.
 */
export function openPeriod(state: LedgerState): Period | undefined {
  if (state.yearClosed) return undefined;
  return QUARTERS[state.closedQuarters] ?? 'YE';
}

/** The quarter that closes next; undefined once all four are closed. */
export function openQuarter(state: LedgerState): Quarter | undefined {
  return QUARTERS[state.closedQuarters];
}

export function isClosed(state: LedgerState, quarter: Quarter): boolean {
  return QUARTERS.indexOf(quarter) < state.closedQuarters;
}

export function streamTotals(state: LedgerState, fundingStream: string) {
  return state.streams.get(fundingStream) ?? { contributions: Money.zero, allocated: Money.zero };
}

export function setStatus(
  requests: Map<string, PendingChange>,
  id: string,
  status: PendingChange['status'],
): void {
  const request = requests.get(id);
  if (request !== undefined) request.status = status;
}
