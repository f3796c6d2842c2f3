import { createHash } from 'node:crypto';
import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  eventTypeFilter,
  FORWARDS,
  jsonEvent,
  NO_STREAM,
  WrongExpectedVersionError as ServerWrongExpectedVersion,
  START,
  StreamNotFoundError,
} from '@eventstore/db-client';
import type { EventCatalogue } from '../../catalogue.ts';
import {
  EVENT_TYPE_PATTERN,
  type EventMetadata,
  eventMetadataSchema,
  type NewEvent,
  type RecordedEvent,
} from '../../envelope.ts';
import {
  AppendBatchKeyExistsError,
  IdempotencyKeyReusedError,
  InvalidAppendError,
  StoreIntegrityError,
  WrongExpectedVersionError,
} from '../errors.ts';
import {
  deriveEventId,
  eventHash,
  GENESIS_HASH,
  type ValidatedAppend,
  validateAppend,
} from '../integrity.ts';
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

/**
 * The event-store port on EventStoreDB (KurrentDB), the only code that imports its client.
 * What EventStoreDB does differently is converted here:
 * - revisions count from 0: the port's version n is revision n - 1, and version 0 is "no stream";
 * - `$all` positions are (commit, prepare) pairs, not dense: the port's global position is the
 *   event's prepare position, unique and increasing in `$all` order, with gaps;
 * - deduplication by event id is best-effort: every append therefore goes with the exact current
 *   revision (even when asked for "any"), event ids derive from the idempotency key, and each
 *   append leaves a marker in a stream named after the key's hash, which `findAppend` reads;
 * - the hash chain is built here: the previous event's hash is read before the append, and the
 *   exact expected revision makes a concurrent writer's append fail rather than fork the chain.
 * Nothing of this has run against a server on the development machines (no Docker engine there);
 * see the README's "Running on EventStoreDB".
 */
export interface EventStoreDbOptions {
  readonly connectionString: string;
  readonly catalogue: EventCatalogue;
  /** How long to wait for the server when opening, before refusing to start. */
  readonly connectTimeoutMs?: number;
  /** Backoff after a subscription drops: doubles from the first up to the last. */
  readonly resubscribeDelaysMs?: { readonly first: number; readonly max: number };
}

interface StoredMetadata {
  readonly envelope: EventMetadata;
  readonly previousHash: string;
  readonly hash: string;
}

export class EventStoreDbEventStore implements EventStore {
  readonly #client: EventStoreDBClient;
  readonly #catalogue: EventCatalogue;
  readonly #resubscribe: { first: number; max: number };

  private constructor(client: EventStoreDBClient, options: EventStoreDbOptions) {
    this.#client = client;
    this.#catalogue = options.catalogue;
    this.#resubscribe = options.resubscribeDelaysMs ?? { first: 100, max: 10_000 };
  }

  /** Connects and makes one read, so a wrong connection string fails now, not at the first request. */
  static async open(options: EventStoreDbOptions): Promise<EventStoreDbEventStore> {
    const client = EventStoreDBClient.connectionString(options.connectionString);
    const timeoutMs = options.connectTimeoutMs ?? 5_000;
    try {
      for await (const _ of client.readAll({
        maxCount: 1,
        fromPosition: START,
        deadline: timeoutMs,
      }))
        break;
    } catch (error) {
      await client.dispose();
      throw new EventStoreDbUnreachableError(options.connectionString, error);
    }
    return new EventStoreDbEventStore(client, options);
  }

  async append(
    streamId: string,
    events: readonly NewEvent[],
    options: AppendOptions,
  ): Promise<AppendResult> {
    const append = validateAppend(this.#catalogue, streamId, events, options);
    const earlier = await this.findAppend(append.idempotencyKey);
    if (earlier !== undefined) {
      if ((await this.#markerDigest(append.idempotencyKey)) !== append.digest)
        throw new IdempotencyKeyReusedError(append.idempotencyKey);
      return earlier;
    }
    const [result] = await this.#write(streamId, [append], options.expectedVersion);
    if (result === undefined) throw new InvalidAppendError('an append needs at least one event');
    return result;
  }

  async appendAll(
    streamId: string,
    appends: readonly (readonly NewEvent[])[],
    options: AppendOptions,
  ): Promise<AppendResult[]> {
    const validated = appends.map((events) =>
      validateAppend(this.#catalogue, streamId, events, options),
    );
    for (const append of validated) {
      if ((await this.findAppend(append.idempotencyKey)) !== undefined)
        throw new AppendBatchKeyExistsError(append.idempotencyKey);
    }
    return this.#write(streamId, validated, options.expectedVersion);
  }

  /** One append of every event, chained, with the exact current revision; then the markers. */
  async #write(
    streamId: string,
    appends: readonly ValidatedAppend[],
    expected: ExpectedVersion,
  ): Promise<AppendResult[]> {
    const tip = await this.#tip(streamId);
    if (expected !== 'any' && (expected === 'no-stream' ? 0 : expected) !== tip.version) {
      throw new WrongExpectedVersionError(streamId, expected, tip.version);
    }
    let previousHash = tip.hash;
    let version = tip.version;
    const data = appends.flatMap((append) =>
      append.events.map((event, index) => {
        version += 1;
        const hash = eventHash({ streamId, streamVersion: version, ...event, previousHash });
        const metadata: StoredMetadata = { envelope: event.metadata, previousHash, hash };
        previousHash = hash;
        return jsonEvent({
          id: deriveEventId(append.idempotencyKey, index),
          type: event.type,
          data: event.data as Record<string, unknown>,
          metadata: metadata as never,
        });
      }),
    );
    let written: Awaited<ReturnType<EventStoreDBClient['appendToStream']>>;
    try {
      written = await this.#client.appendToStream(streamId, data, {
        expectedRevision: toExpectedRevision(tip.version),
      });
    } catch (error) {
      throw toPortAppendError(error, streamId, expected);
    }
    const position =
      written.position === undefined ? 0 : toGlobalPosition(written.position.prepare);
    const results: AppendResult[] = [];
    let first = tip.version;
    for (const append of appends) {
      const result = {
        streamId,
        streamVersion: first + append.events.length,
        firstPosition: position,
        lastPosition: position,
        eventCount: append.events.length,
        replayed: false,
      };
      first = result.streamVersion;
      results.push(result);
      await this.#client
        .appendToStream(
          markerStream(append.idempotencyKey),
          jsonEvent({ type: 'AppendMarker.v1', data: { ...result, digest: append.digest } }),
          { expectedRevision: NO_STREAM },
        )
        .catch((error: unknown) => {
          if (!(error instanceof ServerWrongExpectedVersion)) throw error;
        });
    }
    return results;
  }

  /** The stream's version and its last event's hash. */
  async #tip(streamId: string): Promise<{ version: number; hash: string }> {
    try {
      for await (const resolved of this.#client.readStream(streamId, {
        direction: BACKWARDS,
        fromRevision: END,
        maxCount: 1,
      })) {
        const event = resolved.event;
        if (event !== undefined)
          return {
            version: toStreamVersion(event.revision),
            hash: (event.metadata as unknown as StoredMetadata).hash,
          };
      }
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) throw error;
    }
    return { version: 0, hash: GENESIS_HASH };
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const fromVersion = options.fromVersion ?? 1;
    const limit = options.limit ?? STORE_LIMITS.defaultPageSize;
    const events: RecordedEvent[] = [];
    try {
      for await (const resolved of this.#client.readStream(streamId, {
        direction: FORWARDS,
        fromRevision: toRevision(fromVersion),
        maxCount: limit,
      })) {
        if (resolved.event !== undefined) events.push(this.#toRecorded(resolved.event));
      }
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) throw error;
    }
    return events;
  }

  async streamVersion(streamId: string): Promise<number> {
    return (await this.#tip(streamId)).version;
  }

  async readAll(fromPosition: number, options: ReadAllOptions = {}): Promise<ReadAllPage> {
    const limit = options.limit ?? STORE_LIMITS.defaultPageSize;
    const events: RecordedEvent[] = [];
    let read = 0;
    let nextPosition = fromPosition;
    for await (const resolved of this.#client.readAll({
      direction: FORWARDS,
      fromPosition: toReadPosition(fromPosition),
      maxCount: limit,
    })) {
      read += 1;
      const event = resolved.event;
      if (event === undefined) continue;
      const position = toGlobalPosition(event.position.prepare);
      nextPosition = Math.max(nextPosition, position + 1);
      if (position < fromPosition || !isLedgerEvent(event.type, event.streamId)) continue;
      events.push(this.#toRecorded(event));
    }
    return { events, nextPosition, endOfLog: read < limit };
  }

  async headPosition(): Promise<number> {
    for await (const resolved of this.#client.readAll({
      direction: BACKWARDS,
      fromPosition: END,
      maxCount: 100,
    })) {
      const event = resolved.event;
      if (event !== undefined && isLedgerEvent(event.type, event.streamId))
        return toGlobalPosition(event.position.prepare);
    }
    return 0;
  }

  async appendedThrough(): Promise<number> {
    return this.headPosition();
  }

  /** Catches up from the position, then follows; after a drop, resubscribes from the last event seen. */
  async *subscribe(options: SubscribeOptions): AsyncIterable<RecordedEvent> {
    let position = options.fromPosition;
    let delay = this.#resubscribe.first;
    while (!options.signal.aborted) {
      const subscription = this.#client.subscribeToAll({
        fromPosition: toReadPosition(position),
        filter: eventTypeFilter({ regex: EVENT_TYPE_PATTERN.source }),
      });
      const stop = () => void subscription.unsubscribe();
      options.signal.addEventListener('abort', stop, { once: true });
      try {
        for await (const resolved of subscription) {
          const event = resolved.event;
          if (event === undefined || !isLedgerEvent(event.type, event.streamId)) continue;
          const global = toGlobalPosition(event.position.prepare);
          if (global < position) continue;
          position = global + 1;
          delay = this.#resubscribe.first;
          yield this.#toRecorded(event);
        }
      } catch {
        if (options.signal.aborted) return;
        await new Promise((resolve) => setTimeout(resolve, delay));
        delay = Math.min(delay * 2, this.#resubscribe.max);
      } finally {
        options.signal.removeEventListener('abort', stop);
      }
    }
  }

  async findAppend(idempotencyKey: string): Promise<AppendResult | undefined> {
    const marker = await this.#marker(idempotencyKey);
    if (marker === undefined) return undefined;
    const { digest: _digest, ...result } = marker;
    return { ...result, replayed: true };
  }

  async #markerDigest(idempotencyKey: string): Promise<string | undefined> {
    return (await this.#marker(idempotencyKey))?.digest;
  }

  async #marker(
    idempotencyKey: string,
  ): Promise<(Omit<AppendResult, 'replayed'> & { digest: string }) | undefined> {
    try {
      for await (const resolved of this.#client.readStream(markerStream(idempotencyKey), {
        fromRevision: START,
        maxCount: 1,
      })) {
        if (resolved.event !== undefined) return resolved.event.data as never;
      }
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) throw error;
    }
    return undefined;
  }

  async close(): Promise<void> {
    await this.#client.dispose();
  }

  #toRecorded(event: {
    streamId: string;
    id: string;
    revision: bigint;
    type: string;
    data: unknown;
    metadata: unknown;
    position?: { prepare: bigint };
  }): RecordedEvent {
    return fromServerEvent(this.#catalogue, event);
  }
}

/** The server could not be reached with the connection string the ledger was given. */
export class EventStoreDbUnreachableError extends Error {
  constructor(connectionString: string, cause: unknown) {
    super(
      `could not reach EventStoreDB at ${redactConnectionString(connectionString)}: ${cause instanceof Error ? cause.message : String(cause)}`,
    );
    this.name = 'EventStoreDbUnreachableError';
  }
}

/** The port's version n (n events in the stream) as the revision the server expects. */
export function toExpectedRevision(version: number): typeof NO_STREAM | bigint {
  return version === 0 ? NO_STREAM : BigInt(version - 1);
}

/** The port's "from version" (1 is the first event) as a server revision. */
export function toRevision(fromVersion: number): bigint {
  if (!Number.isSafeInteger(fromVersion) || fromVersion < 1)
    throw new InvalidAppendError(`fromVersion ${fromVersion} is not a stream version (1 or more)`);
  return BigInt(fromVersion - 1);
}

/** A server revision (0 is the first event) as the port's stream version. */
export function toStreamVersion(revision: bigint): number {
  return Number(revision) + 1;
}

/** The server's "current revision" of a refused append, as the port's actual version. */
export function fromCurrentRevision(current: typeof NO_STREAM | bigint | string): number {
  return typeof current === 'bigint' ? toStreamVersion(current) : 0;
}

/** A `$all` prepare position as the port's global position; refused beyond what a number holds. */
export function toGlobalPosition(prepare: bigint): number {
  if (prepare > BigInt(Number.MAX_SAFE_INTEGER))
    throw new StoreIntegrityError(`position ${prepare} is beyond what the ledger can count`);
  return Number(prepare);
}

/** The port's "from position" as a `$all` read position: the start, or at that prepare position. */
export function toReadPosition(
  fromPosition: number,
): typeof START | { commit: bigint; prepare: bigint } {
  if (fromPosition <= 1) return START;
  const at = BigInt(fromPosition - 1);
  return { commit: at, prepare: at };
}

/** Ledger events only: `$all` also holds the server's own events and the append markers. */
export function isLedgerEvent(type: string, streamId: string): boolean {
  return (
    !streamId.startsWith('$') &&
    !streamId.startsWith(MARKER_PREFIX) &&
    EVENT_TYPE_PATTERN.test(type)
  );
}

const MARKER_PREFIX = 'bcf-append-';

/** The stream holding the marker of the append made under an idempotency key. */
export function markerStream(idempotencyKey: string): string {
  return `${MARKER_PREFIX}${createHash('sha256').update(idempotencyKey).digest('hex')}`;
}

/** A server event as the port's recorded event, validated like every event read. */
export function fromServerEvent(
  catalogue: EventCatalogue,
  event: {
    streamId: string;
    id: string;
    revision: bigint;
    type: string;
    data: unknown;
    metadata: unknown;
    position?: { prepare: bigint };
  },
): RecordedEvent {
  const where = `event ${event.id} (stream "${event.streamId}", revision ${event.revision})`;
  const stored = event.metadata as Partial<StoredMetadata> | undefined;
  const data = catalogue.parse(event.type, event.data);
  if (!data.ok) throw new StoreIntegrityError(`${where}: ${data.message}`);
  const metadata = eventMetadataSchema.safeParse(stored?.envelope);
  if (
    !metadata.success ||
    typeof stored?.previousHash !== 'string' ||
    typeof stored.hash !== 'string'
  ) {
    throw new StoreIntegrityError(`${where} has metadata that does not fit the envelope`);
  }
  return {
    eventId: event.id,
    streamId: event.streamId,
    streamVersion: toStreamVersion(event.revision),
    globalPosition: event.position === undefined ? 0 : toGlobalPosition(event.position.prepare),
    type: event.type,
    data: data.data,
    metadata: metadata.data,
    previousHash: stored.previousHash,
    hash: stored.hash,
  };
}

/**
 * The port's error for a failed append: the server's wrong-expected-version (another writer got
 * in between our read of the tip and our write) becomes the port's, with the stream's actual
 * version counted the port's way; anything else is passed on as it is.
 */
export function toPortAppendError(
  error: unknown,
  streamId: string,
  expected: ExpectedVersion,
): unknown {
  if (error instanceof ServerWrongExpectedVersion)
    return new WrongExpectedVersionError(
      streamId,
      expected,
      fromCurrentRevision(error.actualVersion),
    );
  return error;
}

/** A connection string with its password, if any, left out: it may be printed. */
export function redactConnectionString(connectionString: string): string {
  return connectionString.replace(/\/\/([^:@/]+):([^@/]+)@/, '//$1:***@');
}
