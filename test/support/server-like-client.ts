import {
  BACKWARDS,
  END,
  NO_STREAM,
  START,
  StreamNotFoundError,
  WrongExpectedVersionError,
} from '@eventstore/db-client';

/**
 * An in-memory stand-in for the EventStoreDB client, for unit tests of the adapter only: it
 * answers as the server's source (v24.10.0) says the server answers, on the few calls the adapter
 * makes. It is never evidence about a server; the contract suite against a real one is
 * (npm run test:eventstoredb). What it copies, and from where:
 * - positions: each event is its own committed prepare record, so its commit and prepare
 *   positions are its record's start (StorageWriterService.cs, AllReader.cs); records here are
 *   100 bytes apart, with gaps, like byte offsets;
 * - an append answers its last event's position (WriteEvents.cs, StorageChaser.cs);
 * - `$all` is read only from a record's start, from which the read includes that record; inside
 *   a record it is refused as an invalid position (TFChunkReadSide.cs, StorageReaderWorker.cs);
 * - an expected revision equal to the current one is accepted whatever the event ids; one below
 *   it is idempotent when the ids there are the same, and otherwise wrong
 *   (IndexWriter.CheckCommit).
 */
interface Stored {
  readonly streamId: string;
  readonly id: string;
  readonly revision: bigint;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: unknown;
  readonly position: { commit: bigint; prepare: bigint };
}

type ReadAt = typeof START | typeof END | { commit: bigint; prepare: bigint };

export class ServerLikeClient {
  readonly log: Stored[] = [];
  /** Runs once, just before the next backwards read of this stream (the adapter's tip read). */
  beforeTipRead: { streamId: string; run: () => void } | undefined;
  #nextPosition = 1_000n;

  stream(streamId: string): Stored[] {
    return this.log.filter((event) => event.streamId === streamId);
  }

  async appendToStream(
    streamId: string,
    events: { id: string; type: string; data: unknown; metadata?: unknown } | readonly unknown[],
    options: { expectedRevision: bigint | typeof NO_STREAM },
  ) {
    const list = (Array.isArray(events) ? events : [events]) as {
      id: string;
      type: string;
      data: unknown;
      metadata?: unknown;
    }[];
    const existing = this.stream(streamId);
    const current = existing.length === 0 ? -1n : BigInt(existing.length - 1);
    const expected = options.expectedRevision === NO_STREAM ? -1n : options.expectedRevision;
    if (expected < current) {
      const same = list.every(
        (event, index) => existing[Number(expected) + 1 + index]?.id === event.id,
      );
      if (!same || Number(expected) + list.length > Number(current))
        throw this.#wrong(streamId, options.expectedRevision, current);
      const last = existing[Number(expected) + list.length] as Stored;
      return { success: true, nextExpectedRevision: last.revision, position: last.position };
    }
    if (expected > current) throw this.#wrong(streamId, options.expectedRevision, current);
    let revision = current;
    for (const event of list) {
      revision += 1n;
      const at = this.#nextPosition;
      this.#nextPosition += 100n;
      this.log.push({
        streamId,
        id: event.id,
        revision,
        type: event.type,
        data: event.data,
        metadata: event.metadata,
        position: { commit: at, prepare: at },
      });
    }
    const last = this.log.at(-1) as Stored;
    return { success: true, nextExpectedRevision: revision, position: last.position };
  }

  readStream(
    streamId: string,
    options: { direction?: string; fromRevision?: bigint | typeof END; maxCount?: number },
  ): AsyncIterable<{ event: Stored }> {
    const backwards = options.direction === BACKWARDS;
    if (backwards && this.beforeTipRead?.streamId === streamId) {
      const hook = this.beforeTipRead;
      this.beforeTipRead = undefined;
      hook.run();
    }
    const events = this.stream(streamId);
    const take = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    return (async function* () {
      if (events.length === 0) throw new StreamNotFoundError(undefined, streamId);
      const from =
        options.fromRevision === END ? BigInt(events.length - 1) : (options.fromRevision ?? 0n);
      const chosen = backwards
        ? events.filter((event) => event.revision <= from).reverse()
        : events.filter((event) => event.revision >= from);
      for (const event of chosen.slice(0, take)) yield { event };
    })();
  }

  readAll(options: { fromPosition?: ReadAt; maxCount?: number }): AsyncIterable<{ event: Stored }> {
    const log = this.log;
    const at = options.fromPosition ?? START;
    return (async function* () {
      if (at !== START && at !== END && !log.some((event) => event.position.prepare === at.prepare))
        throw new Error('3 INVALID_ARGUMENT: Trying to read from an invalid position.');
      const from = at === START ? 0n : at === END ? BigInt(Number.MAX_SAFE_INTEGER) : at.prepare;
      const chosen = log.filter((event) => event.position.prepare >= from);
      for (const event of chosen.slice(0, options.maxCount ?? Number.MAX_SAFE_INTEGER))
        yield { event };
    })();
  }

  async dispose(): Promise<void> {}

  #wrong(streamName: string, expected: bigint | typeof NO_STREAM, current: bigint) {
    return new WrongExpectedVersionError(undefined, {
      streamName,
      expected,
      current: current < 0n ? NO_STREAM : current,
    } as never);
  }
}
