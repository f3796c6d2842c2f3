import { z } from 'zod';
import { accessDecider } from '../../commands/access/access-decider.ts';
import { ACCESS_STREAM_ID, type AccessEvent, factId } from '../../events/catalogue/index.ts';
import { STORE_LIMITS } from '../../events/store/port.ts';
import { problem, problemSchema } from '../problems.ts';
import {
  type ApiDependencies,
  type Outcome,
  type RouteSpec,
  route,
  runCommand,
} from '../route-kit.ts';
import { asAtQuery, bodies, commandAccepted, tokenIssued, userView } from '../schemas.ts';
import { newToken } from '../tokens.ts';

/** Users and tokens, recorded as events of the access stream. */
const commandResponses = {
  200: commandAccepted,
  201: commandAccepted,
  default: problemSchema,
} as never;
const userParams = z.strictObject({ userId: factId });
const tokenParams = z.strictObject({ userId: factId, tokenId: z.string().regex(/^[0-9a-f]{16}$/) });
const tags = ['users'];

export const userRoutes: RouteSpec[] = [
  route<unknown, z.infer<typeof asAtQuery>, unknown>({
    method: 'GET',
    url: '/users',
    permission: 'administer-users',
    scope: 'none',
    summary:
      'Users, their roles, pool scopes and tokens (never the tokens themselves); as at a moment, as they were then',
    tags,
    schema: {
      querystring: asAtQuery,
      response: { 200: z.object({ users: z.array(userView) }), default: problemSchema } as never,
    },
    handle: async ({ deps, query }) => {
      const state =
        query.asAt === undefined
          ? (await deps.service.accessState()).state
          : await accessAsAt(deps, query.asAt);
      const users = [...state.users.values()].map((user) => ({
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
  route<unknown, unknown, z.infer<typeof bodies.registerUser>>({
    method: 'POST',
    url: '/users',
    permission: 'administer-users',
    scope: 'none',
    summary: 'Register a user with a role and the pools they may act on',
    tags,
    schema: { body: bodies.registerUser, response: commandResponses },
    handle: (call) =>
      runCommand(call, 'access', (metadata) =>
        call.deps.service.access(
          {
            type: 'RegisterUser',
            actor: { id: call.caller.userId, role: call.caller.role },
            ...call.body,
          },
          metadata,
        ),
      ),
  }),
  route<z.infer<typeof userParams>, unknown, unknown>({
    method: 'POST',
    url: '/users/:userId/deactivation',
    permission: 'administer-users',
    scope: 'none',
    summary: 'Deactivate a user: none of their tokens works any more',
    tags,
    schema: { params: userParams, body: bodies.none, response: commandResponses },
    handle: (call) =>
      runCommand(call, 'access', (metadata) =>
        call.deps.service.access(
          {
            type: 'DeactivateUser',
            actor: { id: call.caller.userId, role: call.caller.role },
            userId: call.params.userId,
          },
          metadata,
        ),
      ),
  }),
  route<z.infer<typeof userParams>, unknown, z.infer<typeof bodies.issueToken>>({
    method: 'POST',
    url: '/users/:userId/tokens',
    permission: 'administer-users',
    scope: 'none',
    summary: 'Issue a bearer token; it is shown in this answer only',
    tags,
    schema: {
      params: userParams,
      body: bodies.issueToken,
      response: { 201: tokenIssued, default: problemSchema } as never,
    },
    handle: async (call): Promise<Outcome> => {
      // A token is shown once: a repeated request under the same key cannot show it again, so
      // it is refused as a reuse rather than replayed.
      const token = newToken();
      const outcome = await runCommand(call, 'access', (metadata) =>
        call.deps.service.access(
          {
            type: 'IssueToken',
            actor: { id: call.caller.userId, role: call.caller.role },
            userId: call.params.userId,
            tokenId: token.tokenId,
            secretHash: token.secretHash,
            label: call.body.label,
          },
          metadata,
        ),
      );
      if (!('body' in outcome)) return outcome;
      if (outcome.headers?.['idempotent-replayed'] === 'true') {
        return problem(
          'duplicate-id',
          'this request already issued a token, which is shown once only; issue a new one with a new Idempotency-Key',
        );
      }
      return {
        status: 201,
        body: { userId: call.params.userId, tokenId: token.tokenId, token: token.token },
      };
    },
  }),
  route<z.infer<typeof tokenParams>, unknown, unknown>({
    method: 'POST',
    url: '/users/:userId/tokens/:tokenId/revocation',
    permission: 'administer-users',
    scope: 'none',
    summary: 'Revoke a token',
    tags,
    schema: { params: tokenParams, body: bodies.none, response: commandResponses },
    handle: (call) =>
      runCommand(call, 'access', (metadata) =>
        call.deps.service.access(
          {
            type: 'RevokeToken',
            actor: { id: call.caller.userId, role: call.caller.role },
            userId: call.params.userId,
            tokenId: call.params.tokenId,
          },
          metadata,
        ),
      ),
  }),
];

/** The access stream folded by the same decider, over the events recorded up to `asAt`. */
async function accessAsAt(deps: ApiDependencies, asAt: string) {
  let state = accessDecider.initialState();
  for (let fromVersion = 1; ; ) {
    const events = await deps.store.readStream(ACCESS_STREAM_ID, {
      fromVersion,
      limit: STORE_LIMITS.maxPageSize,
    });
    for (const event of events) {
      if (event.metadata.recordedAt <= asAt)
        state = accessDecider.evolve(state, event as unknown as AccessEvent);
    }
    if (events.length < STORE_LIMITS.maxPageSize) return state;
    fromVersion = (events.at(-1)?.streamVersion ?? fromVersion) + 1;
  }
}
