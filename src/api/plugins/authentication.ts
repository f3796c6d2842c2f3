import fastifyPlugin from 'fastify-plugin';
import type { Identity } from '../../projections/read-face.ts';
import { problem, sendProblem } from '../problems.ts';
import type { ApiDependencies } from '../route-kit.ts';
import { tooMany } from './rate-limit.ts';

declare module 'fastify' {
  interface FastifyRequest {
    caller: Identity | undefined;
  }
}

/**
 * Who is calling: a bearer token whose secret matches the stored hash, not revoked, of an active
 * user. Public routes need none; every other route answers 401 without one. An address whose
 * failures reached the limit this minute is answered 429 before its token is even looked at, so
 * a right guess after many wrong ones earns nothing.
 */
export const authentication = fastifyPlugin<{ deps: ApiDependencies }>(
  async (app, { deps }) => {
    app.decorateRequest('caller', undefined);
    app.addHook('onRequest', async (request, reply) => {
      const spec = request.routeOptions.config.spec;
      if (spec === undefined || spec.permission === 'public') return;
      const failures = await app.failedAuthentications(request, { increment: false });
      if (failures.remaining === 0)
        return tooMany(
          reply,
          failures.ttlInSeconds,
          'too many requests from your address carried a wrong or revoked token',
        );
      const header = request.headers.authorization;
      const identity =
        header?.startsWith('Bearer ') === true
          ? await deps.authenticate(header.slice('Bearer '.length).trim())
          : undefined;
      if (identity === undefined) {
        // Only a presented token is a guess; a request without one is counted by the address limit.
        if (header !== undefined) await app.failedAuthentications(request);
        return sendProblem(
          reply,
          problem(
            'unauthenticated',
            'send Authorization: Bearer <token> with a valid, unrevoked token',
          ),
        );
      }
      request.caller = identity;
    });
  },
  { name: 'authentication', dependencies: ['address-rate-limit'] },
);
