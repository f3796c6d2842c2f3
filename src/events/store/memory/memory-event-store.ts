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

/**
 * An event store in memory: the same rules as the embedded store (validated appends, expected
 * versions, idempotency by key, the hash chain, dense positions, validation on read), with nothing
 * on disk. For fast tests and for tools that keep nothing; it passes the same contract suite.
 * Several stores may share one MemoryLog, as several processes share one database file.
 */
export class MemoryLog {
  /** Events as stored: data and metadata kept as JSON text, so a read parses and validates them. */
  readonly rows: StoredRow[] = [];
  readonly appends = new Map<string, AppendRecord>();
  readonly streams = new Map<string, { version: number; hash: string; positions: number[] }>();
  readonly #waiters = new Set<() => void>();

  /** There is no way to change a stored event: the log refuses, as the embedded store's triggers do. */
  update(position: number): never {
    throw new InvalidAppendError(`events are immutable: event ${position} cannot be updated`);
  }

  delete(position: number): never {
    throw new InvalidAppendError(`events are immutable: event ${position} cannot be deleted`);
  }

  /** Resolves once the log holds more than `seen` events, or the signal aborts. */
  wait(signal: AbortSignal, seen: number): Promise<void> {
    if (this.rows.length > seen || signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        signal.removeEventListener('abort', wake);
        this.#waiters.delete(wake);
        resolve();
      };
      signal.addEventListener('abort', wake, { once: true });
      this.#waiters.add(wake);
    });
  }

  wake(): void {
    for (const wake of [...this.#waiters]) wake();
  }
}

export interface StoredRow {
  readonly globalPosition: number;
  readonly streamId: string;
  readonly streamVersion: number;
  readonly eventId: string;
  readonly type: string;
  data: string;
  readonly metadata: string;
  readonly previousHash: string;
  readonly hash: string;
}

interface AppendRecord {
  readonly digest: string;
  readonly result: Omit<AppendResult, 'replayed'>;
}

export class MemoryEventStore implements EventStore {
  readonly #log: MemoryLog;
  readonly #catalogue: EventCatalogue;
  readonly #chainKey: ChainKey;
  #closed = false;

  constructor(catalogue: EventCatalogue, log: MemoryLog = new MemoryLog(), chainKey?: ChainKey) {
    this.#catalogue = catalogue;
    this.#log = log;
    this.#chainKey = chainKey;
  }

  async append(
    streamId: string,
    events: readonly NewEvent[],
    options: AppendOptions,
  ): Promise<AppendResult> {
    this.#assertOpen();
    const append = validateAppend(this.#catalogue, streamId, events, options);
    const earlier = this.#log.appends.get(append.idempotencyKey);
    if (earlier !== undefined) {
      if (earlier.digest !== append.digest)
        throw new IdempotencyKeyReusedError(append.idempotencyKey);
      return { ...earlier.result, replayed: true };
    }
    checkExpectedVersion(streamId, options.expectedVersion, this.#version(streamId));
    const result = this.#insert(streamId, append);
    this.#log.wake();
    return result;
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
    for (const append of validated) {
      if (this.#log.appends.has(append.idempotencyKey))
        throw new AppendBatchKeyExistsError(append.idempotencyKey);
    }
    checkExpectedVersion(streamId, options.expectedVersion, this.#version(streamId));
    const results = validated.map((append) => this.#insert(streamId, append));
    this.#log.wake();
    return results;
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.#assertOpen();
    const fromVersion = options.fromVersion ?? 1;
    if (!Number.isSafeInteger(fromVersion) || fromVersion < 1)
      throw new InvalidAppendError(
        `fromVersion ${fromVersion} is not a stream version (1 or more)`,
      );
    const limit = pageSize(options.limit);
    const positions = this.#log.streams.get(streamId)?.positions ?? [];
    return positions
      .slice(fromVersion - 1, fromVersion - 1 + limit)
      .map((position) => this.#recorded(position));
  }

  async streamVersion(streamId: string): Promise<number> {
    this.#assertOpen();
    return this.#version(streamId);
  }

  async readAll(fromPosition: number, options: ReadAllOptions = {}): Promise<ReadAllPage> {
    this.#assertOpen();
    if (!Number.isSafeInteger(fromPosition) || fromPosition < 1)
      throw new InvalidAppendError(`position ${fromPosition} is not a log position (1 or more)`);
    const limit = pageSize(options.limit);
    const rows = this.#log.rows.slice(fromPosition - 1, fromPosition - 1 + limit);
    const events = rows.map((row) => this.#recorded(row.globalPosition));
    const last = events.at(-1);
    return {
      events,
      nextPosition: last === undefined ? fromPosition : last.globalPosition + 1,
      endOfLog: events.length < limit,
    };
  }

  changeMark(): string {
    this.#assertOpen();
    return String(this.#log.rows.length);
  }

  async headPosition(): Promise<number> {
    this.#assertOpen();
    return this.#log.rows.length;
  }

  async appendedThrough(): Promise<number> {
    this.#assertOpen();
    let last = 0;
    for (const { result } of this.#log.appends.values()) last = Math.max(last, result.lastPosition);
    return last;
  }

  async *subscribe(options: SubscribeOptions): AsyncIterable<RecordedEvent> {
    let position = options.fromPosition;
    while (!options.signal.aborted && !this.#closed) {
      const page = await this.readAll(position);
      for (const event of page.events) {
        if (options.signal.aborted) return;
        yield event;
      }
      position = page.nextPosition;
      if (page.endOfLog) await this.#log.wait(options.signal, position - 1);
    }
  }

  async findAppend(idempotencyKey: string): Promise<AppendResult | undefined> {
    this.#assertOpen();
    const record = this.#log.appends.get(idempotencyKey);
    return record === undefined ? undefined : { ...record.result, replayed: true };
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#log.wake();
  }

  #version(streamId: string): number {
    return this.#log.streams.get(streamId)?.version ?? 0;
  }

  /** Writes one validated append after the stream's tip: its events, chained, and its record. */
  #insert(streamId: string, append: ValidatedAppend): AppendResult {
    const stream = this.#log.streams.get(streamId) ?? {
      version: 0,
      hash: GENESIS_HASH,
      positions: [],
    };
    const firstPosition = this.#log.rows.length + 1;
    for (const [index, event] of append.events.entries()) {
      const streamVersion = stream.version + 1;
      const hash = eventHash(
        { streamId, streamVersion, ...event, previousHash: stream.hash },
        this.#chainKey,
      );
      const globalPosition = this.#log.rows.length + 1;
      this.#log.rows.push({
        globalPosition,
        streamId,
        streamVersion,
        eventId: deriveEventId(append.idempotencyKey, index),
        type: event.type,
        data: JSON.stringify(event.data),
        metadata: JSON.stringify(event.metadata),
        previousHash: stream.hash,
        hash,
      });
      stream.version = streamVersion;
      stream.hash = hash;
      stream.positions.push(globalPosition);
    }
    this.#log.streams.set(streamId, stream);
    const result = {
      streamId,
      streamVersion: stream.version,
      firstPosition,
      lastPosition: this.#log.rows.length,
      eventCount: append.events.length,
      contentDigest: append.digest,
    };
    this.#log.appends.set(append.idempotencyKey, { digest: append.digest, result });
    return { ...result, replayed: false };
  }

  /** A stored row on its way out, parsed and validated as the embedded store does. */
  #recorded(position: number): RecordedEvent {
    const row = this.#log.rows[position - 1];
    if (row === undefined) throw new StoreIntegrityError(`no event at position ${position}`);
    const where = `event at position ${position} (stream "${row.streamId}", version ${row.streamVersion})`;
    const data = this.#catalogue.schemaFor(row.type)?.safeParse(JSON.parse(row.data));
    if (data?.success !== true)
      throw new StoreIntegrityError(
        `${where} ${this.#catalogue.explain(row.type, JSON.parse(row.data))}`,
      );
    const metadata = eventMetadataSchema.safeParse(JSON.parse(row.metadata));
    if (!metadata.success)
      throw new StoreIntegrityError(`${where} has metadata that does not fit the envelope`);
    const { data: _text, metadata: _metadataText, ...place } = row;
    return { ...place, data: data.data, metadata: metadata.data };
  }

  #assertOpen(): void {
    if (this.#closed) throw new StoreClosedError();
  }
}
