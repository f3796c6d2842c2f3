import { z } from 'zod';
import type { PoolCommand } from '../../commands/pool/pool-decider.ts';
import { code } from '../../events/catalogue/index.ts';
import { problem, problemSchema } from '../problems.ts';
import { type Call, type RouteSpec, route, runCommand } from '../route-kit.ts';
import { bodies, commandAccepted, poolParams } from '../schemas.ts';

/** Pool set-up and schemes: the pool's own stream. */
const commandResponses = {
  200: commandAccepted,
  201: commandAccepted,
  default: problemSchema,
} as never;

type PoolCommandInput = PoolCommand extends infer Command
  ? Command extends PoolCommand
    ? Omit<Command, 'actor' | 'poolId'>
    : never
  : never;

function poolWrite<Params extends { poolId: string }, Body>(spec: {
  url: string;
  permission: 'set-up' | 'record' | 'approve';
  summary: string;
  params: z.ZodType<Params>;
  body: z.ZodType<Body>;
  toCommand: (call: Call<Params, unknown, Body>) => PoolCommandInput;
}): RouteSpec {
  return route<Params, unknown, Body>({
    method: 'POST',
    url: spec.url,
    permission: spec.permission,
    scope: 'pool',
    summary: spec.summary,
    tags: ['pool set-up'],
    schema: { params: spec.params, body: spec.body, response: commandResponses },
    handle: (call) =>
      runCommand(call, 'pool', (metadata, expectedVersion) =>
        call.deps.service.pool(
          {
            ...spec.toCommand(call),
            actor: { id: call.caller.userId, role: call.caller.role },
            poolId: call.params.poolId,
          } as PoolCommand,
          metadata,
          expectedVersion,
        ),
      ),
  });
}

const schemeParams = z.strictObject({ poolId: code, schemeId: code });

export const poolRoutes: RouteSpec[] = [
  route<unknown, unknown, z.infer<typeof bodies.registerPool>>({
    method: 'POST',
    url: '/pools',
    permission: 'set-up',
    scope: 'none',
    summary: 'Register a pool with its host partner',
    tags: ['pool set-up'],
    schema: { body: bodies.registerPool, response: commandResponses },
    handle: async (call) => {
      const scope = call.caller.pools;
      if (scope !== '*' && !scope.includes(call.body.poolId)) {
        return problem('out-of-scope', `pool "${call.body.poolId}" is outside your scope`, {
          field: 'poolId',
          value: call.body.poolId,
        });
      }
      return runCommand(call, 'pool', (metadata, expectedVersion) =>
        call.deps.service.pool(
          {
            type: 'RegisterPool',
            actor: { id: call.caller.userId, role: call.caller.role },
            ...call.body,
          },
          metadata,
          expectedVersion,
        ),
      );
    },
  }),
  poolWrite({
    url: '/pools/:poolId/partners',
    permission: 'set-up',
    summary: 'Let a partner join the pool',
    params: poolParams,
    body: bodies.joinPartner,
    toCommand: ({ body }) => ({ type: 'JoinPartner', ...body }),
  }),
  poolWrite({
    url: '/pools/:poolId/risk-share-terms',
    permission: 'approve',
    summary: 'Agree the risk-share terms',
    params: poolParams,
    body: bodies.riskShareTerms,
    toCommand: ({ body }) => ({
      type: 'AgreeRiskShareTerms',
      basis: body.basis,
      fixedShares: body.fixedShares,
    }),
  }),
  poolWrite({
    url: '/pools/:poolId/years',
    permission: 'set-up',
    summary: 'Open a financial year with its reference lists',
    params: poolParams,
    body: bodies.openYear,
    toCommand: ({ body }) => ({
      type: 'OpenFinancialYear',
      year: body.year,
      referenceData: body.referenceData,
    }),
  }),
  poolWrite({
    url: '/pools/:poolId/schemes',
    permission: 'record',
    summary: 'Register a scheme in the template’s columns',
    params: poolParams,
    body: bodies.registerScheme,
    toCommand: ({ body }) => {
      const { schemeId, ...columns } = body;
      return { type: 'RegisterScheme', schemeId, columns };
    },
  }),
  poolWrite({
    url: '/pools/:poolId/schemes/:schemeId/amendments',
    permission: 'record',
    summary: 'Amend a scheme’s columns',
    params: schemeParams,
    body: bodies.amendScheme,
    toCommand: ({ params, body }) => ({
      type: 'AmendScheme',
      schemeId: params.schemeId,
      changes: body.changes,
    }),
  }),
  poolWrite({
    url: '/pools/:poolId/schemes/:schemeId/withdrawal',
    permission: 'record',
    summary: 'Withdraw a scheme: it takes no new budget or spend',
    params: schemeParams,
    body: bodies.none,
    toCommand: ({ params }) => ({ type: 'WithdrawScheme', schemeId: params.schemeId }),
  }),
];
