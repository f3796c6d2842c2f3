import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeTable } from '../../src/api/app.ts';
import { mayDo, ROLE_PERMISSIONS } from '../../src/api/permissions.ts';
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
const CALLERS: (UserName | null)[] = [null, 'admin', 'officer', 'cfo', 'auditor', 'outsider'];

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
    expect(ROLE_PERMISSIONS.auditor).toEqual(['read']);
    for (const spec of writes)
      expect(
        spec.permission !== 'public' && mayDo('auditor', spec.permission),
        `${spec.method} ${spec.url}`,
      ).toBe(false);
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
