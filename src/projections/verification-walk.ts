import type { Quarter } from '../events/catalogue/index.ts';
import type { RecordedEvent } from '../events/envelope.ts';
import {
  advanceLogState,
  type CheckpointRecord,
  emptyLogState,
  type LogState,
} from '../events/store/evidence/checkpoint-log.ts';
import { appendDigest, eventHash, GENESIS_HASH } from '../events/store/integrity.ts';
import type { EventStore } from '../events/store/port.ts';

/**
 * The walk of verification through the log, one event at a time: each event's place and chain,
 * its append's record and content, the rules approvals keep, and the signed checkpoints it passes.
 */
export function startWalk(
  store: EventStore,
  options: { readonly densePositions: boolean; readonly chainKey?: Buffer },
  checkpoints: readonly CheckpointRecord[],
): LogWalk {
  return new LogWalk(store, options, checkpoints);
}

/** A quarter or year close met on the walk, to be recomputed once the whole log has been checked. */
export interface Close {
  readonly position: number;
  readonly streamId: string;
  readonly streamVersion: number;
  readonly poolId: string;
  readonly year: string;
  /** The quarter closed; null for the close of the year. */
  readonly quarter: Quarter | null;
  readonly reportDigest: string;
  readonly ledgerVersion: number;
  readonly poolVersion: number;
}

export class LogWalk {
  readonly streams = new Map<string, { version: number; hash: string }>();
  readonly closes: Close[] = [];
  checked = 0;
  last = 0;
  readonly #store: EventStore;
  readonly #dense: boolean;
  readonly #chainKey: Buffer | undefined;
  readonly #checkpoints: readonly CheckpointRecord[];
  readonly #log: LogState = emptyLogState();
  readonly #appends = new Map<
    string,
    { events: RecordedEvent[]; eventCount: number; contentDigest: string }
  >();
  #nextCheckpoint = 0;

  constructor(
    store: EventStore,
    options: { readonly densePositions: boolean; readonly chainKey?: Buffer },
    checkpoints: readonly CheckpointRecord[],
  ) {
    this.#store = store;
    this.#dense = options.densePositions;
    this.#chainKey = options.chainKey;
    this.#checkpoints = [...checkpoints].sort((a, b) => a.position - b.position);
  }

  /** Checks one event; the problem, or undefined when it holds. */
  async check(event: RecordedEvent): Promise<string | undefined> {
    const problem =
      this.#checkPosition(event) ??
      this.#checkChain(event) ??
      (await this.#checkAppend(event)) ??
      checkApproval(event) ??
      this.#checkCheckpoints(event);
    if (problem !== undefined) return problem;
    this.streams.set(event.streamId, { version: event.streamVersion, hash: event.hash });
    if (event.type === 'QuarterClosed.v1' || event.type === 'YearClosed.v1')
      this.closes.push(closeOf(event));
    this.last = event.globalPosition;
    this.checked += 1;
    return undefined;
  }

  /** An append whose record promised more events than the log holds. */
  unfinishedAppend(): string | undefined {
    for (const [key, append] of this.#appends) {
      return `the append recorded under "${key}" holds ${append.eventCount} events, but only ${append.events.length} are in the log`;
    }
    return undefined;
  }

  #checkPosition(event: RecordedEvent): string | undefined {
    if (event.globalPosition <= this.last)
      return `its position ${event.globalPosition} does not follow ${this.last}`;
    if (this.#dense && event.globalPosition !== this.last + 1)
      return `positions ${this.last + 1} to ${event.globalPosition - 1} are missing: events were removed`;
    return undefined;
  }

  #checkChain(event: RecordedEvent): string | undefined {
    const previous = this.streams.get(event.streamId) ?? { version: 0, hash: GENESIS_HASH };
    if (event.streamVersion !== previous.version + 1)
      return `it is version ${event.streamVersion} of "${event.streamId}", but the stream was at version ${previous.version}`;
    if (event.previousHash !== previous.hash)
      return `its previous-hash does not match the hash of version ${previous.version} of "${event.streamId}"`;
    if (eventHash(event, this.#chainKey) !== event.hash)
      return 'its content does not match its hash: it was changed after it was recorded';
    return undefined;
  }

  /**
   * The store's record of the append names where its events went, and the digest of what it
   * recorded: each event must be there, and the append's events together must give the digest.
   */
  async #checkAppend(event: RecordedEvent): Promise<string | undefined> {
    const key = event.metadata.idempotencyKey;
    const append = await this.#store.findAppend(key);
    if (append === undefined)
      return `no append was recorded under its idempotency key "${key}": it was inserted`;
    const firstVersion = append.streamVersion - append.eventCount + 1;
    const inRange =
      append.streamId === event.streamId &&
      event.streamVersion >= firstVersion &&
      event.streamVersion <= append.streamVersion &&
      // Where positions are dense, an append's events sit at consecutive positions.
      (!this.#dense ||
        event.globalPosition - append.firstPosition === event.streamVersion - firstVersion);
    if (!inRange)
      return `its append was recorded as "${append.streamId}" versions ${firstVersion} to ${append.streamVersion} at positions ${append.firstPosition} to ${append.lastPosition}: the event was moved`;
    const gathered = this.#appends.get(key) ?? {
      events: [],
      eventCount: append.eventCount,
      contentDigest: append.contentDigest,
    };
    gathered.events.push(event);
    this.#appends.set(key, gathered);
    if (gathered.events.length < gathered.eventCount) return undefined;
    this.#appends.delete(key);
    if (appendDigest(event.streamId, gathered.events) === gathered.contentDigest) return undefined;
    return `the record of its append under "${key}" does not hold the digest of the events it recorded: the record or the events were changed`;
  }

  /** At each signed checkpoint's position, the running digest of the log is the one signed. */
  #checkCheckpoints(event: RecordedEvent): string | undefined {
    advanceLogState(this.#log, event);
    for (;;) {
      const record = this.#checkpoints[this.#nextCheckpoint];
      if (record === undefined || record.position > event.globalPosition) return undefined;
      this.#nextCheckpoint += 1;
      if (record.position < event.globalPosition)
        return `the checkpoint signed at ${record.at} names position ${record.position}, which the log no longer holds`;
      if (record.logDigest !== this.#log.logDigest || record.events !== this.#log.events)
        return `the log up to here is not the log the checkpoint signed at ${record.at} saw (${record.events} events, digest ${record.logDigest.slice(0, 12)}…): it was rewritten`;
    }
  }
}

const APPROVALS = new Set([
  'VirementApproved.v1',
  'ContributionVaried.v1',
  'QuarterClosed.v1',
  'YearClosed.v1',
]);
const CFO_ONLY = new Set([...APPROVALS, 'YearEndOutturnDetermined.v1', 'RiskShareApplied.v1']);

/** An approval was made by the approver it names, who holds the role and is not the requester. */
function checkApproval(event: RecordedEvent): string | undefined {
  if (CFO_ONLY.has(event.type) && event.metadata.actor.role !== 'cfo')
    return `it was recorded by ${event.metadata.actor.id} as ${event.metadata.actor.role}, but only the CFO group's approver may`;
  if (!APPROVALS.has(event.type)) return undefined;
  const data = event.data as { requestedBy: string; approvedBy: string };
  if (event.metadata.actor.id !== data.approvedBy)
    return `it names ${data.approvedBy} as approver, but was recorded by ${event.metadata.actor.id}`;
  if (data.approvedBy === data.requestedBy)
    return `it was requested and approved by the same person, ${data.approvedBy}`;
  return undefined;
}

function closeOf(event: RecordedEvent): Close {
  const data = event.data as Omit<Close, 'position' | 'streamId' | 'streamVersion'>;
  return {
    position: event.globalPosition,
    streamId: event.streamId,
    streamVersion: event.streamVersion,
    poolId: data.poolId,
    year: data.year,
    quarter: data.quarter ?? null,
    reportDigest: data.reportDigest,
    ledgerVersion: data.ledgerVersion,
    poolVersion: data.poolVersion,
  };
}
