import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_ENTERED_AMOUNT } from '#money';
import { type Harness, startHarness } from '../api/api-harness.ts';
import { referenceData } from '../support/domain.ts';

/**
 * Random histories of commands sent through the API, whose every id and name is drawn from names
 * every JavaScript object already has (`__proto__`, `constructor`, `toString`...) and whose
 * amounts sit at or near the largest an entry may have. Where an id's grammar refuses a name
 * (`__proto__` is not a code) the command is refused with a problem; every other is recorded.
 * After every step: no answer was a 5xx, every read route answers 2xx in JSON, CSV and workbook,
 * the read model rebuilds, and verification of the whole ledger passes.
 */
const HOSTILE = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'prototype'];
const YEAR = '2017-18';
const AMOUNTS = [MAX_ENTERED_AMOUNT, '999999999999.98', '33333333333.33', '0.01', '1000.00'];

/**
 * Ids mostly of things the pool set up (so that histories are mostly accepted), sometimes any
 * prototype name (so that unknown and ungrammatical ids are tried as well).
 */
const SCHEMES = ['constructor', 'toString', 'hasOwnProperty'];
const STREAMS = ['__proto__', 'constructor', 'toString'];
const SCHEME_TYPES = ['Other', 'Other', 'DFG - Adaptations'];
const PARTNERS = ['constructor', 'toString', 'hasOwnProperty'];
const mostly = (known: string[]) =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...known) },
    { weight: 1, arbitrary: fc.constantFrom(...HOSTILE) },
  );
const id = fc.constantFrom(...HOSTILE);
const schemeId = mostly(SCHEMES);
/** A budget line (with the partner contributing to its stream) the pool set up, mostly. */
const line = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.integer({ min: 0, max: SCHEMES.length - 1 }).map((index) => ({
      schemeId: SCHEMES[index] as string,
      fundingStream: STREAMS[index] as string,
      partnerId: PARTNERS[index] as string,
    })),
  },
  { weight: 1, arbitrary: fc.record({ schemeId: id, fundingStream: id, partnerId: id }) },
);
type LineField = 'schemeId' | 'fundingStream' | 'partnerId';
const withLine = <T extends Record<string, unknown>, K extends LineField>(
  fields: { [F in keyof T]: fc.Arbitrary<T[F]> },
  ...keys: K[]
): fc.Arbitrary<T & Record<K, string>> =>
  fc
    .tuple(fc.record(fields), line)
    .map(
      ([own, drawn]) =>
        ({ ...own, ...Object.fromEntries(keys.map((key) => [key, drawn[key]])) }) as T &
          Record<K, string>,
    );
const amount = fc.constantFrom(...AMOUNTS);
const change = fc.constantFrom(...AMOUNTS, ...AMOUNTS.map((value) => `-${value}`));
const quarter = fc.constantFrom('Q1', 'Q2');

/** One request of a history: where it goes, what it carries, who sends it. */
interface Step {
  readonly kind: string;
  readonly url: string;
  readonly body?: Record<string, unknown>;
  readonly as: 'officer' | 'cfo' | 'admin';
}

const inYear = (path: string) => `/years/${YEAR}${path}`;
const step = (kind: string, url: string, as: Step['as'], body?: Record<string, unknown>): Step =>
  body === undefined ? { kind, url, as } : { kind, url, as, body };

function schemeBody(schemeId: string, name: string, schemeType = 'Other') {
  return {
    schemeId,
    name,
    schemeType,
    description: name,
    areaOfSpend: 'Social Care',
    commissioner: 'Local Authority',
    provider: 'Local Authority',
    newOrExisting: 'Existing',
  };
}

const spend = withLine({ spendId: id, amount, quarter }, 'schemeId', 'fundingStream').map((b) =>
  step('spend', inYear('/spend'), 'officer', {
    ...b,
    spendDate: b.quarter === 'Q1' ? '2017-05-02' : '2017-08-02',
    supplier: b.spendId,
    erpReference: b.spendId,
    description: b.fundingStream,
    ...(b.fundingStream === 'constructor' ? { ibcfPurpose: 'reducing-nhs-pressures' } : {}),
  }),
);
const reversal = (spendId: string, reversalId: string) =>
  step('reversal', inYear(`/spend/${spendId}/reversal`), 'officer', {
    reversalId,
    reason: reversalId,
  });
const variation = withLine({ variationId: id, change }, 'partnerId', 'fundingStream').map((b) =>
  step('variation', inYear('/contribution-variations'), 'officer', b),
);
const variationApproval = (variationId: string) =>
  step('variation approval', inYear(`/contribution-variations/${variationId}/approval`), 'cfo');
const grant = withLine({ grantId: id, amount }, 'fundingStream').map((b) =>
  step('grant', inYear('/grants'), 'officer', {
    ...b,
    awardedOn: '2017-04-01',
    determinationReference: b.grantId,
  }),
);
const instalment = (grantId: string, instalmentId: string, value: string) =>
  step('instalment', inYear(`/grants/${grantId}/instalments`), 'officer', {
    instalmentId,
    amount: value,
    receivedOn: '2017-05-01',
    reference: instalmentId,
  });
const virement = withLine(
  { virementId: id, fromSchemeId: schemeId, toSchemeId: schemeId, amount },
  'fundingStream',
).map((b) => step('virement', inYear('/virements'), 'officer', b));
const virementApproval = (virementId: string) =>
  step('virement approval', inYear(`/virements/${virementId}/approval`), 'cfo');
const closeRequest = step('close request', inYear('/quarters/Q1/close-request'), 'officer');
const closeApproval = step('close approval', inYear('/quarters/Q1/close-approval'), 'cfo');
const idOf = (made: Step, field: string) => String(made.body?.[field]);

const singleStep: fc.Arbitrary<Step> = fc.oneof(
  fc
    .record({ partnerId: id, name: id })
    .map((b) => step('partner', '/partners', 'admin', { ...b, kind: 'CCG' })),
  fc
    .record({ schemeId: id, name: id })
    .map((b) => step('scheme', '/schemes', 'officer', schemeBody(b.schemeId, b.name))),
  // Drawn apart: each partner already contributes to its own line's stream.
  fc
    .record({ partnerId: mostly(PARTNERS), fundingStream: mostly(STREAMS), amount })
    .map((b) => step('contribution', inYear('/contributions'), 'officer', b)),
  withLine({ allocationId: id, amount }, 'schemeId', 'fundingStream').map((b) =>
    step('allocation', inYear('/allocations'), 'officer', b),
  ),
  withLine({ releaseId: id, amount }, 'schemeId', 'fundingStream').map((b) =>
    step('release', inYear('/allocation-releases'), 'officer', b),
  ),
  spend,
  fc.tuple(id, id).map(([spendId, reversalId]) => reversal(spendId, reversalId)),
  variation,
  id.map(variationApproval),
  withLine({ receiptId: id, amount }, 'partnerId', 'fundingStream').map((b) =>
    step('receipt', inYear('/contribution-receipts'), 'officer', {
      ...b,
      receivedOn: '2017-05-01',
      reference: b.receiptId,
    }),
  ),
  grant,
  fc
    .tuple(id, id, amount)
    .map(([grantId, instalmentId, value]) => instalment(grantId, instalmentId, value)),
  virement,
  id.map(virementApproval),
  withLine({ quarter, forecastOutturn: amount }, 'schemeId', 'fundingStream').map((b) =>
    step('forecast', inYear('/forecasts'), 'officer', b),
  ),
  withLine({ savingId: id, amount }, 'schemeId').map((b) =>
    step('saving', inYear('/savings'), 'officer', {
      ...b,
      cashable: true,
      description: b.savingId,
    }),
  ),
  withLine({ realisationId: id, amount, quarter }, 'schemeId').map((b) =>
    step('realised saving', inYear('/realised-savings'), 'officer', {
      ...b,
      evidence: b.schemeId,
    }),
  ),
  withLine({ adjustmentId: id, amount }, 'schemeId', 'fundingStream').map((b) =>
    step('prior-period adjustment', inYear('/prior-period-adjustments'), 'officer', {
      ...b,
      closedQuarter: 'Q1',
      description: b.adjustmentId,
    }),
  ),
  withLine({ creditId: id, amount }, 'schemeId', 'fundingStream').map((b) =>
    step('credit note', inYear('/credit-notes'), 'officer', {
      ...b,
      creditDate: '2017-05-03',
      reference: b.creditId,
      ...(b.fundingStream === 'constructor' ? { ibcfPurpose: 'reducing-nhs-pressures' } : {}),
    }),
  ),
  withLine({ commitmentId: id, amount }, 'schemeId', 'fundingStream').map((b) =>
    step('commitment', inYear('/commitments'), 'officer', {
      ...b,
      raisedOn: '2017-05-03',
      reference: b.commitmentId,
    }),
  ),
  fc.constant(closeRequest),
  fc.constant(closeApproval),
  fc
    .record({ userId: id, name: id })
    .map((b) => step('user', '/users', 'admin', { ...b, role: 'auditor', pools: ['constructor'] })),
);

/** A command and the one that acts on what it made, so that follow-ups are tried on real facts. */
const followedUp: fc.Arbitrary<Step[]> = fc.oneof(
  fc
    .tuple(spend, id)
    .map(([made, reversalId]): Step[] => [made, reversal(idOf(made, 'spendId'), reversalId)]),
  variation.map((made): Step[] => [made, variationApproval(idOf(made, 'variationId'))]),
  virement.map((made): Step[] => [made, virementApproval(idOf(made, 'virementId'))]),
  fc
    .tuple(grant, id, amount)
    .map(([made, instalmentId, value]): Step[] => [
      made,
      instalment(idOf(made, 'grantId'), instalmentId, value),
    ]),
  fc.constant<Step[]>([closeRequest, closeApproval]),
);

const history = fc
  .array(
    fc.oneof(
      { weight: 3, arbitrary: singleStep.map((one) => [one]) },
      { weight: 1, arbitrary: followedUp },
    ),
    { minLength: 1, maxLength: 14 },
  )
  .map((steps) => steps.flat());

/**
 * The pool every history starts from: its id, its host, its other names and its funding streams
 * are prototype names too, and its officer and CFO have such user ids.
 */
async function hostilePool(api: Harness): Promise<World> {
  const world: World = { api, poolId: 'constructor', tokens: { admin: api.tokens.admin } };
  const streams = [
    { name: '__proto__', category: 'revenue' },
    { name: 'constructor', category: 'ibcf' },
    { name: 'toString', category: 'capital' },
    { name: 'hasOwnProperty', category: 'revenue' },
    { name: 'valueOf', category: 'revenue' },
  ];
  const pool: Step[] = [
    step('pool', '', 'admin', {
      poolId: 'constructor',
      name: '__proto__',
      hwbArea: 'hasOwnProperty',
      host: { partnerId: 'valueOf', name: 'toString', kind: 'Local Authority' },
    }),
    step('year', '/years', 'admin', {
      year: YEAR,
      referenceData: { ...referenceData, fundingStreams: [...streams] },
    }),
  ];
  for (const each of pool) expect((await send(world, each)).status, each.kind).toBe(201);
  world.tokens.officer = await userWithToken(api, 'toString', 'finance-officer');
  world.tokens.cfo = await userWithToken(api, 'valueOf', 'cfo');
  const setUp: Step[] = [];
  // Three contributions near a third of the largest total each, so the year's totals are near it.
  const big = '300000000000.00';
  for (const [index, name] of SCHEMES.entries()) {
    const stream = STREAMS[index] as string;
    setUp.push(
      step('partner', '/partners', 'admin', { partnerId: PARTNERS[index], name, kind: 'CCG' }),
      // The third scheme is capital, for the capital stream `toString`.
      step('scheme', '/schemes', 'officer', schemeBody(name, name, SCHEME_TYPES[index])),
      step('contribution', inYear('/contributions'), 'officer', {
        partnerId: PARTNERS[index],
        fundingStream: stream,
        amount: big,
      }),
      step('allocation', inYear('/allocations'), 'officer', {
        allocationId: `set-up-${index}`,
        schemeId: name,
        fundingStream: stream,
        amount: '200000000000.00',
      }),
    );
  }
  for (const each of setUp) {
    const answer = await send(world, each);
    expect(answer.status, `${each.kind}: ${answer.body}`).toBe(201);
  }
  return world;
}

interface World {
  readonly api: Harness;
  readonly poolId: string;
  readonly tokens: Partial<Record<Step['as'], string>>;
}

async function userWithToken(api: Harness, userId: string, role: string): Promise<string> {
  const admin = { authorization: `Bearer ${api.tokens.admin}` };
  const user = { userId, name: userId, role, pools: ['constructor'] };
  const registered = await api.app.inject({
    method: 'POST',
    url: '/users',
    headers: { ...admin, 'idempotency-key': `user-${userId}` },
    payload: user,
  });
  expect(registered.statusCode, registered.body).toBe(201);
  const issued = await api.app.inject({
    method: 'POST',
    url: `/users/${userId}/tokens`,
    headers: { ...admin, 'idempotency-key': `token-${userId}` },
    payload: { label: userId },
  });
  expect(issued.statusCode, issued.body).toBe(201);
  return (issued.json() as { token: string }).token;
}

let keys = 0;
async function send(world: World, each: Step): Promise<{ status: number; body: string }> {
  const url =
    each.kind === 'pool'
      ? '/pools'
      : each.url.startsWith('/users')
        ? each.url
        : `/pools/${world.poolId}${each.url}`;
  const response = await world.api.app.inject({
    method: 'POST',
    url,
    headers: {
      authorization: `Bearer ${world.tokens[each.as]}`,
      'idempotency-key': `hostile-${++keys}`,
    },
    ...(each.body === undefined ? {} : { payload: each.body }),
  });
  return { status: response.statusCode, body: response.body };
}

/** Every read route of the pool, its year and its quarters, with the documents of each report. */
function readUrls(poolId: string): string[] {
  const year = `/pools/${poolId}/years/${YEAR}`;
  const documents = [
    `${year}/balances`,
    ...['Q1', 'Q2', 'Q3', 'Q4'].map((q) => `${year}/quarters/${q}`),
    `${year}/year-end-statement`,
    `${year}/nhs-england-extract`,
  ];
  return [
    '/pools',
    `/pools/${poolId}`,
    ...documents.flatMap((url) => [url, `${url}?format=csv`, `${url}?format=xlsx`]),
    `${year}/ibcf`,
    `${year}/savings`,
    `/pools/${poolId}/audit`,
    '/audit',
  ];
}

async function readsAnswered(world: World): Promise<string[]> {
  const failures: string[] = [];
  const auditor = { authorization: `Bearer ${world.api.tokens.auditor}` };
  for (const url of readUrls(world.poolId)) {
    const response = await world.api.app.inject({ method: 'GET', url, headers: auditor });
    if (response.statusCode !== 200)
      failures.push(`${url}: ${response.statusCode} ${response.body.slice(0, 200)}`);
  }
  const users = await world.api.app.inject({
    method: 'GET',
    url: '/users',
    headers: { authorization: `Bearer ${world.api.tokens.admin}` },
  });
  if (users.statusCode !== 200) failures.push(`/users: ${users.statusCode}`);
  return failures;
}

/**
 * A fixed seed unless PROPERTY_SEED names another, so that the check that histories were mostly
 * recorded (not all refused) reads the same on every run; any seed must pass the property itself.
 */
const SEED = Number(process.env.PROPERTY_SEED ?? 2017_18);
const accepted = new Map<string, number>();
let sent = 0;
let harness: Harness | undefined;
afterAll(async () => {
  await harness?.close();
});

describe('histories of prototype names and near-largest amounts', () => {
  it('leave every read answering, the read model rebuildable and the ledger verified after every step', async () => {
    await fc.assert(
      fc.asyncProperty(history, async (steps) => {
        await harness?.close();
        harness = await startHarness();
        const world = await hostilePool(harness);
        for (const each of steps) {
          const answer = await send(world, each);
          sent += 1;
          expect(answer.status, `${each.kind}: ${answer.body}`).toBeLessThan(500);
          if (answer.status < 300) accepted.set(each.kind, (accepted.get(each.kind) ?? 0) + 1);
          expect(await readsAnswered(world), each.kind).toEqual([]);
          await harness.readModel.rebuild();
          const verification = await harness.ledger.readFace.verify();
          expect(verification, each.kind).toMatchObject({ ok: true });
        }
      }),
      { numRuns: 20, seed: SEED },
    );
    // Not a property of refusals alone: most steps were recorded, and the commands whose
    // references the pool set up were each recorded with prototype names.
    const recorded = [...accepted.values()].reduce((sum, n) => sum + n, 0);
    expect(recorded).toBeGreaterThan(sent / 3);
    for (const kind of [
      'contribution',
      'allocation',
      'spend',
      'forecast',
      'saving',
      'user',
      'close approval',
    ])
      expect(accepted.get(kind) ?? 0, kind).toBeGreaterThan(0);
  }, 600_000);
});
