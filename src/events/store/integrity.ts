import { createHash, createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import { canonicalJson } from '../canonical-json.ts';
import type { EventCatalogue } from '../catalogue.ts';
import {
  EVENT_TYPE_PATTERN,
  type EventMetadata,
  eventMetadataSchema,
  type NewEvent,
} from '../envelope.ts';
import { InvalidAppendError, WrongExpectedVersionError } from './errors.ts';
import {
  type AppendOptions,
  type ExpectedVersion,
  STORE_LIMITS,
  STREAM_ID_PATTERN,
} from './port.ts';

/**
 * What every adapter does the same way: validating an append, the canonical form an event is
 * hashed over, the hash chain, and the ids derived from an idempotency key.
 */

/** The previousHash of the first event of every stream. */
export const GENESIS_HASH = '0'.repeat(64);
export { canonicalJson };

export interface HashedFields {
  readonly streamId: string;
  readonly streamVersion: number;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: EventMetadata;
  readonly previousHash: string;
}

/**
 * The event's own hash over the canonical form of its stream, place in the stream, type, data,
 * metadata and the previous event's hash. Changing any of them, or moving the event, breaks this
 * hash or the next event's previousHash. With a chain key it is an HMAC-SHA256 under that key (the
 * ledger's own: see events/store/evidence/chain-key.ts), so someone who can rewrite the store's
 * file but has not the key cannot make a rewritten event's chain whole again; without one (tests,
 * tools) it is SHA-256.
 */
export function eventHash(fields: HashedFields, chainKey?: ChainKey): string {
  const canonical = canonicalJson({
    streamId: fields.streamId,
    streamVersion: fields.streamVersion,
    type: fields.type,
    data: fields.data,
    metadata: fields.metadata,
    previousHash: fields.previousHash,
  });
  return chainKey === undefined
    ? createHash('sha256').update(canonical).digest('hex')
    : createHmac('sha256', keyObjectOf(chainKey)).update(canonical).digest('hex');
}

const keyObjects = new WeakMap<Buffer, KeyObject>();

/**
 * The key as a KeyObject, made once: an HMAC given raw bytes prepares a key every time, which
 * costs several times the hashing of an event.
 */
export function keyObjectOf(key: Buffer): KeyObject {
  let made = keyObjects.get(key);
  if (made === undefined) {
    made = createSecretKey(key);
    keyObjects.set(key, made);
  }
  return made;
}

/** The secret the hash chain is keyed with; undefined for an unkeyed (SHA-256) chain. */
export type ChainKey = Buffer | undefined;

/** A 31-bit mark of the chain key (0 for none), for a store to remember which key it was written with. */
export function chainKeyMark(chainKey: ChainKey): number {
  if (chainKey === undefined) return 0;
  const digest = createHash('sha256').update('chain-key-mark').update(chainKey).digest();
  return digest.readUInt32BE(0) & 0x7fffffff || 1;
}

/**
 * A name-based UUID (version 5, RFC 9562) for the index-th event of the append made under an
 * idempotency key. A retried append therefore carries the same event ids as the first one.
 */
export function deriveEventId(idempotencyKey: string, index: number): string {
  const bytes = createHash('sha1')
    .update(EVENT_ID_NAMESPACE)
    .update(`${idempotencyKey}\u0000${index}`)
    .digest();
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** The namespace UUID of the ledger's event ids, as its sixteen bytes. */
const EVENT_ID_NAMESPACE = Buffer.from('6f1c2f0e8b5d4c7aa1e93b0d5c4f2a17', 'hex');

/** A digest of what an append asks to record, to tell a retry from a different request under the same key. */
export function appendDigest(
  streamId: string,
  events: readonly { type: string; data: unknown }[],
): string {
  const content = canonicalJson({
    streamId,
    events: events.map((event) => ({ type: event.type, data: event.data })),
  });
  return createHash('sha256').update(content).digest('hex');
}

export interface ValidatedAppend {
  readonly idempotencyKey: string;
  readonly events: readonly NewEvent[];
  readonly digest: string;
}

/** Checks an append against the envelope, the catalogue and the store's limits, before any write. */
export function validateAppend(
  catalogue: EventCatalogue,
  streamId: string,
  events: readonly NewEvent[],
  options: AppendOptions,
): ValidatedAppend {
  validateStreamId(streamId);
  validateExpectedVersion(options.expectedVersion);
  if (events.length === 0) throw new InvalidAppendError('an append needs at least one event');
  if (events.length > STORE_LIMITS.maxEventsPerAppend) {
    throw new InvalidAppendError(
      `an append may hold at most ${STORE_LIMITS.maxEventsPerAppend} events, not ${events.length}`,
    );
  }
  const validated = events.map((event, index) => validateEvent(catalogue, event, index));
  const idempotencyKey = validated[0]?.metadata.idempotencyKey ?? '';
  for (const [index, event] of validated.entries()) {
    if (event.metadata.idempotencyKey !== idempotencyKey) {
      throw new InvalidAppendError(
        `event ${index + 1} carries idempotency key "${event.metadata.idempotencyKey}", but the append's is "${idempotencyKey}"`,
      );
    }
  }
  return { idempotencyKey, events: validated, digest: appendDigest(streamId, validated) };
}

export function validateStreamId(streamId: string): void {
  if (
    streamId.length === 0 ||
    streamId.length > STORE_LIMITS.maxStreamIdLength ||
    !STREAM_ID_PATTERN.test(streamId)
  ) {
    throw new InvalidAppendError(
      `"${streamId.slice(0, 60)}" is not a stream id: use 1 to ${STORE_LIMITS.maxStreamIdLength} letters, digits, '.', '_', ':' or '-'`,
    );
  }
}

function validateExpectedVersion(expectedVersion: AppendOptions['expectedVersion']): void {
  if (
    typeof expectedVersion === 'number' &&
    !(Number.isSafeInteger(expectedVersion) && expectedVersion >= 0)
  ) {
    throw new InvalidAppendError(
      `expected version ${expectedVersion} is not a whole number of events`,
    );
  }
}

function validateEvent(catalogue: EventCatalogue, event: NewEvent, index: number): NewEvent {
  if (!EVENT_TYPE_PATTERN.test(event.type)) {
    throw new InvalidAppendError(
      `event ${index + 1}: "${event.type}" is not a versioned event type such as "SpendRecorded.v1"`,
    );
  }
  const data = catalogue.parse(event.type, event.data);
  if (!data.ok) throw new InvalidAppendError(`event ${index + 1}: ${data.message}`);
  const metadata = eventMetadataSchema.safeParse(event.metadata);
  if (!metadata.success) {
    const issues = metadata.error.issues
      .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
      .join('; ');
    throw new InvalidAppendError(`event ${index + 1}: its metadata is not valid: ${issues}`);
  }
  return { type: event.type, data: data.data, metadata: metadata.data };
}

export type ChainVerdict =
  | { readonly ok: true; readonly eventCount: number }
  | { readonly ok: false; readonly streamVersion: number; readonly problem: string };

/**
 * Walks one stream's events in order and checks that they are numbered 1, 2, 3..., that each
 * names the hash of the one before it, and that each one's hash matches its content. Returns the
 * first break.
 */
export function verifyStreamChain(
  events: Iterable<
    Pick<HashedFields, 'streamId' | 'type' | 'data' | 'metadata' | 'previousHash'> & {
      streamVersion: number;
      hash: string;
    }
  >,
  chainKey?: ChainKey,
): ChainVerdict {
  let expectedPrevious = GENESIS_HASH;
  let expectedVersion = 1;
  for (const event of events) {
    if (event.streamVersion !== expectedVersion) {
      return {
        ok: false,
        streamVersion: expectedVersion,
        problem: `version ${expectedVersion} is missing; found ${event.streamVersion} in its place`,
      };
    }
    if (event.previousHash !== expectedPrevious) {
      return {
        ok: false,
        streamVersion: event.streamVersion,
        problem: 'its previous-hash does not match the hash of the event before it',
      };
    }
    if (eventHash(event, chainKey) !== event.hash) {
      return {
        ok: false,
        streamVersion: event.streamVersion,
        problem: 'its content does not match its hash',
      };
    }
    expectedPrevious = event.hash;
    expectedVersion += 1;
  }
  return { ok: true, eventCount: expectedVersion - 1 };
}

/** The stream is at the version the append expects, or the append is refused. */
export function checkExpectedVersion(
  streamId: string,
  expected: ExpectedVersion,
  actual: number,
): void {
  if (expected === 'any') return;
  const wanted = expected === 'no-stream' ? 0 : expected;
  if (wanted !== actual) throw new WrongExpectedVersionError(streamId, expected, actual);
}

/** The page size asked for, within the store's limits; a size beyond them is refused. */
export function pageSize(limit: number | undefined): number {
  const size = limit ?? STORE_LIMITS.defaultPageSize;
  if (!Number.isSafeInteger(size) || size < 1 || size > STORE_LIMITS.maxPageSize) {
    throw new InvalidAppendError(
      `a page holds 1 to ${STORE_LIMITS.maxPageSize} events, not ${size}`,
    );
  }
  return size;
}
