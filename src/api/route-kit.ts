import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { CommandOutcome } from '../commands/command-handler.ts';
import type { LedgerService } from '../commands/ledger-service.ts';
import type { LedgerConfig } from '../config.ts';
import type { UserRole } from '../events/catalogue/index.ts';
import type { EventMetadata } from '../events/envelope.ts';
import type { EventStore } from '../events/store/port.ts';
import type { PoolView } from '../projections/pool-view.ts';
import { type IdempotencyRecords, requestDigest, scopedKey } from './idempotency.ts';
import type { Permission } from './permissions.ts';
import { type Problem, problem } from './problems.ts';

/**
 * The pieces every route is made of: a declarative spec (method, URL, permission, schemas), and
 * helpers that run a command idempotently or read a view, returning a reply or a problem.
 */
export interface Caller {
  readonly userId: string;
  readonly role: UserRole;
  readonly pools: '*' | readonly string[];
}

export interface ReadModel {
  catchUp(): Promise<number>;
  poolView(poolId: string): PoolView | undefined;
  poolIds(): string[];
  auditTrail: import('../projections/projection-runner.ts').ProjectionRunner['auditTrail'];
  readonly checkpoint: number;
  behind: import('../projections/projection-runner.ts').ProjectionRunner['behind'];
}

export interface ApiDependencies {
  readonly service: LedgerService;
  readonly store: EventStore;
  readonly readModel: ReadModel;
  readonly idempotency: IdempotencyRecords;
  readonly config: LedgerConfig;
  readonly clock: () => Date;
}

export interface Call<Params, Query, Body> {
  readonly params: Params;
  readonly query: Query;
  readonly body: Body;
  readonly caller: Caller;
  readonly deps: ApiDependencies;
  readonly request: FastifyRequest;
  /** Scoped idempotency keys of the requests this app instance is processing now. */
  readonly inFlight: Set<string>;
}

export interface Reply {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export type Outcome = Reply | Problem;

export type RouteScope = 'pool' | 'all-pools' | 'none';

export interface RouteSpec {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly permission: Permission | 'public';
  /**
   * Which pools the caller's scope must cover: the one named in the path ('pool'), every pool
   * ('all-pools', for views across pools), or none.
   */
  readonly scope: RouteScope;
  readonly summary: string;
  readonly tags: readonly string[];
  readonly schema: {
    readonly params?: z.ZodType;
    readonly querystring?: z.ZodType;
    readonly body?: z.ZodType;
    readonly response: Readonly<Record<number, z.ZodType>>;
  };
  readonly handle: (call: Call<never, never, never>) => Promise<Outcome>;
}

/** A route spec whose handler sees its own schemas' types. */
export function route<Params = unknown, Query = unknown, Body = unknown>(spec: {
  method: 'GET' | 'POST';
  url: string;
  permission: Permission | 'public';
  scope: RouteScope;
  summary: string;
  tags: readonly string[];
  schema: {
    params?: z.ZodType<Params>;
    querystring?: z.ZodType<Query>;
    body?: z.ZodType<Body>;
    response: Readonly<Record<number, z.ZodType>>;
  };
  handle: (call: Call<Params, Query, Body>) => Promise<Outcome>;
}): RouteSpec {
  return spec as unknown as RouteSpec;
}

export function isProblem(outcome: Outcome): outcome is Problem {
  return (
    'type' in outcome &&
    'detail' in outcome &&
    typeof (outcome as Problem).status === 'number' &&
    !('body' in outcome)
  );
}

type StreamKind = 'pool' | 'ledger' | 'access';

/** The ETag of a stream version: `"p7"` for a pool's stream, `"l42"` for a year's ledger. */
export function etag(kind: StreamKind, version: number): string {
  return `"${kind.charAt(0)}${version}"`;
}

/** The version an If-Match header names for this kind of stream; a problem if it names another. */
export function expectedVersionFrom(
  request: FastifyRequest,
  kind: StreamKind,
): number | Problem | undefined {
  const header = request.headers['if-match'];
  if (header === undefined) return undefined;
  const match = /^"([pla])([0-9]{1,15})"$/.exec(String(header).trim());
  if (match === null || match[1] !== kind.charAt(0)) {
    return problem(
      'precondition-failed',
      `If-Match ${String(header)} is not an ETag of this resource; read it again and use its ETag`,
    );
  }
  return Number(match[2]);
}

/**
 * Runs a command for the caller, idempotently: a repeated Idempotency-Key with the same request
 * replays the original answer; with another request it is refused; while the first is still
 * being processed a second is refused with 409.
 */
export async function runCommand(
  call: Call<unknown, unknown, unknown>,
  kind: StreamKind,
  execute: (
    metadata: EventMetadata,
    expectedVersion: number | undefined,
  ) => Promise<CommandOutcome | Problem>,
): Promise<Outcome> {
  const { request, deps, caller, inFlight } = call;
  const key = scopedKey(caller.userId, String(request.headers['idempotency-key']));
  const digest = requestDigest(request.method, request.url.split('?')[0] ?? request.url, call.body);
  if (inFlight.has(key))
    return problem(
      'idempotency-key-in-flight',
      'a request with this Idempotency-Key is still being processed; wait for its answer',
    );
  inFlight.add(key);
  try {
    const replay = await findEarlierAnswer(deps, key, digest, kind);
    if (replay !== undefined) return replay;
    const expectedVersion = expectedVersionFrom(request, kind);
    if (typeof expectedVersion === 'object') return expectedVersion;
    const metadata: EventMetadata = {
      actor: { id: caller.userId, role: caller.role },
      recordedAt: deps.clock().toISOString(),
      correlationId: String(request.headers['x-correlation-id'] ?? request.id).slice(0, 200),
      causationId: request.id,
      idempotencyKey: key,
      requestDigest: digest,
    };
    const outcome = await execute(metadata, expectedVersion);
    if ('type' in outcome && 'detail' in outcome) return outcome;
    const answer = answerFor(outcome, kind);
    // An answer that recorded events is found again from them (they carry the key and the
    // request's digest); the others (refusals, no-ops) are kept here. A failed precondition says
    // nothing about the request itself: a retry with a fresh If-Match is decided, not replayed.
    const recorded = outcome.ok && outcome.append !== undefined;
    if (!recorded && answer.status !== 412) {
      deps.idempotency.save({
        scopedKey: key,
        requestDigest: digest,
        status: answer.status,
        body: isProblem(answer) ? answer : answer.body,
      });
    }
    return answer;
  } finally {
    inFlight.delete(key);
  }
}

async function findEarlierAnswer(
  deps: ApiDependencies,
  key: string,
  digest: string,
  kind: StreamKind,
): Promise<Outcome | undefined> {
  const record = deps.idempotency.find(key);
  if (record !== undefined) {
    if (record.requestDigest !== digest) return reusedKey();
    return {
      status: record.status,
      body: record.body,
      headers: { 'idempotent-replayed': 'true', ...etagHeader(record.body, kind) },
    };
  }
  // The events may be recorded while the answer was not (a crash in between): they carry the
  // request's digest, so the answer can be given again from them.
  const append = await deps.store.findAppend(key);
  if (append === undefined) return undefined;
  const [first] = await deps.store.readStream(append.streamId, {
    fromVersion: append.streamVersion - append.eventCount + 1,
    limit: 1,
  });
  if (first?.metadata.requestDigest !== digest) return reusedKey();
  const answer = answerFor({ ok: true, append, eventCount: append.eventCount }, kind);
  return isProblem(answer)
    ? answer
    : { ...answer, headers: { ...answer.headers, 'idempotent-replayed': 'true' } };
}

function reusedKey(): Problem {
  return problem(
    'idempotency-key-reused',
    'this Idempotency-Key was already used for a different request; use a new key for a new request',
  );
}

function answerFor(outcome: CommandOutcome, kind: StreamKind): Outcome {
  if (!outcome.ok)
    return problem(outcome.error.code as never, outcome.error.message, fieldOf(outcome.error));
  const append = outcome.append;
  const body = {
    streamId: append?.streamId ?? '',
    streamVersion: append?.streamVersion ?? 0,
    eventCount: outcome.eventCount,
    firstPosition: append?.firstPosition ?? null,
    lastPosition: append?.lastPosition ?? null,
  };
  return {
    status: outcome.eventCount > 0 || append?.replayed === true ? 201 : 200,
    body,
    headers: etagHeader(body, kind),
  };
}

function etagHeader(body: unknown, kind: StreamKind): Record<string, string> {
  const version = (body as { streamVersion?: unknown }).streamVersion;
  return typeof version === 'number' && version > 0 ? { etag: etag(kind, version) } : {};
}

function fieldOf(error: { field?: string; value?: string }): Partial<Problem> {
  return {
    ...(error.field === undefined ? {} : { field: error.field }),
    ...(error.value === undefined ? {} : { value: error.value }),
  };
}

export function sendOutcome(reply: FastifyReply, outcome: Outcome): FastifyReply {
  if (isProblem(outcome))
    return reply.code(outcome.status).type('application/problem+json').send(outcome);
  for (const [name, value] of Object.entries(outcome.headers ?? {})) reply.header(name, value);
  // A replayed refusal is a problem too.
  if (outcome.status >= 400) reply.type('application/problem+json');
  return reply.code(outcome.status).send(outcome.body);
}
