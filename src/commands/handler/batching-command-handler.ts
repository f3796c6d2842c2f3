import type { DomainEvent, EventMetadata, NewEvent } from '../../events/envelope.ts';
import { AppendBatchKeyExistsError, WrongExpectedVersionError } from '../../events/store/errors.ts';
import type { AppendResult, EventStore } from '../../events/store/port.ts';
import type { Decider } from '../decider.ts';
import {
  CommandContentionError,
  type CommandHandler,
  type CommandHandlerOptions,
  type CommandOutcome,
  DEFAULT_COMMAND_HANDLER_OPTIONS,
  emptyFold,
  type Folded,
  foldStream,
  pauseBeforeRetry,
  recorded,
  unchanged,
  versionMismatch,
  withMetadata,
} from './command-handler.ts';

/**
 * The command handler for a busy server: the same loop as command-handler.ts, with three things
 * around it that only pay off under load.
 *
 * - A queue per stream, worked through in order, so the cached state (updated in place, see
 *   Decider) is never folded by two at once.
 * - Group commit: the commands waiting in a queue are decided one after the other, each on the
 *   state the previous ones leave, and appended together in one durable commit with the version
 *   the first was decided on: one sync to disk for many commands, and every outcome is given only
 *   once the commit holds (docs/decisions/0005).
 * - A cache of folded streams (least recently used dropped first), so a command folds only the
 *   events recorded since the last one.
 *
 * If another writer got in first, the store refuses the commit, the cached state (which already
 * holds the refused events) is dropped, and the whole batch is decided again on the newer state.
 */
export class BatchingCommandHandler<Command, State, Event extends DomainEvent>
  implements CommandHandler<Command, State>
{
  readonly #store: EventStore;
  readonly #decider: Decider<Command, State, Event>;
  readonly #options: CommandHandlerOptions;
  readonly #cache = new Map<string, Folded<State>>();
  readonly #queues = new Map<string, Job<Command, State>[]>();

  constructor(
    store: EventStore,
    decider: Decider<Command, State, Event>,
    options: CommandHandlerOptions = DEFAULT_COMMAND_HANDLER_OPTIONS,
  ) {
    this.#store = store;
    this.#decider = decider;
    this.#options = options;
  }

  handle(
    streamId: string,
    command: Command,
    metadata: EventMetadata,
    expectedVersion?: number,
  ): Promise<CommandOutcome> {
    return new Promise((resolve, reject) =>
      this.#enqueue(streamId, {
        kind: 'command',
        command,
        metadata,
        expectedVersion,
        resolve,
        reject,
      }),
    );
  }

  currentState(streamId: string): Promise<Folded<State>> {
    return new Promise((resolve, reject) =>
      this.#enqueue(streamId, { kind: 'read', resolve, reject }),
    );
  }

  #enqueue(streamId: string, job: Job<Command, State>): void {
    const queue = this.#queues.get(streamId);
    if (queue !== undefined) {
      queue.push(job);
      return;
    }
    const fresh = [job];
    this.#queues.set(streamId, fresh);
    void this.#work(streamId, fresh);
  }

  /**
   * Works through a stream's queue until it is empty, then forgets it. Before each batch it lets
   * the event loop take in what has arrived (requests waiting on their sockets), so that commands
   * arriving while a commit is written join the next batch instead of each waiting for its own.
   */
  async #work(streamId: string, queue: Job<Command, State>[]): Promise<void> {
    while (queue.length > 0) {
      if (queue[0]?.kind === 'read') {
        await this.#answerReads(streamId, takeWhile(queue, 'read'));
        continue;
      }
      await new Promise((resolve) => setImmediate(resolve));
      const batch = takeWhile(queue, 'command', this.#options.maxBatchSize);
      await this.#runBatch(streamId, batch).catch((error: unknown) => {
        for (const job of batch) job.reject(error);
      });
    }
    this.#queues.delete(streamId);
  }

  /** Reads waiting together are answered by one fold. */
  async #answerReads(streamId: string, reads: readonly ReadJob<State>[]): Promise<void> {
    try {
      const folded = await this.#load(streamId);
      for (const read of reads) read.resolve(folded);
    } catch (error) {
      for (const read of reads) read.reject(error);
    }
  }

  async #load(streamId: string): Promise<Folded<State>> {
    const cached = this.#cache.get(streamId) ?? emptyFold(this.#decider);
    const folded = await foldStream(this.#store, this.#decider, streamId, cached);
    this.#remember(streamId, folded);
    return folded;
  }

  #remember(streamId: string, folded: Folded<State>): void {
    this.#cache.delete(streamId);
    this.#cache.set(streamId, folded);
    if (this.#cache.size > this.#options.maxCachedStreams) {
      const oldest = this.#cache.keys().next().value;
      if (oldest !== undefined) this.#cache.delete(oldest);
    }
  }

  async #runBatch(streamId: string, jobs: readonly CommandJob<Command>[]): Promise<void> {
    for (let attempt = 0; attempt <= this.#options.maxRetries; attempt++) {
      const base = await this.#load(streamId);
      const decided = this.#decideAll(streamId, base, jobs);
      if (decided.appends.length === 0) {
        settle(jobs, decided.outcomes, []);
        return;
      }
      try {
        const results = await this.#commit(streamId, decided.appends, base.version);
        if (results.some((result) => result.replayed)) this.#cache.delete(streamId);
        else this.#remember(streamId, { state: decided.state, version: decided.version });
        settle(jobs, decided.outcomes, results);
        return;
      } catch (error) {
        // The cached state already holds the events that were not recorded.
        this.#cache.delete(streamId);
        if (error instanceof AppendBatchKeyExistsError) {
          // Another instance recorded one of these keys meanwhile: one by one, the store replays it.
          for (const job of jobs) await this.#runBatch(streamId, [job]);
          return;
        }
        if (!(error instanceof WrongExpectedVersionError)) throw error;
        await pauseBeforeRetry(attempt);
      }
    }
    throw new CommandContentionError(streamId, this.#options.maxRetries + 1);
  }

  /** Decides the jobs in order, each on the state the earlier ones leave. */
  #decideAll(streamId: string, base: Folded<State>, jobs: readonly CommandJob<Command>[]) {
    let { state, version } = base;
    const appends: NewEvent[][] = [];
    const outcomes: (CommandOutcome | number)[] = [];
    for (const job of jobs) {
      if (job.expectedVersion !== undefined && job.expectedVersion !== version) {
        outcomes.push(versionMismatch(streamId, job.expectedVersion, version));
        continue;
      }
      const decision = this.#decider.decide(job.command, state);
      if (!decision.ok) outcomes.push(decision);
      else if (decision.events.length === 0) outcomes.push(unchanged(streamId, version));
      else {
        // The catalogue's schemas validate and never transform, so the state the store would
        // fold from these events is the one folded here from the decided ones.
        for (const event of decision.events) state = this.#decider.evolve(state, event);
        version += decision.events.length;
        outcomes.push(appends.length);
        appends.push(withMetadata(decision.events, job.metadata));
      }
    }
    return { state, version, appends, outcomes };
  }

  #commit(
    streamId: string,
    appends: readonly NewEvent[][],
    expectedVersion: number,
  ): Promise<AppendResult[]> {
    const [only] = appends;
    if (appends.length === 1 && only !== undefined)
      return this.#store.append(streamId, only, { expectedVersion }).then((result) => [result]);
    return this.#store.appendAll(streamId, appends, { expectedVersion });
  }
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

/** Takes the jobs of one kind from the front of the queue, at most `limit` of them. */
function takeWhile<Command, State, Kind extends Job<Command, State>['kind']>(
  queue: Job<Command, State>[],
  kind: Kind,
  limit = Number.POSITIVE_INFINITY,
): Extract<Job<Command, State>, { kind: Kind }>[] {
  const taken: Extract<Job<Command, State>, { kind: Kind }>[] = [];
  while (taken.length < limit && queue[0]?.kind === kind)
    taken.push(queue.shift() as Extract<Job<Command, State>, { kind: Kind }>);
  return taken;
}

function settle<Command>(
  jobs: readonly CommandJob<Command>[],
  outcomes: readonly (CommandOutcome | number)[],
  results: readonly AppendResult[],
): void {
  for (const [index, job] of jobs.entries()) {
    const outcome = outcomes[index];
    if (typeof outcome === 'number') {
      const append = results[outcome];
      if (append === undefined)
        job.reject(new Error('the commit returned fewer results than appends'));
      else job.resolve(recorded(append));
    } else if (outcome !== undefined) {
      job.resolve(outcome);
    }
  }
}
