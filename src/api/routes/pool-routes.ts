import type { z } from 'zod';
import type { CommandInput, Permission } from '../../commands/write-face.ts';
import {
  amendScheme,
  joinPartner,
  openYear,
  registerPool,
  registerScheme,
} from '../../events/requests/pool-requests.ts';
import { problem } from '../problems.ts';
import { type Call, type RouteSpec, route, runCommand } from '../route-kit.ts';
import { commandResponses, noBody } from './command-schemas.ts';
import { poolParams, schemeParams } from './path-schemas.ts';

/** Pool set-up and schemes: the pool's own stream. */
function poolWrite<Params extends { poolId: string }, Body>(spec: {
  url: string;
  permission: Permission;
  operationId: string;
  summary: string;
  description: string;
  params: z.ZodType<Params>;
  body: z.ZodType<Body>;
  toCommand: (call: Call<Params, unknown, Body>) => CommandInput;
}): RouteSpec {
  return route<Params, unknown, Body>({
    method: 'POST',
    url: spec.url,
    permission: spec.permission,
    scope: 'pool',
    operationId: spec.operationId,
    summary: spec.summary,
    description: spec.description,
    tags: ['pool set-up'],
    schema: { params: spec.params, body: spec.body, response: commandResponses },
    handle: (call) => runCommand(call, 'pool', spec.toCommand(call)),
  });
}

export const poolRoutes: RouteSpec[] = [
  route<unknown, unknown, z.infer<typeof registerPool>>({
    method: 'POST',
    url: '/pools',
    permission: 'set-up',
    scope: 'none',
    operationId: 'registerPool',
    summary: 'Register a pool with its host partner',
    description:
      'Registers a pooled fund under its section 75 agreement, with the partner that hosts it. The pool id must be within your scope.',
    tags: ['pool set-up'],
    schema: { body: registerPool, response: commandResponses },
    handle: async (call) => {
      const scope = call.caller.pools;
      if (scope !== '*' && !scope.includes(call.body.poolId)) {
        return problem('out-of-scope', `pool "${call.body.poolId}" is outside your scope`, {
          field: 'poolId',
          value: call.body.poolId,
        });
      }
      return runCommand(call, 'pool', { type: 'RegisterPool', ...call.body });
    },
  }),
  poolWrite({
    url: '/pools/:poolId/partners',
    permission: 'set-up',
    operationId: 'joinPartner',
    summary: 'Let a partner join the pool',
    description: 'A council, CCG or other body joins the pool as a partner.',
    params: poolParams,
    body: joinPartner,
    toCommand: ({ params, body }) => ({ type: 'JoinPartner', poolId: params.poolId, ...body }),
  }),
  poolWrite({
    url: '/pools/:poolId/years',
    permission: 'set-up',
    operationId: 'openFinancialYear',
    summary: 'Open a financial year with its reference lists',
    description:
      'Opens a financial year (April to March) with the national reference lists of its plan cycle: funding streams, scheme types, areas of spend, commissioners, providers.',
    params: poolParams,
    body: openYear,
    toCommand: ({ params, body }) => ({
      type: 'OpenFinancialYear',
      poolId: params.poolId,
      year: body.year,
      referenceData: body.referenceData,
    }),
  }),
  poolWrite({
    url: '/pools/:poolId/schemes',
    permission: 'record',
    operationId: 'registerScheme',
    summary: 'Register a scheme in the template’s columns',
    description: 'Registers a scheme with the columns of the NHS England expenditure plan.',
    params: poolParams,
    body: registerScheme,
    toCommand: ({ params, body }) => {
      const { schemeId, ...columns } = body;
      return { type: 'RegisterScheme', poolId: params.poolId, schemeId, columns };
    },
  }),
  poolWrite({
    url: '/pools/:poolId/schemes/:schemeId/amendments',
    permission: 'record',
    operationId: 'amendScheme',
    summary: 'Amend a scheme’s columns',
    description: 'Changes some of a scheme’s columns; those left out stay as they are.',
    params: schemeParams,
    body: amendScheme,
    toCommand: ({ params, body }) => ({
      type: 'AmendScheme',
      poolId: params.poolId,
      schemeId: params.schemeId,
      changes: body.changes,
    }),
  }),
  poolWrite({
    url: '/pools/:poolId/schemes/:schemeId/withdrawal',
    permission: 'record',
    operationId: 'withdrawScheme',
    summary: 'Withdraw a scheme: it takes no new budget or spend',
    description:
      'A withdrawn scheme keeps its history and still shows in reports, but takes no new budget or spend.',
    params: schemeParams,
    body: noBody,
    toCommand: ({ params }) => ({
      type: 'WithdrawScheme',
      poolId: params.poolId,
      schemeId: params.schemeId,
    }),
  }),
];
