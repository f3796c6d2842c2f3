import type { AccessEvent, UserRole } from '../../events/catalogue/index.ts';
import {
  type AccessState,
  type AccessUser,
  evolveAccess,
  initialAccessState,
} from '../../rules/access-register.ts';
import { accept, type Decider, type Decision, type DomainError, refuse } from '../decider.ts';
import { type Actor, refusal } from '../refusals.ts';

export type { AccessState, AccessUser } from '../../rules/access-register.ts';

/**
 * Users and their tokens (`access` stream). Tokens are made by the write face: the decider
 * receives only the token's id and the hash of its secret, never the secret. An administrator
 * manages only users whose pools lie within its own scope, and only an administrator of every
 * pool makes a user of every pool; the system (first run, the operator's command line) may do all.
 * The last active administrator cannot be deactivated: nobody could issue a token again.
 */
export type AccessCommand =
  | {
      type: 'RegisterUser';
      actor: Actor;
      userId: string;
      name: string;
      role: UserRole;
      pools: '*' | string[];
    }
  | { type: 'DeactivateUser'; actor: Actor; userId: string }
  | {
      type: 'IssueToken';
      actor: Actor;
      userId: string;
      tokenId: string;
      secretHash: string;
      label: string;
    }
  | { type: 'RevokeToken'; actor: Actor; userId: string; tokenId: string }
  | {
      type: 'IssueSetupLink';
      actor: Actor;
      userId: string;
      linkId: string;
      codeHash: string;
      expiresAt: string;
    }
  | PersonCommand;

/**
 * What a person does for themselves, having proved who they are to the write face: chosen a
 * password with a set-up link whose code matched (`at`: when), signed in with a password that
 * matched, signed out.
 */
type PersonCommand =
  | { type: 'SetPassword'; actor: Actor; userId: string; linkId: string; at: string }
  | { type: 'RecordSignIn'; actor: Actor; userId: string; sessionId: string }
  | {
      type: 'RecordSignOut';
      actor: Actor;
      userId: string;
      sessionId: string;
      reason: 'signed-out' | 'idle-timeout';
    };

export const accessDecider: Decider<AccessCommand, AccessState, AccessEvent> = {
  initialState: initialAccessState,
  evolve: evolveAccess,
  decide(command, state): Decision<AccessEvent> {
    if (
      command.type === 'SetPassword' ||
      command.type === 'RecordSignIn' ||
      command.type === 'RecordSignOut'
    )
      return decideForPerson(command, state);
    const scope = administeredScope(command.actor, state);
    if (typeof scope === 'object' && 'code' in scope) return refuse(scope);
    if (command.type === 'RegisterUser') return registerUser(command, state, scope);
    const user = state.users.get(command.userId);
    if (user === undefined)
      return refuse(
        refusal('user-unknown', `no user "${command.userId}"`, 'userId', command.userId),
      );
    const outside = checkWithin(scope, user.pools, `user "${user.userId}"`, 'userId', user.userId);
    if (outside !== undefined) return refuse(outside);
    switch (command.type) {
      case 'DeactivateUser':
        return deactivateUser(command, state, user);
      case 'IssueToken':
        return issueToken(command, state, user);
      case 'RevokeToken':
        return revokeToken(command, user);
      case 'IssueSetupLink':
        return issueSetupLink(command, user);
    }
  },
};

function issueSetupLink(
  command: Extract<AccessCommand, { type: 'IssueSetupLink' }>,
  user: AccessUser,
): Decision<AccessEvent> {
  if (!user.active)
    return refuse(
      refusal('user-unknown', `user "${user.userId}" has been deactivated`, 'userId', user.userId),
    );
  if (user.setupLinks.has(command.linkId))
    return refuse(refusal('duplicate-id', 'that link id is taken', 'linkId', command.linkId));
  const { userId, linkId, codeHash, expiresAt } = command;
  return accept({ type: 'SetupLinkIssued.v1', data: { userId, linkId, codeHash, expiresAt } });
}

/** A person's own act: only for themselves (or the system), and only while active. */
function decideForPerson(command: PersonCommand, state: AccessState): Decision<AccessEvent> {
  const user = state.users.get(command.userId);
  if (command.actor.role !== 'system' && command.actor.id !== command.userId)
    return refuse(
      refusal(
        'forbidden-for-another',
        'a person signs in and chooses a password only for themselves',
        'userId',
        command.userId,
      ),
    );
  if (user === undefined || !user.active)
    return refuse(
      refusal('user-unknown', `no active user "${command.userId}"`, 'userId', command.userId),
    );
  if (command.type === 'RecordSignIn') {
    if (!user.passwordSet)
      return refuse(
        refusal(
          'password-not-set',
          `"${user.userId}" has not chosen a password yet`,
          'userId',
          user.userId,
        ),
      );
    return accept({
      type: 'SignedIn.v1',
      data: { userId: user.userId, sessionId: command.sessionId },
    });
  }
  if (command.type === 'RecordSignOut') {
    const { sessionId, reason } = command;
    return accept({ type: 'SignedOut.v1', data: { userId: user.userId, sessionId, reason } });
  }
  const link = user.setupLinks.get(command.linkId);
  if (link === undefined || link.used || link.expiresAt <= command.at)
    return refuse(
      refusal(
        'setup-link-invalid',
        'this set-up link has been used or has expired: ask your administrator for a new one',
        'linkId',
        command.linkId,
      ),
    );
  return accept({ type: 'PasswordSet.v1', data: { userId: user.userId, linkId: command.linkId } });
}

type Scope = '*' | readonly string[];

/** The pools the actor administers: every pool for the system, its own scope for an admin. */
function administeredScope(actor: Actor, state: AccessState): Scope | DomainError {
  if (actor.role === 'system') return '*';
  const admin = state.users.get(actor.id);
  if (actor.role !== 'admin' || admin === undefined || !admin.active || admin.role !== 'admin') {
    return refusal(
      'admin-role-required',
      `only an administrator manages users; you act as ${actor.role}`,
      'actor',
      actor.id,
    );
  }
  return admin.pools;
}

/** The pools are within the scope: every pool only for a scope of every pool. */
function checkWithin(
  scope: Scope,
  pools: Scope,
  what: string,
  field: string,
  value: string,
): DomainError | undefined {
  if (scope === '*') return undefined;
  const outside =
    pools === '*' ? ['every pool'] : pools.filter((poolId) => !scope.includes(poolId));
  if (outside.length === 0) return undefined;
  return refusal(
    'outside-scope',
    `${what} acts on ${outside.map((pool) => (pool === 'every pool' ? pool : `pool "${pool}"`)).join(', ')}, beyond the pools you administer (${scope.join(', ')})`,
    field,
    value,
  );
}

function registerUser(
  command: Extract<AccessCommand, { type: 'RegisterUser' }>,
  state: AccessState,
  scope: Scope,
): Decision<AccessEvent> {
  if (state.users.has(command.userId)) {
    return refuse(
      refusal('duplicate-id', `user "${command.userId}" already exists`, 'userId', command.userId),
    );
  }
  const outside = checkWithin(
    scope,
    command.pools,
    `the new user "${command.userId}"`,
    'pools',
    String(command.pools),
  );
  if (outside !== undefined) return refuse(outside);
  const { userId, name, role, pools } = command;
  return accept({ type: 'UserRegistered.v1', data: { userId, name, role, pools } });
}

function deactivateUser(
  command: Extract<AccessCommand, { type: 'DeactivateUser' }>,
  state: AccessState,
  user: AccessUser,
): Decision<AccessEvent> {
  if (!user.active) return accept();
  const otherAdmins = [...state.users.values()].filter(
    (other) => other.role === 'admin' && other.active && other.userId !== user.userId,
  );
  if (user.role === 'admin' && otherAdmins.length === 0) {
    return refuse(
      refusal(
        'last-admin',
        `"${user.userId}" is the last active administrator: register another before deactivating them, or nobody could issue a token again`,
        'userId',
        user.userId,
      ),
    );
  }
  return accept({ type: 'UserDeactivated.v1', data: { userId: command.userId } });
}

function issueToken(
  command: Extract<AccessCommand, { type: 'IssueToken' }>,
  state: AccessState,
  user: AccessUser,
): Decision<AccessEvent> {
  if (!user.active) {
    return refuse(
      refusal(
        'user-unknown',
        `user "${command.userId}" has been deactivated`,
        'userId',
        command.userId,
      ),
    );
  }
  if (state.tokenOwners.has(command.tokenId))
    return refuse(refusal('duplicate-id', 'that token id is taken', 'tokenId', command.tokenId));
  const { userId, tokenId, secretHash, label } = command;
  return accept({ type: 'TokenIssued.v1', data: { userId, tokenId, secretHash, label } });
}

function revokeToken(
  command: Extract<AccessCommand, { type: 'RevokeToken' }>,
  user: AccessUser,
): Decision<AccessEvent> {
  const token = user.tokens.get(command.tokenId);
  if (token === undefined) {
    return refuse(
      refusal(
        'token-unknown',
        `user "${command.userId}" has no token "${command.tokenId}"`,
        'tokenId',
        command.tokenId,
      ),
    );
  }
  if (token.revoked) return accept();
  return accept({
    type: 'TokenRevoked.v1',
    data: { userId: command.userId, tokenId: command.tokenId },
  });
}
