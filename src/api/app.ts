import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyPluginAsync,
  LogController,
} from 'fastify';
import {
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { z } from 'zod';
import { authentication } from './plugins/authentication.ts';
import { authorisation } from './plugins/authorisation.ts';
import { openApi } from './plugins/openapi.ts';
import { problemReplies } from './plugins/problem-replies.ts';
import { addressRateLimit, credentialRateLimit } from './plugins/rate-limit.ts';
import { requestLog } from './plugins/request-log.ts';
import { securityHeaders } from './plugins/security-headers.ts';
import { type ApiDependencies, type RouteSpec, sendOutcome } from './route-kit.ts';
import { auditRoutes } from './routes/audit-routes.ts';
import { importRoutes } from './routes/import-routes.ts';
import { ledgerRoutes } from './routes/ledger-routes.ts';
import { poolRoutes } from './routes/pool-routes.ts';
import { reportRoutes } from './routes/report-routes.ts';
import { serviceRoutes } from './routes/service-routes.ts';
import { userRoutes } from './routes/user-routes.ts';

/** Every route of the API, in one table: the docs, the permission checks and the tests read it. */
export const routeTable: readonly RouteSpec[] = [
  ...serviceRoutes,
  ...poolRoutes,
  ...ledgerRoutes,
  ...reportRoutes,
  ...importRoutes,
  ...auditRoutes,
  ...userRoutes,
];

declare module 'fastify' {
  interface FastifyContextConfig {
    spec?: RouteSpec;
  }
}

export interface BuildAppOptions {
  /** A pino logger (one line per request is written to it); false for none. */
  readonly logger: FastifyBaseLogger | false;
  /** The pages for people (the composition root gives them), under /app; none without. */
  readonly pages?: FastifyPluginAsync;
}

/**
 * The HTTP API, without listen(), so tests drive it with inject. Each concern is a plugin of its
 * own; each route parses, authorises, asks the write face or the read face, and maps the answer.
 */
export async function buildApp(
  deps: ApiDependencies,
  options: BuildAppOptions,
): Promise<FastifyInstance> {
  const limits = deps.config.limits;
  const app = Fastify({
    ...(options.logger === false ? { logger: false } : { loggerInstance: options.logger }),
    // One line per request is written by the request-log plugin instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: limits.bodyLimitBytes,
    requestTimeout: limits.requestTimeoutMs,
    connectionTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    return503OnClosing: true,
    routerOptions: { maxParamLength: 200 },
    genReqId: () => crypto.randomUUID(),
    // Only a proxy named in the settings may say who the client is; anyone else could lie.
    trustProxy: deps.config.trustedProxies.length > 0 ? [...deps.config.trustedProxies] : false,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  await app.register(problemReplies);
  // Before the API reference's routes, so that they get its content security policy.
  await app.register(securityHeaders);
  await app.register(openApi, { routes: routeTable, serverUrl: '/' });
  const rateLimits = {
    perAddressPerMinute: limits.addressRateLimitPerMinute,
    failedAuthenticationsPerMinute: limits.failedAuthenticationsPerMinute,
    perCredentialPerMinute: limits.rateLimitPerMinute,
  };
  await app.register(addressRateLimit, { limits: rateLimits });
  await app.register(authentication, { deps });
  await app.register(credentialRateLimit, { limits: rateLimits });
  await app.register(authorisation);
  await app.register(requestLog);
  for (const spec of routeTable) addRoute(app, spec, deps);
  if (options.pages !== undefined) {
    await app.register(options.pages);
    app.get('/', { schema: { hide: true } }, (_request, reply) => reply.redirect('/app', 303));
  }
  return app;
}

function addRoute(app: FastifyInstance, spec: RouteSpec, deps: ApiDependencies): void {
  app.route({
    method: spec.method,
    url: spec.url,
    config: { spec },
    ...(spec.bodyLimit === undefined ? {} : { bodyLimit: spec.bodyLimit(deps.config) }),
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
    handler: async (request, reply) => {
      const caller = request.caller ?? {
        userId: 'anonymous',
        role: 'auditor',
        pools: [],
        tokenId: '',
      };
      const call = {
        params: request.params,
        query: request.query,
        body: request.body,
        caller,
        deps,
        request,
      };
      return sendOutcome(reply, await spec.handle(call as never));
    },
  });
}

const idempotencyHeaders = z.object({
  'idempotency-key': z
    .string({
      error:
        'every POST needs an Idempotency-Key header: a unique string per request, reused only to retry it',
    })
    .regex(/^[\x21-\x7e]{1,200}$/, 'an Idempotency-Key is 1 to 200 visible ASCII characters')
    .describe('A unique key per request; send the same key again only to retry the same request'),
  'if-match': z
    .string()
    .max(40)
    .optional()
    .describe('Apply only if the stream is still at this ETag'),
});
