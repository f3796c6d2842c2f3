import { DatabaseSync, type StatementSync } from 'node:sqlite';
import type { EventCatalogue } from '../../catalogue.ts';
import { eventMetadataSchema, type NewEvent, type RecordedEvent } from '../../envelope.ts';
import {
  IdempotencyKeyReusedError,
  InvalidAppendError,
  StoreClosedError,
  StoreIntegrityError,
  WrongExpectedVersionError,
} from '../errors.ts';
import { deriveEventId, eventHash, GENESIS_HASH, validateAppend } from '../integrity.ts';
import {
  type AppendOptions,
  type AppendResult,
  type EventStore,
  type ExpectedVersion,
  type ReadAllOptions,
  type ReadAllPage,
  type ReadStreamOptions,
  STORE_LIMITS,
  type SubscribeOptions,
} from '../port.ts';
import { applyDurablePragmas, type SqliteDurabilityOptions } from './pragmas.ts';
import { createSchema } from './schema.ts';

export interface SqliteEventStoreOptions extends SqliteDurabilityOptions {
  /** The database file. A file is required: an in-memory database cannot be durable. */
  readonly path: string;
  readonly catalogue: EventCatalogue;
  /**
   * How often a subscriber that has caught up looks for events appended by another process.
   * Appends made through this store wake its subscribers at once.
   */
  readonly pollIntervalMs?: number;
}

export const DEFAULT_POLL_INTERVAL_MS = 200;

/**
 * The embedded event store on node:sqlite. One table of events, append-only (triggers refuse
 * UPDATE and DELETE), each append one BEGIN IMMEDIATE transaction, WAL with synchronous=FULL.
 * Several processes may open the same file: SQLite's write lock serialises their appends and the
 * expected-version check runs inside the lock.
 */
export class SqliteEventStore implements EventStore {
  readonly #database: DatabaseSync;
  readonly #catalogue: EventCatalogue;
  readonly #pollIntervalMs: number;
  readonly #statements: Statements;
  readonly #appendWaiters = new Set<() => void>();
  #closed = false;

  private constructor(database: DatabaseSync, options: SqliteEventStoreOptions) {
    this.#database = database;
    this.#catalogue = options.catalogue;
    this.#pollIntervalMs = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
    this.#statements = prepareStatements(database);
  }

  /** Opens (creating if need be) the store, refusing to run without full durability. */
  static open(options: SqliteEventStoreOptions): SqliteEventStore {
    const database = new DatabaseSync(options.path);
    try {
      applyDurablePragmas(database, options);
      createSchema(database);
      return new SqliteEventStore(database, options);
    } catch (error) {
      database.close();
      throw error;
    }
  }

  async append(
    streamId: string,
    events: readonly NewEvent[],
    options: AppendOptions,
  ): Promise<AppendResult> {
    return this.appendNow(streamId, events, options);
  }

  /** The append itself, synchronous: one transaction that either commits every event or none. */
  appendNow(streamId: string, events: readonly NewEvent[], options: AppendOptions): AppendResult {
    this.#assertOpen();
    const append = validateAppend(this.#catalogue, streamId, events, options);
    const statements = this.#statements;
    this.#database.exec('BEGIN IMMEDIATE');
    try {
      const earlier = statements.findAppend.get(append.idempotencyKey) as AppendRow | undefined;
      if (earlier !== undefined) {
        if (earlier.digest !== append.digest)
          throw new IdempotencyKeyReusedError(append.idempotencyKey);
        this.#database.exec('COMMIT');
        return appendResultFromRow(earlier, true);
      }
      const last = statements.lastOfStream.get(streamId) as
        | { stream_version: number; hash: string }
        | undefined;
      const currentVersion = last?.stream_version ?? 0;
      checkExpectedVersion(streamId, options.expectedVersion, currentVersion);
      const head = statements.head.get() as { global_position: number } | undefined;
      const firstPosition = (head?.global_position ?? 0) + 1;
      let previousHash = last?.hash ?? GENESIS_HASH;
      for (const [index, event] of append.events.entries()) {
        const streamVersion = currentVersion + index + 1;
        const hash = eventHash({ streamId, streamVersion, ...event, previousHash });
        statements.insertEvent.run(
          firstPosition + index,
          streamId,
          streamVersion,
          deriveEventId(append.idempotencyKey, index),
          event.type,
          JSON.stringify(event.data),
          JSON.stringify(event.metadata),
          previousHash,
          hash,
        );
        previousHash = hash;
      }
      const row: AppendRow = {
        stream_id: streamId,
        digest: append.digest,
        stream_version: currentVersion + append.events.length,
        first_position: firstPosition,
        last_position: firstPosition + append.events.length - 1,
        event_count: append.events.length,
      };
      statements.insertAppend.run(
        append.idempotencyKey,
        row.stream_id,
        row.digest,
        row.stream_version,
        row.first_position,
        row.last_position,
        row.event_count,
      );
      this.#database.exec('COMMIT');
      this.#wakeSubscribers();
      return appendResultFromRow(row, false);
    } catch (error) {
      if (this.#database.isTransaction) this.#database.exec('ROLLBACK');
      throw error;
    }
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.#assertOpen();
    const fromVersion = options.fromVersion ?? 1;
    const limit = pageSize(options.limit);
    if (!Number.isSafeInteger(fromVersion) || fromVersion < 1) {
      throw new InvalidAppendError(
        `fromVersion ${fromVersion} is not a stream version (1 or more)`,
      );
    }
    const rows = this.#statements.readStream.all(
      streamId,
      fromVersion,
      limit,
    ) as unknown as EventRow[];
    return rows.map((row) => this.#toRecordedEvent(row));
  }

  async streamVersion(streamId: string): Promise<number> {
    this.#assertOpen();
    const last = this.#statements.lastOfStream.get(streamId) as
      | { stream_version: number }
      | undefined;
    return last?.stream_version ?? 0;
  }

  async readAll(fromPosition: number, options: ReadAllOptions = {}): Promise<ReadAllPage> {
    return this.readAllNow(fromPosition, options);
  }

  readAllNow(fromPosition: number, options: ReadAllOptions = {}): ReadAllPage {
    this.#assertOpen();
    if (!Number.isSafeInteger(fromPosition) || fromPosition < 1) {
      throw new InvalidAppendError(`position ${fromPosition} is not a log position (1 or more)`);
    }
    const limit = pageSize(options.limit);
    const rows = this.#statements.readAll.all(fromPosition, limit) as unknown as EventRow[];
    const events = rows.map((row) => this.#toRecordedEvent(row));
    const last = events.at(-1);
    return {
      events,
      nextPosition: last === undefined ? fromPosition : last.globalPosition + 1,
      endOfLog: events.length < limit,
    };
  }

  async headPosition(): Promise<number> {
    this.#assertOpen();
    const head = this.#statements.head.get() as { global_position: number } | undefined;
    return head?.global_position ?? 0;
  }

  async *subscribe(options: SubscribeOptions): AsyncIterable<RecordedEvent> {
    let position = options.fromPosition;
    while (!options.signal.aborted && !this.#closed) {
      const page = this.readAllNow(position);
      for (const event of page.events) {
        if (options.signal.aborted) return;
        yield event;
      }
      position = page.nextPosition;
      if (page.endOfLog) await this.#nextAppendOrPoll(options.signal);
    }
  }

  async findAppend(idempotencyKey: string): Promise<AppendResult | undefined> {
    this.#assertOpen();
    const row = this.#statements.findAppend.get(idempotencyKey) as AppendRow | undefined;
    return row === undefined ? undefined : appendResultFromRow(row, true);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#wakeSubscribers();
    this.#database.close();
  }

  /**
   * Validates a stored row on its way out. Rows come as arrays (EVENT_COLUMNS order), which
   * node:sqlite builds faster than objects; reading the log is the projections' hot path.
   */
  #toRecordedEvent(row: EventRow): RecordedEvent {
    const [
      globalPosition,
      streamId,
      streamVersion,
      eventId,
      type,
      dataText,
      metadataText,
      previousHash,
      hash,
    ] = row;
    let rawData: unknown;
    let rawMetadata: unknown;
    try {
      rawData = JSON.parse(dataText);
      rawMetadata = JSON.parse(metadataText);
    } catch {
      throw integrityError(row, 'is not valid JSON');
    }
    const data = this.#catalogue.schemaFor(type)?.safeParse(rawData);
    if (data?.success !== true) throw integrityError(row, this.#catalogue.explain(type, rawData));
    const metadata = eventMetadataSchema.safeParse(rawMetadata);
    if (!metadata.success) throw integrityError(row, 'has metadata that does not fit the envelope');
    return {
      eventId,
      streamId,
      streamVersion,
      globalPosition,
      type,
      data: data.data,
      metadata: metadata.data,
      previousHash,
      hash,
    };
  }

  #nextAppendOrPoll(signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', wake);
        this.#appendWaiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, this.#pollIntervalMs);
      signal.addEventListener('abort', wake, { once: true });
      this.#appendWaiters.add(wake);
    });
  }

  #wakeSubscribers(): void {
    for (const wake of [...this.#appendWaiters]) wake();
  }

  #assertOpen(): void {
    if (this.#closed) throw new StoreClosedError();
  }
}

function integrityError(row: EventRow, problem: string): StoreIntegrityError {
  const [globalPosition, streamId, streamVersion] = row;
  return new StoreIntegrityError(
    `event at position ${globalPosition} (stream "${streamId}", version ${streamVersion}) ${problem}`,
  );
}

function checkExpectedVersion(streamId: string, expected: ExpectedVersion, actual: number): void {
  if (expected === 'any') return;
  const wanted = expected === 'no-stream' ? 0 : expected;
  if (wanted !== actual) throw new WrongExpectedVersionError(streamId, expected, actual);
}

function pageSize(limit: number | undefined): number {
  const size = limit ?? STORE_LIMITS.defaultPageSize;
  if (!Number.isSafeInteger(size) || size < 1 || size > STORE_LIMITS.maxPageSize) {
    throw new InvalidAppendError(
      `a page holds 1 to ${STORE_LIMITS.maxPageSize} events, not ${size}`,
    );
  }
  return size;
}

/** A row of EVENT_COLUMNS, as an array. */
type EventRow = [
  globalPosition: number,
  streamId: string,
  streamVersion: number,
  eventId: string,
  type: string,
  data: string,
  metadata: string,
  previousHash: string,
  hash: string,
];

interface AppendRow {
  stream_id: string;
  digest: string;
  stream_version: number;
  first_position: number;
  last_position: number;
  event_count: number;
}

function appendResultFromRow(row: AppendRow, replayed: boolean): AppendResult {
  return {
    streamId: row.stream_id,
    streamVersion: row.stream_version,
    firstPosition: row.first_position,
    lastPosition: row.last_position,
    eventCount: row.event_count,
    replayed,
  };
}

interface Statements {
  findAppend: StatementSync;
  lastOfStream: StatementSync;
  head: StatementSync;
  insertEvent: StatementSync;
  insertAppend: StatementSync;
  readStream: StatementSync;
  readAll: StatementSync;
}

const EVENT_COLUMNS =
  'global_position, stream_id, stream_version, event_id, type, data, metadata, previous_hash, hash';

function prepareStatements(database: DatabaseSync): Statements {
  const readStream = database.prepare(
    `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = ? AND stream_version >= ? ORDER BY stream_version LIMIT ?`,
  );
  readStream.setReturnArrays(true);
  const readAll = database.prepare(
    `SELECT ${EVENT_COLUMNS} FROM events WHERE global_position >= ? ORDER BY global_position LIMIT ?`,
  );
  readAll.setReturnArrays(true);
  return {
    readStream,
    readAll,
    findAppend: database.prepare(
      'SELECT stream_id, digest, stream_version, first_position, last_position, event_count FROM appends WHERE idempotency_key = ?',
    ),
    lastOfStream: database.prepare(
      'SELECT stream_version, hash FROM events WHERE stream_id = ? ORDER BY stream_version DESC LIMIT 1',
    ),
    head: database.prepare(
      'SELECT global_position FROM events ORDER BY global_position DESC LIMIT 1',
    ),
    insertEvent: database.prepare(
      `INSERT INTO events (${EVENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    insertAppend: database.prepare(
      'INSERT INTO appends (idempotency_key, stream_id, digest, stream_version, first_position, last_position, event_count) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
  };
}
