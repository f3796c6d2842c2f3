import { ledgerStreamId } from '../events/catalogue/index.ts';
import type { EventMetadata, NewEvent } from '../events/envelope.ts';
import { AppendBatchKeyExistsError, WrongExpectedVersionError } from '../events/store/errors.ts';
import type { EventStore } from '../events/store/port.ts';
import type { LedgerCommandInput } from './command-router.ts';
import type { DomainError } from './decider.ts';
import { emptyFold, foldStream, pauseBeforeRetry } from './handler/command-handler.ts';
import type { LedgerCommand } from './ledger/ledger-commands.ts';
import { ledgerDecider } from './ledger/ledger-decider.ts';
import type { LedgerState } from './ledger/ledger-state.ts';
import type { PoolState } from './pool/pool-state.ts';

/**
 * Many ledger commands recorded in a few durable commits: an import's thousands of invoices. Each
 * stream's commands are decided in order on the state the earlier ones leave, a chunk at a time;
 * a chunk is appended in one atomic write (each command its own append, under its own idempotency
 * key), so a crash leaves a chunk whole or absent, never half. A command refused stops the batch
 * before its chunk is written. A command already recorded under its key (an import run again)
 * changes nothing. If another writer gets in first, the chunk is decided again on the new state.
 */
export interface LedgerBatchCommand {
  /** The command's key, scoped to the caller; with the digest, what a retry is known by. */
  readonly scopedKey: string;
  readonly digest: string;
  readonly command: LedgerCommandInput;
}

export type BatchCommandOutcome =
  | { readonly kind: 'recorded' }
  | { readonly kind: 'unchanged' }
  | { readonly kind: 'refused'; readonly error: DomainError }
  | { readonly kind: 'not-attempted' };

export interface BatchRecorded {
  /** By the commands' places in the batch. */
  readonly outcomes: readonly BatchCommandOutcome[];
  readonly eventsRecorded: number;
  /** How many atomic writes it took. */
  readonly commits: number;
}

export interface BatchOptions {
  /** Commands per atomic write. */
  readonly chunkSize: number;
  readonly metadata: (command: LedgerBatchCommand) => EventMetadata;
  readonly poolState: (poolId: string) => Promise<PoolState>;
  /** Told after each commit how many of the batch's commands are done. */
  readonly onCommitted?: (done: number) => void;
}

const MAX_ATTEMPTS = 8;

export async function recordLedgerBatch(
  store: EventStore,
  commands: readonly LedgerBatchCommand[],
  options: BatchOptions,
): Promise<BatchRecorded> {
  const outcomes: BatchCommandOutcome[] = commands.map(() => ({ kind: 'not-attempted' }));
  const totals = { events: 0, commits: 0, done: 0 };
  for (const [streamId, indexes] of byStream(commands)) {
    const poolId = commands[indexes[0] ?? 0]?.command.poolId ?? '';
    const pool = await options.poolState(poolId);
    let folded = await foldStream(store, ledgerDecider, streamId, emptyFold(ledgerDecider));
    for (let start = 0; start < indexes.length; start += options.chunkSize) {
      const chunk = indexes.slice(start, start + options.chunkSize);
      const written = await writeChunk(store, streamId, chunk, {
        commands,
        pool,
        folded,
        options,
        outcomes,
      });
      if (written === 'refused')
        return { outcomes, eventsRecorded: totals.events, commits: totals.commits };
      folded = written.folded;
      totals.events += written.events;
      totals.commits += written.events > 0 ? 1 : 0;
      totals.done += chunk.length;
      options.onCommitted?.(totals.done);
    }
  }
  return { outcomes, eventsRecorded: totals.events, commits: totals.commits };
}

function byStream(commands: readonly LedgerBatchCommand[]): Map<string, number[]> {
  const streams = new Map<string, number[]>();
  for (const [index, { command }] of commands.entries()) {
    const streamId = ledgerStreamId(command.poolId, command.year);
    const indexes = streams.get(streamId) ?? [];
    indexes.push(index);
    streams.set(streamId, indexes);
  }
  return streams;
}

interface ChunkContext {
  readonly commands: readonly LedgerBatchCommand[];
  readonly pool: PoolState;
  readonly folded: { state: LedgerState; version: number };
  readonly options: BatchOptions;
  readonly outcomes: BatchCommandOutcome[];
}

/** Decides a chunk and writes it atomically, again on fresh state if the stream moved meanwhile. */
async function writeChunk(
  store: EventStore,
  streamId: string,
  chunk: readonly number[],
  context: ChunkContext,
): Promise<{ folded: { state: LedgerState; version: number }; events: number } | 'refused'> {
  let folded = context.folded;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const decided = await decideChunk(store, chunk, folded.state, context);
    if (decided === 'refused') return 'refused';
    if (decided.appends.length === 0) return { folded, events: 0 };
    try {
      const results = await store.appendAll(streamId, decided.appends, {
        expectedVersion: folded.version,
      });
      const version = results.at(-1)?.streamVersion ?? folded.version;
      for (const index of decided.recorded) context.outcomes[index] = { kind: 'recorded' };
      return { folded: { state: folded.state, version }, events: decided.eventCount };
    } catch (error) {
      if (
        !(error instanceof WrongExpectedVersionError || error instanceof AppendBatchKeyExistsError)
      )
        throw error;
      await pauseBeforeRetry(attempt);
      folded = await foldStream(store, ledgerDecider, streamId, emptyFold(ledgerDecider));
    }
  }
  throw new Error(
    `"${streamId}" kept changing under an import; nothing more was recorded, run it again`,
  );
}

/**
 * Each command of the chunk decided on the state the earlier ones leave (the state is changed in
 * place: on a failed write the caller folds it afresh).
 */
async function decideChunk(
  store: EventStore,
  chunk: readonly number[],
  state: LedgerState,
  context: ChunkContext,
): Promise<{ appends: NewEvent[][]; recorded: number[]; eventCount: number } | 'refused'> {
  const appends: NewEvent[][] = [];
  const recorded: number[] = [];
  let eventCount = 0;
  for (const index of chunk) {
    const batchCommand = context.commands[index];
    if (batchCommand === undefined) continue;
    const command = { ...batchCommand.command, pool: context.pool } as LedgerCommand;
    const decision = ledgerDecider.decide(command, state);
    if (!decision.ok) {
      if (
        decision.error.code === 'duplicate-id' &&
        (await store.findAppend(batchCommand.scopedKey)) !== undefined
      ) {
        context.outcomes[index] = { kind: 'unchanged' };
        continue;
      }
      context.outcomes[index] = { kind: 'refused', error: decision.error };
      return 'refused';
    }
    if (decision.events.length === 0) {
      context.outcomes[index] = { kind: 'unchanged' };
      continue;
    }
    const metadata = context.options.metadata(batchCommand);
    for (const event of decision.events) ledgerDecider.evolve(state, event);
    appends.push(
      decision.events.map((event) => ({ type: event.type, data: event.data, metadata })),
    );
    recorded.push(index);
    eventCount += decision.events.length;
  }
  return { appends, recorded, eventCount };
}
