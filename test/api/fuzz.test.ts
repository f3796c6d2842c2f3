import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fuzzApi } from '../support/api-fuzzing.ts';
import { type Harness, setUpPool, spendBody, startHarness } from './api-harness.ts';

/** A few thousand of the fuzzer's requests in every run of the tests (see support/api-fuzzing.ts). */
const REQUESTS = 5_000;
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000);

let api: Harness;
beforeAll(async () => {
  api = await startHarness({
    config: {
      limits: {
        bodyLimitBytes: 65_536,
        rateLimitPerMinute: 1_000_000,
        addressRateLimitPerMinute: 10_000_000,
        failedAuthenticationsPerMinute: 1_000,
        requestTimeoutMs: 30_000,
        keepAliveTimeoutMs: 5_000,
        auditPageMax: 500,
      },
    },
  });
  await setUpPool(api);
  await api.post('/pools/herts/years/2017-18/spend', spendBody('s1'), 'officer');
});
afterAll(async () => {
  await api.close();
});

describe(`fuzzing the API with ${REQUESTS.toLocaleString('en-GB')} invalid and boundary requests (seed ${SEED})`, () => {
  it('never answers 5xx, answers every 4xx with a problem, and changes nothing when it refuses', async () => {
    const figures = await fuzzApi(api, REQUESTS, SEED);
    if (figures.failures.length > 0) console.error(figures.failures.slice(0, 5).join('\n'));
    expect(figures.failures).toEqual([]);
    expect(figures.sent).toBe(REQUESTS);
    expect(figures.refused).toBeGreaterThan(REQUESTS * 0.8);
  });
});
