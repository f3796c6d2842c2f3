import { createHash } from 'node:crypto';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { canonicalJson } from '../events/canonical-json.ts';
import type { BcfEvent } from '../events/catalogue/index.ts';
import type { RecordedEvent } from '../events/envelope.ts';
import type { EventStore } from '../events/store/port.ts';
import {
  AUDIT_SCHEMA,
  type AuditFilter,
  type AuditPage,
  auditRow,
  queryAuditTrail,
} from './audit-trail.ts';
import { parseView } from './view/amounts.ts';
import { applyToPoolView, emptyPoolView, type PoolView } from './view/pool-view.ts';

export interface ProjectionRunnerOptions {
  /** The read model's SQLite file; derived data, rebuildable from the event store at any time. */
  readonly path: string;
  readonly store: EventStore;
  /** Events read and committed per transaction while catching up. */
  readonly batchSize?: number;
}

export const DEFAULT_PROJECTION_BATCH_SIZE = 1_000;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS projection_checkpoint (name TEXT PRIMARY KEY, position INTEGER NOT NULL) STRICT;
CREATE TABLE IF NOT EXISTS pool_views (pool_id TEXT PRIMARY KEY, document TEXT NOT NULL) STRICT;
${AUDIT_SCHEMA}
`;

/**
 * Keeps the read models (pool views and the audit trail) up to date with the event store. Each
 * batch of events and the checkpoint after it are written in one transaction, so the read model
 * is always exactly "the log up to the checkpoint": a crash loses no event and applies none twice.
 */
export class ProjectionRunner {
  readonly #database: DatabaseSync;
  readonly #store: EventStore;
  readonly #batchSize: number;
  readonly #views = new Map<string, PoolView>();
  readonly #statements: {
    saveView: StatementSync;
    saveCheckpoint: StatementSync;
    insertAudit: StatementSync;
  };
  #checkpoint: number;
  #turn: Promise<unknown> = Promise.resolve();

  private constructor(database: DatabaseSync, options: ProjectionRunnerOptions) {
    this.#database = database;
    this.#store = options.store;
    this.#batchSize = options.batchSize ?? DEFAULT_PROJECTION_BATCH_SIZE;
    this.#statements = {
      saveView: database.prepare(
        'INSERT INTO pool_views (pool_id, document) VALUES (?, ?) ON CONFLICT (pool_id) DO UPDATE SET document = excluded.document',
      ),
      saveCheckpoint: database.prepare(
        "INSERT INTO projection_checkpoint (name, position) VALUES ('ledger', ?) ON CONFLICT (name) DO UPDATE SET position = excluded.position",
      ),
      insertAudit: database.prepare(
        'INSERT INTO audit_trail (position, stream_id, stream_version, event_id, type, pool_id, year, scheme_ids, actor_id, actor_role, recorded_at, reason, correlation_id, causation_id, idempotency_key, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
    };
    const row = database
      .prepare("SELECT position FROM projection_checkpoint WHERE name = 'ledger'")
      .get() as { position: number } | undefined;
    this.#checkpoint = row?.position ?? 0;
    for (const view of database.prepare('SELECT pool_id, document FROM pool_views').all() as {
      pool_id: string;
      document: string;
    }[]) {
      this.#views.set(view.pool_id, parseView<PoolView>(view.document));
    }
  }

  static open(options: ProjectionRunnerOptions): ProjectionRunner {
    const database = new DatabaseSync(options.path);
    // The read model can always be rebuilt from the log, so it need not pay for a sync per commit.
    database.exec(
      'PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;',
    );
    database.exec(SCHEMA);
    return new ProjectionRunner(database, options);
  }

  /** The position of the last event applied. */
  get checkpoint(): number {
    return this.#checkpoint;
  }

  /**
   * How many events the read model is behind the log, counted exactly up to `atMost + 1`. On the
   * embedded store positions are 1, 2, 3..., so the distance between positions is the count; on
   * EventStoreDB positions are byte offsets in its log, so when the distance exceeds `atMost` the
   * events in between are read and counted (no more than `atMost + 1` of them), page by page
   * because a page of $all may hold few of them.
   */
  async behind(atMost: number): Promise<{ head: number; checkpoint: number; lag: number }> {
    const checkpoint = this.#checkpoint;
    const head = await this.#store.headPosition();
    const distance = Math.max(0, head - checkpoint);
    if (distance <= atMost) return { head, checkpoint, lag: distance };
    let lag = 0;
    let from = checkpoint + 1;
    while (lag <= atMost && from <= head) {
      const page = await this.#store.readAll(from, { limit: atMost + 1 - lag });
      lag += page.events.filter((event) => event.globalPosition <= head).length;
      if (page.endOfLog) break;
      from = page.nextPosition;
    }
    return { head, checkpoint, lag };
  }

  /**
   * Applies every event after the checkpoint, a batch per transaction; returns how many. Calls
   * take turns, so a read that asks to catch up and the follower never apply a batch twice.
   */
  catchUp(onBatch?: (checkpoint: number) => void): Promise<number> {
    const run = this.#turn.then(() => this.#catchUpNow(onBatch));
    this.#turn = run.catch(() => undefined);
    return run;
  }

  async #catchUpNow(onBatch?: (checkpoint: number) => void): Promise<number> {
    let applied = 0;
    // From the page's next position, not the checkpoint: on EventStoreDB a page of $all may hold
    // none of the ledger's events (only append markers), and must still be stepped over.
    let from = this.#checkpoint + 1;
    for (;;) {
      const page = await this.#store.readAll(from, { limit: this.#batchSize });
      if (page.events.length > 0) {
        this.#applyBatch(page.events);
        applied += page.events.length;
        onBatch?.(this.#checkpoint);
      }
      if (page.endOfLog) return applied;
      from = Math.max(page.nextPosition, this.#checkpoint + 1);
    }
  }

  /** Catches up, then again whenever an event is appended, until the signal aborts. */
  async follow(signal: AbortSignal): Promise<void> {
    await this.catchUp();
    for await (const event of this.#store.subscribe({
      fromPosition: this.#checkpoint + 1,
      signal,
    })) {
      if (event.globalPosition > this.#checkpoint) await this.catchUp();
    }
  }

  poolView(poolId: string): PoolView | undefined {
    return this.#views.get(poolId);
  }

  poolIds(): string[] {
    return [...this.#views.keys()].sort();
  }

  auditTrail(filter: AuditFilter): AuditPage {
    return queryAuditTrail(this.#database, filter);
  }

  /**
   * SHA-256 over the canonical serialisation of the whole read model: checkpoint, every pool view
   * and every audit row in order. Two read models with the same digest hold the same bytes.
   */
  digest(): string {
    const hash = createHash('sha256');
    hash.update(`checkpoint:${this.#checkpoint}\n`);
    for (const poolId of this.poolIds()) hash.update(`${canonicalJson(this.#views.get(poolId))}\n`);
    for (const row of this.#database
      .prepare('SELECT * FROM audit_trail ORDER BY position')
      .iterate()) {
      hash.update(`${canonicalJson({ ...row })}\n`);
    }
    return hash.digest('hex');
  }

  close(): void {
    this.#database.close();
  }

  #applyBatch(events: readonly RecordedEvent[]): void {
    const touched = new Set<string>();
    const rows: unknown[][] = [];
    for (const recorded of events) {
      rows.push(auditRow(recorded));
      // Access events (users, tokens) belong to no pool: they go to the audit trail only.
      const poolId = (recorded.data as { poolId?: unknown }).poolId;
      if (typeof poolId !== 'string') continue;
      let view = this.#views.get(poolId);
      if (view === undefined) {
        view = emptyPoolView(poolId);
        this.#views.set(poolId, view);
      }
      applyToPoolView(view, recorded as unknown as RecordedEvent & BcfEvent);
      touched.add(poolId);
    }
    const last = events.at(-1)?.globalPosition ?? this.#checkpoint;
    this.#database.exec('BEGIN IMMEDIATE');
    try {
      for (const poolId of touched)
        this.#statements.saveView.run(poolId, JSON.stringify(this.#views.get(poolId)));
      for (const row of rows)
        this.#statements.insertAudit.run(...(row as (string | number | null)[]));
      this.#statements.saveCheckpoint.run(last);
      this.#database.exec('COMMIT');
      this.#checkpoint = last;
    } catch (error) {
      this.#database.exec('ROLLBACK');
      // The in-memory views already hold the batch; reload them so memory matches the file.
      this.#views.clear();
      for (const view of this.#database
        .prepare('SELECT pool_id, document FROM pool_views')
        .all() as { pool_id: string; document: string }[]) {
        this.#views.set(view.pool_id, parseView<PoolView>(view.document));
      }
      throw error;
    }
  }
}
