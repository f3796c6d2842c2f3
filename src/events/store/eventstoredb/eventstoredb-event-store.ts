import { createHash } from 'node:crypto';
import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  eventTypeFilter,
  FORWARDS,
  jsonEvent,
  NO_STREAM,
  type ReadPosition,
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
  type ChainKey,
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
  ExpectedVersion,
  ReadAllOptions,
  ReadAllPage,
  ReadStreamOptions,
  SubscribeOptions,
} from '../port.ts';

/**
 * The event-store port on EventStoreDB (KurrentDB), the only code that imports its client.
 * What EventStoreDB does differently is converted here:
 * - revisions count from 0: the port's version n is revision n - 1, and version 0 is "no stream";
 * - `$all` positions are (commit, prepare) pairs, not dense: the port's global position is the
 *   event's prepare position, unique and increasing in `$all` order, with gaps;
 * - deduplication by event id is best-effort: every append therefore goes with the exact current
 *   revision (even when asked for "any"), event ids derive from the idempotency key, and each
 *   append writes its intent, then its result, to a marker stream named after the key's hash,
 *   which `findAppend` reads;
 * - the hash chain is built here: the previous event's hash is read before the append, and the
 *   exact expected revision makes a concurrent writer's append fail rather than fork the chain.
 * Which of its tests have run against a real server is stated in the README's "Running on
 * EventStoreDB".
 */
export interface EventStoreDbOptions {
  readonly connectionString: string;
  readonly catalogue: EventCatalogue;
  /** How long to wait for the server when opening, before refusing to start. */
  readonly connectTimeoutMs?: number;
  /** Backoff after a subscription drops: doubles from the first up to the last. */
  readonly resubscribeDelaysMs?: { readonly first: number; readonly max: number };
  /** The key the events' hash chain is made with (see integrity.ts); none for an unkeyed chain. */
  readonly chainKey?: ChainKey;
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
  readonly #chainKey: ChainKey;

  private constructor(client: EventStoreDBClient, options: EventStoreDbOptions) {
    this.#client = client;
    this.#catalogue = options.catalogue;
    this.#chainKey = options.chainKey;
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
    for (let attempt = 0; ; attempt++) {
      const settled = await this.#settle(append.idempotencyKey);
      if (settled.recorded !== undefined) {
        if (settled.recorded.digest !== append.digest)
          throw new IdempotencyKeyReusedError(append.idempotencyKey);
        return replayedResult(settled.recorded);
      }
      try {
        const [result] = await this.#write(
          streamId,
          [{ append, ...settled }],
          options.expectedVersion,
        );
        if (result === undefined)
          throw new InvalidAppendError('an append needs at least one event');
        return result;
      } catch (error) {
        // An earlier attempt under this key landed meanwhile: settled again, it is replayed.
        if (!(error instanceof AppendBatchKeyExistsError) || attempt > 0) throw error;
      }
    }
  }

  async appendAll(
    streamId: string,
    appends: readonly (readonly NewEvent[])[],
    options: AppendOptions,
  ): Promise<AppendResult[]> {
    const validated = appends.map((events) =>
      validateAppend(this.#catalogue, streamId, events, options),
    );
    const settled = await Promise.all(
      validated.map((append) => this.#settle(append.idempotencyKey)),
    );
    const pending = validated.map((append, index): PendingAppend => {
      const earlier = settled[index];
      if (earlier?.recorded !== undefined)
        throw new AppendBatchKeyExistsError(append.idempotencyKey);
      return {
        append,
        markerRevision: earlier?.markerRevision,
        ...(earlier?.unfinished === undefined ? {} : { unfinished: earlier.unfinished }),
      };
    });
    return this.#write(streamId, pending, options.expectedVersion);
  }

  /**
   * One append of every event, chained, with the exact current revision. Each key's marker
   * records the intent (the stream and version the events will take) before the events are
   * written and the result after, so an append whose process died in between is still found by
   * its key (see `intentOutcome`), and a retry of it can never be recorded a second time.
   */
  async #write(
    streamId: string,
    appends: readonly PendingAppend[],
    expected: ExpectedVersion,
  ): Promise<AppendResult[]> {
    const tip = await this.#tip(streamId);
    if (expected !== 'any' && (expected === 'no-stream' ? 0 : expected) !== tip.version) {
      throw new WrongExpectedVersionError(streamId, expected, tip.version);
    }
    await this.#refuseLandedAttempts(appends, tip.version);
    const intents = await this.#writeIntents(streamId, appends, expected, tip.version);
    const data = chainedEvents(streamId, appends, tip, this.#chainKey);
    let written: Awaited<ReturnType<EventStoreDBClient['appendToStream']>>;
    try {
      written = await this.#client.appendToStream(streamId, data, {
        expectedRevision: toExpectedRevision(tip.version),
      });
    } catch (error) {
      throw toPortAppendError(error, streamId, expected);
    }
    const positions = await this.#positionsWritten(streamId, tip.version, data.length, written);
    const spans = appendSpans(
      intents.map(({ intent }) => intent.eventCount),
      positions,
    );
    const recorded = intents.map(({ key, revision, intent }, index) => ({
      key,
      revision,
      marker: recordedFromIntent(intent, spans[index]?.first ?? 0, spans[index]?.last ?? 0),
    }));
    await Promise.all(
      recorded.map(({ key, revision, marker }) => this.#recordMarker(key, marker, revision)),
    );
    return recorded.map(({ marker }) => ({ ...resultOf(marker), replayed: false }));
  }

  /**
   * Each event's position, in order. The server answers an append with its last event's
   * position only (WriteEvents.cs: CommitPosition, the prepare that ends the write), so an append
   * of several events is read back to know where each begins.
   */
  async #positionsWritten(
    streamId: string,
    fromVersion: number,
    count: number,
    written: { position?: { prepare: bigint } },
  ): Promise<number[]> {
    const last = written.position === undefined ? 0 : toGlobalPosition(written.position.prepare);
    if (count === 1) return [last];
    const positions: number[] = [];
    for await (const resolved of this.#client.readStream(streamId, {
      direction: FORWARDS,
      fromRevision: toRevision(fromVersion + 1),
      maxCount: count,
    })) {
      const event = resolved.event;
      positions.push(event?.position === undefined ? 0 : toGlobalPosition(event.position.prepare));
    }
    return positions;
  }

  /**
   * Each key's marker records its intent (the stream and version its events will take) before
   * they are written. The intents are independent of one another: written side by side, a group
   * commit of many appends waits for one round trip rather than one per append.
   */
  #writeIntents(
    streamId: string,
    appends: readonly PendingAppend[],
    expected: ExpectedVersion,
    tipVersion: number,
  ) {
    let fromVersion = tipVersion;
    const planned = appends.map(({ append, markerRevision }) => {
      const intent: IntendedMarker = {
        streamId,
        fromVersion,
        eventCount: append.events.length,
        digest: append.digest,
      };
      fromVersion += append.events.length;
      return { key: append.idempotencyKey, markerRevision, intent };
    });
    return Promise.all(
      planned.map(async ({ key, markerRevision, intent }) => {
        try {
          const written = await this.#client.appendToStream(
            markerStream(key),
            jsonEvent({ type: INTENDED_MARKER, data: { ...intent } }),
            { expectedRevision: markerRevision ?? NO_STREAM },
          );
          return { key, revision: written.nextExpectedRevision, intent };
        } catch (error) {
          // Another attempt under the same key got in between: the caller reloads and retries,
          // and then finds that attempt's append by its key if it was recorded.
          if (error instanceof ServerWrongExpectedVersion)
            throw new WrongExpectedVersionError(streamId, expected, tipVersion);
          throw error;
        }
      }),
    );
  }

  /**
   * An earlier attempt under one of these keys, found unfinished when settled, may have landed
   * between that look and the tip just read: the server accepts the same event ids again at a new
   * revision (IndexWriter.CheckCommit compares ids only below the current revision), so the
   * append would be recorded twice. Looked at again now, after the tip: one that landed stops the
   * write, to be settled and replayed; one landing later meets a stale revision and is refused.
   */
  async #refuseLandedAttempts(appends: readonly PendingAppend[], tipVersion: number) {
    for (const { append, unfinished } of appends) {
      if (unfinished === undefined || tipVersion <= unfinished.fromVersion) continue;
      const first = await this.#eventAt(unfinished.streamId, unfinished.fromVersion + 1);
      if (intentOutcome(first?.id, append.idempotencyKey) === 'recorded')
        throw new AppendBatchKeyExistsError(append.idempotencyKey);
    }
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
    const limit = pageSize(options.limit);
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

  /**
   * The server reads `$all` only from the start of a record (StorageReaderWorker answers
   * InvalidPosition otherwise). `fromPosition` is either the position after an event (a page's
   * `nextPosition`: the event's own position, read again and skipped) or an event's own position
   * (one event looked up): the first is tried, then the second (docs/operations.md).
   */
  async readAll(fromPosition: number, options: ReadAllOptions = {}): Promise<ReadAllPage> {
    if (!Number.isSafeInteger(fromPosition) || fromPosition < 1)
      throw new InvalidAppendError(`position ${fromPosition} is not a log position (1 or more)`);
    const limit = pageSize(options.limit);
    const [first, second] = readPositionsFor(fromPosition);
    try {
      // From just before, the event there is read again and passed over: one more is read.
      return await this.#readAllAt(fromPosition, first, first === START ? limit : limit + 1);
    } catch (error) {
      if (second === undefined || !isInvalidPositionError(error)) throw error;
      return this.#readAllAt(fromPosition, second, limit);
    }
  }

  async #readAllAt(
    fromPosition: number,
    at: typeof START | { commit: bigint; prepare: bigint },
    maxCount: number,
  ): Promise<ReadAllPage> {
    const events: RecordedEvent[] = [];
    let read = 0;
    let nextPosition = fromPosition;
    for await (const resolved of this.#client.readAll({
      direction: FORWARDS,
      fromPosition: at,
      maxCount,
    })) {
      read += 1;
      const event = resolved.event;
      if (event === undefined) continue;
      const position = toGlobalPosition(event.position.prepare);
      nextPosition = Math.max(nextPosition, position + 1);
      if (position < fromPosition || !isLedgerEvent(event.type, event.streamId)) continue;
      events.push(this.#toRecorded(event));
    }
    return { events, nextPosition, endOfLog: read < maxCount };
  }

  /**
   * The last ledger event's position. `$all` also holds the append markers (after a group commit
   * of n appends, n of them follow its events) and the server's own events, so this reads back
   * page by page until it meets a ledger event or the start of the log.
   */
  async headPosition(): Promise<number> {
    const PAGE = 500;
    let from: ReadPosition = END;
    for (;;) {
      let read = 0;
      let oldest: ReadPosition | undefined;
      for await (const resolved of this.#client.readAll({
        direction: BACKWARDS,
        fromPosition: from,
        maxCount: PAGE,
      })) {
        read += 1;
        const event = resolved.event;
        if (event === undefined) continue;
        if (isLedgerEvent(event.type, event.streamId))
          return toGlobalPosition(event.position.prepare);
        oldest = event.position;
      }
      if (read < PAGE || oldest === undefined) return 0;
      from = oldest;
    }
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
    const { recorded } = await this.#settle(idempotencyKey);
    return recorded === undefined ? undefined : replayedResult(recorded);
  }

  /**
   * What the key's marker stream says: the append recorded under the key, if any, and the
   * marker revision a new attempt's intent must follow. An intent with no result yet is settled
   * by looking at the version it named: the key's first event there means it was recorded.
   */
  async #settle(idempotencyKey: string): Promise<{
    recorded?: RecordedMarker;
    markerRevision: bigint | undefined;
    unfinished?: IntendedMarker;
  }> {
    const last = await this.#lastMarker(idempotencyKey);
    if (last === undefined) return { markerRevision: undefined };
    if (last.type === RECORDED_MARKER)
      return { recorded: last.data as RecordedMarker, markerRevision: last.revision };
    const intent = last.data as IntendedMarker;
    const first = await this.#eventAt(intent.streamId, intent.fromVersion + 1);
    const outcome = intentOutcome(first?.id, idempotencyKey);
    if (outcome === 'not-yet') return { markerRevision: last.revision, unfinished: intent };
    if (outcome === 'superseded') return { markerRevision: last.revision };
    const final =
      intent.eventCount === 1
        ? first
        : await this.#eventAt(intent.streamId, intent.fromVersion + intent.eventCount);
    const recorded = recordedFromIntent(intent, first?.position ?? 0, final?.position ?? 0);
    await this.#recordMarker(idempotencyKey, recorded, last.revision);
    return { recorded, markerRevision: last.revision + 1n };
  }

  /** Writes the result after the intent; another process settling the same intent may be first. */
  async #recordMarker(
    key: string,
    recorded: RecordedMarker,
    intentRevision: bigint,
  ): Promise<void> {
    await this.#client
      .appendToStream(
        markerStream(key),
        jsonEvent({ type: RECORDED_MARKER, data: { ...recorded } }),
        {
          expectedRevision: intentRevision,
        },
      )
      .catch((error: unknown) => {
        if (!(error instanceof ServerWrongExpectedVersion)) throw error;
      });
  }

  async #lastMarker(
    idempotencyKey: string,
  ): Promise<{ revision: bigint; type: string; data: unknown } | undefined> {
    try {
      for await (const resolved of this.#client.readStream(markerStream(idempotencyKey), {
        direction: BACKWARDS,
        fromRevision: END,
        maxCount: 1,
      })) {
        const event = resolved.event;
        if (event !== undefined)
          return { revision: event.revision, type: event.type, data: event.data };
      }
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) throw error;
    }
    return undefined;
  }

  /** The id and position of the event at a version of a stream, if the stream is that long. */
  async #eventAt(
    streamId: string,
    version: number,
  ): Promise<{ id: string; position: number } | undefined> {
    try {
      for await (const resolved of this.#client.readStream(streamId, {
        direction: FORWARDS,
        fromRevision: toRevision(version),
        maxCount: 1,
      })) {
        const event = resolved.event;
        if (event !== undefined)
          return {
            id: event.id,
            position: event.position === undefined ? 0 : toGlobalPosition(event.position.prepare),
          };
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

/**
 * The port's "from position" as a `$all` read position: the start, or the event just before it
 * (a page's `nextPosition` is the last event's position + 1). An event's commit and prepare
 * positions are the same (each event of an append is its own committed prepare record), and the
 * read includes the event at the position it starts from.
 */
export function toReadPosition(
  fromPosition: number,
): typeof START | { commit: bigint; prepare: bigint } {
  if (fromPosition <= 1) return START;
  const at = BigInt(fromPosition - 1);
  return { commit: at, prepare: at };
}

/**
 * Where a `$all` read from a port position may start, in the order to try them: just before it
 * (after a page), then at it (an event's own position). The server refuses a position inside a
 * record, so only one of the two is a record's start unless both are events of the log.
 */
export function readPositionsFor(
  fromPosition: number,
): [typeof START | { commit: bigint; prepare: bigint }, { commit: bigint; prepare: bigint }?] {
  if (fromPosition <= 1) return [START];
  const at = BigInt(fromPosition);
  return [toReadPosition(fromPosition), { commit: at, prepare: at }];
}

/**
 * The server's answer to a read from inside a record: gRPC InvalidArgument, "Trying to read from
 * an invalid position.", which the client (6.2) passes on as an UnknownError with that message.
 */
export function isInvalidPositionError(error: unknown): boolean {
  return error instanceof Error && /invalid position/i.test(error.message);
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
const INTENDED_MARKER = 'AppendIntended.v1';
const RECORDED_MARKER = 'AppendRecorded.v1';

/** Written before an append's events: where they will go, and a digest of what they are. */
export interface IntendedMarker {
  readonly streamId: string;
  /** The stream's version before the append: its first event takes fromVersion + 1. */
  readonly fromVersion: number;
  readonly eventCount: number;
  readonly digest: string;
}

/** Written after an append's events: the port's result, and the digest. */
export type RecordedMarker = Omit<AppendResult, 'replayed' | 'contentDigest'> & {
  readonly digest: string;
};

interface PendingAppend {
  readonly append: ValidatedAppend;
  readonly markerRevision: bigint | undefined;
  /** An earlier attempt's intent whose events were not in place when it was settled. */
  readonly unfinished?: IntendedMarker;
}

/**
 * Whether the append an intent announced took place, from the id of the event now at the version
 * its first event was to take: the key's derived id there means it did; another id means another
 * writer took that version and it never will; no event there yet means it has not (its process
 * died, or is still writing: a new attempt then writes at the same version with the same ids, and
 * the server keeps one of the two).
 */
export function intentOutcome(
  eventIdAtFirstVersion: string | undefined,
  idempotencyKey: string,
): 'recorded' | 'superseded' | 'not-yet' {
  if (eventIdAtFirstVersion === undefined) return 'not-yet';
  return eventIdAtFirstVersion === deriveEventId(idempotencyKey, 0) ? 'recorded' : 'superseded';
}

/**
 * The first and last position of each append of a write, from the positions of its events in
 * order (`counts` events each); 0 where the server gave none.
 */
export function appendSpans(
  counts: readonly number[],
  positions: readonly number[],
): { first: number; last: number }[] {
  let next = 0;
  return counts.map((count) => {
    const first = positions[next] ?? 0;
    const last = positions[next + count - 1] ?? 0;
    next += count;
    return { first, last };
  });
}

/** The result of an append that took place as its intent announced. */
export function recordedFromIntent(
  intent: IntendedMarker,
  firstPosition: number,
  lastPosition: number,
): RecordedMarker {
  return {
    streamId: intent.streamId,
    streamVersion: intent.fromVersion + intent.eventCount,
    firstPosition,
    lastPosition,
    eventCount: intent.eventCount,
    digest: intent.digest,
  };
}

function resultOf(recorded: RecordedMarker): Omit<AppendResult, 'replayed'> {
  const { digest, ...result } = recorded;
  return { ...result, contentDigest: digest };
}

function replayedResult(recorded: RecordedMarker): AppendResult {
  return { ...resultOf(recorded), replayed: true };
}

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

/** The appends' events as the server stores them: each with its hash and the one before it. */
function chainedEvents(
  streamId: string,
  appends: readonly PendingAppend[],
  tip: { readonly version: number; readonly hash: string },
  chainKey: ChainKey,
) {
  let previousHash = tip.hash;
  let version = tip.version;
  return appends.flatMap(({ append }) =>
    append.events.map((event, index) => {
      version += 1;
      const hash = eventHash(
        { streamId, streamVersion: version, ...event, previousHash },
        chainKey,
      );
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
}
