import {
  type BcfEvent,
  ledgerStreamId,
  poolStreamId,
  type Quarter,
} from '../events/catalogue/index.ts';
import type { RecordedEvent } from '../events/envelope.ts';
import { type EventStore, STORE_LIMITS } from '../events/store/port.ts';
import { type QuarterlyReport, quarterlyReport } from './reports/quarterly-position.ts';
import { type YearEndStatement, yearEndStatement } from './reports/year-end.ts';
import { applyToPoolView, emptyPoolView, type PoolView } from './view/pool-view.ts';

/**
 * A pool's view folded straight from its streams by the same code as the live read model, limited
 * to what the ledger knew at a moment (`asAt`, recorded time) or to exact stream versions. This
 * is how a past report is reproduced: the live read model only knows the present.
 */
export interface ViewLimits {
  /** Only events recorded at or before this moment (ISO 8601, UTC). */
  readonly asAt?: string;
  /** Only the first this-many events of the pool's stream. */
  readonly poolVersion?: number;
  /** Only the first this-many events of each year's ledger stream. */
  readonly ledgerVersions?: Readonly<Record<string, number>>;
}

export async function poolViewFromStreams(
  store: EventStore,
  poolId: string,
  limits: ViewLimits = {},
): Promise<PoolView | undefined> {
  const view = emptyPoolView(poolId);
  const fold = (event: RecordedEvent) => applyToPoolView(view, event as unknown as BcfEvent);
  const poolEvents = await readLimited(
    store,
    poolStreamId(poolId),
    limits.asAt,
    limits.poolVersion,
    fold,
  );
  if (poolEvents === 0) return undefined;
  for (const year of Object.keys(view.years).sort()) {
    await readLimited(
      store,
      ledgerStreamId(poolId, year),
      limits.asAt,
      limits.ledgerVersions?.[year],
      fold,
    );
  }
  return view;
}

/**
 * The quarterly report computed at exact versions of the pool's and the year's streams: what a
 * quarter close records and what an auditor recomputes to check it.
 */
export async function quarterlyReportAtVersions(
  store: EventStore,
  poolId: string,
  year: string,
  quarter: Quarter,
  versions: StreamVersions,
): Promise<QuarterlyReport | undefined> {
  const view = await viewAtVersions(store, poolId, year, versions);
  return view === undefined ? undefined : quarterlyReport(view, year, quarter);
}

/** The year-end statement at exact versions: what a year close records and an auditor checks. */
export async function yearEndStatementAtVersions(
  store: EventStore,
  poolId: string,
  year: string,
  versions: StreamVersions,
): Promise<YearEndStatement | undefined> {
  const view = await viewAtVersions(store, poolId, year, versions);
  return view === undefined ? undefined : yearEndStatement(view, year);
}

interface StreamVersions {
  readonly poolVersion: number;
  readonly ledgerVersion: number;
}

function viewAtVersions(
  store: EventStore,
  poolId: string,
  year: string,
  versions: StreamVersions,
): Promise<PoolView | undefined> {
  return poolViewFromStreams(store, poolId, {
    poolVersion: versions.poolVersion,
    ledgerVersions: { [year]: versions.ledgerVersion },
  });
}

/** Reads a stream page by page within the limits, handing each event to `each`; returns the count. */
async function readLimited(
  store: EventStore,
  streamId: string,
  asAt: string | undefined,
  maxVersion: number | undefined,
  each: (event: RecordedEvent) => void,
): Promise<number> {
  let count = 0;
  for (let fromVersion = 1; ; ) {
    const events = await store.readStream(streamId, { fromVersion, limit: REPLAY_PAGE });
    for (const event of events) {
      if (maxVersion !== undefined && event.streamVersion > maxVersion) return count;
      if (asAt !== undefined && event.metadata.recordedAt > asAt) continue;
      each(event);
      count += 1;
    }
    if (events.length < REPLAY_PAGE) return count;
    fromVersion = (events.at(-1)?.streamVersion ?? fromVersion) + 1;
    // Between pages the server answers whatever else is waiting: a replay of a long stream is
    // the one request that waits for it.
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Events read and folded between two chances for other requests to run: a few milliseconds. */
const REPLAY_PAGE = Math.min(500, STORE_LIMITS.maxPageSize);
