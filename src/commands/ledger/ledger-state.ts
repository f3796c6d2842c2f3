import { Money } from '#money';
import { QUARTERS, type Quarter } from '../../events/catalogue/index.ts';

/**
 * What the ledger of one pool and year must know to decide: the money per funding stream and
 * scheme line, the spends that may still be reversed, the requests awaiting approval, and how
 * far the year has been closed. Folded from the ledger stream only; the pool's facts (partners,
 * schemes, reference lists) arrive with each command.
 */
export interface LedgerState {
  /** How many events the ledger stream holds. */
  version: number;
  /** Planned plus approved variations, per partner and funding stream. */
  contributions: Map<string, Money>;
  /** Per funding stream: contributions (planned and varied) and what is allocated to lines. */
  streams: Map<string, { contributions: Money; allocated: Money }>;
  /** Per scheme line (scheme x stream): current budget and net spend. */
  lines: Map<string, { budget: Money; spent: Money }>;
  spends: Map<string, SpendRecord>;
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
  /** Ids of receipts, allocations, releases, instalments, reversals, adjustments, savings, realisations. */
  usedIds: Set<string>;
  /** Latest forecast outturn per scheme line and quarter. */
  forecasts: Map<string, Money>;
  savings: Map<string, { schemeId: string }>;
  closedQuarters: number;
  closeRequest: { quarter: Quarter; reportDigest: string; requestedBy: string } | undefined;
  outturnNet: Money | undefined;
  riskShareApplied: boolean;
  /** The gross of each kind of posting: see gross-totals.ts. */
  gross: Map<GrossKind, Money>;
}

/** The kinds of posting whose gross the ledger bounds (gross-totals.ts). */
export const GROSS_KINDS = [
  'contributions',
  'received',
  'grants',
  'budget',
  'spend',
  'savings',
  'forecasts',
] as const;
export type GrossKind = (typeof GROSS_KINDS)[number];

export interface SpendRecord {
  schemeId: string;
  fundingStream: string;
  amount: Money;
  quarter: Quarter;
  ibcfPurpose: string | undefined;
  reversed: boolean;
}

export interface PendingChange {
  status: 'pending' | 'approved' | 'rejected';
  requestedBy: string;
}

export function initialLedgerState(): LedgerState {
  return {
    version: 0,
    contributions: new Map(),
    streams: new Map(),
    lines: new Map(),
    spends: new Map(),
    variations: new Map(),
    virements: new Map(),
    grants: new Map(),
    usedIds: new Set(),
    forecasts: new Map(),
    savings: new Map(),
    closedQuarters: 0,
    closeRequest: undefined,
    outturnNet: undefined,
    riskShareApplied: false,
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

/** The quarter postings go into now: the first that is not closed; undefined once all four are. */
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
