import type { AccessEvent, UserRole } from '../events/catalogue/index.ts';

/**
 * Who may use the ledger, folded from the access stream: users with their roles and pool scopes,
 * and their tokens (as hashes). The access decider decides on it and the read side authenticates
 * with it, so both fold the stream the same way.
 */
export interface AccessUser {
  userId: string;
  name: string;
  role: UserRole;
  pools: '*' | string[];
  active: boolean;
  tokens: Map<string, { secretHash: string; label: string; revoked: boolean }>;
}

export interface AccessState {
  users: Map<string, AccessUser>;
  /** token id -> user id, for authenticating a request. */
  tokenOwners: Map<string, string>;
}

export function initialAccessState(): AccessState {
  return { users: new Map(), tokenOwners: new Map() };
}

export function evolveAccess(state: AccessState, event: AccessEvent): AccessState {
  switch (event.type) {
    case 'UserRegistered.v1':
      state.users.set(event.data.userId, { ...event.data, active: true, tokens: new Map() });
      break;
    case 'UserDeactivated.v1': {
      const user = state.users.get(event.data.userId);
      if (user !== undefined) user.active = false;
      break;
    }
    case 'TokenIssued.v1':
      state.users.get(event.data.userId)?.tokens.set(event.data.tokenId, {
        secretHash: event.data.secretHash,
        label: event.data.label,
        revoked: false,
      });
      state.tokenOwners.set(event.data.tokenId, event.data.userId);
      break;
    case 'TokenRevoked.v1': {
      const token = state.users.get(event.data.userId)?.tokens.get(event.data.tokenId);
      if (token !== undefined) token.revoked = true;
      break;
    }
  }
  return state;
}
