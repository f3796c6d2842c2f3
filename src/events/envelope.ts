import { z } from 'zod';

/**
 * The envelope every event travels in. The event's own data is defined per type in the
 * catalogue; the metadata below is the same for every event and says who caused it, when it
 * was recorded and why.
 */

/** A versioned event type name: `SpendRecorded.v1`. A published version never changes. */
export const EVENT_TYPE_PATTERN = /^[A-Z][A-Za-z0-9]*\.v[1-9][0-9]*$/;

export const ACTOR_ROLES = ['finance-officer', 'cfo', 'auditor', 'admin', 'system'] as const;
export type ActorRole = (typeof ACTOR_ROLES)[number];

const identifier = z.string().min(1).max(200);

/** recorded-at is server time in UTC with milliseconds, the form Date.toISOString writes. */
export const recordedAtString = z.iso.datetime({ precision: 3, offset: false });

export const eventMetadataSchema = z.strictObject({
  actor: z.strictObject({ id: identifier, role: z.enum(ACTOR_ROLES) }),
  /** The token or session the actor used; absent for the system's own events (and older ones). */
  credentialId: identifier.optional(),
  recordedAt: recordedAtString,
  correlationId: identifier,
  causationId: identifier,
  idempotencyKey: identifier,
  /** SHA-256 of the request that caused the event, to tell a retry from another request under the same key. */
  requestDigest: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
  reason: z.string().min(1).max(2000).optional(),
});
export type EventMetadata = z.infer<typeof eventMetadataSchema>;

/** An event as a decider emits it: a type and its data, before the envelope is added. */
export interface DomainEvent<Type extends string = string, Data = unknown> {
  readonly type: Type;
  readonly data: Data;
}

/** An event ready to append: the domain event plus its metadata. */
export interface NewEvent<Type extends string = string, Data = unknown>
  extends DomainEvent<Type, Data> {
  readonly metadata: EventMetadata;
}

/** An event as the store holds it, with its place in the stream and in the whole log. */
export interface RecordedEvent<Type extends string = string, Data = unknown>
  extends NewEvent<Type, Data> {
  readonly eventId: string;
  readonly streamId: string;
  /** 1 for the first event of a stream; equals the stream's version once the event is appended. */
  readonly streamVersion: number;
  /** 1 for the first event ever appended; dense and in commit order. */
  readonly globalPosition: number;
  readonly previousHash: string;
  readonly hash: string;
}
