import { describe, it } from 'vitest';
import type { AccessEvent } from '../../src/events/catalogue/index.ts';
import { admin } from '../support/domain.ts';
import { givenAccess } from '../support/given.ts';

/** Who may use the ledger: users, their roles and scopes, and their tokens. */

const HASH = 'a'.repeat(64);
const TOKEN = '0123456789abcdef';

const dana: AccessEvent = {
  type: 'UserRegistered.v1',
  data: { userId: 'dana', name: 'Dana Officer', role: 'finance-officer', pools: ['herts'] },
};
const danasToken: AccessEvent = {
  type: 'TokenIssued.v1',
  data: { userId: 'dana', tokenId: TOKEN, secretHash: HASH, label: 'laptop' },
};

describe('registering users', () => {
  it('registers a user with a role and a pool scope', () => {
    givenAccess([])
      .when({
        type: 'RegisterUser',
        actor: admin,
        userId: 'dana',
        name: 'Dana Officer',
        role: 'finance-officer',
        pools: ['herts'],
      })
      .then(dana);
  });

  it('refuses a user id already taken, naming it', () => {
    givenAccess([dana])
      .when({
        type: 'RegisterUser',
        actor: admin,
        userId: 'dana',
        name: 'Another Dana',
        role: 'auditor',
        pools: '*',
      })
      .thenRefused('duplicate-id', 'userId', 'dana');
  });
});

describe('deactivating users', () => {
  it('deactivates an active user once; again it changes nothing', () => {
    const deactivated: AccessEvent = { type: 'UserDeactivated.v1', data: { userId: 'dana' } };
    givenAccess([dana])
      .when({ type: 'DeactivateUser', actor: admin, userId: 'dana' })
      .then(deactivated);
    givenAccess([dana, deactivated])
      .when({ type: 'DeactivateUser', actor: admin, userId: 'dana' })
      .thenNothing();
  });

  it('refuses to deactivate someone who is not a user', () => {
    givenAccess([])
      .when({ type: 'DeactivateUser', actor: admin, userId: 'nobody' })
      .thenRefused('user-unknown', 'userId', 'nobody');
  });
});

describe('tokens', () => {
  const issue = {
    type: 'IssueToken' as const,
    actor: admin,
    userId: 'dana',
    tokenId: TOKEN,
    secretHash: HASH,
    label: 'laptop',
  };

  it('issues a token as the hash of its secret', () => {
    givenAccess([dana]).when(issue).then(danasToken);
  });

  it('refuses a token for a deactivated user, or for nobody', () => {
    givenAccess([dana, { type: 'UserDeactivated.v1', data: { userId: 'dana' } }])
      .when(issue)
      .thenRefused('user-unknown', 'userId', 'dana');
    givenAccess([]).when(issue).thenRefused('user-unknown', 'userId', 'dana');
  });

  it('refuses a token id already issued', () => {
    givenAccess([dana, danasToken]).when(issue).thenRefused('duplicate-id', 'tokenId', TOKEN);
  });

  it('revokes a token once; again it changes nothing; an unknown token is refused', () => {
    const revoke = { type: 'RevokeToken' as const, actor: admin, userId: 'dana', tokenId: TOKEN };
    const revoked: AccessEvent = {
      type: 'TokenRevoked.v1',
      data: { userId: 'dana', tokenId: TOKEN },
    };
    givenAccess([dana, danasToken]).when(revoke).then(revoked);
    givenAccess([dana, danasToken, revoked]).when(revoke).thenNothing();
    givenAccess([dana])
      .when({ ...revoke, tokenId: 'fedcba9876543210' })
      .thenRefused('token-unknown', 'tokenId', 'fedcba9876543210');
  });
});
