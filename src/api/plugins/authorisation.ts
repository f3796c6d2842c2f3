import type { FastifyRequest } from 'fastify';
import fastifyPlugin from 'fastify-plugin';
import { mayDo } from '../../commands/write-face.ts';
import { type Problem, problem, sendProblem } from '../problems.ts';
import type { RouteSpec } from '../route-kit.ts';

/**
 * May this caller use this route: the role holds the route's permission, and the pool in the path
 * (or every pool, for views across pools) is in the caller's scope. Checked before the body is
 * validated, so a caller who may not use a route learns nothing about what it accepts.
 */
export const authorisation = fastifyPlugin(
  async (app) => {
    app.addHook('preValidation', async (request, reply) => {
      const spec = request.routeOptions.config.spec;
      if (spec === undefined || spec.permission === 'public') return;
      const refusal = authorise(spec, request);
      if (refusal !== undefined) return sendProblem(reply, refusal);
    });
  },
  { name: 'authorisation', dependencies: ['authentication'] },
);

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
    const poolId = String((request.params as { poolId?: unknown }).poolId);
    if (caller.pools !== '*' && !caller.pools.includes(poolId))
      return problem('out-of-scope', `pool "${poolId.slice(0, 60)}" is outside your scope`);
  }
  return undefined;
}
