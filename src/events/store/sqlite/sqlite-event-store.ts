import { DatabaseSync, type StatementSync } from 'node:sqlite';
import type { EventCatalogue } from '../../catalogue.ts';
import { eventMetadataSchema, type NewEvent, type RecordedEvent } from '../../envelope.ts';
import {
  AppendBatchKeyExistsError,
  IdempotencyKeyReusedError,
  InvalidAppendError,
  StoreClosedError,
  StoreIntegrityError,
} from '../errors.ts';
import {
  type ChainKey,
  chainKeyMark,
  checkExpectedVersion,
  deriveEventId,
  eventHash,
  GENESIS_HASH,
  pageSize,
  type ValidatedAppend,
  validateAppend,
} from '../integrity.ts';
import type {
  AppendOptions,
  AppendResult,
  EventStore,
  ReadAllOptions,
  ReadAllPage,
  ReadStreamOptions,
  SubscribeOptions,
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
  /** The key the events' hash chain is made with (see integrity.ts); none for an unkeyed chain. */
  readonly chainKey?: ChainKey;
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
  readonly #chainKey: ChainKey;
  #closed = false;
  #commits = 0;
  readonly #limited = new Map<string, StatementSync>();

  private constructor(database: DatabaseSync, options: SqliteEventStoreOptions) {
    this.#database = database;
    this.#catalogue = options.catalogue;
    this.#chainKey = options.chainKey;
    this.#pollIntervalMs = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
    this.#statements = prepareStatements(database);
  }

  /** Opens (creating if need be) the store, refusing to run without full durability. */
  static open(options: SqliteEventStoreOptions): SqliteEventStore {
    const database = new DatabaseSync(options.path);
    try {
      applyDurablePragmas(database, options);
      createSchema(database);
      checkChainKey(database, options.path, options.chainKey);
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
    return this.#inWriteTransaction(() => {
      const earlier = this.#statements.findAppend.get(append.idempotencyKey) as
        | AppendRow
        | undefined;
      if (earlier !== undefined) {
        if (earlier.digest !== append.digest)
          throw new IdempotencyKeyReusedError(append.idempotencyKey);
        return appendResultFromRow(earlier, true);
      }
      const tip = this.#streamTip(streamId);
      checkExpectedVersion(streamId, options.expectedVersion, tip.version);
      return appendResultFromRow(this.#insert(streamId, append, tip), false);
    });
  }

  async appendAll(
    streamId: string,
    appends: readonly (readonly NewEvent[])[],
    options: AppendOptions,
  ): Promise<AppendResult[]> {
    this.#assertOpen();
    const validated = appends.map((events) =>
      validateAppend(this.#catalogue, streamId, events, options),
    );
    const keys = new Set(validated.map((append) => append.idempotencyKey));
    if (keys.size !== validated.length)
      throw new InvalidAppendError('each append of a batch needs its own idempotency key');
    return this.#inWriteTransaction(() => {
      for (const append of validated) {
        if (this.#statements.findAppend.get(append.idempotencyKey) !== undefined)
          throw new AppendBatchKeyExistsError(append.idempotencyKey);
      }
      let tip = this.#streamTip(streamId);
      checkExpectedVersion(streamId, options.expectedVersion, tip.version);
      return validated.map((append) => {
        const row = this.#insert(streamId, append, tip);
        tip = {
          version: row.stream_version,
          hash: row.last_hash,
          nextPosition: row.last_position + 1,
        };
        return appendResultFromRow(row, false);
      });
    });
  }

  /** Runs the writes in one BEGIN IMMEDIATE transaction: committed whole, or rolled back whole. */
  #inWriteTransaction<Result>(work: () => Result): Result {
    this.#database.exec('BEGIN IMMEDIATE');
    try {
      const result = work();
      this.#database.exec('COMMIT');
      this.#commits += 1;
      this.#wakeSubscribers();
      return result;
    } catch (error) {
      if (this.#database.isTransaction) this.#database.exec('ROLLBACK');
      throw error;
    }
  }

  /** The stream's version and last hash, and the next global position, inside the transaction. */
  #streamTip(streamId: string): StreamTip {
    const last = this.#statements.lastOfStream.get(streamId) as
      | { stream_version: number; hash: string }
      | undefined;
    const head = this.#statements.head.get() as { global_position: number } | undefined;
    return {
      version: last?.stream_version ?? 0,
      hash: last?.hash ?? GENESIS_HASH,
      nextPosition: (head?.global_position ?? 0) + 1,
    };
  }

  /** Writes one validated append after the tip: its events, chained, and its idempotency row. */
  #insert(
    streamId: string,
    append: ValidatedAppend,
    tip: StreamTip,
  ): AppendRow & { last_hash: string } {
    let previousHash = tip.hash;
    for (const [index, event] of append.events.entries()) {
      const streamVersion = tip.version + index + 1;
      const hash = eventHash({ streamId, streamVersion, ...event, previousHash }, this.#chainKey);
      this.#statements.insertEvent.run(
        tip.nextPosition + index,
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
    const row = {
      stream_id: streamId,
      digest: append.digest,
      stream_version: tip.version + append.events.length,
      first_position: tip.nextPosition,
      last_position: tip.nextPosition + append.events.length - 1,
      event_count: append.events.length,
      last_hash: previousHash,
    };
    this.#statements.insertAppend.run(
      append.idempotencyKey,
      row.stream_id,
      row.digest,
      row.stream_version,
      row.first_position,
      row.last_position,
      row.event_count,
    );
    return row;
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
    const rows = this.#withLimit('readStream', limit).all(
      streamId,
      fromVersion,
    ) as unknown as EventRow[];
    return rows.map((row) => this.#toRecordedEvent(row));
  }

  /**
   * The read with its page size written into the statement: SQLite compiles a statement whose
   * LIMIT is a bound parameter again on every run, which costs more than the read itself when it
   * finds little. The few page sizes in use each get their statement, prepared once.
   */
  #withLimit(read: 'readStream' | 'readAll', limit: number): StatementSync {
    const key = `${read}:${limit}`;
    let statement = this.#limited.get(key);
    if (statement === undefined) {
      if (this.#limited.size >= MAX_LIMITED_STATEMENTS) this.#limited.clear();
      statement = this.#database.prepare(`${READS[read]} LIMIT ${limit}`);
      statement.setReturnArrays(true);
      this.#limited.set(key, statement);
    }
    return statement;
  }

  /**
   * This connection's own commits, and SQLite's data version, which moves when another connection
   * (another process) commits: together they move whenever the log may have grown.
   */
  changeMark(): string {
    this.#assertOpen();
    const { data_version } = this.#statements.dataVersion.get() as { data_version: number };
    return `${this.#commits}:${data_version}`;
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
    const rows = this.#withLimit('readAll', limit).all(fromPosition) as unknown as EventRow[];
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

  async appendedThrough(): Promise<number> {
    this.#assertOpen();
    const row = this.#statements.appendedThrough.get() as { last: number | null };
    return row.last ?? 0;
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

interface StreamTip {
  version: number;
  hash: string;
  nextPosition: number;
}

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
    contentDigest: row.digest,
    replayed,
  };
}

interface Statements {
  findAppend: StatementSync;
  lastOfStream: StatementSync;
  head: StatementSync;
  insertEvent: StatementSync;
  insertAppend: StatementSync;
  appendedThrough: StatementSync;
  dataVersion: StatementSync;
}

const EVENT_COLUMNS =
  'global_position, stream_id, stream_version, event_id, type, data, metadata, previous_hash, hash';

/** The reads that take a page size, without it: `#withLimit` adds it. */
const READS = {
  readStream: `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = ? AND stream_version >= ? ORDER BY stream_version`,
  readAll: `SELECT ${EVENT_COLUMNS} FROM events WHERE global_position >= ? ORDER BY global_position`,
};

/** Page sizes are few; should many appear, the prepared reads start again. */
const MAX_LIMITED_STATEMENTS = 32;

function prepareStatements(database: DatabaseSync): Statements {
  return {
    findAppend: database.prepare(
      'SELECT stream_id, digest, stream_version, first_position, last_position, event_count FROM appends WHERE idempotency_key = ?',
    ),
    lastOfStream: database.prepare(
      'SELECT stream_version, hash FROM events WHERE stream_id = ? ORDER BY stream_version DESC LIMIT 1',
    ),
    appendedThrough: database.prepare('SELECT max(last_position) AS last FROM appends'),
    dataVersion: database.prepare('PRAGMA data_version'),
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

/**
 * The file remembers which key its chain is made with (a mark of the key, never the key: SQLite's
 * application_id), so that a ledger is never extended with another key, or with none, which would
 * leave its chain impossible to verify.
 */
function checkChainKey(database: DatabaseSync, path: string, chainKey: ChainKey): void {
  const mark = chainKeyMark(chainKey);
  const stored = (database.prepare('PRAGMA application_id').get() as { application_id: number })
    .application_id;
  if (stored === mark) return;
  const empty = database.prepare('SELECT 1 FROM events LIMIT 1').get() === undefined;
  if (!empty) {
    throw new StoreIntegrityError(
      `the event store at ${path} has its hash chain made with ${stored === 0 ? 'no key' : 'another key'}, not ${mark === 0 ? 'no key' : 'the key given'}: open it with the key it was written with`,
    );
  }
  database.exec(`PRAGMA application_id = ${mark}`);
}
