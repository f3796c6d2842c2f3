import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  statSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { canonicalJson } from '../../canonical-json.ts';
import type { RecordedEvent } from '../../envelope.ts';
import type { SigningKeys } from './signing-keys.ts';

/**
 * Signed checkpoints of the log, appended to a file of their own, away from the event store's:
 * each says how far the log reached (its last position and event count), a running digest of every
 * event hash in log order up to there, and the version and last hash of every stream. A history
 * rewritten below a checkpoint (an event edited, removed, inserted or moved, even with every hash
 * chain recomputed) no longer reproduces its digest or its streams' hashes, and the signature
 * cannot be made again without the signing key. An operator who has looked into a break records an
 * acknowledgement, a checkpoint of the log as it now stands with who and why.
 */
export interface LogState {
  /** The position of the last event folded in; 0 before the first. */
  position: number;
  events: number;
  /** SHA-256 over the previous digest, each event's position and its hash, in log order. */
  logDigest: string;
  streams: Map<string, { version: number; hash: string }>;
}

export interface CheckpointRecord {
  readonly kind: 'checkpoint' | 'acknowledgement';
  readonly position: number;
  readonly events: number;
  readonly logDigest: string;
  /** [stream id, version, hash of its last event], sorted by stream id. */
  readonly streams: readonly (readonly [string, number, string])[];
  readonly at: string;
  /** For an acknowledgement: who, why, and the break that was acknowledged. */
  readonly by?: string;
  readonly reason?: string;
  readonly acknowledgedBreak?: string;
  readonly keyId: string;
  readonly signature: string;
}

export const START_DIGEST = '0'.repeat(64);

export function emptyLogState(): LogState {
  return { position: 0, events: 0, logDigest: START_DIGEST, streams: new Map() };
}

/** Folds one event into the state: the running digest and its stream's tip. */
export function advanceLogState(state: LogState, event: RecordedEvent): void {
  state.logDigest = createHash('sha256')
    .update(`${state.logDigest}:${event.globalPosition}:${event.hash}`)
    .digest('hex');
  state.position = event.globalPosition;
  state.events += 1;
  state.streams.set(event.streamId, { version: event.streamVersion, hash: event.hash });
}

export function stateOf(record: CheckpointRecord): LogState {
  return {
    position: record.position,
    events: record.events,
    logDigest: record.logDigest,
    streams: new Map(
      record.streams.map(([streamId, version, hash]) => [streamId, { version, hash }]),
    ),
  };
}

/** A record read back, and whether a trusted key signed exactly it. */
export interface ReadRecord {
  readonly record: CheckpointRecord;
  readonly signed: boolean;
  readonly line: number;
}

export class CheckpointLog {
  readonly #path: string;
  readonly #keys: SigningKeys;

  constructor(path: string, keys: SigningKeys) {
    this.#path = path;
    this.#keys = keys;
  }

  get path(): string {
    return this.#path;
  }

  /** Every record in the file, in order, each with whether its signature verifies. */
  records(): ReadRecord[] {
    if (!existsSync(this.#path)) return [];
    return readFileSync(this.#path, 'utf8')
      .split('\n')
      .flatMap((text, index) => (text.trim() === '' ? [] : [{ text, line: index + 1 }]))
      .map(({ text, line }) => {
        let record: CheckpointRecord;
        try {
          record = JSON.parse(text) as CheckpointRecord;
        } catch {
          return { record: { kind: 'checkpoint' } as CheckpointRecord, signed: false, line };
        }
        const { signature, ...signedPart } = record;
        const signed =
          typeof signature === 'string' &&
          this.#keys.verify(canonicalJson(signedPart), record.keyId, signature);
        return { record, signed, line };
      });
  }

  /** The file's size: a cheap sign that someone appended (an acknowledgement, say). */
  size(): number {
    return existsSync(this.#path) ? statSync(this.#path).size : 0;
  }

  /** Signs and appends a record of the state, synced to disk before it returns. */
  append(
    state: LogState,
    at: Date,
    acknowledgement?: { by: string; reason: string; acknowledgedBreak: string },
  ): CheckpointRecord {
    const unsigned = {
      kind: acknowledgement === undefined ? 'checkpoint' : 'acknowledgement',
      position: state.position,
      events: state.events,
      logDigest: state.logDigest,
      streams: [...state.streams]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([streamId, tip]) => [streamId, tip.version, tip.hash] as const),
      at: at.toISOString(),
      ...acknowledgement,
      keyId: this.#keys.keyId,
    };
    const record = {
      ...unsigned,
      signature: this.#keys.sign(canonicalJson(unsigned)),
    } as CheckpointRecord;
    mkdirSync(dirname(this.#path), { recursive: true });
    const descriptor = openSync(this.#path, 'a', 0o644);
    try {
      writeSync(descriptor, `${JSON.stringify(record)}\n`);
      fsyncSync(descriptor);
    } finally {
      closeSync(descriptor);
    }
    return record;
  }
}
