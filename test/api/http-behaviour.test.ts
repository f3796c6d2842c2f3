import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import {
  type Harness,
  POOL_URL,
  setUpPool,
  spendBody,
  startHarness,
  YEAR_URL,
} from './api-harness.ts';

/** ETags and If-Match, limits, malformed requests, logging, and what a failure may reveal. */
let api: Harness | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

describe('ETag and If-Match', () => {
  it('returns the stream version as the ETag and applies a write only at that version', async () => {
    api = await startHarness();
    await setUpPool(api);
    const read = await api.get(`${YEAR_URL}/balances`, 'officer');
    const tag = read.headers.etag as string;
    expect(tag).toMatch(/^"l\d+"$/);
    const applied = await api.post(`${YEAR_URL}/spend`, spendBody('s1'), 'officer', {
      'if-match': tag,
    });
    expect(applied.statusCode).toBe(201);
    expect(applied.headers.etag).toBe(`"l${Number(tag.slice(2, -1)) + 1}"`);
    const stale = await api.post(`${YEAR_URL}/spend`, spendBody('s2'), 'officer', {
      'if-match': tag,
    });
    expect(stale.statusCode).toBe(412);
    expect(stale.json()).toMatchObject({ type: '/problems/version-mismatch', field: 'If-Match' });
    const poolTag = (await api.get(POOL_URL, 'officer')).headers.etag as string;
    const wrongKind = await api.post(`${YEAR_URL}/spend`, spendBody('s3'), 'officer', {
      'if-match': poolTag,
    });
    expect(wrongKind.json().type).toBe('/problems/precondition-failed');
    const events = (await api.store.readAll(1, { limit: 10_000 })).events.filter(
      (event) => event.type === 'SpendRecorded.v1',
    );
    expect(events).toHaveLength(1);
  });
});

describe('limits and malformed requests', () => {
  it('refuses a body over the limit with 413, a non-JSON body with 415, broken JSON with 400', async () => {
    api = await startHarness({
      config: { limits: { ...loadConfig({}).limits, bodyLimitBytes: 2_048 } },
    });
    await setUpPool(api);
    const big = await api.post(
      `${YEAR_URL}/spend`,
      { ...spendBody('s1'), description: 'x'.repeat(5_000) },
      'officer',
    );
    expect(big.statusCode).toBe(413);
    expect(big.json().type).toBe('/problems/payload-too-large');
    const headers = { authorization: `Bearer ${api.tokens.officer}`, 'idempotency-key': 'k1' };
    const text = await api.app.inject({
      method: 'POST',
      url: `${YEAR_URL}/spend`,
      headers: { ...headers, 'content-type': 'text/csv' },
      payload: 'a,b',
    });
    expect(text.statusCode).toBe(415);
    expect(text.json().type).toBe('/problems/unsupported-media-type');
    const broken = await api.app.inject({
      method: 'POST',
      url: `${YEAR_URL}/spend`,
      headers: { ...headers, 'content-type': 'application/json' },
      payload: '{"spendId": ',
    });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().type).toBe('/problems/malformed-json');
    expect((await api.get('/nowhere', 'officer')).json().type).toBe('/problems/not-found');
  });

  it('names every invalid field in a validation problem', async () => {
    api = await startHarness();
    await setUpPool(api);
    const response = await api.post(
      `${YEAR_URL}/spend`,
      { ...spendBody('s1'), amount: 12.5, quarter: 'Q9', colour: 'red' },
      'officer',
    );
    expect(response.statusCode).toBe(400);
    const fields = response.json().errors.map((error: { field: string }) => error.field);
    expect(fields).toEqual(expect.arrayContaining(['body.amount', 'body.quarter']));
    expect(response.json().detail).toContain('colour');
  });

  it('limits each caller to its requests per minute, with Retry-After', async () => {
    api = await startHarness({
      config: { limits: { ...loadConfig({}).limits, rateLimitPerMinute: 5 } },
    });
    const statuses: number[] = [];
    for (let index = 0; index < 7; index++)
      statuses.push((await api.get('/pools', 'auditor')).statusCode);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    const limited = await api.get('/pools', 'auditor');
    expect(limited.headers['retry-after']).toMatch(/^\d+$/);
    expect(limited.json().type).toBe('/problems/rate-limited');
    expect((await api.get('/pools', 'officer')).statusCode).toBe(200);
  });
});

describe('failures and logs', () => {
  it('answers an unexpected failure with a bare 500 problem: no stack, no SQL, no path', async () => {
    const lines: string[] = [];
    api = await startHarness({
      logStream: sink(lines),
      wrap: (deps) => ({
        ...deps,
        writeFace: {
          ...deps.writeFace,
          execute: () =>
            Promise.reject(
              new Error(
                'SQLITE_CORRUPT: database disk image is malformed at /var/lib/ledger.sqlite',
              ),
            ),
        },
      }),
    });
    const response = await api.post(
      '/pools/herts/partners',
      { partnerId: 'X', name: 'X', kind: 'CCG' },
      'admin',
    );
    expect(response.statusCode).toBe(500);
    expect(response.json()).toMatchObject({ type: '/problems/internal-error' });
    expect(response.body).not.toMatch(/SQLITE|\/var\/lib|at .*:\d+/);
    expect(lines.some((line) => line.includes('SQLITE_CORRUPT'))).toBe(true);
  });

  it('writes one log line per request, with id, caller, route, status and duration, and never a token', async () => {
    const lines: string[] = [];
    api = await startHarness({ logStream: sink(lines) });
    await api.get(POOL_URL, 'officer');
    await api.post('/users/officer/tokens', { label: 'second' }, 'admin');
    await api.get('/pools', null);
    const requests = lines
      .map((line) => JSON.parse(line))
      .filter((entry) => entry.msg === 'request');
    expect(requests).toHaveLength(3);
    expect(requests[0]).toMatchObject({
      caller: 'officer',
      method: 'GET',
      route: '/pools/:poolId',
      status: 404,
    });
    expect(requests[0].reqId).toEqual(expect.any(String));
    expect(requests[0].durationMs).toEqual(expect.any(Number));
    expect(requests[2]).toMatchObject({ caller: null, status: 401 });
    const everything = lines.join('\n');
    for (const token of Object.values(api.tokens)) expect(everything).not.toContain(token.slice(4));
    expect(everything).not.toMatch(/bcf_[0-9a-f]{16}_/);
  });
});

function sink(lines: string[]): Writable {
  return new Writable({
    write(chunk, _encoding, done) {
      lines.push(
        ...String(chunk)
          .split('\n')
          .filter((line) => line.length > 0),
      );
      done();
    },
  });
}
