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
  /** One-time links to choose a password, by link id. */
  setupLinks: Map<string, { codeHash: string; expiresAt: string; used: boolean }>;
  /** Whether the person has chosen a password (its hash is kept outside the log). */
  passwordSet: boolean;
}

export interface AccessState {
  users: Map<string, AccessUser>;
  /** token id -> user id, for authenticating a request. */
  tokenOwners: Map<string, string>;
  /** set-up link id -> user id, for a person choosing a password. */
  setupLinkOwners: Map<string, string>;
}

export function initialAccessState(): AccessState {
  return { users: new Map(), tokenOwners: new Map(), setupLinkOwners: new Map() };
}

export function evolveAccess(state: AccessState, event: AccessEvent): AccessState {
  switch (event.type) {
    case 'UserRegistered.v1':
      state.users.set(event.data.userId, {
        ...event.data,
        active: true,
        tokens: new Map(),
        setupLinks: new Map(),
        passwordSet: false,
      });
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
    case 'SetupLinkIssued.v1':
      state.users.get(event.data.userId)?.setupLinks.set(event.data.linkId, {
        codeHash: event.data.codeHash,
        expiresAt: event.data.expiresAt,
        used: false,
      });
      state.setupLinkOwners.set(event.data.linkId, event.data.userId);
      break;
    case 'PasswordSet.v1': {
      const user = state.users.get(event.data.userId);
      const link = user?.setupLinks.get(event.data.linkId);
      if (link !== undefined) link.used = true;
      if (user !== undefined) user.passwordSet = true;
      break;
    }
    case 'SignedIn.v1':
    case 'SignedOut.v1':
      // Who signed in and out is history for the audit trail; sessions live beside the log.
      break;
  }
  return state;
}
