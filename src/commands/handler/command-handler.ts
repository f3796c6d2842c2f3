import type { DomainEvent, EventMetadata, NewEvent } from '../../events/envelope.ts';
import { WrongExpectedVersionError } from '../../events/store/errors.ts';
import { type AppendResult, type EventStore, STORE_LIMITS } from '../../events/store/port.ts';
import type { Decider, DomainError } from '../decider.ts';
import { refusal } from '../refusals.ts';

/**
 * The command loop: read the stream, fold it, decide, append with the version decided on, and
 * if another writer got in first, do it all again, a bounded number of times. Batching and caching
 * wrap this (batching-command-handler.ts); they do not live in it.
 */
export function createCommandHandler<Command, State, Event extends DomainEvent>(
  store: EventStore,
  decider: Decider<Command, State, Event>,
  options: { readonly maxRetries: number } = DEFAULT_COMMAND_HANDLER_OPTIONS,
): CommandHandler<Command, State> {
  const currentState = (streamId: string) =>
    foldStream(store, decider, streamId, emptyFold(decider));
  async function handle(
    streamId: string,
    command: Command,
    metadata: EventMetadata,
    expectedVersion?: number,
  ): Promise<CommandOutcome> {
    for (let attempt = 0; attempt <= options.maxRetries; attempt++) {
      const { state, version } = await currentState(streamId);
      if (expectedVersion !== undefined && expectedVersion !== version)
        return versionMismatch(streamId, expectedVersion, version);
      const decision = decider.decide(command, state);
      if (!decision.ok) return decision;
      if (decision.events.length === 0) return unchanged(streamId, version);
      try {
        const events = withMetadata(decision.events, metadata);
        return recorded(await store.append(streamId, events, { expectedVersion: version }));
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError)) throw error;
        await pauseBeforeRetry(attempt);
      }
    }
    throw new CommandContentionError(streamId, options.maxRetries + 1);
  }
  return { handle, currentState };
}

/** What every command handler offers, the plain one and the batching one alike. */
export interface CommandHandler<Command, State> {
  /**
   * Decides and appends the command. With `expectedVersion`, the command applies only if the
   * stream is at that version when it is decided (an HTTP If-Match), and is refused otherwise.
   */
  handle(
    streamId: string,
    command: Command,
    metadata: EventMetadata,
    expectedVersion?: number,
  ): Promise<CommandOutcome>;
  /** The stream folded as the store holds it now: read it, never change it. */
  currentState(streamId: string): Promise<Folded<State>>;
}

export interface CommandHandlerOptions {
  /** How many times a command is decided again after another writer got in first. */
  readonly maxRetries: number;
  /** How many streams' folded state is kept in memory, least recently used dropped first. */
  readonly maxCachedStreams: number;
  /** How many waiting commands on one stream share one durable commit at most. */
  readonly maxBatchSize: number;
}

export const DEFAULT_COMMAND_HANDLER_OPTIONS: CommandHandlerOptions = {
  maxRetries: 8,
  maxCachedStreams: 1_000,
  maxBatchSize: 256,
};

export type CommandOutcome =
  | {
      readonly ok: true;
      readonly streamId: string;
      /** The stream's version after the command: the same as before when it changed nothing. */
      readonly streamVersion: number;
      readonly eventCount: number;
      readonly append: AppendResult | undefined;
    }
  | { readonly ok: false; readonly error: DomainError };

export interface Folded<State> {
  readonly state: State;
  readonly version: number;
}

/** Every retry lost the race: the stream is too contended. Nothing was written. */
export class CommandContentionError extends Error {
  constructor(streamId: string, attempts: number) {
    super(
      `stream "${streamId}" changed under the command ${attempts} times in a row; nothing was recorded, try again`,
    );
    this.name = 'CommandContentionError';
  }
}

export function emptyFold<State>(decider: { initialState(): State }): Folded<State> {
  return { state: decider.initialState(), version: 0 };
}

/** Folds the stream's events after `from` into `from`'s state (which evolve may update in place). */
export async function foldStream<Command, State, Event extends DomainEvent>(
  store: EventStore,
  decider: Decider<Command, State, Event>,
  streamId: string,
  from: Folded<State>,
): Promise<Folded<State>> {
  let folded = from;
  for (;;) {
    const events = await store.readStream(streamId, { fromVersion: folded.version + 1 });
    for (const event of events) {
      folded = {
        state: decider.evolve(folded.state, event as unknown as Event),
        version: event.streamVersion,
      };
    }
    if (events.length < STORE_LIMITS.defaultPageSize) return folded;
  }
}

export function withMetadata(events: readonly DomainEvent[], metadata: EventMetadata): NewEvent[] {
  return events.map((event) => ({ type: event.type, data: event.data, metadata }));
}

export function recorded(append: AppendResult): CommandOutcome {
  return {
    ok: true,
    streamId: append.streamId,
    streamVersion: append.streamVersion,
    eventCount: append.eventCount,
    append,
  };
}

export function unchanged(streamId: string, version: number): CommandOutcome {
  return { ok: true, streamId, streamVersion: version, eventCount: 0, append: undefined };
}

export function versionMismatch(
  streamId: string,
  expected: number,
  actual: number,
): CommandOutcome {
  return {
    ok: false,
    error: refusal(
      'version-mismatch',
      `"${streamId}" is at version ${actual}, not ${expected}: read it again`,
      'If-Match',
      String(expected),
    ),
  };
}

/**
 * After a lost race, a random and growing pause lets the writers that keep colliding fall out of
 * step instead of losing to each other every time.
 */
export function pauseBeforeRetry(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.random() * 2 ** attempt));
}
