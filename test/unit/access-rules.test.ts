import { describe, it } from 'vitest';
import type { AccessEvent } from '../../src/events/catalogue/index.ts';
import { givenAccess } from '../support/given.ts';

/** Who may use the ledger: users, their roles and scopes, and their tokens. */

const HASH = 'a'.repeat(64);
const TOKEN = '0123456789abcdef';

const registered = (userId: string, role: string, pools: '*' | string[]): AccessEvent =>
  ({ type: 'UserRegistered.v1', data: { userId, name: userId, role, pools } }) as AccessEvent;

/** An administrator of every pool, one of pool herts only, and an officer of herts. */
const admins = [registered('root', 'admin', '*'), registered('herts-admin', 'admin', ['herts'])];
const dana = registered('dana', 'finance-officer', ['herts']);
const danasToken: AccessEvent = {
  type: 'TokenIssued.v1',
  data: { userId: 'dana', tokenId: TOKEN, secretHash: HASH, label: 'laptop' },
};
const root = { id: 'root', role: 'admin' as const };
const hertsAdmin = { id: 'herts-admin', role: 'admin' as const };

const register = (userId: string, pools: '*' | string[], role = 'finance-officer' as const) => ({
  type: 'RegisterUser' as const,
  userId,
  name: userId,
  role,
  pools,
});

describe('registering users', () => {
  it('registers a user with a role and a pool scope', () => {
    givenAccess(admins)
      .when({ ...register('dana', ['herts']), actor: root })
      .then(dana);
  });

  it('refuses a user id already taken, naming it', () => {
    givenAccess([...admins, dana])
      .when({ ...register('dana', '*'), actor: root })
      .thenRefused('duplicate-id', 'userId', 'dana');
  });

  it('lets an administrator register users only within the pools it administers', () => {
    givenAccess(admins)
      .when({ ...register('dana', ['herts']), actor: hertsAdmin })
      .then(dana);
    givenAccess(admins)
      .when({ ...register('eve', ['herts', 'beds']), actor: hertsAdmin })
      .thenRefused('outside-scope', 'pools');
  });

  it('lets only an administrator of every pool make a user of every pool', () => {
    givenAccess(admins)
      .when({ ...register('eve', '*', 'admin' as never), actor: hertsAdmin })
      .thenRefused('outside-scope', 'pools', '*');
    givenAccess(admins)
      .when({ ...register('eve', '*'), actor: root })
      .then(registered('eve', 'finance-officer', '*'));
  });

  it('refuses anyone but an active administrator, and lets the system do it', () => {
    givenAccess([...admins, dana])
      .when({ ...register('eve', ['herts']), actor: { id: 'dana', role: 'admin' } })
      .thenRefused('admin-role-required', 'actor', 'dana');
    givenAccess([])
      .when({ ...register('root', '*', 'admin' as never), actor: { id: 'system', role: 'system' } })
      .then(registered('root', 'admin', '*'));
  });
});

describe('deactivating users', () => {
  it('deactivates an active user once; again it changes nothing', () => {
    const deactivated: AccessEvent = { type: 'UserDeactivated.v1', data: { userId: 'dana' } };
    givenAccess([...admins, dana])
      .when({ type: 'DeactivateUser', actor: root, userId: 'dana' })
      .then(deactivated);
    givenAccess([...admins, dana, deactivated])
      .when({ type: 'DeactivateUser', actor: root, userId: 'dana' })
      .thenNothing();
  });

  it('refuses to deactivate someone who is not a user', () => {
    givenAccess(admins)
      .when({ type: 'DeactivateUser', actor: root, userId: 'nobody' })
      .thenRefused('user-unknown', 'userId', 'nobody');
  });

  it('refuses to deactivate the last active administrator', () => {
    givenAccess([registered('root', 'admin', '*')])
      .when({ type: 'DeactivateUser', actor: root, userId: 'root' })
      .thenRefused('last-admin', 'userId', 'root');
    givenAccess(admins)
      .when({ type: 'DeactivateUser', actor: root, userId: 'herts-admin' })
      .then({ type: 'UserDeactivated.v1', data: { userId: 'herts-admin' } });
  });

  it('refuses an administrator who manages users beyond its pools', () => {
    givenAccess(admins)
      .when({ type: 'DeactivateUser', actor: hertsAdmin, userId: 'root' })
      .thenRefused('outside-scope', 'userId', 'root');
  });
});

describe('tokens', () => {
  const issue = {
    type: 'IssueToken' as const,
    actor: root,
    userId: 'dana',
    tokenId: TOKEN,
    secretHash: HASH,
    label: 'laptop',
  };

  it('issues a token as the hash of its secret', () => {
    givenAccess([...admins, dana])
      .when(issue)
      .then(danasToken);
  });

  it('lets an administrator issue tokens only to users within its pools', () => {
    givenAccess([...admins, dana])
      .when({ ...issue, actor: hertsAdmin })
      .then(danasToken);
    givenAccess([...admins, registered('cfo', 'cfo', ['beds'])])
      .when({ ...issue, actor: hertsAdmin, userId: 'cfo' })
      .thenRefused('outside-scope', 'userId', 'cfo');
  });

  it('refuses a token for a deactivated user, or for nobody', () => {
    givenAccess([...admins, dana, { type: 'UserDeactivated.v1', data: { userId: 'dana' } }])
      .when(issue)
      .thenRefused('user-unknown', 'userId', 'dana');
    givenAccess(admins).when(issue).thenRefused('user-unknown', 'userId', 'dana');
  });

  it('refuses a token id already issued', () => {
    givenAccess([...admins, dana, danasToken])
      .when(issue)
      .thenRefused('duplicate-id', 'tokenId', TOKEN);
  });

  it('revokes a token once; again it changes nothing; an unknown token is refused', () => {
    const revoke = { type: 'RevokeToken' as const, actor: root, userId: 'dana', tokenId: TOKEN };
    const revoked: AccessEvent = {
      type: 'TokenRevoked.v1',
      data: { userId: 'dana', tokenId: TOKEN },
    };
    givenAccess([...admins, dana, danasToken])
      .when(revoke)
      .then(revoked);
    givenAccess([...admins, dana, danasToken, revoked])
      .when(revoke)
      .thenNothing();
    givenAccess([...admins, dana])
      .when({ ...revoke, tokenId: 'fedcba9876543210' })
      .thenRefused('token-unknown', 'tokenId', 'fedcba9876543210');
  });
});
