import { parseArgs } from 'node:util';
import { setUpPool, spendBody, startHarness } from '../test/api/api-harness.ts';
import { fuzzApi } from '../test/support/api-fuzzing.ts';

/**
 * The API fuzzer on as many requests as asked, outside `npm test`:
 *
 *   npm run fuzz -- --requests 100000 [--seed 42]
 *
 * Prints how many were sent, the answers by status, how many answered 5xx, and how many refused
 * requests changed the event log (both must be 0); exits 1 if any did.
 */
const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '100000' },
    seed: { type: 'string', default: String(Date.now() % 1_000_000) },
  },
});
const requests = Number(values.requests);
const seed = Number(values.seed);
const api = await startHarness({
  config: {
    limits: {
      bodyLimitBytes: 65_536,
      rateLimitPerMinute: 10_000_000,
      addressRateLimitPerMinute: 10_000_000,
      failedAuthenticationsPerMinute: 1_000,
      requestTimeoutMs: 30_000,
      keepAliveTimeoutMs: 5_000,
      auditPageMax: 500,
    },
  },
});
try {
  await setUpPool(api);
  await api.post('/pools/herts/years/2017-18/spend', spendBody('s1'), 'officer');
  const started = process.hrtime.bigint();
  const figures = await fuzzApi(api, requests, seed);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const statuses = [...figures.byStatus].sort(([a], [b]) => a - b);
  const serverErrors = statuses
    .filter(([status]) => status >= 500)
    .reduce((sum, [, n]) => sum + n, 0);
  const wrote = figures.failures.filter((failure) => failure.includes('yet the log moved')).length;
  process.stdout.write(
    [
      `fuzzed the API with ${figures.sent} requests (seed ${seed}) in ${seconds.toFixed(1)} s`,
      `answers by status: ${statuses.map(([status, n]) => `${status}: ${n}`).join(', ')}`,
      `refused: ${figures.refused}; answered 5xx: ${serverErrors}; refused yet changed the log: ${wrote}`,
      `refusals by problem: ${[...figures.byProblem]
        .sort(([, a], [, b]) => b - a)
        .map(([type, n]) => `${type.replace('/problems/', '')} ${n}`)
        .join(', ')}`,
      ...figures.failures.slice(0, 10).map((failure) => `  ${failure}`),
      '',
    ].join('\n'),
  );
  process.exitCode = figures.failures.length === 0 ? 0 : 1;
} finally {
  await api.close();
}
