import { StoreIntegrityError } from '../errors.ts';
import type { EventStore } from '../port.ts';
import {
  advanceLogState,
  type CheckpointLog,
  type CheckpointRecord,
  emptyLogState,
  type LogState,
  stateOf,
} from './checkpoint-log.ts';

/**
 * The running ledger's side of tamper evidence. At start it checks the log against the latest
 * signed checkpoint (a quick check: the log still reaches as far, and every stream still ends in
 * the event signed for it); while it runs it follows the log and signs a checkpoint of the head
 * shortly after each append. A ledger that fails the check is broken: it refuses writes (the write
 * face asks `broken()`) and signs nothing more until an operator, having looked, records an
 * acknowledgement (`bcf-ledger audit acknowledge`).
 */
export class LedgerIntegrity {
  readonly #store: EventStore;
  readonly #log: CheckpointLog;
  readonly #clock: () => Date;
  #state: LogState = emptyLogState();
  #signedPosition = -1;
  /** What the quick check against the latest checkpoint found. */
  #broken: string | undefined;
  /** What a full verification found, and how many records the checkpoint log held then. */
  #verifiedBroken: { problem: string; records: number } | undefined;
  #verification: Promise<void> | undefined;
  #checkedLogSize = -1;

  private constructor(store: EventStore, log: CheckpointLog, clock: () => Date) {
    this.#store = store;
    this.#log = log;
    this.#clock = clock;
  }

  static async open(
    store: EventStore,
    log: CheckpointLog,
    clock: () => Date,
  ): Promise<LedgerIntegrity> {
    const integrity = new LedgerIntegrity(store, log, clock);
    await integrity.#check();
    return integrity;
  }

  /** Why the ledger is broken, if it is: checked again whenever the checkpoint log has grown. */
  async broken(): Promise<string | undefined> {
    if (this.#log.size() !== this.#checkedLogSize) await this.#check();
    return this.#broken ?? this.#verifiedBroken?.problem;
  }

  /**
   * Runs a full verification of the log (the read side's) in the background: until it is done no
   * checkpoint is signed, so an altered history is never signed as if it were whole; if it finds a
   * break the ledger is broken from then on, until an operator acknowledges it.
   */
  verifyInBackground(verifyLog: () => Promise<string | undefined>): Promise<void> {
    const records = this.#log.records().length;
    this.#verification = verifyLog().then((problem) => {
      if (problem !== undefined)
        this.#verifiedBroken = {
          problem: `verification found the stored history altered: ${problem}`,
          records,
        };
    });
    return this.#verification;
  }

  /** Folds in the events since the last checkpoint and, if the log moved, signs a checkpoint. */
  async checkpoint(): Promise<CheckpointRecord | undefined> {
    await this.#verification;
    if ((await this.broken()) !== undefined) return undefined;
    await this.#foldNewEvents();
    if (this.#state.position === this.#signedPosition) return undefined;
    const record = this.#log.append(this.#state, this.#clock());
    this.#signedPosition = record.position;
    this.#checkedLogSize = this.#log.size();
    return record;
  }

  /** Signs checkpoints shortly after appends until the signal aborts, and once more at the end. */
  async follow(signal: AbortSignal, delayMs = 200): Promise<void> {
    for await (const _event of this.#store.subscribe({
      fromPosition: this.#state.position + 1,
      signal,
    })) {
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      await this.checkpoint();
    }
    await this.checkpoint();
  }

  /**
   * Records, signed, that an operator has looked into the break and accepts the log as it now
   * stands: folded afresh from its first event. Writes are accepted again afterwards.
   */
  async acknowledge(by: string, reason: string): Promise<CheckpointRecord> {
    await this.#verification;
    const acknowledgedBreak = (await this.broken()) ?? 'no break was found';
    this.#verifiedBroken = undefined;
    this.#state = emptyLogState();
    await this.#foldNewEvents();
    const record = this.#log.append(this.#state, this.#clock(), { by, reason, acknowledgedBreak });
    this.#signedPosition = record.position;
    await this.#check();
    return record;
  }

  async #check(): Promise<void> {
    this.#checkedLogSize = this.#log.size();
    const records = this.#log.records();
    const latest = records.at(-1);
    // An acknowledgement recorded since the verification ran (by the operator's command) ends it.
    const acknowledgedSince = records
      .slice(this.#verifiedBroken?.records ?? records.length)
      .some((entry) => entry.signed && entry.record.kind === 'acknowledgement');
    if (acknowledgedSince) this.#verifiedBroken = undefined;
    if (latest === undefined) {
      this.#broken = undefined;
      return;
    }
    if (!latest.signed) {
      this.#broken = `the latest checkpoint (line ${latest.line} of ${this.#log.path}) is not signed by a trusted key`;
      return;
    }
    this.#broken = await quickCheck(this.#store, latest.record);
    if (this.#broken === undefined && latest.record.position >= this.#state.position) {
      this.#state = stateOf(latest.record);
      this.#signedPosition = latest.record.position;
    }
  }

  async #foldNewEvents(): Promise<void> {
    for (let from = this.#state.position + 1; ; ) {
      const page = await this.#store.readAll(from, { limit: 1_000 });
      for (const event of page.events) advanceLogState(this.#state, event);
      if (page.endOfLog) return;
      from = Math.max(page.nextPosition, this.#state.position + 1);
    }
  }
}

/** The log still reaches the checkpoint's position, and each stream still ends in its signed event. */
async function quickCheck(
  store: EventStore,
  record: CheckpointRecord,
): Promise<string | undefined> {
  const head = await store.headPosition();
  if (head < record.position)
    return `the log ends at position ${head}, but the checkpoint signed at ${record.at} saw it reach ${record.position}: events were removed from its end`;
  try {
    for (const [streamId, version, hash] of record.streams) {
      const [event] = await store.readStream(streamId, { fromVersion: version, limit: 1 });
      if (event === undefined)
        return `stream "${streamId}" no longer has the ${version} events the checkpoint signed at ${record.at} saw`;
      if (event.hash !== hash)
        return `version ${version} of stream "${streamId}" is not the event signed at ${record.at}: the stream was rewritten`;
    }
  } catch (error) {
    if (error instanceof StoreIntegrityError) return error.message;
    throw error;
  }
  return undefined;
}
