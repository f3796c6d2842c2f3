import type { Quarter } from '../events/catalogue/index.ts';
import type { RecordedEvent } from '../events/envelope.ts';
import { StoreIntegrityError } from '../events/store/errors.ts';
import { eventHash, GENESIS_HASH } from '../events/store/integrity.ts';
import type { EventStore } from '../events/store/port.ts';
import { quarterlyReportAtVersions } from './as-at.ts';
import type { RagThresholds } from './reports/figures.ts';

/**
 * Checks that the stored history has not been altered: every event readable and fitting its
 * schema, positions strictly increasing (and dense where the store promises it), each stream's
 * versions consecutive and its hash chain unbroken, each event where the record of its append
 * says it was written, the log not cut short of what was acknowledged, and every closed quarter's
 * report reproducing the digest signed off. Reports the first break precisely.
 */
export interface VerificationOptions {
  readonly ragThresholds: RagThresholds;
  /** The embedded store numbers positions 1, 2, 3...; a gap there is a deleted event. */
  readonly densePositions: boolean;
  readonly pageSize?: number;
}

export interface Break {
  readonly position: number;
  readonly streamId: string | null;
  readonly streamVersion: number | null;
  readonly problem: string;
}

export type Verification =
  | {
      readonly ok: true;
      readonly events: number;
      readonly streams: number;
      readonly quarterCloses: number;
    }
  | { readonly ok: false; readonly events: number; readonly firstBreak: Break };

interface Close {
  readonly position: number;
  readonly streamId: string;
  readonly streamVersion: number;
  readonly poolId: string;
  readonly year: string;
  readonly quarter: Quarter;
  readonly reportDigest: string;
  readonly ledgerVersion: number;
  readonly poolVersion: number;
}

export async function verifyLedger(
  store: EventStore,
  options: VerificationOptions,
): Promise<Verification> {
  const walked = await walkLog(store, options);
  if ('firstBreak' in walked) return walked;
  const acknowledged = await store.appendedThrough();
  if (acknowledged > walked.last) {
    return broken(walked.checked, {
      position: walked.last + 1,
      streamId: null,
      streamVersion: null,
      problem: `the store acknowledged appends up to position ${acknowledged}, but the log ends at ${walked.last}: events were removed from its end`,
    });
  }
  const closeBreak = await checkCloses(store, walked.closes, options.ragThresholds);
  if (closeBreak !== undefined) return broken(walked.checked, closeBreak);
  return {
    ok: true,
    events: walked.checked,
    streams: walked.streams,
    quarterCloses: walked.closes.length,
  };
}

function broken(events: number, firstBreak: Break): Extract<Verification, { ok: false }> {
  return { ok: false, events, firstBreak };
}

interface Walked {
  readonly checked: number;
  readonly last: number;
  readonly streams: number;
  readonly closes: readonly Close[];
}

/** Every event of the log in order: its position, its stream's chain, the record of its append. */
async function walkLog(
  store: EventStore,
  options: VerificationOptions,
): Promise<Walked | Extract<Verification, { ok: false }>> {
  const streams = new Map<string, { version: number; hash: string }>();
  const closes: Close[] = [];
  let last = 0;
  let checked = 0;
  // Pages are stepped by their next position: on EventStoreDB a page of $all may hold none of the
  // ledger's events.
  for (let from = 1; ; ) {
    const page = await readPage(store, from, options.pageSize ?? 1_000);
    if ('problem' in page) return broken(checked, breakAt(page.position, undefined, page.problem));
    for (const event of page.events) {
      const problem =
        checkPosition(event, last, options.densePositions) ??
        checkChain(event, streams) ??
        (await checkAppendRecord(store, event, options.densePositions));
      if (problem !== undefined)
        return broken(checked, breakAt(event.globalPosition, event, problem));
      streams.set(event.streamId, { version: event.streamVersion, hash: event.hash });
      if (event.type === 'QuarterClosed.v1') closes.push(closeOf(event));
      last = event.globalPosition;
      checked += 1;
    }
    if (page.endOfLog) return { checked, last, streams: streams.size, closes };
    from = Math.max(page.nextPosition, last + 1);
  }
}

function breakAt(position: number, event: RecordedEvent | undefined, problem: string): Break {
  return {
    position,
    streamId: event?.streamId ?? null,
    streamVersion: event?.streamVersion ?? null,
    problem,
  };
}

/** Every closed quarter's report, recomputed at the versions it was signed off at, has its digest. */
async function checkCloses(
  store: EventStore,
  closes: readonly Close[],
  thresholds: RagThresholds,
): Promise<Break | undefined> {
  for (const close of closes) {
    const report = await quarterlyReportAtVersions(
      store,
      close.poolId,
      close.year,
      close.quarter,
      close,
      thresholds,
    );
    if (report?.digest === close.reportDigest) continue;
    return {
      position: close.position,
      streamId: close.streamId,
      streamVersion: close.streamVersion,
      problem: `the ${close.quarter} ${close.year} report recomputed at ledger version ${close.ledgerVersion} and pool version ${close.poolVersion} has digest ${report?.digest ?? 'none'}, not the ${close.reportDigest} signed off (RAG thresholds ${thresholds.amberAbovePercent}/${thresholds.redAbovePercent})`,
    };
  }
  return undefined;
}

/** A page of the log; an event that cannot be read is found one by one and reported. */
async function readPage(store: EventStore, from: number, size: number) {
  try {
    return await store.readAll(from, { limit: size });
  } catch (error) {
    if (!(error instanceof StoreIntegrityError)) throw error;
    for (let position = from; ; position++) {
      try {
        const single = await store.readAll(position, { limit: 1 });
        if (single.endOfLog && single.events.length === 0)
          return { position, problem: error.message };
      } catch (single) {
        return { position, problem: (single as Error).message };
      }
    }
  }
}

function checkPosition(event: RecordedEvent, last: number, dense: boolean): string | undefined {
  if (event.globalPosition <= last)
    return `its position ${event.globalPosition} does not follow ${last}`;
  if (dense && event.globalPosition !== last + 1) {
    return `positions ${last + 1} to ${event.globalPosition - 1} are missing: events were removed`;
  }
  return undefined;
}

function checkChain(
  event: RecordedEvent,
  streams: ReadonlyMap<string, { version: number; hash: string }>,
): string | undefined {
  const previous = streams.get(event.streamId) ?? { version: 0, hash: GENESIS_HASH };
  if (event.streamVersion !== previous.version + 1) {
    return `it is version ${event.streamVersion} of "${event.streamId}", but the stream was at version ${previous.version}`;
  }
  if (event.previousHash !== previous.hash)
    return `its previous-hash does not match the hash of version ${previous.version} of "${event.streamId}"`;
  if (eventHash(event) !== event.hash)
    return 'its content does not match its hash: it was changed after it was recorded';
  return undefined;
}

/** The store's record of the append names where its events went; each event must be there. */
async function checkAppendRecord(
  store: EventStore,
  event: RecordedEvent,
  dense: boolean,
): Promise<string | undefined> {
  const append = await store.findAppend(event.metadata.idempotencyKey);
  if (append === undefined)
    return `no append was recorded under its idempotency key "${event.metadata.idempotencyKey}": it was inserted`;
  const firstVersion = append.streamVersion - append.eventCount + 1;
  const inRange =
    append.streamId === event.streamId &&
    event.streamVersion >= firstVersion &&
    event.streamVersion <= append.streamVersion &&
    // Where positions are dense, an append's events sit at consecutive positions.
    (!dense || event.globalPosition - append.firstPosition === event.streamVersion - firstVersion);
  if (!inRange) {
    return `its append was recorded as "${append.streamId}" versions ${firstVersion} to ${append.streamVersion} at positions ${append.firstPosition} to ${append.lastPosition}: the event was moved`;
  }
  return undefined;
}

function closeOf(event: RecordedEvent): Close {
  const data = event.data as {
    poolId: string;
    year: string;
    quarter: Quarter;
    reportDigest: string;
    ledgerVersion: number;
    poolVersion: number;
  };
  return {
    position: event.globalPosition,
    streamId: event.streamId,
    streamVersion: event.streamVersion,
    poolId: data.poolId,
    year: data.year,
    quarter: data.quarter,
    reportDigest: data.reportDigest,
    ledgerVersion: data.ledgerVersion,
    poolVersion: data.poolVersion,
  };
}
