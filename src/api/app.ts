import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CommandContentionError } from '../commands/command-handler.ts';
import { authenticate } from './authentication.ts';
import { IDEMPOTENCY_KEY_PATTERN } from './idempotency.ts';
import { mayDo } from './permissions.ts';
import { type Problem, problem, sendProblem } from './problems.ts';
import { RateLimiter } from './rate-limit.ts';
import { type ApiDependencies, type Caller, type RouteSpec, sendOutcome } from './route-kit.ts';
import { ledgerRoutes } from './routes/ledger-routes.ts';
import { poolRoutes } from './routes/pool-routes.ts';
import { readRoutes } from './routes/read-routes.ts';
import { serviceRoutes } from './routes/service-routes.ts';
import { userRoutes } from './routes/user-routes.ts';

/** Every route of the API, in one table: the docs, the permission checks and the tests read it. */
export const routeTable: readonly RouteSpec[] = [
  ...serviceRoutes,
  ...poolRoutes,
  ...ledgerRoutes,
  ...readRoutes,
  ...userRoutes,
];

declare module 'fastify' {
  interface FastifyRequest {
    caller: Caller | undefined;
  }
  interface FastifyContextConfig {
    spec?: RouteSpec;
  }
}

export interface BuildAppOptions {
  /** A pino logger (one line per request is written to it); false for none. */
  readonly logger: FastifyBaseLogger | false;
}

/**
 * The HTTP API, built as a plugin-free instance without listen(), so tests drive it with inject.
 * It parses, authorises, calls a command or a query, and maps the outcome; rules live in the
 * domain, not here.
 */
export async function buildApp(
  deps: ApiDependencies,
  options: BuildAppOptions,
): Promise<FastifyInstance> {
  const limits = deps.config.limits;
  const app = Fastify({
    ...(options.logger === false ? { logger: false } : { loggerInstance: options.logger }),
    // One line per request is written by the onResponse hook below instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: limits.bodyLimitBytes,
    requestTimeout: limits.requestTimeoutMs,
    connectionTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    return503OnClosing: true,
    routerOptions: { maxParamLength: 200 },
    genReqId: () => crypto.randomUUID(),
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorateRequest('caller', undefined);

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'BCF ledger',
        description:
          'An event-sourced ledger for Better Care Fund pooled budgets. Amounts are decimal strings in pounds. Every POST needs an Idempotency-Key; every error is application/problem+json.',
        version: '1.0.0',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  const inFlight = new Set<string>();
  const limiter = new RateLimiter(limits.rateLimitPerMinute, () => deps.clock().getTime());
  app.addHook('onRequest', async (request, reply) => {
    const spec = request.routeOptions.config.spec;
    if (spec === undefined || spec.permission === 'public') return;
    const caller = await authenticate(request.headers.authorization, deps.service);
    if ('detail' in caller) return sendProblem(reply, caller);
    request.caller = caller;
    const wait = limiter.take(caller.userId);
    if (wait > 0) {
      reply.header('retry-after', String(Math.ceil(wait / 1000)));
      return sendProblem(
        reply,
        problem(
          'rate-limited',
          `you made more than ${limits.rateLimitPerMinute} requests in a minute; try again in ${Math.ceil(wait / 1000)} s`,
        ),
      );
    }
  });
  // Permission and scope are checked before the body is validated, so a caller who may not use a
  // route learns nothing about what it accepts.
  app.addHook('preValidation', async (request, reply) => {
    const spec = request.routeOptions.config.spec;
    if (spec === undefined || spec.permission === 'public') return;
    const refusal = authorise(spec, request);
    if (refusal !== undefined) return sendProblem(reply, refusal);
  });
  app.addHook('onResponse', async (request, reply) => {
    request.log.info(
      {
        caller: request.caller?.userId ?? null,
        method: request.method,
        route: request.routeOptions.url ?? null,
        status: reply.statusCode,
        durationMs: Math.round(reply.elapsedTime * 100) / 100,
      },
      'request',
    );
  });
  app.setErrorHandler((error, request, reply) =>
    sendProblem(reply, problemForError(error, request)),
  );
  app.setNotFoundHandler((request, reply) =>
    sendProblem(
      reply,
      problem('not-found', `no route ${request.method} ${request.url.split('?')[0]}`),
    ),
  );

  for (const spec of routeTable) {
    app.route({
      method: spec.method,
      url: spec.url,
      config: { spec },
      schema: {
        summary: spec.summary,
        tags: [...spec.tags],
        ...(spec.schema.params === undefined ? {} : { params: spec.schema.params }),
        ...(spec.schema.querystring === undefined ? {} : { querystring: spec.schema.querystring }),
        ...(spec.schema.body === undefined ? {} : { body: spec.schema.body }),
        ...(spec.method === 'POST' ? { headers: idempotencyHeaders } : {}),
        response: spec.schema.response,
        ...(spec.permission === 'public' ? { security: [] } : {}),
      } as never,
      handler: async (request: FastifyRequest, reply: FastifyReply) => {
        const caller = request.caller ?? {
          userId: 'anonymous',
          role: 'auditor' as const,
          pools: [],
        };
        const call = {
          params: request.params,
          query: request.query,
          body: request.body,
          caller,
          deps,
          request,
          inFlight,
        } as never;
        return sendOutcome(reply, await spec.handle(call));
      },
    });
  }
  return app;
}

const idempotencyHeaders = z.object({
  'idempotency-key': z
    .string({
      error:
        'every POST needs an Idempotency-Key header: a unique string per request, reused only to retry it',
    })
    .regex(IDEMPOTENCY_KEY_PATTERN, 'an Idempotency-Key is 1 to 200 visible ASCII characters'),
  'if-match': z.string().max(40).optional(),
});

function authorise(spec: RouteSpec, request: FastifyRequest): Problem | undefined {
  const caller = request.caller;
  if (caller === undefined) return problem('unauthenticated', 'send Authorization: Bearer <token>');
  if (spec.permission !== 'public' && !mayDo(caller.role, spec.permission)) {
    return problem(
      'forbidden',
      `the ${caller.role} role may not ${spec.summary.charAt(0).toLowerCase()}${spec.summary.slice(1)}`,
    );
  }
  if (spec.scope === 'all-pools' && caller.pools !== '*') {
    return problem(
      'out-of-scope',
      'this view spans every pool, and your scope is limited to some; ask for one pool instead',
    );
  }
  if (spec.scope === 'pool') {
    const poolId = (request.params as { poolId?: unknown }).poolId;
    if (caller.pools !== '*' && !caller.pools.includes(String(poolId))) {
      return problem('out-of-scope', `pool "${String(poolId).slice(0, 60)}" is outside your scope`);
    }
  }
  return undefined;
}

/** Every error becomes a problem; nothing of the server's inside (stack, SQL, paths) leaks. */
function problemForError(error: unknown, request: FastifyRequest): Problem {
  if (hasZodFastifySchemaValidationErrors(error)) {
    const errors = error.validation.map((issue) => ({
      field: `${error.validationContext ?? 'request'}${issue.instancePath.replaceAll('/', '.')}`,
      message: issue.message ?? 'is not valid',
    }));
    const missingKey = errors.find(
      (entry) =>
        entry.field.startsWith('headers.idempotency-key') ||
        (entry.field === 'headers' && /idempotency/i.test(entry.message)),
    );
    if (missingKey !== undefined)
      return problem('idempotency-key-required', missingKey.message, { errors });
    return problem(
      'validation-failed',
      errors.map((entry) => `${entry.field}: ${entry.message}`).join('; '),
      { errors },
    );
  }
  if (error instanceof CommandContentionError) return problem('contention', error.message);
  const code = (error as { code?: unknown }).code;
  switch (code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return problem('payload-too-large', 'the request body is larger than the ledger accepts');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return problem('unsupported-media-type', 'send the request body as application/json');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return problem(
        'malformed-json',
        'the body is empty but the Content-Type says JSON; send {} or no Content-Type',
      );
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return problem('malformed-json', 'the request body is not valid JSON');
    case 'FST_ERR_REQ_TIMEOUT':
      return problem('request-timeout', 'the request took too long');
  }
  if (error instanceof SyntaxError || (error as { statusCode?: unknown }).statusCode === 400) {
    return problem('malformed-json', 'the request could not be read');
  }
  request.log.error({ err: error, requestId: request.id }, 'request failed');
  return problem(
    'internal-error',
    `the ledger could not complete the request; quote request id ${request.id} to support`,
  );
}
