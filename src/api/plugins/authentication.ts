import fastifyPlugin from 'fastify-plugin';
import type { Identity } from '../../projections/read-face.ts';
import { problem, sendProblem } from '../problems.ts';
import type { ApiDependencies } from '../route-kit.ts';

declare module 'fastify' {
  interface FastifyRequest {
    caller: Identity | undefined;
  }
}

/**
 * Who is calling: a bearer token whose secret matches the stored hash, not revoked, of an active
 * user. Public routes need none; every other route answers 401 without one.
 */
export const authentication = fastifyPlugin<{ deps: ApiDependencies }>(
  async (app, { deps }) => {
    app.decorateRequest('caller', undefined);
    app.addHook('onRequest', async (request, reply) => {
      const spec = request.routeOptions.config.spec;
      if (spec === undefined || spec.permission === 'public') return;
      const header = request.headers.authorization;
      const identity =
        header?.startsWith('Bearer ') === true
          ? await deps.authenticate(header.slice('Bearer '.length).trim())
          : undefined;
      if (identity === undefined) {
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
