import { createHash } from 'node:crypto';
import { renameSync, rmSync } from 'node:fs';
import { canonicalJson } from '../events/canonical-json.ts';
import type { BcfEvent } from '../events/catalogue/index.ts';
import type { RecordedEvent } from '../events/envelope.ts';
import type { EventStore } from '../events/store/port.ts';
import { type AuditFilter, type AuditPage, auditRow } from './audit-trail.ts';
import { ReadModelAlteredError, ReadModelFile } from './read-model-file.ts';
import { applyToPoolView, emptyPoolView, type PoolView } from './view/pool-view.ts';

export interface ProjectionRunnerOptions {
  /** The read model's SQLite file; derived data, rebuildable from the event store at any time. */
  readonly path: string;
  readonly store: EventStore;
  /** The key the read model's rows are sealed with; kept outside the file (main.ts derives it). */
  readonly sealKey?: Buffer;
  /** Events read and committed per transaction while catching up. */
  readonly batchSize?: number;
  /** Whether a read model found altered rebuilds itself at once (the server's), or waits for an operator. */
  readonly rebuildWhenAltered?: boolean;
}

export const DEFAULT_PROJECTION_BATCH_SIZE = 1_000;

/** A seal key for tests and tools that keep no secret; the server always gives its own. */
const UNKEYED_SEAL = Buffer.from('bcf-ledger read model, no key given');

/** Why the read model stopped: it could not apply an event, or it found itself altered. */
export interface Halt {
  readonly reason: 'cannot-apply' | 'altered';
  readonly position: number;
  readonly detail: string;
}

/** The read model has stopped and answers nothing until it is rebuilt; the halt says why. */
export class ReadModelHaltedError extends Error {
  readonly halt: Halt;

  constructor(halt: Halt) {
    super(
      halt.reason === 'altered'
        ? `the read model was changed outside the ledger (${halt.detail}); it is being rebuilt from the log`
        : `the read model could not apply the event at position ${halt.position} (${halt.detail}); an operator must rebuild it`,
    );
    this.name = 'ReadModelHaltedError';
    this.halt = halt;
  }
}

/**
 * Keeps the read models (pool views and the audit trail) up to date with the event store. Each
 * batch of events and the checkpoint after it are written in one transaction, so the read model
 * is always exactly "the log up to the checkpoint": a crash loses no event and applies none twice.
 * It fails closed: an event it cannot apply, or a row it did not write, stops it (readiness and
 * every read then say why) rather than let it serve half a truth. A read model found altered is
 * rebuilt beside the old one and put in its place whole.
 */
export class ProjectionRunner {
  readonly #options: ProjectionRunnerOptions;
  readonly #batchSize: number;
  #file: ReadModelFile;
  #views = new Map<string, PoolView>();
  #checkpoint = 0;
  #halt: Halt | undefined;
  #turn: Promise<unknown> = Promise.resolve();
  /** The store's change mark when the read model last caught up: while it holds, nothing is new. */
  #caughtUpAt: string | undefined;

  private constructor(options: ProjectionRunnerOptions, file: ReadModelFile) {
    this.#options = options;
    this.#batchSize = options.batchSize ?? DEFAULT_PROJECTION_BATCH_SIZE;
    this.#file = file;
  }

  static open(options: ProjectionRunnerOptions): ProjectionRunner {
    const sealKey = options.sealKey ?? UNKEYED_SEAL;
    let file: ReadModelFile;
    try {
      file = new ReadModelFile(options.path, sealKey);
    } catch (error) {
      if (!(error instanceof ReadModelAlteredError)) throw error;
      // A file of another version is derived data like any other: start it afresh.
      removeDatabase(options.path);
      file = new ReadModelFile(options.path, sealKey);
    }
    const runner = new ProjectionRunner(options, file);
    runner.#load();
    return runner;
  }

  /** The position of the last event applied. */
  get checkpoint(): number {
    return this.#checkpoint;
  }

  /** Why the read model has stopped, if it has. */
  get halted(): Halt | undefined {
    return this.#halt;
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
    const store = this.#options.store;
    const head = await store.headPosition();
    const distance = Math.max(0, head - checkpoint);
    if (distance <= atMost) return { head, checkpoint, lag: distance };
    let lag = 0;
    let from = checkpoint + 1;
    while (lag <= atMost && from <= head) {
      const page = await store.readAll(from, { limit: atMost + 1 - lag });
      lag += page.events.filter((event) => event.globalPosition <= head).length;
      if (page.endOfLog) break;
      from = page.nextPosition;
    }
    return { head, checkpoint, lag };
  }

  /**
   * Applies every event after the checkpoint, a batch per transaction; returns how many. Calls
   * take turns, so a read that asks to catch up and the follower never apply a batch twice.
   * A halted read model throws ReadModelHaltedError.
   */
  catchUp(onBatch?: (checkpoint: number) => void): Promise<number> {
    // A halted read model answers at once, rather than keep a reader waiting for its rebuild.
    if (this.#halt !== undefined) return Promise.reject(new ReadModelHaltedError(this.#halt));
    const run = this.#turn.then(() => this.#catchUpNow(onBatch));
    this.#turn = run.catch(() => undefined);
    return run;
  }

  /**
   * Catches up, then again whenever an event is appended, until the signal aborts. While the read
   * model is halted (being rebuilt, or waiting for an operator) it waits and tries again.
   */
  async follow(signal: AbortSignal, retryAfterMs = 1_000): Promise<void> {
    while (!signal.aborted) {
      try {
        await this.catchUp();
        for await (const event of this.#options.store.subscribe({
          fromPosition: this.#checkpoint + 1,
          signal,
        })) {
          if (event.globalPosition > this.#checkpoint) await this.catchUp();
        }
        return;
      } catch (error) {
        if (!(error instanceof ReadModelHaltedError)) throw error;
        await new Promise((resolve) => setTimeout(resolve, retryAfterMs));
      }
    }
  }

  poolView(poolId: string): PoolView | undefined {
    this.#assertRunning();
    return this.#views.get(poolId);
  }

  poolIds(): string[] {
    this.#assertRunning();
    return [...this.#views.keys()].sort();
  }

  /** A page of the audit trail; a row found altered halts the read model and is never served. */
  auditTrail(filter: AuditFilter): AuditPage {
    this.#assertRunning();
    try {
      return this.#file.auditTrail(filter);
    } catch (error) {
      throw this.#haltOn(error);
    }
  }

  /**
   * Rebuilds the read model from the first event into a file beside this one, then puts it in
   * place and carries on from it. Nothing is served from the old one meanwhile if it was altered.
   */
  async rebuild(onBatch?: (checkpoint: number) => void): Promise<number> {
    const run = this.#turn.then(() => this.#rebuildNow(onBatch));
    this.#turn = run.catch(() => undefined);
    return run;
  }

  /**
   * SHA-256 over the canonical serialisation of the whole read model: checkpoint, every pool view
   * and every audit row in order. Two read models with the same digest hold the same bytes.
   */
  digest(): string {
    const hash = createHash('sha256');
    hash.update(`checkpoint:${this.#checkpoint}\n`);
    for (const poolId of this.poolIds()) hash.update(`${canonicalJson(this.#views.get(poolId))}\n`);
    for (const row of this.#file.auditRows()) {
      const { seal: _seal, ...columns } = row;
      hash.update(`${canonicalJson(columns)}\n`);
    }
    return hash.digest('hex');
  }

  /** The pool views as folded, by pool, for comparing with a fresh fold of the log. */
  views(): ReadonlyMap<string, PoolView> {
    this.#assertRunning();
    return this.#views;
  }

  close(): void {
    this.#file.close();
  }

  #load(): void {
    this.#caughtUpAt = undefined;
    try {
      this.#checkpoint = this.#file.checkpoint();
      this.#views = this.#file.views();
    } catch (error) {
      this.#haltOn(error);
    }
  }

  async #catchUpNow(onBatch?: (checkpoint: number) => void): Promise<number> {
    this.#assertRunning();
    // Taken before reading: anything appended meanwhile moves it, and is read next time.
    const mark = this.#options.store.changeMark?.();
    if (mark !== undefined && mark === this.#caughtUpAt) return 0;
    const applied = await this.#readOn(onBatch);
    this.#caughtUpAt = mark;
    return applied;
  }

  async #readOn(onBatch?: (checkpoint: number) => void): Promise<number> {
    let applied = 0;
    // From the page's next position, not the checkpoint: on EventStoreDB a page of $all may hold
    // none of the ledger's events (only append markers), and must still be stepped over.
    let from = this.#checkpoint + 1;
    for (;;) {
      const page = await this.#options.store.readAll(from, { limit: this.#batchSize });
      if (page.events.length > 0) {
        this.#applyBatch(page.events);
        applied += page.events.length;
        onBatch?.(this.#checkpoint);
      }
      if (page.endOfLog) return applied;
      from = Math.max(page.nextPosition, this.#checkpoint + 1);
    }
  }

  #applyBatch(events: readonly RecordedEvent[]): void {
    const touched = new Set<string>();
    const rows: (string | number | null)[][] = [];
    let position = this.#checkpoint;
    try {
      for (const recorded of events) {
        position = recorded.globalPosition;
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
      this.#file.saveBatch(
        [...touched].map((poolId) => [poolId, this.#views.get(poolId) as PoolView]),
        rows,
        last,
      );
      this.#checkpoint = last;
    } catch (error) {
      // The views in memory already hold part of the batch: nothing is served until a rebuild.
      this.#halt = {
        reason: 'cannot-apply',
        position,
        detail: error instanceof Error ? error.message : String(error),
      };
      throw new ReadModelHaltedError(this.#halt);
    }
  }

  async #rebuildNow(onBatch?: (checkpoint: number) => void): Promise<number> {
    const path = this.#options.path;
    const beside = `${path}.rebuilding`;
    removeDatabase(beside);
    const fresh = ProjectionRunner.open({ ...this.#options, path: beside });
    let applied: number;
    try {
      applied = await fresh.#catchUpNow(onBatch);
    } finally {
      fresh.close();
    }
    this.#file.close();
    removeDatabase(path);
    renameDatabase(beside, path);
    this.#file = new ReadModelFile(path, this.#options.sealKey ?? UNKEYED_SEAL);
    this.#halt = undefined;
    this.#load();
    return applied;
  }

  #haltOn(error: unknown): Error {
    if (!(error instanceof ReadModelAlteredError)) return error as Error;
    this.#halt = { reason: 'altered', position: this.#checkpoint, detail: error.message };
    const halted = new ReadModelHaltedError(this.#halt);
    if (this.#options.rebuildWhenAltered === true) void this.rebuild().catch(() => undefined);
    return halted;
  }

  #assertRunning(): void {
    if (this.#halt !== undefined) throw new ReadModelHaltedError(this.#halt);
  }
}

function removeDatabase(path: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
}

function renameDatabase(from: string, to: string): void {
  // Closed, a SQLite database is whole in its one file: the write-ahead log was folded in.
  renameSync(from, to);
}
