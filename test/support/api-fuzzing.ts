import fc from 'fast-check';
import { routeTable } from '../../src/api/app.ts';
import type { RouteSpec } from '../../src/api/route-kit.ts';
import { mayDo } from '../../src/commands/permissions.ts';
import { type Harness, scheme, spendBody, USERS, type UserName } from '../api/api-harness.ts';
import { referenceData } from './domain.ts';

/**
 * Invalid and boundary requests generated from the routes: valid bodies with fields dropped,
 * added, or replaced by wrong types, huge strings, prototype names, control characters, formulas
 * and amounts such as 0.1 (a number), "1e3", "12.345", "-0", "NaN", the largest accepted and one
 * beyond; odd path parameters and queries. The API must never answer 5xx, every 4xx must be a
 * problem, and a refused request must leave the event log exactly as it was. `npm test` sends a
 * few thousand; `npm run fuzz -- --requests 100000` sends as many as asked and prints the figures.
 */

export const VALID_BODIES: Record<string, Record<string, unknown> | undefined> = {
  '/pools': {
    poolId: 'other',
    name: 'Other pool',
    hwbArea: 'Elsewhere',
    host: { partnerId: 'LA', name: 'A council', kind: 'Local Authority' },
  },
  '/pools/:poolId/partners': { partnerId: 'NEW', name: 'New partner', kind: 'CCG' },
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
    realisedOn: '2017-05-01',
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
  '/pools/:poolId/years/:year/contribution-dues': {
    dueId: 'd1',
    partnerId: 'ENHCCG',
    fundingStream: 'Minimum CCG Contribution',
    amount: '10.00',
    dueOn: '2017-05-01',
    reference: 'x',
  },
  '/pools/:poolId/years/:year/schemes/:schemeId/classification': (() => {
    const { schemeId: _schemeId, ...columns } = scheme('1', 'Specialist Care at Home', 'Other');
    return columns;
  })(),
  '/pools/:poolId/years/:year/budget-profiles': {
    schemeId: '1',
    fundingStream: 'Minimum CCG Contribution',
    profile: { Q1: '10', Q2: '20', Q3: '30', Q4: '40' },
  },
  '/pools/:poolId/years/:year/rag-thresholds': {
    amberAbovePercent: '1.00',
    redAbovePercent: '5.00',
    amberBelowPercent: '10.00',
    redBelowPercent: '25.00',
  },
  '/pools/:poolId/years/:year/credit-notes': {
    creditId: 'cn1',
    creditsSpendId: 's1',
    creditDate: '2017-05-20',
    amount: '1.00',
  },
  '/pools/:poolId/years/:year/spend/:spendId/recode': {
    recodeId: 'rc1',
    toSchemeId: '3',
    toFundingStream: 'Minimum CCG Contribution',
    amount: '1.00',
    reason: 'mis-coded',
  },
  '/pools/:poolId/years/:year/commitments': {
    commitmentId: 'c1',
    schemeId: '1',
    fundingStream: 'Minimum CCG Contribution',
    raisedOn: '2017-05-01',
    amount: '10.00',
  },
  '/pools/:poolId/years/:year/commitments/:commitmentId/release': { reason: 'done' },
  '/pools/:poolId/years/:year/accruals': {
    accrualId: 'acc1',
    schemeId: '1',
    fundingStream: 'Minimum CCG Contribution',
    amount: '10.00',
    description: 'x',
  },
  '/pools/:poolId/years/:year/prior-year-adjustments': {
    adjustmentId: 'pya1',
    correctsYear: '2016-17',
    schemeId: '1',
    fundingStream: 'Minimum CCG Contribution',
    amount: '-1.00',
    description: 'x',
  },
  '/pools/:poolId/years/:year/year-end-terms': {
    steps: ['offset-within-kind', 'contingency', 'share-overspend'],
    contingency: { schemeId: '3', fundingStream: 'iBCF' },
    defaultProfile: { kind: 'commissioner' },
    lineProfiles: [
      {
        schemeId: '1',
        fundingStream: 'Minimum CCG Contribution',
        profile: { kind: 'fixed', shares: [{ partnerId: 'HCC', percentage: '100' }] },
      },
    ],
    defaultUnderspend: 'carry-forward',
    underspend: [{ fundingStream: 'iBCF', treatment: 'return-pro-rata' }],
    unallocated: 'return-to-contributors',
  },
  '/pools/:poolId/years/:year/balance-brought-forward': { fromYear: '2016-17' },
  '/pools/:poolId/years/:year/minimums': {
    minimumSocialCare: '100.00',
    minimumOutOfHospital: '100.00',
  },
  '/pools/:poolId/years/:year/metric-targets': {
    metricId: 'reablement',
    forQuarter: 'Q1',
    target: '83.5',
  },
  '/pools/:poolId/years/:year/metric-actuals': {
    metricId: 'reablement',
    forQuarter: 'Q1',
    value: '82.1',
    status: 'provisional',
  },
  '/pools/:poolId/spend-imports': {
    fileName: 'spend.csv',
    content: Buffer.from(
      'Date,Invoice Number,Supplier Name,Expense Type,Amount\r\n03/05/2017,INV1,Homecare Ltd,Home care,12.50\r\n',
    ).toString('base64'),
    mapping: {
      columns: {
        date: 'Date',
        dateFormats: ['DD/MM/YYYY'],
        amount: 'Amount',
        supplier: 'Supplier Name',
        reference: 'Invoice Number',
      },
      rules: [
        {
          column: 'Expense Type',
          equals: 'Home care',
          schemeId: '1',
          fundingStream: 'Minimum CCG Contribution',
        },
      ],
    },
  },
  '/pools/:poolId/spend-imports/:importId/confirmation': { skipRowsWithProblems: true },
  '/users': { userId: 'fuzzed', name: 'Fuzzed', role: 'auditor', pools: '*' },
  '/users/:userId/tokens': { label: 'x' },
};

export const PARAMETERS: Record<string, string> = {
  poolId: 'herts',
  year: '2017-18',
  schemeId: '1',
  variationId: 'v1',
  virementId: 'vir1',
  grantId: 'g1',
  spendId: 's1',
  commitmentId: 'c1',
  quarter: 'Q1',
  userId: 'officer',
  tokenId: '0123456789abcdef',
  code: 'not-found',
  importId: '0123456789abcdef0123456789abcdef',
};

const oddStrings = fc.constantFrom(
  // Names every object has: ids and names must be data, never properties of a prototype.
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'valueOf',
  // Control characters, as a terminal or a spreadsheet would take them.
  '\u001b[31mred',
  'bell\u0007',
  'tab\tin',
  'line\nbreak',
  // Formulas a spreadsheet would run.
  '=1+1',
  '@SUM(A1)',
  // Amounts at and beyond the largest the ledger accepts.
  '999999999999.99',
  '-999999999999.99',
  '1000000000000.00',
  '999999999999.995',
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
export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
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

/** One request in four has an odd path segment; the others reach their route's handler. */
export const pathMutation = fc.oneof(
  { weight: 3, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: fc.tuple(fc.nat(), fc.oneof(oddStrings, fc.string({ maxLength: 300 }))) },
);
/** One POST in ten is sent as text rather than JSON. */
const sentAsJson = fc.oneof({ weight: 9, arbitrary: fc.constant(true) }, fc.constant(false));

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

export interface FuzzFigures {
  sent: number;
  refused: number;
  byStatus: Map<number, number>;
  /** Refusals by problem type, to show which rules the requests reached. */
  byProblem: Map<string, number>;
  /** Every answer that broke a rule: a 5xx, a 4xx that is no problem, a refusal that wrote. */
  failures: string[];
}

/** Sends `requests` generated requests (from `seed`) to the API and counts what came back. */
export async function fuzzApi(api: Harness, requests: number, seed: number): Promise<FuzzFigures> {
  const figures: FuzzFigures = {
    sent: 0,
    refused: 0,
    byStatus: new Map(),
    byProblem: new Map(),
    failures: [],
  };
  const generator = fc.tuple(fc.constantFrom(...routeTable), mutation, pathMutation, sentAsJson);
  let round = 0;
  while (figures.sent < requests) {
    const batch = fc.sample(generator, {
      numRuns: Math.min(1_000, requests - figures.sent),
      seed: seed + round++,
    });
    for (const [spec, mutate, path, jsonType] of batch) {
      await sendOne(api, figures, spec, mutate, path, jsonType);
    }
  }
  return figures;
}

async function sendOne(
  api: Harness,
  figures: FuzzFigures,
  spec: RouteSpec,
  mutate: Mutation,
  path: [number, string] | undefined,
  jsonType: boolean,
): Promise<void> {
  const url = fuzzedUrl(spec, path);
  const before = await api.store.headPosition();
  const as = callerFor(spec);
  let response: Awaited<ReturnType<typeof api.get>>;
  if (spec.method === 'GET') {
    const mutated = mutate({ asAt: '2017-06-01T00:00:00.000Z' });
    const asAt =
      typeof mutated === 'object' && mutated !== null && 'asAt' in mutated ? mutated.asAt : mutated;
    const text = typeof asAt === 'string' ? asAt : (JSON.stringify(asAt) ?? '');
    const query = new URLSearchParams({ asAt: text.slice(0, 200), limit: '5' });
    response = await api.get(`${url}?${query}`, as);
  } else {
    response = await api.app.inject({
      method: 'POST',
      url,
      headers: {
        authorization: `Bearer ${api.tokens[as]}`,
        'idempotency-key': `fuzz-${figures.sent}-${Math.random()}`,
        'content-type': jsonType ? 'application/json' : 'text/plain',
      },
      payload: JSON.stringify(mutate(VALID_BODIES[spec.url]) ?? null),
    });
  }
  figures.sent += 1;
  const status = response.statusCode;
  figures.byStatus.set(status, (figures.byStatus.get(status) ?? 0) + 1);
  if (status >= 500)
    figures.failures.push(`${spec.method} ${url}: ${status} ${response.body.slice(0, 300)}`);
  if (status < 400) return;
  figures.refused += 1;
  if (!/^application\/problem\+json/.test(String(response.headers['content-type'])))
    figures.failures.push(`${spec.method} ${url}: ${status} not a problem`);
  else {
    const type = String((response.json() as { type?: unknown }).type);
    figures.byProblem.set(type, (figures.byProblem.get(type) ?? 0) + 1);
  }
  const after = await api.store.headPosition();
  if (after !== before)
    figures.failures.push(
      `${spec.method} ${url}: ${status} yet the log moved from ${before} to ${after}`,
    );
}

function fuzzedUrl(spec: RouteSpec, path: [number, string] | undefined): string {
  const url = spec.url.replace(/:([A-Za-z]+)/g, (_, name: string) => PARAMETERS[name] ?? name);
  if (path === undefined) return url;
  const segments = url.split('/');
  segments[1 + (path[0] % Math.max(segments.length - 1, 1))] = encodeURIComponent(path[1]);
  return segments.join('/');
}
