import { canonicalJson } from '../events/canonical-json.ts';
import type { BcfEvent } from '../events/catalogue/index.ts';
import type { RecordedEvent } from '../events/envelope.ts';
import { StoreIntegrityError } from '../events/store/errors.ts';
import type { CheckpointLog, CheckpointRecord } from '../events/store/evidence/checkpoint-log.ts';
import type { EventStore } from '../events/store/port.ts';
import { quarterlyReportAtVersions, yearEndStatementAtVersions } from './as-at.ts';
import { ReadModelHaltedError } from './projection-runner.ts';
import { quarterlyReport } from './reports/quarterly-position.ts';
import { yearEndDigest, yearEndStatement } from './reports/year-end.ts';
import { type Close, type LogWalk, startWalk } from './verification-walk.ts';
import { applyToPoolView, emptyPoolView, type PoolView } from './view/pool-view.ts';

/**
 * Checks that the stored history has not been altered, and reports the first break precisely:
 * - every event readable and fitting its schema, positions strictly increasing (dense where the
 *   store promises it), each stream's versions consecutive and its hash chain unbroken;
 * - each event where the record of its append says, and each append's record holding the digest
 *   of exactly the events it recorded;
 * - the rules history must keep: an approval made by the approver it names, who is not the
 *   requester and holds the approver's role;
 * - the running digest of the log at every signed checkpoint (since the last acknowledged break)
 *   as signed, the log not cut short of a checkpoint nor of what the store acknowledged;
 * - every closed quarter's report, and every closed year's statement, reproducing the digest
 *   signed off, both at the versions it was signed at and live (nothing later changed it);
 * - the read model holding exactly what a fresh fold of the log up to its checkpoint gives.
 */
export interface VerificationOptions {
  /** The embedded store numbers positions 1, 2, 3...; a gap there is a deleted event. */
  readonly densePositions: boolean;
  /** The signed checkpoints to hold the log to. */
  readonly checkpoints?: CheckpointLog;
  /** The key the hash chain is made with; without it the chain is checked as unkeyed SHA-256. */
  readonly chainKey?: Buffer;
  /** The read model to compare with a fresh fold: its checkpoint and its views. */
  readonly readModel?: { readonly checkpoint: number; views(): ReadonlyMap<string, PoolView> };
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
      readonly checkpoints: number;
    }
  | { readonly ok: false; readonly events: number; readonly firstBreak: Break };

export async function verifyLedger(
  store: EventStore,
  options: VerificationOptions,
): Promise<Verification> {
  const signed = signedCheckpoints(options.checkpoints);
  if ('problem' in signed) return broken(0, breakAt(0, undefined, signed.problem));
  const walk = startWalk(store, options, signed.records);
  const freshViews = new Map<string, PoolView>();
  const liveViews = new Map<string, PoolView>();
  const foldThrough = options.readModel?.checkpoint ?? 0;
  const walked = await walkLog(store, options, walk, (event) => {
    foldFresh(liveViews, event);
    if (event.globalPosition <= foldThrough) foldFresh(freshViews, event);
  });
  if (walked !== undefined) return broken(walk.checked, walked);
  const ending = await checkEnding(store, walk, signed.records);
  if (ending !== undefined) return broken(walk.checked, ending);
  const closeBreak =
    (await checkCloses(store, walk.closes)) ?? checkLiveCloses(walk.closes, liveViews);
  if (closeBreak !== undefined) return broken(walk.checked, closeBreak);
  const readModelBreak = compareReadModel(options.readModel, freshViews);
  if (readModelBreak !== undefined) return broken(walk.checked, readModelBreak);
  return {
    ok: true,
    events: walk.checked,
    streams: walk.streams.size,
    quarterCloses: walk.closes.length,
    checkpoints: signed.records.length,
  };
}

function broken(events: number, firstBreak: Break): Extract<Verification, { ok: false }> {
  return { ok: false, events, firstBreak };
}

export function breakAt(
  position: number,
  event: RecordedEvent | undefined,
  problem: string,
): Break {
  return {
    position,
    streamId: event?.streamId ?? null,
    streamVersion: event?.streamVersion ?? null,
    problem,
  };
}

/** The checkpoints since the last acknowledged break, each signed by a trusted key. */
function signedCheckpoints(
  log: CheckpointLog | undefined,
): { records: CheckpointRecord[] } | { problem: string } {
  const all = log?.records() ?? [];
  const lastAcknowledgement = all.findLastIndex((entry) => entry.record.kind === 'acknowledgement');
  const since = all.slice(Math.max(lastAcknowledgement, 0));
  const unsigned = since.find((entry) => !entry.signed);
  if (unsigned !== undefined)
    return {
      problem: `checkpoint on line ${unsigned.line} of ${log?.path} is not signed by a trusted key`,
    };
  return { records: since.map((entry) => entry.record) };
}

/** Every event of the log in order, through the walk's checks; the first break, if any. */
async function walkLog(
  store: EventStore,
  options: VerificationOptions,
  walk: LogWalk,
  each: (event: RecordedEvent) => void,
): Promise<Break | undefined> {
  // Pages are stepped by their next position: on EventStoreDB a page of $all may hold none of the
  // ledger's events.
  for (let from = 1; ; ) {
    const page = await readPage(store, from, options.pageSize ?? 1_000);
    if ('problem' in page) return breakAt(page.position, undefined, page.problem);
    for (const event of page.events) {
      const problem = await walk.check(event);
      if (problem !== undefined) return breakAt(event.globalPosition, event, problem);
      each(event);
    }
    if (page.endOfLog) return undefined;
    from = Math.max(page.nextPosition, walk.last + 1);
  }
}

/** The log reaches every checkpoint and everything the store acknowledged; every append is whole. */
async function checkEnding(
  store: EventStore,
  walk: LogWalk,
  checkpoints: readonly CheckpointRecord[],
): Promise<Break | undefined> {
  const unfinished = walk.unfinishedAppend();
  if (unfinished !== undefined) return breakAt(walk.last, undefined, unfinished);
  const beyond = checkpoints.find((record) => record.position > walk.last);
  if (beyond !== undefined) {
    return breakAt(
      walk.last + 1,
      undefined,
      `the log ends at position ${walk.last}, but the checkpoint signed at ${beyond.at} saw it reach ${beyond.position}: events were removed from its end`,
    );
  }
  const acknowledged = await store.appendedThrough();
  if (acknowledged <= walk.last) return undefined;
  return breakAt(
    walk.last + 1,
    undefined,
    `the store acknowledged appends up to position ${acknowledged}, but the log ends at ${walk.last}: events were removed from its end`,
  );
}

/** Every close's report, recomputed at the versions it was signed off at, has its digest. */
async function checkCloses(
  store: EventStore,
  closes: readonly Close[],
): Promise<Break | undefined> {
  for (const close of closes) {
    const digest =
      close.quarter === null
        ? await yearEndStatementAtVersions(store, close.poolId, close.year, close).then(
            (statement) => (statement === undefined ? undefined : yearEndDigest(statement)),
          )
        : (await quarterlyReportAtVersions(store, close.poolId, close.year, close.quarter, close))
            ?.digest;
    if (digest === close.reportDigest) continue;
    return closeBreak(
      close,
      `recomputed at ledger version ${close.ledgerVersion} and pool version ${close.poolVersion} has digest ${digest ?? 'none'}, not the ${close.reportDigest} signed off`,
    );
  }
  return undefined;
}

/** Rule 9: every closed quarter (and closed year) reads now as it was signed off, byte for byte. */
function checkLiveCloses(
  closes: readonly Close[],
  views: ReadonlyMap<string, PoolView>,
): Break | undefined {
  for (const close of closes) {
    const view = views.get(close.poolId);
    const statement = view === undefined ? undefined : yearEndStatement(view, close.year);
    const digest =
      close.quarter === null
        ? statement === undefined
          ? undefined
          : yearEndDigest(statement)
        : view === undefined
          ? undefined
          : quarterlyReport(view, close.year, close.quarter)?.digest;
    if (digest === close.reportDigest) continue;
    return closeBreak(
      close,
      `as the ledger reads it now has digest ${digest ?? 'none'}, not the ${close.reportDigest} signed off: something recorded after the close changed it`,
    );
  }
  return undefined;
}

function closeBreak(close: Close, what: string): Break {
  const report =
    close.quarter === null
      ? `the ${close.year} year-end statement`
      : `the ${close.quarter} ${close.year} report`;
  return {
    position: close.position,
    streamId: close.streamId,
    streamVersion: close.streamVersion,
    problem: `${report} ${what}`,
  };
}

function foldFresh(views: Map<string, PoolView>, event: RecordedEvent): void {
  const poolId = (event.data as { poolId?: unknown }).poolId;
  if (typeof poolId !== 'string') return;
  let view = views.get(poolId);
  if (view === undefined) {
    view = emptyPoolView(poolId);
    views.set(poolId, view);
  }
  applyToPoolView(view, event as unknown as RecordedEvent & BcfEvent);
}

/** The read model's views are what a fresh fold of the log up to its checkpoint gives. */
function compareReadModel(
  readModel: VerificationOptions['readModel'],
  fresh: ReadonlyMap<string, PoolView>,
): Break | undefined {
  if (readModel === undefined) return undefined;
  let held: ReadonlyMap<string, PoolView>;
  try {
    held = readModel.views();
  } catch (error) {
    if (!(error instanceof ReadModelHaltedError)) throw error;
    return breakAt(readModel.checkpoint, undefined, error.message);
  }
  for (const poolId of new Set([...held.keys(), ...fresh.keys()])) {
    if (canonicalJson(held.get(poolId)) === canonicalJson(fresh.get(poolId))) continue;
    return breakAt(
      readModel.checkpoint,
      undefined,
      `the read model's view of pool "${poolId}" is not what the log up to position ${readModel.checkpoint} gives: rebuild it (bcf-ledger rebuild)`,
    );
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
