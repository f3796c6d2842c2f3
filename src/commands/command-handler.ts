import type { DomainEvent, EventMetadata } from '../events/envelope.ts';
import { WrongExpectedVersionError } from '../events/store/errors.ts';
import { type AppendResult, type EventStore, STORE_LIMITS } from '../events/store/port.ts';
import type { Decider, DomainError } from './decider.ts';
import { refusal } from './refusals.ts';

export interface CommandHandlerOptions {
  /** How many times a command is decided again after another writer got in first. */
  readonly maxRetries: number;
  /** How many streams' folded state is kept in memory, least recently used dropped first. */
  readonly maxCachedStreams: number;
}

export const DEFAULT_COMMAND_HANDLER_OPTIONS: CommandHandlerOptions = {
  maxRetries: 8,
  maxCachedStreams: 1_000,
};

export type CommandOutcome =
  | { readonly ok: true; readonly append: AppendResult | undefined; readonly eventCount: number }
  | { readonly ok: false; readonly error: DomainError };

/** Every retry lost the race: the stream is too contended. Nothing was written. */
export class CommandContentionError extends Error {
  constructor(streamId: string, attempts: number) {
    super(
      `stream "${streamId}" changed under the command ${attempts} times in a row; nothing was recorded, try again`,
    );
    this.name = 'CommandContentionError';
  }
}

interface Folded<State> {
  readonly state: State;
  readonly version: number;
}

/**
 * Runs a command against one stream: fold the stream (from the cached state and the events
 * since), decide, append with the version the decision was based on. If another writer appended
 * in between, the append is refused by the store and the command is decided again on the newer
 * state, a bounded number of times. A command whose idempotency key is already stored returns
 * the original append without deciding again, so a retried request cannot be refused for the
 * very effect its first attempt had.
 *
 * Within one process, commands on the same stream take turns: the cached state is updated in
 * place (see Decider), so two commands folding it at once could apply an event twice. Other
 * processes are kept apart by the store's expected-version check.
 */
export function createCommandHandler<Command, State, Event extends DomainEvent>(
  store: EventStore,
  decider: Decider<Command, State, Event>,
  options: CommandHandlerOptions = DEFAULT_COMMAND_HANDLER_OPTIONS,
) {
  const cache = new Map<string, Folded<State>>();
  const turns = new Map<string, Promise<unknown>>();

  /** Runs `work` after every earlier piece of work on the same stream has finished. */
  function inTurn<Result>(streamId: string, work: () => Promise<Result>): Promise<Result> {
    const previous = turns.get(streamId) ?? Promise.resolve();
    const current = previous.then(work, work);
    const settled = current.then(
      () => undefined,
      () => undefined,
    );
    turns.set(streamId, settled);
    void settled.then(() => {
      if (turns.get(streamId) === settled) turns.delete(streamId);
    });
    return current;
  }

  async function load(streamId: string): Promise<Folded<State>> {
    let folded = cache.get(streamId) ?? { state: decider.initialState(), version: 0 };
    for (;;) {
      const events = await store.readStream(streamId, { fromVersion: folded.version + 1 });
      for (const event of events) {
        folded = {
          state: decider.evolve(folded.state, event as unknown as Event),
          version: event.streamVersion,
        };
      }
      if (events.length < STORE_LIMITS.defaultPageSize) break;
    }
    remember(streamId, folded);
    return folded;
  }

  function remember(streamId: string, folded: Folded<State>): void {
    cache.delete(streamId);
    cache.set(streamId, folded);
    if (cache.size > options.maxCachedStreams) {
      const oldest = cache.keys().next().value;
      if (oldest !== undefined) cache.delete(oldest);
    }
  }

  async function decideAndAppend(
    streamId: string,
    command: Command,
    metadata: EventMetadata,
    expectedVersion: number | undefined,
  ): Promise<CommandOutcome> {
    const earlier = await store.findAppend(metadata.idempotencyKey);
    if (earlier !== undefined) return { ok: true, append: earlier, eventCount: earlier.eventCount };
    // With an expected version the caller decided on a state it has seen: no retry on a newer one.
    const attempts = expectedVersion === undefined ? options.maxRetries : 0;
    for (let attempt = 0; attempt <= attempts; attempt++) {
      const { state, version } = await load(streamId);
      if (expectedVersion !== undefined && version !== expectedVersion)
        return versionMismatch(streamId, expectedVersion, version);
      const decision = decider.decide(command, state);
      if (!decision.ok) return decision;
      if (decision.events.length === 0) return { ok: true, append: undefined, eventCount: 0 };
      const events = decision.events.map((event) => ({
        type: event.type,
        data: event.data,
        metadata,
      }));
      try {
        const append = await store.append(streamId, events, { expectedVersion: version });
        if (!append.replayed) {
          // The catalogue's schemas validate and never transform, so the state the store would
          // fold from these events is the one folded here from the decided ones.
          const folded = decision.events.reduce(
            (next, event) => decider.evolve(next, event),
            state,
          );
          remember(streamId, { state: folded, version: append.streamVersion });
        }
        return { ok: true, append, eventCount: append.eventCount };
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError)) throw error;
        if (expectedVersion !== undefined)
          return versionMismatch(streamId, expectedVersion, error.actualVersion);
      }
    }
    throw new CommandContentionError(streamId, options.maxRetries + 1);
  }

  /**
   * Decides and appends the command. With `expectedVersion`, the command applies only if the
   * stream is still at that version (an HTTP If-Match), and is refused otherwise.
   */
  function handle(
    streamId: string,
    command: Command,
    metadata: EventMetadata,
    expectedVersion?: number,
  ): Promise<CommandOutcome> {
    return inTurn(streamId, () => decideAndAppend(streamId, command, metadata, expectedVersion));
  }

  /**
   * The folded state of a stream as the store holds it now. The state belongs to the handler:
   * read it, never change it.
   */
  function currentState(streamId: string): Promise<Folded<State>> {
    return inTurn(streamId, () => load(streamId));
  }

  return { handle, currentState };
}

function versionMismatch(streamId: string, expected: number, actual: number): CommandOutcome {
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

export type CommandHandler<Command> = {
  handle(streamId: string, command: Command, metadata: EventMetadata): Promise<CommandOutcome>;
};
