import { z } from 'zod';
import { factId } from '../../events/catalogue/index.ts';
import { issueToken, registerUser } from '../../events/requests/user-requests.ts';
import { problem } from '../problems.ts';
import {
  executeCommand,
  type Outcome,
  type RouteSpec,
  route,
  runCommand,
  writeReply,
} from '../route-kit.ts';
import { commandResponses, noBody } from './command-schemas.ts';
import { asAtQuery } from './report-schemas.ts';
import { setupLinkIssued, tokenIssued, userView } from './user-schemas.ts';

/** Users and tokens, recorded as events of the access stream. */
const userParams = z.strictObject({ userId: factId });
const tokenParams = z.strictObject({ userId: factId, tokenId: z.string().regex(/^[0-9a-f]{16}$/) });
const tags = ['users'];

export const userRoutes: RouteSpec[] = [
  route<unknown, z.infer<typeof asAtQuery>, unknown>({
    method: 'GET',
    url: '/users',
    permission: 'administer-users',
    scope: 'none',
    operationId: 'listUsers',
    summary: 'Users, their roles, pool scopes and token ids',
    description:
      'Users with their roles, pool scopes and tokens (never the tokens themselves); as at a moment, as they were then.',
    tags,
    schema: { querystring: asAtQuery, response: { 200: z.object({ users: z.array(userView) }) } },
    handle: async ({ deps, query, caller }) => {
      const state = await deps.readFace.users(query.asAt);
      // An administrator of some pools sees the users within them only.
      const scope = caller.pools;
      const visible = [...state.users.values()].filter(
        (user) =>
          scope === '*' || (user.pools !== '*' && user.pools.every((pool) => scope.includes(pool))),
      );
      const users = visible.map((user) => ({
        userId: user.userId,
        name: user.name,
        role: user.role,
        pools: user.pools,
        active: user.active,
        tokens: [...user.tokens].map(([tokenId, token]) => ({
          tokenId,
          label: token.label,
          revoked: token.revoked,
        })),
      }));
      return { status: 200, body: { users } };
    },
  }),
  route<unknown, unknown, z.infer<typeof registerUser>>({
    method: 'POST',
    url: '/users',
    permission: 'administer-users',
    scope: 'none',
    operationId: 'registerUser',
    summary: 'Register a user with a role and the pools they may act on',
    description: 'Registers a person or machine with one role and a pool scope (a list, or *).',
    tags,
    schema: { body: registerUser, response: commandResponses },
    handle: (call) => runCommand(call, 'access', { type: 'RegisterUser', ...call.body }),
  }),
  route<z.infer<typeof userParams>, unknown, unknown>({
    method: 'POST',
    url: '/users/:userId/deactivation',
    permission: 'administer-users',
    scope: 'none',
    operationId: 'deactivateUser',
    summary: 'Deactivate a user: none of their tokens works any more',
    description: 'Deactivates a user; their tokens stop working at once.',
    tags,
    schema: { params: userParams, body: noBody, response: commandResponses },
    handle: (call) =>
      runCommand(call, 'access', { type: 'DeactivateUser', userId: call.params.userId }),
  }),
  route<z.infer<typeof userParams>, unknown, z.infer<typeof issueToken>>({
    method: 'POST',
    url: '/users/:userId/tokens',
    permission: 'administer-users',
    scope: 'none',
    operationId: 'issueToken',
    summary: 'Issue a bearer token; it is shown in this answer only',
    description:
      'Issues a bearer token for the user. Only its hash is kept, so the token is in this answer only; a retry under the same key cannot show it again.',
    tags,
    schema: { params: userParams, body: issueToken, response: { 201: tokenIssued } },
    handle: async (call): Promise<Outcome> => {
      const outcome = await executeCommand(call, 'access', {
        type: 'IssueToken',
        userId: call.params.userId,
        label: call.body.label,
      });
      if (!('kind' in outcome)) return outcome;
      if (outcome.kind !== 'recorded') return writeReply(outcome);
      if (outcome.token === undefined) {
        return problem(
          'duplicate-id',
          'this request already issued a token, which is shown once only; issue a new one with a new Idempotency-Key',
        );
      }
      return { status: 201, body: { userId: call.params.userId, ...outcome.token } };
    },
  }),
  route<z.infer<typeof userParams>, unknown, unknown>({
    method: 'POST',
    url: '/users/:userId/setup-links',
    permission: 'administer-users',
    scope: 'none',
    operationId: 'issueSetupLink',
    summary: 'Issue a one-time link for a person to choose a password; shown in this answer only',
    description:
      'The administrator passes the link on; the person opens it and chooses their password, which the administrator never sees. Good for 72 hours and once. Only the hash of its code is kept.',
    tags,
    schema: { params: userParams, body: noBody, response: { 201: setupLinkIssued } },
    handle: async (call): Promise<Outcome> => {
      const outcome = await executeCommand(call, 'access', {
        type: 'IssueSetupLink',
        userId: call.params.userId,
      });
      if (!('kind' in outcome)) return outcome;
      if (outcome.kind !== 'recorded') return writeReply(outcome);
      if (outcome.token === undefined)
        return problem(
          'duplicate-id',
          'this request already issued a link, which is shown once only; issue a new one with a new Idempotency-Key',
        );
      const { tokenId: linkId, token: code, expiresAt = '' } = outcome.token;
      return {
        status: 201,
        body: { userId: call.params.userId, linkId, code, link: `/app/set-up/${code}`, expiresAt },
      };
    },
  }),
  route<z.infer<typeof tokenParams>, unknown, unknown>({
    method: 'POST',
    url: '/users/:userId/tokens/:tokenId/revocation',
    permission: 'administer-users',
    scope: 'none',
    operationId: 'revokeToken',
    summary: 'Revoke a token',
    description: 'Revokes one of a user’s tokens; it stops working at once.',
    tags,
    schema: { params: tokenParams, body: noBody, response: commandResponses },
    handle: (call) =>
      runCommand(call, 'access', {
        type: 'RevokeToken',
        userId: call.params.userId,
        tokenId: call.params.tokenId,
      }),
  }),
];
