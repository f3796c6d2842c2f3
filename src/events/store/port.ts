import type { NewEvent, RecordedEvent } from '../envelope.ts';

/**
 * The event-store port. Every adapter (the embedded SQLite store, EventStoreDB) implements it
 * and passes the same contract suite in test/contract/.
 *
 * Versions: a stream's version is the number of events in it (0 for a stream that does not
 * exist), and an event's streamVersion is the stream's version once that event is in it, so the
 * first event of a stream has streamVersion 1. An expected version is therefore "the number of
 * events I have seen". Global positions are at least 1, strictly increase in commit order, and
 * are dense (1, 2, 3...) on the embedded store only: on EventStoreDB they are its log's byte
 * offsets, so code that counts events must count them, never subtract positions. Adapters whose
 * native numbering differs convert inside the adapter.
 */
export interface EventStore {
  /**
   * Appends the events to the stream atomically: all of them or none. Every event of one append
   * carries the same idempotency key in its metadata; if an append with that key is already
   * stored, the original result is returned (replayed: true) and nothing is written, whatever
   * the expected version; if it was stored with other content, IdempotencyKeyReusedError.
   */
  append(
    streamId: string,
    events: readonly NewEvent[],
    options: AppendOptions,
  ): Promise<AppendResult>;
  /**
   * Several appends to one stream in one atomic write, in order: each is keyed by its own
   * idempotency key and gets its own result. The expected version applies before the first.
   * If any key is already stored, nothing is written and AppendBatchKeyExistsError is thrown, so
   * the caller can fall back to appending one at a time. This is how concurrent commands on one
   * stream share one durable commit.
   */
  appendAll(
    streamId: string,
    appends: readonly (readonly NewEvent[])[],
    options: AppendOptions,
  ): Promise<AppendResult[]>;
  /** The stream's events in order, from `fromVersion` (default 1), at most `limit`. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /** The number of events in the stream; 0 when it does not exist. */
  streamVersion(streamId: string): Promise<number>;
  /** A page of the whole log in commit order, starting at `fromPosition` (1 is the first event). */
  readAll(fromPosition: number, options?: ReadAllOptions): Promise<ReadAllPage>;
  /** The position of the last event in the log; 0 when the log is empty. */
  headPosition(): Promise<number>;
  /**
   * The position up to which the store has acknowledged appends, from its own record of appends
   * rather than from the events: a log cut short at its end shows as a head below this.
   */
  appendedThrough(): Promise<number>;
  /**
   * Every event from `fromPosition` on: first those already stored, then each new one as it is
   * appended, in order, until the signal aborts.
   */
  subscribe(options: SubscribeOptions): AsyncIterable<RecordedEvent>;
  /** The result of the append stored under this idempotency key, if there is one. */
  findAppend(idempotencyKey: string): Promise<AppendResult | undefined>;
  /**
   * A mark that is the same while nothing has been appended to the log, by this process or any
   * other, and different once anything has: a reader compares it with the mark it last saw and
   * reads the log only when it moved. Adapters that cannot tell cheaply leave it out, and readers
   * then read.
   */
  changeMark?(): string;
  close(): Promise<void>;
}

/** 'no-stream': the stream must not exist yet; a number: the stream has exactly that many events; 'any': no check. */
export type ExpectedVersion = 'no-stream' | 'any' | number;

export interface AppendOptions {
  readonly expectedVersion: ExpectedVersion;
}

export interface AppendResult {
  readonly streamId: string;
  /** The stream's version after the append, i.e. the streamVersion of its last event. */
  readonly streamVersion: number;
  readonly firstPosition: number;
  readonly lastPosition: number;
  readonly eventCount: number;
  /** The digest of what the append recorded (its stream, its events' types and data). */
  readonly contentDigest: string;
  /** True when the idempotency key had been stored already and nothing was written now. */
  readonly replayed: boolean;
}

export interface ReadStreamOptions {
  readonly fromVersion?: number;
  readonly limit?: number;
}

export interface ReadAllOptions {
  readonly limit?: number;
}

export interface ReadAllPage {
  readonly events: RecordedEvent[];
  /** Where the next page starts. */
  readonly nextPosition: number;
  /** True when this page reached the last stored event. */
  readonly endOfLog: boolean;
}

export interface SubscribeOptions {
  readonly fromPosition: number;
  readonly signal: AbortSignal;
}

/** The bounds every adapter applies; a request beyond them is refused, not silently cut. */
export const STORE_LIMITS = {
  maxEventsPerAppend: 10_000,
  maxPageSize: 10_000,
  defaultPageSize: 1_000,
  maxStreamIdLength: 200,
} as const;

export const STREAM_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;
