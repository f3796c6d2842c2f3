import type { DomainEvent, EventMetadata, NewEvent } from '../events/envelope.ts';
import { AppendBatchKeyExistsError, WrongExpectedVersionError } from '../events/store/errors.ts';
import { type AppendResult, type EventStore, STORE_LIMITS } from '../events/store/port.ts';
import type { Decider, DomainError } from './decider.ts';
import { refusal } from './refusals.ts';

export interface CommandHandlerOptions {
  /** How many times a batch is decided again after another writer got in first. */
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

interface CommandJob<Command> {
  readonly kind: 'command';
  readonly command: Command;
  readonly metadata: EventMetadata;
  readonly expectedVersion: number | undefined;
  readonly resolve: (outcome: CommandOutcome) => void;
  readonly reject: (error: unknown) => void;
}

interface ReadJob<State> {
  readonly kind: 'read';
  readonly resolve: (folded: Folded<State>) => void;
  readonly reject: (error: unknown) => void;
}

type Job<Command, State> = CommandJob<Command> | ReadJob<State>;

/**
 * Runs commands against streams. Each stream has one queue, worked through in order, so the
 * cached state (updated in place, see Decider) is never folded by two at once. The commands
 * waiting in a queue are decided one after the other, each on the state the previous ones leave,
 * and appended together in one durable commit with the version the first was decided on: one sync
 * to disk for many commands, and every outcome is given only once the commit holds.
 *
 * If another writer got in first, the store refuses the commit, the cached state (which already
 * holds the refused events) is dropped, and the whole batch is decided again on the newer state,
 * a bounded number of times. A command whose idempotency key is already stored returns the
 * original append without deciding again, so a retried request cannot be refused for the very
 * effect its first attempt had.
 */
export function createCommandHandler<Command, State, Event extends DomainEvent>(
  store: EventStore,
  decider: Decider<Command, State, Event>,
  options: CommandHandlerOptions = DEFAULT_COMMAND_HANDLER_OPTIONS,
) {
  const cache = new Map<string, Folded<State>>();
  const queues = new Map<string, Job<Command, State>[]>();

  function enqueue(streamId: string, job: Job<Command, State>): void {
    const queue = queues.get(streamId);
    if (queue !== undefined) {
      queue.push(job);
      return;
    }
    const fresh = [job];
    queues.set(streamId, fresh);
    void work(streamId, fresh);
  }

  /**
   * Works through a stream's queue until it is empty, then forgets it. Before each batch it lets
   * the event loop take in what has arrived (requests waiting on their sockets), so that commands
   * arriving while a commit is written join the next batch instead of each waiting for its own.
   */
  async function work(streamId: string, queue: Job<Command, State>[]): Promise<void> {
    while (queue.length > 0) {
      if (queue[0]?.kind === 'read') {
        // Reads waiting together are answered by one fold.
        const reads: ReadJob<State>[] = [];
        while (queue[0]?.kind === 'read') reads.push(queue.shift() as ReadJob<State>);
        await load(streamId).then(
          (folded) => {
            for (const read of reads) read.resolve(folded);
          },
          (error: unknown) => {
            for (const read of reads) read.reject(error);
          },
        );
        continue;
      }
      await new Promise((resolve) => setImmediate(resolve));
      const batch: CommandJob<Command>[] = [];
      while (batch.length < options.maxBatchSize && queue[0]?.kind === 'command')
        batch.push(queue.shift() as CommandJob<Command>);
      await runBatch(streamId, batch).catch((error: unknown) => {
        for (const job of batch) job.reject(error);
      });
    }
    queues.delete(streamId);
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

  async function runBatch(streamId: string, jobs: readonly CommandJob<Command>[]): Promise<void> {
    const pending: CommandJob<Command>[] = [];
    for (const job of jobs) {
      const earlier = await store.findAppend(job.metadata.idempotencyKey);
      if (earlier === undefined) pending.push(job);
      else job.resolve({ ok: true, append: earlier, eventCount: earlier.eventCount });
    }
    if (pending.length === 0) return;
    for (let attempt = 0; attempt <= options.maxRetries; attempt++) {
      const base = await load(streamId);
      const decided = decideAll(streamId, base, pending);
      if (decided.appends.length === 0) {
        settle(pending, decided.outcomes, []);
        return;
      }
      try {
        const results = await commit(streamId, decided.appends, base.version);
        if (results.some((result) => result.replayed)) cache.delete(streamId);
        else
          remember(streamId, {
            state: decided.state,
            version: results.at(-1)?.streamVersion ?? base.version,
          });
        settle(pending, decided.outcomes, results);
        return;
      } catch (error) {
        // The cached state already holds the events that were not recorded.
        cache.delete(streamId);
        if (error instanceof AppendBatchKeyExistsError) {
          for (const job of pending) await runBatch(streamId, [job]);
          return;
        }
        if (!(error instanceof WrongExpectedVersionError)) throw error;
        // Another process got in first. Waiting a random, growing while lets the writers that
        // keep colliding fall out of step instead of losing to each other every time.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 2 ** attempt));
      }
    }
    throw new CommandContentionError(streamId, options.maxRetries + 1);
  }

  /** Decides the jobs in order, each on the state the earlier ones leave. */
  function decideAll(streamId: string, base: Folded<State>, jobs: readonly CommandJob<Command>[]) {
    let state = base.state;
    let version = base.version;
    const appends: NewEvent[][] = [];
    const outcomes: (CommandOutcome | number)[] = [];
    for (const job of jobs) {
      if (job.expectedVersion !== undefined && job.expectedVersion !== version) {
        outcomes.push(versionMismatch(streamId, job.expectedVersion, version));
        continue;
      }
      const decision = decider.decide(job.command, state);
      if (!decision.ok) {
        outcomes.push(decision);
      } else if (decision.events.length === 0) {
        outcomes.push({ ok: true, append: undefined, eventCount: 0 });
      } else {
        // The catalogue's schemas validate and never transform, so the state the store would
        // fold from these events is the one folded here from the decided ones.
        for (const event of decision.events) state = decider.evolve(state, event);
        version += decision.events.length;
        outcomes.push(appends.length);
        appends.push(
          decision.events.map((event) => ({
            type: event.type,
            data: event.data,
            metadata: job.metadata,
          })),
        );
      }
    }
    return { state, appends, outcomes };
  }

  function commit(
    streamId: string,
    appends: readonly NewEvent[][],
    expectedVersion: number,
  ): Promise<AppendResult[]> {
    const [only] = appends;
    if (appends.length === 1 && only !== undefined)
      return store.append(streamId, only, { expectedVersion }).then((result) => [result]);
    return store.appendAll(streamId, appends, { expectedVersion });
  }

  function settle(
    jobs: readonly CommandJob<Command>[],
    outcomes: readonly (CommandOutcome | number)[],
    results: readonly AppendResult[],
  ): void {
    for (const [index, job] of jobs.entries()) {
      const outcome = outcomes[index];
      if (typeof outcome === 'number') {
        const append = results[outcome];
        job.resolve({ ok: true, append, eventCount: append?.eventCount ?? 0 });
      } else if (outcome !== undefined) {
        job.resolve(outcome);
      }
    }
  }

  /**
   * Decides and appends the command. With `expectedVersion`, the command applies only if the
   * stream is at that version when it is decided (an HTTP If-Match), and is refused otherwise.
   */
  function handle(
    streamId: string,
    command: Command,
    metadata: EventMetadata,
    expectedVersion?: number,
  ): Promise<CommandOutcome> {
    return new Promise((resolve, reject) =>
      enqueue(streamId, { kind: 'command', command, metadata, expectedVersion, resolve, reject }),
    );
  }

  /**
   * The folded state of a stream as the store holds it now. The state belongs to the handler:
   * read it, never change it.
   */
  function currentState(streamId: string): Promise<Folded<State>> {
    return new Promise((resolve, reject) => enqueue(streamId, { kind: 'read', resolve, reject }));
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
