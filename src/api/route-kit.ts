import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { CommandInput, Permission, WriteFace, WriteOutcome } from '../commands/write-face.ts';
import type { LedgerConfig } from '../config.ts';
import { canonicalJson } from '../events/canonical-json.ts';
import type { SpendImports } from '../import/spend-imports.ts';
import type { Found, Identity, ReadFace } from '../projections/read-face.ts';
import { type Problem, problem } from './problems.ts';

/**
 * The pieces every route is made of: a declarative spec (method, URL, permission, schemas, its
 * documentation), a call to the write face or the read face, and the mapping of what it answers
 * to a reply or a problem. Routes hold no rule and no arithmetic.
 */
export interface ApiDependencies {
  readonly writeFace: Pick<WriteFace, 'execute'>;
  readonly readFace: ReadFace;
  readonly spendImports: SpendImports;
  /** Who a bearer token belongs to, or undefined when it proves nobody. */
  readonly authenticate: (bearer: string) => Promise<Identity | undefined>;
  readonly config: LedgerConfig;
}

export interface Call<Params, Query, Body> {
  readonly params: Params;
  readonly query: Query;
  readonly body: Body;
  readonly caller: Identity;
  readonly deps: ApiDependencies;
  readonly request: FastifyRequest;
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
  /** A stable name for the operation, for clients generated from the OpenAPI document. */
  readonly operationId: string;
  readonly summary: string;
  readonly description: string;
  readonly tags: readonly string[];
  readonly schema: {
    readonly params?: z.ZodType;
    readonly querystring?: z.ZodType;
    readonly body?: z.ZodType;
    /** The success answers; every route also answers problems (added by the OpenAPI plugin). */
    readonly response: Readonly<Record<number, z.ZodType>>;
  };
  /** The route also answers CSV and XLSX downloads (`format=csv|xlsx`). */
  readonly downloads?: boolean;
  /** A body larger than the API's usual limit: an uploaded file. */
  readonly bodyLimit?: (config: LedgerConfig) => number;
  readonly handle: (call: Call<never, never, never>) => Promise<Outcome>;
}

/** A route spec whose handler sees its own schemas' types. */
export function route<Params = unknown, Query = unknown, Body = unknown>(
  spec: Omit<RouteSpec, 'handle' | 'schema'> & {
    schema: {
      params?: z.ZodType<Params>;
      querystring?: z.ZodType<Query>;
      body?: z.ZodType<Body>;
      response: Readonly<Record<number, z.ZodType>>;
    };
    handle: (call: Call<Params, Query, Body>) => Promise<Outcome>;
  },
): RouteSpec {
  return spec as unknown as RouteSpec;
}

export function isProblem(outcome: Outcome): outcome is Problem {
  return 'type' in outcome && 'detail' in outcome && !('body' in outcome);
}

type StreamKind = 'pool' | 'ledger' | 'access';

/** The ETag of a stream version: `"p7"` for a pool's stream, `"l42"` for a year's ledger. */
export function etag(kind: StreamKind, version: number): string {
  return `"${kind.charAt(0)}${version}"`;
}

/** The version an If-Match header names for this kind of stream; a problem if it names another. */
function expectedVersionFrom(
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

/** The digest of what an HTTP request asks: method, path with its parameters, and body. */
export function requestDigest(method: string, path: string, body: unknown): string {
  return createHash('sha256')
    .update(canonicalJson({ method, path, body: body ?? null }))
    .digest('hex');
}

/** Hands the command to the write face under the request's Idempotency-Key, and maps its answer. */
export async function runCommand(
  call: Call<unknown, unknown, unknown>,
  kind: StreamKind,
  command: CommandInput,
): Promise<Outcome> {
  const outcome = await executeCommand(call, kind, command);
  return 'kind' in outcome ? writeReply(outcome) : outcome;
}

/** The write face's own answer, for a route that shows more of it than writeReply does. */
export async function executeCommand(
  call: Call<unknown, unknown, unknown>,
  kind: StreamKind,
  command: CommandInput,
): Promise<WriteOutcome | Problem> {
  const { request } = call;
  const expectedVersion = expectedVersionFrom(request, kind);
  if (typeof expectedVersion === 'object') return expectedVersion;
  const path = request.url.split('?')[0] ?? request.url;
  return call.deps.writeFace.execute({
    caller: {
      id: call.caller.userId,
      role: call.caller.role,
      credentialId: `token:${call.caller.tokenId}`,
    },
    idempotencyKey: String(request.headers['idempotency-key']),
    command,
    requestDigest: requestDigest(request.method, path, call.body),
    ...(expectedVersion === undefined ? {} : { expectedVersion }),
    correlationId: String(request.headers['x-correlation-id'] ?? request.id),
    causationId: request.id,
  });
}

/** What the write face answered, as HTTP: 201 recorded, 200 nothing to change, or a problem. */
export function writeReply(outcome: WriteOutcome): Outcome {
  switch (outcome.kind) {
    case 'contended':
      return problem('contention', outcome.detail);
    case 'ledger-broken':
      return problem(
        'ledger-broken',
        `${outcome.detail}. Nothing is recorded until an operator has verified the ledger (bcf-ledger audit verify) and acknowledged the break (bcf-ledger audit acknowledge)`,
      );
    case 'in-flight':
      return problem(
        'idempotency-key-in-flight',
        'a request with this Idempotency-Key is still being processed; wait for its answer',
      );
    case 'key-reused':
      return problem(
        'idempotency-key-reused',
        'this Idempotency-Key was already used for a different request; use a new key for a new request',
      );
    case 'refused': {
      const { code, message, field, value } = outcome.error;
      const refused = problem(code as never, message, {
        ...(field === undefined ? {} : { field }),
        ...(value === undefined ? {} : { value }),
      });
      return outcome.replayed ? ({ ...refused, replayed: true } as Problem) : refused;
    }
    case 'unchanged':
    case 'recorded': {
      const recorded = outcome.kind === 'recorded';
      const body = {
        streamId: outcome.streamId,
        streamVersion: outcome.streamVersion,
        eventCount: recorded ? outcome.eventCount : 0,
        firstPosition: recorded ? outcome.firstPosition : null,
        lastPosition: recorded ? outcome.lastPosition : null,
      };
      const headers: Record<string, string> = {
        ...(outcome.streamVersion > 0
          ? { etag: etag(outcome.aggregate, outcome.streamVersion) }
          : {}),
        ...(outcome.replayed ? { 'idempotent-replayed': 'true' } : {}),
      };
      return { status: recorded ? 201 : 200, body, headers };
    }
  }
}

/** A report found by the read face, as JSON with the ETag of the version it reflects. */
export function foundReply<Value>(found: Found<Value>, kind: StreamKind): Outcome {
  if (!found.found) return problem('not-found', found.detail);
  const version = kind === 'pool' ? found.poolVersion : found.ledgerVersion;
  return { status: 200, body: found.value, headers: { etag: etag(kind, version) } };
}

export function sendOutcome(reply: FastifyReply, outcome: Outcome): FastifyReply {
  if (isProblem(outcome)) {
    const { replayed, ...body } = outcome as Problem & { replayed?: boolean };
    if (replayed === true) reply.header('idempotent-replayed', 'true');
    return reply.code(body.status).type('application/problem+json').send(body);
  }
  for (const [name, value] of Object.entries(outcome.headers ?? {})) reply.header(name, value);
  return reply.code(outcome.status).send(outcome.body);
}
