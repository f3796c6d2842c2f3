import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { routeTable } from '../../src/api/app.ts';
import { mayDo, ROLE_PERMISSIONS } from '../../src/commands/permissions.ts';
import { type Harness, setUpPool, startHarness, USERS, type UserName } from './api-harness.ts';

/**
 * Every route of the route table against every kind of caller: no token, each role, and a CFO
 * whose scope is another pool. Generated from the table, so a new route is covered by being added.
 */
const PARAMETERS: Record<string, string> = {
  poolId: 'herts',
  year: '2017-18',
  schemeId: '1',
  variationId: 'v-none',
  virementId: 'vir-none',
  grantId: 'g-none',
  spendId: 's-none',
  quarter: 'Q4',
  userId: 'someone',
  tokenId: '0123456789abcdef',
  code: 'not-found',
};
const CALLERS: (UserName | null)[] = [
  null,
  'admin',
  'hertsAdmin',
  'elsewhereAdmin',
  'officer',
  'officer:x',
  'cfo',
  'auditor',
  'outsider',
];

let api: Harness;
beforeAll(async () => {
  api = await startHarness();
  await setUpPool(api);
});
afterAll(async () => {
  await api.close();
});

describe('role x route matrix', () => {
  it('gives auditors no write permission at all', () => {
    const writes = routeTable.filter((spec) => spec.method === 'POST');
    expect(writes.length).toBeGreaterThan(25);
    expect(ROLE_PERMISSIONS.auditor).toEqual(['read-set-up', 'read']);
    for (const spec of writes)
      expect(
        spec.permission !== 'public' && mayDo('auditor', spec.permission),
        `${spec.method} ${spec.url}`,
      ).toBe(false);
  });

  it('gives administrators no finance permission', () => {
    expect(ROLE_PERMISSIONS.admin).toEqual(['read-set-up', 'set-up', 'administer-users']);
  });

  it('refuses every route to callers without the permission or the pool, and lets the others through', async () => {
    const unexpected: string[] = [];
    let checked = 0;
    for (const spec of routeTable) {
      const url = spec.url.replace(/:([A-Za-z]+)/g, (_, name: string) => PARAMETERS[name] ?? name);
      for (const caller of CALLERS) {
        const response =
          spec.method === 'POST' ? await api.post(url, {}, caller) : await api.get(url, caller);
        const status = response.statusCode;
        const type = status >= 400 ? (response.json() as { type: string }).type : '';
        const label = `${spec.method} ${spec.url} as ${caller ?? 'nobody'}: ${status} ${type}`;
        checked += 1;
        if (spec.permission === 'public') {
          if (status === 401 || status === 403) unexpected.push(label);
          continue;
        }
        if (caller === null) {
          if (status !== 401 || type !== '/problems/unauthenticated') unexpected.push(label);
          continue;
        }
        const user = USERS[caller];
        const permitted = mayDo(user.role, spec.permission);
        const inScope =
          spec.scope === 'none' ||
          user.pools === '*' ||
          (spec.scope === 'pool' && (user.pools as readonly string[]).includes('herts'));
        if (!permitted || !inScope) {
          if (status >= 200 && status < 300) unexpected.push(`${label} (an unexpected 2xx)`);
        }
        if (!permitted) {
          if (status !== 403 || type !== '/problems/forbidden') unexpected.push(label);
        } else if (!inScope) {
          if (status !== 403 || type !== '/problems/out-of-scope') unexpected.push(label);
        } else if (
          type === '/problems/forbidden' ||
          type === '/problems/out-of-scope' ||
          status === 401
        ) {
          unexpected.push(label);
        }
      }
    }
    expect(checked).toBe(routeTable.length * CALLERS.length);
    expect(unexpected).toEqual([]);
  });
});

describe('user administration bound by pool scope', () => {
  // Each test on a ledger of its own: the matrix above withdraws schemes and closes quarters.
  let api: Harness;
  beforeEach(async () => {
    api = await startHarness();
    await setUpPool(api);
  });
  afterEach(async () => {
    await api.close();
  });

  const issue = (userId: string, as: UserName) =>
    api.post(`/users/${encodeURIComponent(userId)}/tokens`, { label: 'stolen' }, as);

  it('refuses an administrator of another pool tokens for this pool’s people, a user of every pool, or their deactivation', async () => {
    for (const userId of ['cfo', 'officer', 'admin']) {
      const refused = await issue(userId, 'elsewhereAdmin');
      expect(refused.statusCode, refused.body).toBe(403);
      expect(refused.json().type).toBe('/problems/outside-scope');
    }
    const everyPool = await api.post(
      '/users',
      { userId: 'mallory', name: 'Mallory', role: 'admin', pools: '*' },
      'elsewhereAdmin',
    );
    expect(everyPool.json().type).toBe('/problems/outside-scope');
    const deactivation = await api.post('/users/cfo/deactivation', undefined, 'elsewhereAdmin');
    expect(deactivation.json().type).toBe('/problems/outside-scope');
    expect(
      (await api.get('/users', 'elsewhereAdmin'))
        .json()
        .users.map((user: { userId: string }) => user.userId),
    ).toEqual(['outsider', 'elsewhereAdmin']);
  });

  it('lets an administrator of this pool issue a token to its people, but read none of its money', async () => {
    const issued = await issue('officer', 'hertsAdmin');
    expect(issued.statusCode, issued.body).toBe(201);
    expect((await api.get('/pools/herts/years/2017-18/balances', 'hertsAdmin')).json().type).toBe(
      '/problems/forbidden',
    );
    expect((await api.get('/pools/herts', 'hertsAdmin')).statusCode).toBe(200);
  });

  it('keeps the keys of users whose ids hold a colon apart from everyone else’s', async () => {
    const spend = (spendId: string) => ({
      spendId,
      schemeId: '1',
      fundingStream: 'Minimum CCG Contribution',
      quarter: 'Q1',
      spendDate: '2017-05-02',
      amount: '10.00',
    });
    const first = await api.post('/pools/herts/years/2017-18/spend', spend('colon-1'), 'officer', {
      'idempotency-key': 'x:k',
    });
    const second = await api.post(
      '/pools/herts/years/2017-18/spend',
      spend('colon-2'),
      'officer:x',
      {
        'idempotency-key': 'k',
      },
    );
    expect([first.statusCode, second.statusCode], first.body + second.body).toEqual([201, 201]);
    expect(second.headers['idempotent-replayed']).toBeUndefined();
  });

  it('records with every event the token it was made with, and the audit trail finds them by it', async () => {
    const token = api.tokens.officer;
    const tokenId = /^bcf_([0-9a-f]{16})_/.exec(token)?.[1] ?? '';
    const recorded = await api.post(
      '/pools/herts/years/2017-18/forecasts',
      {
        schemeId: '1',
        fundingStream: 'Minimum CCG Contribution',
        quarter: 'Q1',
        forecastOutturn: '600000.00',
      },
      'officer',
    );
    expect(recorded.statusCode, recorded.body).toBe(201);
    const trail = (await api.get(`/audit?credentialId=token:${tokenId}`, 'auditor')).json();
    expect(trail.entries.length).toBeGreaterThan(0);
    for (const entry of trail.entries) {
      expect(entry.credentialId).toBe(`token:${tokenId}`);
      expect(entry.actor.id).toBe('officer');
    }
    const issued = (await api.get('/audit?type=TokenIssued.v1', 'auditor')).json();
    expect(JSON.stringify(issued)).not.toContain('secretHash');
  });
});
