import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeTable } from '../../src/api/app.ts';
import { mayDo } from '../../src/api/permissions.ts';
import type { RouteSpec } from '../../src/api/route-kit.ts';
import { referenceData } from '../support/domain.ts';
import {
  type Harness,
  scheme,
  setUpPool,
  spendBody,
  startHarness,
  USERS,
  type UserName,
} from './api-harness.ts';

/**
 * Invalid and boundary requests generated from the routes: valid bodies with fields dropped,
 * added, or replaced by wrong types, huge strings and amounts such as 0.1 (a number), "1e3",
 * "12.345", "-0", "NaN" and unicode digits; odd path parameters, queries and headers. The API
 * must never answer 5xx, every 4xx must be a problem, and a refused request must leave the event
 * log exactly as it was.
 */
const REQUESTS = 10_000;

const VALID_BODIES: Record<string, Record<string, unknown> | undefined> = {
  '/pools': {
    poolId: 'other',
    name: 'Other pool',
    hwbArea: 'Elsewhere',
    host: { partnerId: 'LA', name: 'A council', kind: 'Local Authority' },
  },
  '/pools/:poolId/partners': { partnerId: 'NEW', name: 'New partner', kind: 'CCG' },
  '/pools/:poolId/risk-share-terms': { basis: 'none', fixedShares: [] },
  '/pools/:poolId/years': { year: '2018-19', referenceData },
  '/pools/:poolId/schemes': scheme('20', 'New scheme', 'Other'),
  '/pools/:poolId/schemes/:schemeId/amendments': { changes: { description: 'changed' } },
  '/pools/:poolId/years/:year/contributions': {
    partnerId: 'HCC',
    fundingStream: 'Additional LA Contribution',
    amount: '1000.00',
  },
  '/pools/:poolId/years/:year/contribution-variations': {
    variationId: 'v1',
    partnerId: 'ENHCCG',
    fundingStream: 'Minimum CCG Contribution',
    change: '10.00',
  },
  '/pools/:poolId/years/:year/contribution-receipts': {
    receiptId: 'r1',
    partnerId: 'ENHCCG',
    fundingStream: 'Minimum CCG Contribution',
    amount: '10.00',
    receivedOn: '2017-05-01',
    reference: 'x',
  },
  '/pools/:poolId/years/:year/grants': {
    grantId: 'g1',
    fundingStream: 'iBCF',
    amount: '10.00',
    awardedOn: '2017-04-01',
    determinationReference: 'x',
  },
  '/pools/:poolId/years/:year/grants/:grantId/instalments': {
    instalmentId: 'i1',
    amount: '1.00',
    receivedOn: '2017-05-01',
    reference: 'x',
  },
  '/pools/:poolId/years/:year/allocations': {
    allocationId: 'a9',
    schemeId: '1',
    fundingStream: 'Minimum CCG Contribution',
    amount: '10.00',
  },
  '/pools/:poolId/years/:year/allocation-releases': {
    releaseId: 'r9',
    schemeId: '1',
    fundingStream: 'Minimum CCG Contribution',
    amount: '1.00',
  },
  '/pools/:poolId/years/:year/virements': {
    virementId: 'vir1',
    fundingStream: 'Minimum CCG Contribution',
    fromSchemeId: '1',
    toSchemeId: '3',
    amount: '1.00',
  },
  '/pools/:poolId/years/:year/spend': spendBody('fuzz'),
  '/pools/:poolId/years/:year/spend/:spendId/reversal': { reversalId: 'rev1', reason: 'mistake' },
  '/pools/:poolId/years/:year/forecasts': {
    schemeId: '1',
    fundingStream: 'Minimum CCG Contribution',
    quarter: 'Q1',
    forecastOutturn: '600000.00',
  },
  '/pools/:poolId/years/:year/savings': {
    savingId: 'sv1',
    schemeId: '1',
    amount: '10.00',
    cashable: true,
    description: 'x',
  },
  '/pools/:poolId/years/:year/realised-savings': {
    realisationId: 'rs1',
    schemeId: '1',
    quarter: 'Q1',
    amount: '1.00',
    evidence: 'x',
  },
  '/pools/:poolId/years/:year/prior-period-adjustments': {
    adjustmentId: 'p1',
    closedQuarter: 'Q1',
    schemeId: '1',
    fundingStream: 'Minimum CCG Contribution',
    amount: '1.00',
    description: 'x',
  },
  '/users': { userId: 'fuzzed', name: 'Fuzzed', role: 'auditor', pools: '*' },
  '/users/:userId/tokens': { label: 'x' },
};

const PARAMETERS: Record<string, string> = {
  poolId: 'herts',
  year: '2017-18',
  schemeId: '1',
  variationId: 'v1',
  virementId: 'vir1',
  grantId: 'g1',
  spendId: 's1',
  quarter: 'Q1',
  userId: 'officer',
  tokenId: '0123456789abcdef',
  code: 'not-found',
};

const oddStrings = fc.constantFrom(
  '0.1',
  '1e3',
  '12.345',
  '-0',
  '-0.00',
  'NaN',
  'Infinity',
  '١٢٣',
  '１２',
  '',
  ' ',
  '\u0000',
  '£10',
  '1,000',
  '9999999999999.99',
  '../../etc',
  '"; DROP TABLE events; --',
  '𝟙𝟚',
  'Q5',
  '2017-13-45',
);
const oddValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: oddStrings },
  fc.integer(),
  fc.double(),
  fc.constantFrom(0.1, -0, 1e3, Number.MAX_SAFE_INTEGER),
  fc.boolean(),
  fc.constant(null),
  fc.string({ maxLength: 30 }),
  fc.constant('x'.repeat(100_000)),
  fc.array(fc.jsonValue(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue(), { maxKeys: 3 }),
);

type Mutation = (body: Record<string, unknown> | undefined) => unknown;
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.nat().map(
    (index): Mutation =>
      (body) => {
        const keys = Object.keys(body ?? {});
        const { [keys[index % Math.max(keys.length, 1)] ?? '']: _dropped, ...rest } = body ?? {};
        return rest;
      },
  ),
  fc.tuple(fc.string({ minLength: 1, maxLength: 12 }), oddValue).map(
    ([key, value]): Mutation =>
      (body) => ({ ...body, [key]: value }),
  ),
  fc.tuple(fc.nat(), oddValue).map(
    ([index, value]): Mutation =>
      (body) => {
        const keys = Object.keys(body ?? {});
        const key = keys[index % Math.max(keys.length, 1)] ?? 'amount';
        return { ...body, [key]: value };
      },
  ),
  oddValue.map(
    (value): Mutation =>
      () =>
        value,
  ),
  fc.tuple(fc.nat(), oddValue).map(
    ([index, value]): Mutation =>
      (body) => {
        const keys = Object.keys(body ?? {}).filter(
          (key) => typeof body?.[key] === 'object' && body[key] !== null,
        );
        const key = keys[index % Math.max(keys.length, 1)];
        return key === undefined
          ? { ...body, nested: value }
          : { ...body, [key]: { ...(body?.[key] as object), odd: value } };
      },
  ),
);

const pathMutation = fc.option(
  fc.tuple(fc.nat(), fc.oneof(oddStrings, fc.string({ maxLength: 300 }))),
  { nil: undefined },
);

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

function callerFor(spec: RouteSpec): UserName {
  if (spec.permission === 'public') return 'auditor';
  const names = Object.keys(USERS) as UserName[];
  return (
    names.find(
      (name) => USERS[name].pools === '*' && mayDo(USERS[name].role, spec.permission as never),
    ) ??
    names.find((name) => mayDo(USERS[name].role, spec.permission as never)) ??
    'admin'
  );
}

describe(`fuzzing the API with ${REQUESTS.toLocaleString('en-GB')} invalid and boundary requests`, () => {
  it('never answers 5xx, answers every 4xx with a problem, and changes nothing when it refuses', async () => {
    let sent = 0;
    let refused = 0;
    const failures: string[] = [];
    await fc
      .assert(
        fc.asyncProperty(
          fc.constantFrom(...routeTable),
          mutation,
          pathMutation,
          fc.boolean(),
          async (spec, mutate, path, jsonType) => {
            let url = spec.url.replace(
              /:([A-Za-z]+)/g,
              (_, name: string) => PARAMETERS[name] ?? name,
            );
            if (path !== undefined) {
              const segments = url.split('/');
              const index = 1 + (path[0] % Math.max(segments.length - 1, 1));
              segments[index] = encodeURIComponent(path[1]);
              url = segments.join('/');
            }
            const before = await api.store.headPosition();
            const as = callerFor(spec);
            let response: Awaited<ReturnType<typeof api.get>>;
            if (spec.method === 'GET') {
              const mutated = mutate({ asAt: '2017-06-01T00:00:00.000Z' });
              const asAt =
                typeof mutated === 'object' && mutated !== null && 'asAt' in mutated
                  ? mutated.asAt
                  : mutated;
              const text = typeof asAt === 'string' ? asAt : (JSON.stringify(asAt) ?? '');
              const query = new URLSearchParams({ asAt: text.slice(0, 200), limit: '5' });
              response = await api.get(`${url}?${query}`, as);
            } else {
              const body = mutate(VALID_BODIES[spec.url]);
              const payload = JSON.stringify(body ?? null);
              response = await api.app.inject({
                method: 'POST',
                url,
                headers: {
                  authorization: `Bearer ${api.tokens[as]}`,
                  'idempotency-key': `fuzz-${sent}`,
                  'content-type': jsonType ? 'application/json' : 'text/plain',
                },
                payload,
              });
            }
            sent += 1;
            const problems: string[] = [];
            const status = response.statusCode;
            if (status >= 500)
              problems.push(`${spec.method} ${url}: ${status} ${response.body.slice(0, 300)}`);
            if (status >= 400) {
              refused += 1;
              if (!/^application\/problem\+json/.test(String(response.headers['content-type']))) {
                problems.push(`${spec.method} ${url}: ${status} not a problem`);
              }
              const after = await api.store.headPosition();
              if (after !== before)
                problems.push(
                  `${spec.method} ${url}: ${status} yet the log moved from ${before} to ${after}`,
                );
            }
            failures.push(...problems);
            return problems.length === 0;
          },
        ),
        { numRuns: REQUESTS, endOnFailure: true },
      )
      .finally(() => {
        // The requests as sent: the counterexample alone shows only the mutation.
        if (failures.length > 0) console.error(failures.slice(0, 5).join('\n'));
      });
    expect(failures).toEqual([]);
    expect(sent).toBeGreaterThanOrEqual(REQUESTS);
    expect(refused).toBeGreaterThan(REQUESTS * 0.8);
  }, 600_000);
});
