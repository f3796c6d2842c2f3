import type { z } from 'zod';
import type { AuditFilter } from '../../projections/read-face.ts';
import { type RouteSpec, route } from '../route-kit.ts';
import { auditPage, auditQuery } from './audit-schemas.ts';
import { poolParams } from './path-schemas.ts';

/** The audit trail: who did what, when and why, in pages, filtered. */
export const auditRoutes: RouteSpec[] = [
  route<z.infer<typeof poolParams>, z.infer<typeof auditQuery>, unknown>({
    method: 'GET',
    url: '/pools/:poolId/audit',
    permission: 'read',
    scope: 'pool',
    operationId: 'getPoolAuditTrail',
    summary: 'The audit trail of a pool: who did what, when and why',
    description:
      'Every event of the pool with its actor, time, reason and data, filtered by scheme, actor, event type and time, in pages (pass nextAfterPosition as afterPosition).',
    tags: ['audit'],
    schema: { params: poolParams, querystring: auditQuery, response: { 200: auditPage } },
    handle: async ({ params, query, deps }) => ({
      status: 200,
      body: await deps.readFace.auditTrail(auditFilter({ ...query, poolId: params.poolId })),
    }),
  }),
  route<unknown, z.infer<typeof auditQuery>, unknown>({
    method: 'GET',
    url: '/audit',
    permission: 'read',
    scope: 'all-pools',
    operationId: 'getAuditTrail',
    summary: 'The whole audit trail, access events included',
    description:
      'Every event of every pool and of the access stream; only for callers whose scope is every pool.',
    tags: ['audit'],
    schema: { querystring: auditQuery, response: { 200: auditPage } },
    handle: async ({ query, deps }) => ({
      status: 200,
      body: await deps.readFace.auditTrail(auditFilter(query)),
    }),
  }),
];

/** asAt is an upper bound on recorded time, like `to`: the tighter of the two applies. */
function auditFilter(query: z.infer<typeof auditQuery> & { poolId?: string }): AuditFilter {
  const { asAt, to, ...rest } = query;
  const upper = [asAt, to].filter((moment): moment is string => moment !== undefined).sort()[0];
  return Object.fromEntries(
    Object.entries({ ...rest, to: upper }).filter(([, value]) => value !== undefined),
  );
}
