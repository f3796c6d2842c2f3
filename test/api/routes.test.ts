import ExcelJS from 'exceljs';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { routeTable } from '../../src/api/app.ts';
import {
  type DocumentKind,
  renderReport,
  reportTables,
} from '../../src/documents/report-documents.ts';
import { referenceData } from '../support/domain.ts';
import {
  type Harness,
  POOL_URL,
  scheme,
  setUpPool,
  spendBody,
  startHarness,
  YEAR_URL,
} from './api-harness.ts';

/**
 * Every route through inject: its success, its refusals with their problem types, and the events
 * it appended. Each test starts from a fresh ledger and arranges the history it needs, so any one
 * of them runs alone and in any order.
 */
let api: Harness;
const covered = new Set<string>();

beforeEach(async () => {
  api = await startHarness();
});
afterEach(async () => {
  await api.close();
});
afterAll(() => {
  const all = routeTable.map((spec) => `${spec.method} ${spec.url}`);
  expect(
    all.filter((entry) => !covered.has(entry)),
    'routes no test here used',
  ).toEqual([]);
});

function expectProblem(response: LightMyRequestResponse, status: number, code: string): void {
  expect(response.statusCode, response.body).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = response.json();
  expect(body).toMatchObject({ type: `/problems/${code}`, status });
  expect(body.detail.length).toBeGreaterThan(10);
  expect(response.body).not.toMatch(/at .*\.ts:\d+|SQLITE|\/work\/|node_modules/);
}

/** Sends the request and returns the types of the events it appended. */
async function appended(
  request: () => Promise<LightMyRequestResponse>,
  status = 201,
): Promise<string[]> {
  const before = await api.store.headPosition();
  const response = await request();
  expect(response.statusCode, response.body).toBe(status);
  const page = await api.store.readAll(before + 1);
  return page.events.map((event) => event.type);
}

function cover(method: string, url: string): void {
  covered.add(`${method} ${url}`);
}

/** Posts each step and fails the arrangement at the first that is not accepted. */
async function arrange(
  steps: readonly [url: string, body: unknown, as: Parameters<Harness['post']>[2]][],
) {
  for (const [url, body, as] of steps) {
    const response = await api.post(url, body, as);
    if (response.statusCode >= 300)
      throw new Error(`${url}: ${response.statusCode} ${response.body}`);
  }
}

const HERTS = {
  poolId: 'herts',
  name: 'Hertfordshire BCF',
  hwbArea: 'Hertfordshire',
  host: { partnerId: 'HCC', name: 'Hertfordshire County Council', kind: 'Local Authority' },
};

/** The pool registered, with no partner, year or scheme yet. */
const registered = () => arrange([['/pools', HERTS, 'admin']]);

/** The pool with a CCG partner, 2017-18 open and schemes 1, 3 and 9 (9 of type "Other"). */
async function schemesRegistered() {
  await registered();
  await arrange([
    [
      `${POOL_URL}/partners`,
      { partnerId: 'ENHCCG', name: 'East and North Hertfordshire CCG', kind: 'CCG' },
      'admin',
    ],
    [`${POOL_URL}/years`, { year: '2017-18', referenceData }, 'admin'],
    [
      `${POOL_URL}/schemes`,
      scheme('1', 'Specialist Care at Home', 'Personalised support/care at home'),
      'officer',
    ],
    [
      `${POOL_URL}/schemes`,
      scheme('3', 'Discharge to Assess', 'HICM for managing transfer of care'),
      'officer',
    ],
    [`${POOL_URL}/schemes`, scheme('9', 'Temporary scheme', 'Other'), 'officer'],
  ]);
}

const closeQuarter = (quarter: string, approver: 'cfo' | 'secondCfo' = 'cfo') =>
  arrange([
    [`${YEAR_URL}/quarters/${quarter}/close-request`, undefined, 'officer'],
    [`${YEAR_URL}/quarters/${quarter}/close-approval`, undefined, approver],
  ]);

/** Year-end terms every line can take: overspends shared by contributions, underspends kept. */
const TERMS = {
  steps: ['offset-within-kind', 'share-overspend'],
  defaultProfile: { kind: 'contributions' },
  lineProfiles: [],
  defaultUnderspend: 'carry-forward',
  underspend: [],
  unallocated: 'return-to-contributors',
};

/**
 * A whole year on the pool: budget lines, a variation, a receipt, a virement, spend (one reversed),
 * a forecast, a saving, Q1 closed and corrected, the other quarters closed, the outturn and the
 * risk share. The read routes' figures follow from it.
 */
async function aYearRecorded() {
  await setUpPool(api);
  await arrange([
    [`${YEAR_URL}/year-end-terms`, TERMS, 'cfo'],
    [`${YEAR_URL}/year-end-terms/approval`, undefined, 'secondCfo'],
    [
      `${YEAR_URL}/allocation-releases`,
      {
        releaseId: 'r1',
        schemeId: '1',
        fundingStream: 'Minimum CCG Contribution',
        amount: '50000.00',
      },
      'officer',
    ],
    [
      `${YEAR_URL}/contribution-variations`,
      {
        variationId: 'v1',
        partnerId: 'ENHCCG',
        fundingStream: 'Minimum CCG Contribution',
        change: '25000.00',
      },
      'cfo',
    ],
    [`${YEAR_URL}/contribution-variations/v1/approval`, undefined, 'secondCfo'],
    [
      `${YEAR_URL}/contribution-receipts`,
      {
        receiptId: 'rc1',
        partnerId: 'ENHCCG',
        fundingStream: 'Minimum CCG Contribution',
        amount: '250000.00',
        receivedOn: '2017-04-20',
        reference: 'BACS 991',
      },
      'officer',
    ],
    [
      `${YEAR_URL}/virements`,
      {
        virementId: 'vir1',
        fundingStream: 'Minimum CCG Contribution',
        fromSchemeId: '1',
        toSchemeId: '3',
        amount: '20000.00',
      },
      'officer',
    ],
    [`${YEAR_URL}/virements/vir1/approval`, undefined, 'cfo'],
    [`${YEAR_URL}/spend`, spendBody('s1'), 'officer'],
    [
      `${YEAR_URL}/spend`,
      spendBody('s2', {
        schemeId: '3',
        fundingStream: 'iBCF',
        ibcfPurpose: 'reducing-nhs-pressures',
        amount: '9000.00',
      }),
      'officer',
    ],
    [
      `${YEAR_URL}/spend/s1/reversal`,
      { reversalId: 'rev1', reason: 'duplicate invoice' },
      'officer',
    ],
    [
      `${YEAR_URL}/forecasts`,
      {
        schemeId: '3',
        fundingStream: 'Minimum CCG Contribution',
        quarter: 'Q1',
        forecastOutturn: '330000.00',
      },
      'officer',
    ],
    [
      `${YEAR_URL}/savings`,
      {
        savingId: 'sv1',
        schemeId: '3',
        amount: '80000.00',
        cashable: true,
        description: 'fewer delayed days',
      },
      'officer',
    ],
    [
      `${YEAR_URL}/realised-savings`,
      {
        realisationId: 'rs1',
        schemeId: '3',
        savingId: 'sv1',
        realisedOn: '2017-06-20',
        amount: '20000.00',
        evidence: 'DToC return, June',
      },
      'officer',
    ],
  ]);
  await closeQuarter('Q1');
  await arrange([
    [
      `${YEAR_URL}/prior-period-adjustments`,
      {
        adjustmentId: 'ppa1',
        closedQuarter: 'Q1',
        schemeId: '1',
        fundingStream: 'Minimum CCG Contribution',
        amount: '-250.00',
        description: 'credit note',
      },
      'officer',
    ],
  ]);
  for (const quarter of ['Q2', 'Q3', 'Q4']) await closeQuarter(quarter, 'secondCfo');
  await arrange([
    [`${YEAR_URL}/outturn`, undefined, 'cfo'],
    [`${YEAR_URL}/risk-share`, undefined, 'cfo'],
  ]);
}

describe('pool set-up routes', () => {
  it('POST /pools registers a pool and its host; a different registration of the same id is refused', async () => {
    cover('POST', '/pools');
    const body = {
      poolId: 'herts',
      name: 'Hertfordshire BCF',
      hwbArea: 'Hertfordshire',
      host: { partnerId: 'HCC', name: 'Hertfordshire County Council', kind: 'Local Authority' },
    };
    expect(await appended(() => api.post('/pools', body, 'admin'))).toEqual([
      'PoolRegistered.v1',
      'PartnerJoined.v1',
    ]);
    expectProblem(
      await api.post('/pools', { ...body, name: 'Other' }, 'admin'),
      409,
      'pool-already-registered',
    );
  });

  it('POST /pools/:poolId/partners lets a partner join', async () => {
    await registered();
    cover('POST', '/pools/:poolId/partners');
    expect(
      await appended(() =>
        api.post(
          `${POOL_URL}/partners`,
          { partnerId: 'ENHCCG', name: 'East and North Hertfordshire CCG', kind: 'CCG' },
          'admin',
        ),
      ),
    ).toEqual(['PartnerJoined.v1']);
    expectProblem(
      await api.post(
        `${POOL_URL}/partners`,
        { partnerId: 'ENHCCG', name: 'Another', kind: 'CCG' },
        'admin',
      ),
      409,
      'partner-already-joined',
    );
    expectProblem(
      await api.post(
        '/pools/nowhere/partners',
        { partnerId: 'X', name: 'X', kind: 'CCG' },
        'admin',
      ),
      404,
      'pool-not-registered',
    );
  });

  it('POST /pools/:poolId/years opens a year with its reference lists', async () => {
    await registered();
    cover('POST', '/pools/:poolId/years');
    expect(
      await appended(() =>
        api.post(`${POOL_URL}/years`, { year: '2017-18', referenceData }, 'admin'),
      ),
    ).toEqual(['FinancialYearOpened.v1']);
    expectProblem(
      await api.post(
        `${POOL_URL}/years`,
        { year: '2017-18', referenceData: { ...referenceData, version: 'x' } },
        'admin',
      ),
      409,
      'year-already-open',
    );
  });

  it('POST /pools/:poolId/schemes registers schemes in the template’s columns', async () => {
    await registered();
    await arrange([[`${POOL_URL}/years`, { year: '2017-18', referenceData }, 'admin']]);
    cover('POST', '/pools/:poolId/schemes');
    expect(
      await appended(() =>
        api.post(
          `${POOL_URL}/schemes`,
          scheme('1', 'Specialist Care at Home', 'Personalised support/care at home'),
          'officer',
        ),
      ),
    ).toEqual(['SchemeRegistered.v1']);
    await api.post(
      `${POOL_URL}/schemes`,
      scheme('3', 'Discharge to Assess', 'HICM for managing transfer of care'),
      'officer',
    );
    await api.post(`${POOL_URL}/schemes`, scheme('9', 'Temporary scheme', 'Other'), 'officer');
    const refused = await api.post(
      `${POOL_URL}/schemes`,
      scheme('4', 'Bingo', 'Bingo nights'),
      'officer',
    );
    expectProblem(refused, 422, 'reference-unknown');
    expect(refused.json()).toMatchObject({ field: 'schemeType', value: 'Bingo nights' });
  });

  it('POST /pools/:poolId/schemes/:schemeId/amendments amends a scheme', async () => {
    await schemesRegistered();
    cover('POST', '/pools/:poolId/schemes/:schemeId/amendments');
    expect(
      await appended(() =>
        api.post(
          `${POOL_URL}/schemes/3/amendments`,
          { changes: { description: 'D2A pathway 1' } },
          'officer',
        ),
      ),
    ).toEqual(['SchemeAmended.v1']);
    expectProblem(
      await api.post(`${POOL_URL}/schemes/99/amendments`, { changes: { name: 'x' } }, 'officer'),
      422,
      'scheme-unknown',
    );
  });

  it('POST /pools/:poolId/schemes/:schemeId/withdrawal withdraws a scheme', async () => {
    await schemesRegistered();
    cover('POST', '/pools/:poolId/schemes/:schemeId/withdrawal');
    expect(
      await appended(() => api.post(`${POOL_URL}/schemes/9/withdrawal`, undefined, 'officer')),
    ).toEqual(['SchemeWithdrawn.v1']);
    expectProblem(
      await api.post(`${POOL_URL}/schemes/98/withdrawal`, {}, 'officer'),
      422,
      'scheme-unknown',
    );
  });
});

describe('ledger routes', () => {
  it('POST contributions plans a contribution; planning again with another amount is refused', async () => {
    await schemesRegistered();
    cover('POST', '/pools/:poolId/years/:year/contributions');
    expect(
      await appended(() =>
        api.post(
          `${YEAR_URL}/contributions`,
          { partnerId: 'ENHCCG', fundingStream: 'Minimum CCG Contribution', amount: '1000000.00' },
          'officer',
        ),
      ),
    ).toEqual(['ContributionPlanned.v1']);
    await api.post(
      `${YEAR_URL}/contributions`,
      { partnerId: 'HCC', fundingStream: 'iBCF', amount: '500000.00' },
      'officer',
    );
    expectProblem(
      await api.post(
        `${YEAR_URL}/contributions`,
        { partnerId: 'HCC', fundingStream: 'iBCF', amount: '1.00' },
        'officer',
      ),
      409,
      'contribution-already-planned',
    );
    expectProblem(
      await api.post(
        '/pools/herts/years/2019-20/contributions',
        { partnerId: 'HCC', fundingStream: 'iBCF', amount: '1.00' },
        'officer',
      ),
      404,
      'year-not-open',
    );
  });

  it('POST allocations allocates funds, never beyond what is unallocated', async () => {
    await schemesRegistered();
    await arrange([
      [
        `${YEAR_URL}/contributions`,
        { partnerId: 'ENHCCG', fundingStream: 'Minimum CCG Contribution', amount: '1000000.00' },
        'officer',
      ],
      [
        `${YEAR_URL}/contributions`,
        { partnerId: 'HCC', fundingStream: 'iBCF', amount: '500000.00' },
        'officer',
      ],
    ]);
    cover('POST', '/pools/:poolId/years/:year/allocations');
    expect(
      await appended(() =>
        api.post(
          `${YEAR_URL}/allocations`,
          {
            allocationId: 'a1',
            schemeId: '1',
            fundingStream: 'Minimum CCG Contribution',
            amount: '600000.00',
          },
          'officer',
        ),
      ),
    ).toEqual(['SchemeClassified.v1', 'FundsAllocated.v1']);
    await api.post(
      `${YEAR_URL}/allocations`,
      {
        allocationId: 'a2',
        schemeId: '3',
        fundingStream: 'Minimum CCG Contribution',
        amount: '300000.00',
      },
      'officer',
    );
    await api.post(
      `${YEAR_URL}/allocations`,
      { allocationId: 'a3', schemeId: '3', fundingStream: 'iBCF', amount: '400000.00' },
      'officer',
    );
    const refused = await api.post(
      `${YEAR_URL}/allocations`,
      {
        allocationId: 'a4',
        schemeId: '1',
        fundingStream: 'Minimum CCG Contribution',
        amount: '100000.01',
      },
      'officer',
    );
    expectProblem(refused, 422, 'insufficient-unallocated-funds');
    expect(refused.json()).toMatchObject({ field: 'amount', value: '100000.01' });
  });

  it('POST allocation-releases releases unspent budget', async () => {
    await setUpPool(api);
    cover('POST', '/pools/:poolId/years/:year/allocation-releases');
    expect(
      await appended(() =>
        api.post(
          `${YEAR_URL}/allocation-releases`,
          {
            releaseId: 'r1',
            schemeId: '1',
            fundingStream: 'Minimum CCG Contribution',
            amount: '50000.00',
          },
          'officer',
        ),
      ),
    ).toEqual(['AllocationReleased.v1']);
    expectProblem(
      await api.post(
        `${YEAR_URL}/allocation-releases`,
        {
          releaseId: 'r2',
          schemeId: '1',
          fundingStream: 'Minimum CCG Contribution',
          amount: '999999.00',
        },
        'officer',
      ),
      422,
      'insufficient-line-budget',
    );
  });

  it('POST contribution-variations, /approval and /rejection: maker-checker on contributions', async () => {
    await setUpPool(api);
    cover('POST', '/pools/:poolId/years/:year/contribution-variations');
    cover('POST', '/pools/:poolId/years/:year/contribution-variations/:variationId/approval');
    cover('POST', '/pools/:poolId/years/:year/contribution-variations/:variationId/rejection');
    const variation = (variationId: string, change: string) => ({
      variationId,
      partnerId: 'ENHCCG',
      fundingStream: 'Minimum CCG Contribution',
      change,
    });
    expect(
      await appended(() =>
        api.post(`${YEAR_URL}/contribution-variations`, variation('v1', '25000.00'), 'cfo'),
      ),
    ).toEqual(['ContributionVariationRequested.v1']);
    expectProblem(
      await api.post(
        `${YEAR_URL}/contribution-variations`,
        { ...variation('v2', '1.00'), partnerId: 'HCC' },
        'officer',
      ),
      422,
      'contribution-not-planned',
    );
    expectProblem(
      await api.post(`${YEAR_URL}/contribution-variations/v1/approval`, undefined, 'cfo'),
      403,
      'same-person-approval',
    );
    expect(
      await appended(() =>
        api.post(`${YEAR_URL}/contribution-variations/v1/approval`, undefined, 'secondCfo'),
      ),
    ).toEqual(['ContributionVaried.v1']);
    await api.post(`${YEAR_URL}/contribution-variations`, variation('v3', '-1.00'), 'officer');
    expect(
      await appended(() =>
        api.post(`${YEAR_URL}/contribution-variations/v3/rejection`, undefined, 'cfo'),
      ),
    ).toEqual(['ContributionVariationRejected.v1']);
    expectProblem(
      await api.post(`${YEAR_URL}/contribution-variations/nope/rejection`, undefined, 'cfo'),
      404,
      'variation-unknown',
    );
  });

  it('POST contribution-receipts records money received', async () => {
    await setUpPool(api);
    cover('POST', '/pools/:poolId/years/:year/contribution-receipts');
    const receipt = {
      receiptId: 'rc1',
      partnerId: 'ENHCCG',
      fundingStream: 'Minimum CCG Contribution',
      amount: '250000.00',
      receivedOn: '2017-04-20',
      reference: 'BACS 991',
    };
    expect(
      await appended(() => api.post(`${YEAR_URL}/contribution-receipts`, receipt, 'officer')),
    ).toEqual(['ContributionReceived.v1']);
    expectProblem(
      await api.post(
        `${YEAR_URL}/contribution-receipts`,
        { ...receipt, receiptId: 'rc2', partnerId: 'HCC' },
        'officer',
      ),
      422,
      'contribution-not-planned',
    );
  });

  it('POST grants and /grants/:grantId/instalments record an award and its instalments', async () => {
    await setUpPool(api);
    cover('POST', '/pools/:poolId/years/:year/grants');
    cover('POST', '/pools/:poolId/years/:year/grants/:grantId/instalments');
    const award = {
      grantId: 'ibcf-2017',
      fundingStream: 'iBCF',
      amount: '500000.00',
      awardedOn: '2017-04-01',
      determinationReference: 'DCLG 31/2908',
    };
    expect(await appended(() => api.post(`${YEAR_URL}/grants`, award, 'officer'))).toEqual([
      'GrantAwardRecorded.v1',
    ]);
    expectProblem(await api.post(`${YEAR_URL}/grants`, award, 'officer'), 409, 'duplicate-id');
    const instalment = {
      instalmentId: 'i1',
      amount: '125000.00',
      receivedOn: '2017-04-28',
      reference: 'BACS 1001',
    };
    expect(
      await appended(() =>
        api.post(`${YEAR_URL}/grants/ibcf-2017/instalments`, instalment, 'officer'),
      ),
    ).toEqual(['GrantInstalmentReceived.v1']);
    expectProblem(
      await api.post(
        `${YEAR_URL}/grants/ibcf-2017/instalments`,
        { ...instalment, instalmentId: 'i2', amount: '400000.00' },
        'officer',
      ),
      422,
      'instalment-exceeds-award',
    );
    expectProblem(
      await api.post(
        `${YEAR_URL}/grants/unknown/instalments`,
        { ...instalment, instalmentId: 'i3' },
        'officer',
      ),
      404,
      'grant-unknown',
    );
  });

  it('POST virements, /approval and /rejection move budget under maker-checker', async () => {
    await setUpPool(api);
    cover('POST', '/pools/:poolId/years/:year/virements');
    cover('POST', '/pools/:poolId/years/:year/virements/:virementId/approval');
    cover('POST', '/pools/:poolId/years/:year/virements/:virementId/rejection');
    const virement = (virementId: string) => ({
      virementId,
      fundingStream: 'Minimum CCG Contribution',
      fromSchemeId: '1',
      toSchemeId: '3',
      amount: '20000.00',
    });
    expect(
      await appended(() => api.post(`${YEAR_URL}/virements`, virement('vir1'), 'officer')),
    ).toEqual(['VirementRequested.v1']);
    expectProblem(
      await api.post(`${YEAR_URL}/virements`, { ...virement('vir2'), toSchemeId: '1' }, 'officer'),
      422,
      'virement-same-line',
    );
    expect(
      await appended(() => api.post(`${YEAR_URL}/virements/vir1/approval`, undefined, 'cfo')),
    ).toEqual(['VirementApproved.v1']);
    expectProblem(
      await api.post(`${YEAR_URL}/virements/vir1/approval`, undefined, 'secondCfo'),
      409,
      'not-pending',
    );
    await api.post(`${YEAR_URL}/virements`, virement('vir3'), 'officer');
    expect(
      await appended(() => api.post(`${YEAR_URL}/virements/vir3/rejection`, undefined, 'cfo')),
    ).toEqual(['VirementRejected.v1']);
    expectProblem(
      await api.post(`${YEAR_URL}/virements/nope/approval`, undefined, 'cfo'),
      404,
      'virement-unknown',
    );
  });

  it('POST spend records spend; iBCF spend names its purpose', async () => {
    await setUpPool(api);
    cover('POST', '/pools/:poolId/years/:year/spend');
    expect(await appended(() => api.post(`${YEAR_URL}/spend`, spendBody('s1'), 'officer'))).toEqual(
      ['SpendRecorded.v1'],
    );
    expect(
      await appended(() =>
        api.post(
          `${YEAR_URL}/spend`,
          spendBody('s2', {
            schemeId: '3',
            fundingStream: 'iBCF',
            ibcfPurpose: 'reducing-nhs-pressures',
            amount: '9000.00',
          }),
          'officer',
        ),
      ),
    ).toEqual(['SpendRecorded.v1']);
    expectProblem(
      await api.post(
        `${YEAR_URL}/spend`,
        spendBody('s3', { schemeId: '3', fundingStream: 'iBCF' }),
        'officer',
      ),
      422,
      'ibcf-purpose-required',
    );
    expectProblem(
      await api.post(
        `${YEAR_URL}/spend`,
        spendBody('s4', { schemeId: '3', fundingStream: 'DFG' }),
        'officer',
      ),
      422,
      'scheme-line-unknown',
    );
    expectProblem(
      await api.post(`${YEAR_URL}/spend`, spendBody('s5', { fundingStream: 'Lottery' }), 'officer'),
      422,
      'reference-unknown',
    );
  });

  it('POST spend/:spendId/reversal reverses a spend once', async () => {
    await setUpPool(api);
    await arrange([[`${YEAR_URL}/spend`, spendBody('s1'), 'officer']]);
    cover('POST', '/pools/:poolId/years/:year/spend/:spendId/reversal');
    expect(
      await appended(() =>
        api.post(
          `${YEAR_URL}/spend/s1/reversal`,
          { reversalId: 'rev1', reason: 'duplicate invoice' },
          'officer',
        ),
      ),
    ).toEqual(['SpendReversed.v1']);
    expectProblem(
      await api.post(
        `${YEAR_URL}/spend/s1/reversal`,
        { reversalId: 'rev2', reason: 'again' },
        'officer',
      ),
      409,
      'already-reversed',
    );
    expectProblem(
      await api.post(
        `${YEAR_URL}/spend/missing/reversal`,
        { reversalId: 'rev3', reason: 'x' },
        'officer',
      ),
      404,
      'spend-unknown',
    );
  });

  it('POST forecasts updates a forecast; the same figure again changes nothing', async () => {
    await setUpPool(api);
    await arrange([[`${POOL_URL}/schemes`, scheme('9', 'Temporary scheme', 'Other'), 'officer']]);
    cover('POST', '/pools/:poolId/years/:year/forecasts');
    const forecast = {
      schemeId: '3',
      fundingStream: 'Minimum CCG Contribution',
      quarter: 'Q1',
      forecastOutturn: '330000.00',
    };
    expect(await appended(() => api.post(`${YEAR_URL}/forecasts`, forecast, 'officer'))).toEqual([
      'ForecastUpdated.v1',
    ]);
    expect(
      await appended(() => api.post(`${YEAR_URL}/forecasts`, forecast, 'officer'), 200),
    ).toEqual([]);
    expectProblem(
      await api.post(`${YEAR_URL}/forecasts`, { ...forecast, schemeId: '9' }, 'officer'),
      422,
      'scheme-line-unknown',
    );
  });

  it('POST savings and realised-savings plan and realise savings', async () => {
    await setUpPool(api);
    cover('POST', '/pools/:poolId/years/:year/savings');
    cover('POST', '/pools/:poolId/years/:year/realised-savings');
    expect(
      await appended(() =>
        api.post(
          `${YEAR_URL}/savings`,
          {
            savingId: 'sv1',
            schemeId: '3',
            amount: '80000.00',
            cashable: true,
            description: 'fewer delayed days',
          },
          'officer',
        ),
      ),
    ).toEqual(['SavingPlanned.v1']);
    expectProblem(
      await api.post(
        `${YEAR_URL}/savings`,
        { savingId: 'sv1', schemeId: '3', amount: '1.00', cashable: false, description: 'x' },
        'officer',
      ),
      409,
      'duplicate-id',
    );
    const realised = {
      realisationId: 'rs1',
      schemeId: '3',
      savingId: 'sv1',
      realisedOn: '2017-06-20',
      amount: '20000.00',
      evidence: 'DToC return, June',
    };
    expect(
      await appended(() => api.post(`${YEAR_URL}/realised-savings`, realised, 'officer')),
    ).toEqual(['SavingRealised.v1']);
    expectProblem(
      await api.post(
        `${YEAR_URL}/realised-savings`,
        { ...realised, realisationId: 'rs2', savingId: 'nope' },
        'officer',
      ),
      422,
      'saving-unknown',
    );
  });

  it('POST quarters/:quarter/close-request and /close-approval close a quarter on its digest', async () => {
    await setUpPool(api);
    cover('POST', '/pools/:poolId/years/:year/quarters/:quarter/close-request');
    cover('POST', '/pools/:poolId/years/:year/quarters/:quarter/close-approval');
    expectProblem(
      await api.post(`${YEAR_URL}/quarters/Q2/close-request`, undefined, 'officer'),
      409,
      'quarter-out-of-order',
    );
    expect(
      await appended(() => api.post(`${YEAR_URL}/quarters/Q1/close-request`, undefined, 'officer')),
    ).toEqual(['QuarterCloseRequested.v1']);
    expectProblem(
      await api.post(`${YEAR_URL}/quarters/Q1/close-approval`, undefined, 'officer'),
      403,
      'forbidden',
    );
    expect(
      await appended(() => api.post(`${YEAR_URL}/quarters/Q1/close-approval`, undefined, 'cfo')),
    ).toEqual(['QuarterClosed.v1']);
    const report = (await api.get(`${YEAR_URL}/quarters/Q1`, 'auditor')).json();
    expect(report.status).toMatchObject({
      closed: true,
      closeRequestedBy: 'officer',
      closedBy: 'cfo',
    });
    expect(report.digest).toBe(report.status.closedDigest);
    // An invoice dated in Q1 and keyed after its close counts in Q2, naming Q1; Q1 stays as signed.
    await api.post(`${YEAR_URL}/spend`, spendBody('late'), 'officer');
    const late = await api.store.readAll((await api.store.headPosition()) - 0);
    expect(late.events.at(-1)?.data).toMatchObject({ quarter: 'Q2', priorPeriodOf: 'Q1' });
    const after = (await api.get(`${YEAR_URL}/quarters/Q1`, 'auditor')).json();
    expect(after.digest).toBe(report.status.closedDigest);
    expect(after.correctionsSinceClose).toMatchObject([{ id: 'late', correcting: 'Q1' }]);
    expectProblem(
      await api.post(
        `${YEAR_URL}/forecasts`,
        {
          schemeId: '1',
          fundingStream: 'Minimum CCG Contribution',
          quarter: 'Q1',
          forecastOutturn: '1.00',
        },
        'officer',
      ),
      409,
      'quarter-closed',
    );
  });

  it('POST prior-period-adjustments corrects a closed quarter in the open one', async () => {
    await setUpPool(api);
    await closeQuarter('Q1');
    cover('POST', '/pools/:poolId/years/:year/prior-period-adjustments');
    const adjustment = {
      adjustmentId: 'ppa1',
      closedQuarter: 'Q1',
      schemeId: '1',
      fundingStream: 'Minimum CCG Contribution',
      amount: '-250.00',
      description: 'credit note',
    };
    expect(
      await appended(() => api.post(`${YEAR_URL}/prior-period-adjustments`, adjustment, 'officer')),
    ).toEqual(['PriorPeriodAdjustmentPosted.v1']);
    expectProblem(
      await api.post(
        `${YEAR_URL}/prior-period-adjustments`,
        { ...adjustment, adjustmentId: 'ppa2', closedQuarter: 'Q2' },
        'officer',
      ),
      422,
      'quarter-not-closed',
    );
  });

  it('POST year-end-terms proposes the terms, another CFO approves them; uneven shares are refused', async () => {
    await setUpPool(api);
    cover('POST', '/pools/:poolId/years/:year/year-end-terms');
    cover('POST', '/pools/:poolId/years/:year/year-end-terms/approval');
    const uneven = {
      ...TERMS,
      defaultProfile: { kind: 'fixed', shares: [{ partnerId: 'HCC', percentage: '50' }] },
    };
    const refused = await api.post(`${YEAR_URL}/year-end-terms`, uneven, 'cfo');
    expectProblem(refused, 422, 'risk-share-terms-invalid');
    expect(refused.json().detail).toBe(
      'the fixed shares of the default profile add up to 50.00%, not 100%',
    );
    expectProblem(
      await api.post(`${YEAR_URL}/year-end-terms/approval`, undefined, 'secondCfo'),
      409,
      'terms-not-proposed',
    );
    expect(await appended(() => api.post(`${YEAR_URL}/year-end-terms`, TERMS, 'cfo'))).toEqual([
      'YearEndTermsProposed.v1',
    ]);
    expectProblem(
      await api.post(`${YEAR_URL}/year-end-terms/approval`, undefined, 'cfo'),
      403,
      'same-person-approval',
    );
    expect(
      await appended(() => api.post(`${YEAR_URL}/year-end-terms/approval`, undefined, 'secondCfo')),
    ).toEqual(['YearEndTermsAgreed.v1']);
    expectProblem(
      await api.post(`${YEAR_URL}/year-end-terms`, { ...TERMS, steps: ['contingency'] }, 'cfo'),
      422,
      'risk-share-terms-invalid',
    );
  });

  it('POST minimums, metric-targets and metric-actuals record the year’s national figures', async () => {
    await setUpPool(api);
    cover('POST', '/pools/:poolId/years/:year/minimums');
    cover('POST', '/pools/:poolId/years/:year/metric-targets');
    cover('POST', '/pools/:poolId/years/:year/metric-actuals');
    expect(
      await appended(() =>
        api.post(
          `${YEAR_URL}/minimums`,
          { minimumSocialCare: '300000.00', minimumOutOfHospital: '250000.00' },
          'cfo',
        ),
      ),
    ).toEqual(['MinimumsSet.v1']);
    const target = { metricId: 'non-elective-admissions', forQuarter: 'Q1', target: '27401' };
    expect(await appended(() => api.post(`${YEAR_URL}/metric-targets`, target, 'officer'))).toEqual(
      ['MetricTargetSet.v1'],
    );
    const actual = { metricId: 'non-elective-admissions', forQuarter: 'Q1', value: '27427' };
    expect(
      await appended(() =>
        api.post(`${YEAR_URL}/metric-actuals`, { ...actual, status: 'final' }, 'officer'),
      ),
    ).toEqual(['MetricActualRecorded.v1']);
    expectProblem(
      await api.post(`${YEAR_URL}/metric-actuals`, { ...actual, status: 'provisional' }, 'officer'),
      409,
      'metric-final',
    );
    expectProblem(
      await api.post(`${YEAR_URL}/metric-targets`, { ...target, metricId: 'bed-days' }, 'officer'),
      422,
      'metric-unknown',
    );
    const q1 = (await api.get(`${YEAR_URL}/quarters/Q1`, 'auditor')).json();
    expect(q1.position.metrics[0]).toMatchObject({
      metricId: 'non-elective-admissions',
      better: 'lower',
      quarters: [
        {
          quarter: 'Q1',
          target: '27401',
          actual: '27427',
          status: 'final',
          meeting: 'not meeting target',
        },
      ],
    });
  });

  it('POST outturn and risk-share close the year: refused early, then recorded', async () => {
    await setUpPool(api);
    await arrange([
      [`${YEAR_URL}/year-end-terms`, TERMS, 'cfo'],
      [`${YEAR_URL}/year-end-terms/approval`, undefined, 'secondCfo'],
    ]);
    await closeQuarter('Q1');
    cover('POST', '/pools/:poolId/years/:year/outturn');
    cover('POST', '/pools/:poolId/years/:year/risk-share');
    expectProblem(
      await api.post(`${YEAR_URL}/outturn`, undefined, 'cfo'),
      409,
      'year-end-not-ready',
    );
    expectProblem(
      await api.post(`${YEAR_URL}/risk-share`, undefined, 'cfo'),
      409,
      'outturn-not-determined',
    );
    for (const quarter of ['Q2', 'Q3', 'Q4']) {
      expect(
        (await api.post(`${YEAR_URL}/quarters/${quarter}/close-request`, undefined, 'officer'))
          .statusCode,
      ).toBe(201);
      expect(
        (await api.post(`${YEAR_URL}/quarters/${quarter}/close-approval`, undefined, 'secondCfo'))
          .statusCode,
      ).toBe(201);
    }
    expect(await appended(() => api.post(`${YEAR_URL}/outturn`, undefined, 'cfo'))).toEqual([
      'YearEndOutturnDetermined.v1',
    ]);
    expect(await appended(() => api.post(`${YEAR_URL}/risk-share`, undefined, 'cfo'))).toEqual([
      'OverspendShared.v1',
      'UnderspendTreated.v1',
      'RiskShareApplied.v1',
    ]);
    expectProblem(
      await api.post(`${YEAR_URL}/risk-share`, undefined, 'cfo'),
      409,
      'risk-share-already-applied',
    );
  });
});

describe('the year’s plan, corrections, commitments and the year close', () => {
  const LINE = { schemeId: '1', fundingStream: 'Minimum CCG Contribution' };

  it('POST contribution-dues records what a partner owes, dated in its quarter', async () => {
    await setUpPool(api);
    cover('POST', '/pools/:poolId/years/:year/contribution-dues');
    const due = {
      dueId: 'd1',
      partnerId: 'ENHCCG',
      fundingStream: 'Minimum CCG Contribution',
      amount: '250000.00',
      dueOn: '2017-07-01',
      reference: 'INV-P-1',
    };
    expect(await appended(() => api.post(`${YEAR_URL}/contribution-dues`, due, 'officer'))).toEqual(
      ['ContributionDue.v1'],
    );
    expectProblem(
      await api.post(
        `${YEAR_URL}/contribution-dues`,
        { ...due, dueId: 'd2', amount: '750000.01' },
        'officer',
      ),
      422,
      'due-exceeds-contribution',
    );
    const position = (await api.get(`${YEAR_URL}/quarters/Q2`, 'auditor')).json();
    expect(position.position.partners).toContainEqual(
      expect.objectContaining({ partnerId: 'ENHCCG', due: '250000.00', outstanding: '250000.00' }),
    );
  });

  it('POST schemes/:schemeId/classification classifies a scheme for the year alone', async () => {
    await setUpPool(api);
    cover('POST', '/pools/:poolId/years/:year/schemes/:schemeId/classification');
    const columns = {
      ...scheme('1', 'Specialist Care at Home', 'Personalised support/care at home'),
      description: 'care at home for adults',
    };
    const { schemeId: _id, ...body } = columns;
    expect(
      await appended(() => api.post(`${YEAR_URL}/schemes/1/classification`, body, 'officer')),
    ).toEqual(['SchemeClassified.v1']);
    await closeQuarter('Q1');
    expectProblem(
      await api.post(
        `${YEAR_URL}/schemes/1/classification`,
        { ...body, schemeType: 'Other' },
        'officer',
      ),
      409,
      'classification-fixed',
    );
  });

  it('POST budget-profiles and rag-thresholds set the phasing and the ratings from the open quarter', async () => {
    await setUpPool(api);
    cover('POST', '/pools/:poolId/years/:year/budget-profiles');
    cover('POST', '/pools/:poolId/years/:year/rag-thresholds');
    expect(
      await appended(() =>
        api.post(
          `${YEAR_URL}/budget-profiles`,
          { ...LINE, profile: { Q1: '10', Q2: '20', Q3: '30', Q4: '40' } },
          'officer',
        ),
      ),
    ).toEqual(['BudgetPhased.v1']);
    expectProblem(
      await api.post(
        `${YEAR_URL}/budget-profiles`,
        { ...LINE, profile: { Q1: '10', Q2: '20', Q3: '30', Q4: '39' } },
        'officer',
      ),
      400,
      'validation-failed',
    );
    const thresholds = {
      amberAbovePercent: '1.00',
      redAbovePercent: '10.00',
      amberBelowPercent: '5.00',
      redBelowPercent: '30.00',
    };
    expect(await appended(() => api.post(`${YEAR_URL}/rag-thresholds`, thresholds, 'cfo'))).toEqual(
      ['RagThresholdsSet.v1'],
    );
    expectProblem(
      await api.post(`${YEAR_URL}/rag-thresholds`, thresholds, 'officer'),
      403,
      'forbidden',
    );
    const position = (await api.get(`${YEAR_URL}/quarters/Q1`, 'auditor')).json();
    expect(position.position.ragThresholds).toEqual(thresholds);
    expect(position.position.lines[0]).toMatchObject({
      schemeId: '1',
      budget: '600000.00',
      budgetToDate: '60000.00',
    });
  });

  it('POST credit-notes and spend/:spendId/recode correct spend without editing it', async () => {
    await setUpPool(api);
    await api.post(`${YEAR_URL}/spend`, spendBody('s1', { amount: '1000.00' }), 'officer');
    cover('POST', '/pools/:poolId/years/:year/credit-notes');
    cover('POST', '/pools/:poolId/years/:year/spend/:spendId/recode');
    const credit = {
      creditId: 'cn1',
      creditsSpendId: 's1',
      creditDate: '2017-08-01',
      amount: '400.00',
      reference: 'CN-1',
    };
    expect(await appended(() => api.post(`${YEAR_URL}/credit-notes`, credit, 'officer'))).toEqual([
      'CreditNoteRecorded.v1',
    ]);
    expectProblem(
      await api.post(
        `${YEAR_URL}/credit-notes`,
        { ...credit, creditId: 'cn2', amount: '600.01' },
        'officer',
      ),
      422,
      'credit-exceeds-invoice',
    );
    expect(
      await appended(() =>
        api.post(
          `${YEAR_URL}/spend/s1/recode`,
          {
            recodeId: 'rc1',
            toSchemeId: '3',
            toFundingStream: 'Minimum CCG Contribution',
            reason: 'wrong scheme',
          },
          'officer',
        ),
      ),
    ).toEqual(['SpendRecoded.v1']);
    const balances = (await api.get(`${YEAR_URL}/balances`, 'auditor')).json();
    expect(
      balances.lines.map((line: { schemeId: string; fundingStream: string; spent: string }) => [
        line.schemeId,
        line.fundingStream,
        line.spent,
      ]),
    ).toEqual([
      ['1', 'Minimum CCG Contribution', '0.00'],
      ['3', 'Minimum CCG Contribution', '600.00'],
      ['3', 'iBCF', '0.00'],
    ]);
  });

  it('POST commitments and commitments/:commitmentId/release keep budget = spent + committed + remaining', async () => {
    await setUpPool(api);
    cover('POST', '/pools/:poolId/years/:year/commitments');
    cover('POST', '/pools/:poolId/years/:year/commitments/:commitmentId/release');
    const order = { commitmentId: 'c1', ...LINE, raisedOn: '2017-05-01', amount: '5000.00' };
    expect(await appended(() => api.post(`${YEAR_URL}/commitments`, order, 'officer'))).toEqual([
      'CommitmentRaised.v1',
    ]);
    await api.post(
      `${YEAR_URL}/spend`,
      spendBody('s1', { amount: '3000.00', commitmentId: 'c1' }),
      'officer',
    );
    expect(
      await appended(() =>
        api.post(`${YEAR_URL}/commitments/c1/release`, { reason: 'order complete' }, 'officer'),
      ),
    ).toEqual(['CommitmentReleased.v1']);
    expectProblem(
      await api.post(`${YEAR_URL}/commitments/c1/release`, { reason: 'again' }, 'officer'),
      404,
      'commitment-unknown',
    );
    const line = (await api.get(`${YEAR_URL}/balances`, 'auditor')).json().lines[0];
    expect(line).toMatchObject({
      currentBudget: '600000.00',
      spent: '3000.00',
      committed: '0.00',
      remaining: '597000.00',
    });
  });

  it('POST accruals, close-request and close-approval end the year; prior-year-adjustments correct it in the next', async () => {
    await setUpPool(api);
    cover('POST', '/pools/:poolId/years/:year/accruals');
    cover('POST', '/pools/:poolId/years/:year/close-request');
    cover('POST', '/pools/:poolId/years/:year/close-approval');
    cover('POST', '/pools/:poolId/years/:year/prior-year-adjustments');
    const accrual = { accrualId: 'acc1', ...LINE, amount: '12000.00', description: 'March care' };
    expectProblem(
      await api.post(`${YEAR_URL}/accruals`, accrual, 'officer'),
      409,
      'accrual-before-year-end',
    );
    for (const quarter of ['Q1', 'Q2', 'Q3', 'Q4']) await closeQuarter(quarter, 'secondCfo');
    expect(await appended(() => api.post(`${YEAR_URL}/accruals`, accrual, 'officer'))).toEqual([
      'AccrualPosted.v1',
    ]);
    expectProblem(
      await api.post(`${YEAR_URL}/close-request`, undefined, 'officer'),
      409,
      'year-close-not-ready',
    );
    await arrange([
      [`${YEAR_URL}/year-end-terms`, TERMS, 'cfo'],
      [`${YEAR_URL}/year-end-terms/approval`, undefined, 'secondCfo'],
      [`${YEAR_URL}/outturn`, undefined, 'cfo'],
      [`${YEAR_URL}/risk-share`, undefined, 'cfo'],
    ]);
    expect(
      await appended(() => api.post(`${YEAR_URL}/close-request`, undefined, 'officer')),
    ).toEqual(['YearCloseRequested.v1']);
    expect(await appended(() => api.post(`${YEAR_URL}/close-approval`, undefined, 'cfo'))).toEqual([
      'YearClosed.v1',
    ]);
    expectProblem(
      await api.post(
        `${YEAR_URL}/spend`,
        spendBody('late', { spendDate: '2018-03-01' }),
        'officer',
      ),
      409,
      'year-closed',
    );
    await arrange([
      [`${POOL_URL}/years`, { year: '2018-19', referenceData }, 'admin'],
      [
        '/pools/herts/years/2018-19/contributions',
        { partnerId: 'ENHCCG', fundingStream: 'Minimum CCG Contribution', amount: '1000.00' },
        'officer',
      ],
      [
        '/pools/herts/years/2018-19/allocations',
        { allocationId: 'a1', ...LINE, amount: '1000.00' },
        'officer',
      ],
    ]);
    const correction = {
      adjustmentId: 'pya1',
      correctsYear: '2017-18',
      ...LINE,
      amount: '-250.00',
      description: 'credit for a 2017-18 invoice',
    };
    expect(
      await appended(() =>
        api.post('/pools/herts/years/2018-19/prior-year-adjustments', correction, 'officer'),
      ),
    ).toEqual(['PriorYearAdjustmentPosted.v1']);
    expectProblem(
      await api.post(
        '/pools/herts/years/2018-19/prior-year-adjustments',
        { ...correction, adjustmentId: 'pya2', correctsYear: '2018-19' },
        'officer',
      ),
      409,
      'prior-year-not-closed',
    );
    cover('POST', '/pools/:poolId/years/:year/balance-brought-forward');
    const bringForward = () =>
      api.post(
        '/pools/herts/years/2018-19/balance-brought-forward',
        { fromYear: '2017-18' },
        'cfo',
      );
    expect(await appended(bringForward)).toEqual(['BalanceBroughtForward.v1']);
    const again = await bringForward();
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ eventCount: 0 });
    const carried = (await api.get(`${YEAR_URL}/year-end-statement`, 'auditor')).json().riskShare
      .carryForward;
    const next = (await api.get('/pools/herts/years/2018-19/balances', 'auditor')).json();
    for (const { fundingStream, amount } of carried)
      expect(
        next.streams.find(
          (stream: { fundingStream: string }) => stream.fundingStream === fundingStream,
        ),
      ).toMatchObject({ broughtForward: amount });
    expect(carried.length).toBeGreaterThan(0);
  });
});

describe('read routes', () => {
  it('GET /national/years/:year rolls the year up over the pools the caller may read', async () => {
    await aYearRecorded();
    cover('GET', '/national/years/:year');
    const england = (await api.get('/national/years/2017-18', 'auditor')).json();
    const balances = (await api.get(`${YEAR_URL}/balances`, 'auditor')).json();
    expect(england.england).toMatchObject({
      pools: 1,
      contributions: balances.totals.contributions,
      spent: balances.totals.spent,
    });
    expect(england.pools.map((pool: { poolId: string }) => pool.poolId)).toEqual(['herts']);
    const elsewhere = (await api.get('/national/years/2017-18?region=London', 'auditor')).json();
    expect(elsewhere).toMatchObject({ region: 'London', pools: [], england: { pools: 0 } });
    expect((await api.get('/national/years/2017-18', 'outsider')).json().england.pools).toBe(0);
    expectProblem(await api.get('/national/years/2017', 'auditor'), 400, 'validation-failed');
  });

  it('GET /pools lists the pools in the caller’s scope', async () => {
    await aYearRecorded();
    cover('GET', '/pools');
    expect((await api.get('/pools', 'auditor')).json()).toEqual({
      pools: [{ poolId: 'herts', name: 'Hertfordshire BCF' }],
    });
    expect((await api.get('/pools', 'outsider')).json()).toEqual({ pools: [] });
    expect((await api.get('/pools?asAt=2017-04-03T09:00:00.000Z', 'auditor')).json()).toEqual({
      pools: [],
    });
  });

  it('GET /pools/:poolId describes the pool with its ETag', async () => {
    await aYearRecorded();
    cover('GET', '/pools/:poolId');
    const response = await api.get(POOL_URL, 'officer');
    expect(response.statusCode).toBe(200);
    expect(response.headers.etag).toMatch(/^"p\d+"$/);
    expect(response.json()).toMatchObject({
      poolId: 'herts',
      partners: [{ partnerId: 'HCC' }, { partnerId: 'ENHCCG' }],
    });
    expectProblem(await api.get('/pools/unknown', 'admin'), 404, 'not-found');
  });

  it('GET balances gives the figures, and as at an earlier moment what was known then', async () => {
    await aYearRecorded();
    cover('GET', '/pools/:poolId/years/:year/balances');
    const now = (await api.get(`${YEAR_URL}/balances`, 'auditor')).json();
    expect(
      now.streams.find(
        (stream: { fundingStream: string }) => stream.fundingStream === 'Minimum CCG Contribution',
      ),
    ).toMatchObject({
      contributions: '1025000.00',
      allocated: '850000.00',
      unallocated: '175000.00',
      received: '250000.00',
      spent: '-250.00',
    });
    const plans = await api.get(`${POOL_URL}/audit?type=ContributionPlanned.v1`, 'auditor');
    const firstPlanAt = plans.json().entries[0].recordedAt;
    const early = (await api.get(`${YEAR_URL}/balances?asAt=${firstPlanAt}`, 'auditor')).json();
    expect(early.totals).toMatchObject({
      contributions: '1000000.00',
      allocated: '0.00',
      spent: '0.00',
    });
    expectProblem(
      await api.get('/pools/herts/years/2030-31/balances', 'auditor'),
      404,
      'not-found',
    );
    expectProblem(
      await api.get(`${YEAR_URL}/balances?asAt=yesterday`, 'auditor'),
      400,
      'validation-failed',
    );
  });

  it('reports download as the CSV and workbook the command line writes, from the same figures', async () => {
    await aYearRecorded();
    const reports: { path: string; file: string; kind: DocumentKind }[] = [
      { path: 'balances', file: 'herts-2017-18-balances', kind: 'balances' },
      {
        path: 'quarters/Q1',
        file: 'herts-2017-18-Q1-position',
        kind: 'quarter',
      },
      {
        path: 'year-end-statement',
        file: 'herts-2017-18-year-end-statement',
        kind: 'year-end',
      },
      {
        path: 'nhs-england-extract',
        file: 'herts-2017-18-nhs-england-extract',
        kind: 'extract',
      },
    ];
    for (const report of reports) {
      const url = `${YEAR_URL}/${report.path}`;
      const json = (await api.get(url, 'auditor')).json();
      const tables = reportTables(report.kind, json as never);

      const csv = await api.get(`${url}?format=csv`, 'auditor');
      expect(csv.statusCode, csv.body).toBe(200);
      expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(csv.headers['content-disposition']).toBe(`attachment; filename="${report.file}.csv"`);
      expect(csv.body).toBe(await renderReport(report.kind, json as never, 'csv'));
      expect(csv.body.split('\r\n').length).toBeGreaterThan(2);

      const xlsx = await api.get(`${url}?format=xlsx`, 'auditor');
      expect(xlsx.statusCode).toBe(200);
      expect(xlsx.headers['content-type']).toBe(
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      );
      expect(xlsx.headers['content-disposition']).toBe(
        `attachment; filename="${report.file}.xlsx"`,
      );
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
      expect(book.worksheets.map((sheet) => sheet.name)).toEqual(tables.map((table) => table.name));
      const [first] = tables;
      const firstRow = first?.rows[0];
      if (first !== undefined && firstRow !== undefined) {
        const cell = book.getWorksheet(first.name)?.getRow(2).getCell(1).value;
        expect(String(cell)).toBe(String(firstRow[0]));
      }
    }
    expectProblem(
      await api.get(`${YEAR_URL}/balances?format=pdf`, 'auditor'),
      400,
      'validation-failed',
    );
    expectProblem(
      await api.get('/pools/herts/years/2030-31/balances?format=csv', 'auditor'),
      404,
      'not-found',
    );
  });

  it('GET quarters/:quarter gives the quarterly position', async () => {
    await aYearRecorded();
    cover('GET', '/pools/:poolId/years/:year/quarters/:quarter');
    const response = await api.get(`${YEAR_URL}/quarters/Q2`, 'cfo');
    expect(response.statusCode).toBe(200);
    expect(response.json().position).toMatchObject({
      quarter: 'Q2',
      poolName: 'Hertfordshire BCF',
    });
    expectProblem(await api.get(`${YEAR_URL}/quarters/Q5`, 'cfo'), 400, 'validation-failed');
  });

  it('GET ibcf and savings give the iBCF split and savings against plan', async () => {
    await aYearRecorded();
    cover('GET', '/pools/:poolId/years/:year/ibcf');
    cover('GET', '/pools/:poolId/years/:year/savings');
    expect((await api.get(`${YEAR_URL}/ibcf`, 'auditor')).json().purposes).toEqual([
      {
        purpose: 'reducing-nhs-pressures',
        byQuarter: { Q1: '9000.00', Q2: '0.00', Q3: '0.00', Q4: '0.00', YE: '0.00' },
        total: '9000.00',
      },
    ]);
    expect((await api.get(`${YEAR_URL}/savings`, 'auditor')).json().schemes).toEqual([
      {
        schemeId: '3',
        schemeName: 'Discharge to Assess',
        planned: '80000.00',
        cashablePlanned: '80000.00',
        realisedByQuarter: { Q1: '20000.00', Q2: '0.00', Q3: '0.00', Q4: '0.00', YE: '0.00' },
        realised: '20000.00',
        unrealised: '60000.00',
      },
    ]);
  });

  it('GET year-end-statement and nhs-england-extract give the year-end documents', async () => {
    await aYearRecorded();
    cover('GET', '/pools/:poolId/years/:year/year-end-statement');
    cover('GET', '/pools/:poolId/years/:year/nhs-england-extract');
    const statement = await api.get(`${YEAR_URL}/year-end-statement`, 'auditor');
    expect(statement.statusCode).toBe(200);
    expect(statement.json()).toMatchObject({
      poolId: 'herts',
      year: '2017-18',
      basis: 'outturn',
      riskShare: { status: 'applied', reconciliation: { reconciles: true } },
    });
    const table = await api.get(
      `${YEAR_URL}/year-end-statement?format=csv&table=partner-shares`,
      'auditor',
    );
    expect(table.statusCode).toBe(200);
    expect(table.body.split('\r\n')[0]).toBe(
      'Partner ID,Partner,Share (paid in below zero),Status',
    );
    expectProblem(
      await api.get(`${YEAR_URL}/year-end-statement?format=csv&table=by-postcode`, 'auditor'),
      400,
      'table-unknown',
    );
    const extract = await api.get(`${YEAR_URL}/nhs-england-extract`, 'auditor');
    expect(extract.json().lines[0]).toMatchObject({
      'Scheme ID': '1',
      'Source of Funding': 'Minimum CCG Contribution',
    });
    expectProblem(
      await api.get('/pools/herts/years/2031-32/nhs-england-extract', 'auditor'),
      404,
      'not-found',
    );
  });

  it('GET /pools/:poolId/audit and /audit give the trail, filtered and paged', async () => {
    await aYearRecorded();
    cover('GET', '/pools/:poolId/audit');
    cover('GET', '/audit');
    const reversals = (await api.get(`${POOL_URL}/audit?type=SpendReversed.v1`, 'auditor')).json();
    expect(reversals.entries).toMatchObject([
      {
        type: 'SpendReversed.v1',
        reason: 'duplicate invoice',
        actor: { id: 'officer', role: 'finance-officer' },
      },
    ]);
    const page = (await api.get(`${POOL_URL}/audit?limit=3`, 'auditor')).json();
    expect(page.entries).toHaveLength(3);
    expect(page.nextAfterPosition).toBe(page.entries[2].position);
    expect(
      (await api.get('/audit?type=TokenIssued.v1', 'auditor')).json().entries.length,
    ).toBeGreaterThan(0);
    expectProblem(await api.get('/audit', 'officer'), 403, 'out-of-scope');
    expectProblem(
      await api.get(`${POOL_URL}/audit?limit=501`, 'auditor'),
      400,
      'validation-failed',
    );
  });
});

describe('user routes', () => {
  it('POST /users/:userId/setup-links issues a one-time link a person chooses a password with', async () => {
    await registered();
    cover('POST', '/users/:userId/setup-links');
    const issued = await api.post('/users/officer/setup-links', undefined, 'admin');
    expect(issued.statusCode, issued.body).toBe(201);
    const link = issued.json();
    expect(link).toMatchObject({ userId: 'officer', link: `/app/set-up/${link.code}` });
    expect(link.code).toMatch(/^setup_[0-9a-f]{16}_/);
    const audit = (await api.get('/audit?type=SetupLinkIssued.v1', 'auditor')).json();
    expect(JSON.stringify(audit.entries)).not.toContain(link.code);
    expect(await api.ledger.writeFace.setPassword(link.code, 'correct horse battery')).toEqual({
      ok: true,
      userId: 'officer',
    });
    expect(
      await api.ledger.writeFace.setPassword(link.code, 'another long password'),
    ).toMatchObject({
      ok: false,
      field: 'code',
    });
    expect(await api.ledger.writeFace.signIn('officer', 'correct horse battery')).toMatchObject({
      ok: true,
      role: 'finance-officer',
    });
    expect(await api.ledger.writeFace.signIn('officer', 'wrong horse battery')).toEqual({
      ok: false,
    });
    expectProblem(
      await api.post('/users/officer/setup-links', undefined, 'officer'),
      403,
      'forbidden',
    );
  });

  it('POST /users, GET /users, tokens, revocation and deactivation', async () => {
    await registered();
    for (const url of [
      '/users',
      '/users/:userId/tokens',
      '/users/:userId/tokens/:tokenId/revocation',
      '/users/:userId/deactivation',
    ])
      cover('POST', url);
    cover('GET', '/users');
    expect(
      await appended(() =>
        api.post(
          '/users',
          { userId: 'dana', name: 'Dana Officer', role: 'finance-officer', pools: ['herts'] },
          'admin',
        ),
      ),
    ).toEqual(['UserRegistered.v1']);
    expectProblem(
      await api.post(
        '/users',
        { userId: 'dana', name: 'Dana', role: 'auditor', pools: '*' },
        'admin',
      ),
      409,
      'duplicate-id',
    );
    const issued = await api.post('/users/dana/tokens', { label: 'laptop' }, 'admin');
    expect(issued.statusCode).toBe(201);
    const { token, tokenId } = issued.json();
    const asDana = { authorization: `Bearer ${token}` };
    expect(
      (await api.app.inject({ method: 'GET', url: POOL_URL, headers: asDana })).statusCode,
    ).toBe(200);
    const listed = (await api.get('/users', 'admin'))
      .json()
      .users.find((user: { userId: string }) => user.userId === 'dana');
    expect(listed).toEqual({
      userId: 'dana',
      name: 'Dana Officer',
      role: 'finance-officer',
      pools: ['herts'],
      active: true,
      tokens: [{ tokenId, label: 'laptop', revoked: false }],
    });
    expect(JSON.stringify((await api.get('/users', 'admin')).json())).not.toContain(token);
    const registeredAt = (await api.get('/audit?type=UserRegistered.v1', 'auditor'))
      .json()
      .entries.find(
        (entry: { data: { userId: string } }) => entry.data.userId === 'dana',
      ).recordedAt;
    const justBefore = new Date(Date.parse(registeredAt) - 1).toISOString();
    const before = (await api.get(`/users?asAt=${justBefore}`, 'admin')).json().users;
    expect(before.map((user: { userId: string }) => user.userId)).not.toContain('dana');
    const again = await api.post('/users/dana/tokens', { label: 'phone' }, 'admin', {
      'idempotency-key': 'dana-phone',
    });
    const replay = await api.post('/users/dana/tokens', { label: 'phone' }, 'admin', {
      'idempotency-key': 'dana-phone',
    });
    expect(again.statusCode).toBe(201);
    expectProblem(replay, 409, 'duplicate-id');
    expect(replay.body).not.toContain(again.json().token);
    expectProblem(
      await api.post('/users/nobody/tokens', { label: 'x' }, 'admin'),
      404,
      'user-unknown',
    );
    expect(
      await appended(() =>
        api.post(`/users/dana/tokens/${tokenId}/revocation`, undefined, 'admin'),
      ),
    ).toEqual(['TokenRevoked.v1']);
    expectProblem(
      await api.app.inject({ method: 'GET', url: POOL_URL, headers: asDana }),
      401,
      'unauthenticated',
    );
    expectProblem(
      await api.post('/users/dana/tokens/0123456789abcdef/revocation', undefined, 'admin'),
      404,
      'token-unknown',
    );
    expect(await appended(() => api.post('/users/dana/deactivation', undefined, 'admin'))).toEqual([
      'UserDeactivated.v1',
    ]);
  });
});

describe('service routes', () => {
  it('serve health, problem types, the OpenAPI document and the reference without a token', async () => {
    for (const url of ['/health/live', '/health/ready', '/problems/:code']) cover('GET', url);
    expect((await api.get('/health/live', null)).json()).toEqual({ status: 'live' });
    await api.readModel.catchUp();
    expect((await api.get('/health/ready', null)).json()).toMatchObject({
      status: 'ready',
      lag: 0,
    });
    expect((await api.get('/problems/insufficient-unallocated-funds', null)).json()).toEqual({
      type: '/problems/insufficient-unallocated-funds',
      title: 'The funding stream has not that much unallocated',
      status: 422,
    });
    expectProblem(await api.get('/problems/no-such-thing', null), 404, 'not-found');
    // Found by the fuzz test: names every object has are not problem types.
    for (const name of ['toString', 'constructor', '__proto__', 'hasOwnProperty']) {
      expectProblem(await api.get(`/problems/${name}`, null), 404, 'not-found');
    }
    const openapi = (await api.get('/openapi.json', null)).json();
    expect(openapi.openapi).toBe('3.1.0');
    expect(Object.keys(openapi.paths)).toContain('/pools/{poolId}/years/{year}/spend');
    expect((await api.get('/docs/', null)).statusCode).toBe(200);
  });
});

describe('spend imports', () => {
  const mapping = {
    columns: {
      date: 'Date',
      dateFormats: ['DD/MM/YYYY'],
      amount: 'Amount',
      supplier: 'Supplier Name',
      reference: 'Invoice Number',
      transaction: 'Transaction Number',
    },
    rules: [
      {
        column: 'Expense Type',
        equals: 'Home care',
        schemeId: '1',
        fundingStream: 'Minimum CCG Contribution',
      },
      {
        column: 'Expense Type',
        equals: 'Discharge',
        schemeId: '3',
        fundingStream: 'iBCF',
        ibcfPurpose: 'reducing-nhs-pressures',
      },
    ],
  };
  const csv = (...rows: string[]) =>
    Buffer.from(
      ['Date,Transaction Number,Invoice Number,Supplier Name,Expense Type,Amount', ...rows].join(
        '\r\n',
      ),
    ).toString('base64');
  const rows = [
    '03/05/2017,T1,INV1,"Homecare, Ltd",Home care,1200.00',
    '15/06/2017,T2,INV2,Discharge Co,Discharge,830.50',
    '20/06/2017,T3,INV3,Homecare Ltd,Home care,499.9999999999999',
  ];
  const upload = (content: string, key?: string) =>
    api.post(
      `${POOL_URL}/spend-imports`,
      { fileName: 'spend.csv', content, mapping },
      'officer',
      key === undefined ? {} : { 'idempotency-key': key },
    );

  it('uploads, checks and confirms a file; problems stop it unless the listed rows are skipped', async () => {
    await setUpPool(api);
    cover('POST', '/pools/:poolId/spend-imports');
    cover('GET', '/pools/:poolId/spend-imports/:importId');
    cover('POST', '/pools/:poolId/spend-imports/:importId/confirmation');
    const uploaded = await upload(csv(...rows), 'upload-1');
    expect(uploaded.statusCode, uploaded.body).toBe(201);
    const staged = uploaded.json();
    expect(staged).toMatchObject({
      status: 'checked',
      report: { rows: 3, toRecord: 2, clean: false },
    });
    expect(staged.report.problems).toEqual([
      expect.objectContaining({ rowNumber: 4, column: 'Amount', kind: 'amount-noise' }),
    ]);
    expect(uploaded.headers.location).toBe(`${POOL_URL}/spend-imports/${staged.importId}`);
    const url = `${POOL_URL}/spend-imports/${staged.importId}`;
    const before = await api.store.headPosition();
    const refused = await api.post(`${url}/confirmation`, {}, 'officer');
    expectProblem(refused, 422, 'import-has-problems');
    expect(await api.store.headPosition()).toBe(before);
    const confirmed = await api.post(`${url}/confirmation`, { skipRowsWithProblems: true }, 'cfo');
    expect(confirmed.statusCode, confirmed.body).toBe(201);
    expect(confirmed.json().outcome).toMatchObject({
      recorded: true,
      rowsRecorded: 2,
      rowsSkipped: 1,
      eventsRecorded: 2,
      confirmedBy: 'cfo',
    });
    const again = await api.post(`${url}/confirmation`, { skipRowsWithProblems: true }, 'cfo');
    expect(again.statusCode).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect((await api.get(url, 'officer')).json()).toMatchObject({ status: 'recorded' });
    const balances = (await api.get(`${YEAR_URL}/balances`, 'auditor')).json();
    expect(
      balances.lines.map((line: { schemeId: string; fundingStream: string; spent: string }) => [
        line.schemeId,
        line.fundingStream,
        line.spent,
      ]),
    ).toEqual([
      ['1', 'Minimum CCG Contribution', '1200.00'],
      ['3', 'Minimum CCG Contribution', '0.00'],
      ['3', 'iBCF', '830.50'],
    ]);
  });

  it('knows a file recorded before, refuses a reused key and an unknown import, and checks the mapping', async () => {
    await setUpPool(api);
    const clean = csv(...rows.slice(0, 2));
    const first = (await upload(clean)).json();
    await api.post(`${POOL_URL}/spend-imports/${first.importId}/confirmation`, {}, 'officer');
    const second = await upload(clean);
    expect(second.json().report).toMatchObject({ alreadyRecorded: 2, toRecord: 0, clean: true });
    const confirmed = await api.post(
      `${POOL_URL}/spend-imports/${second.json().importId}/confirmation`,
      {},
      'officer',
    );
    expect(confirmed.json().outcome).toMatchObject({ rowsRecorded: 0, alreadyRecorded: 2 });
    expect((await upload(clean, 'same-key')).statusCode).toBe(201);
    expect((await upload(clean, 'same-key')).statusCode).toBe(200);
    expectProblem(await upload(csv(rows[0] ?? ''), 'same-key'), 422, 'idempotency-key-reused');
    expectProblem(
      await api.get(`${POOL_URL}/spend-imports/${'0'.repeat(32)}`, 'officer'),
      404,
      'not-found',
    );
    const badMapping = await api.post(
      `${POOL_URL}/spend-imports`,
      { fileName: 'spend.csv', content: clean, mapping: { ...mapping, rules: [] } },
      'officer',
    );
    expectProblem(badMapping, 400, 'validation-failed');
    // Imports are a recorder's work: an auditor may not read an upload.
    expectProblem(
      await api.get(`${POOL_URL}/spend-imports/${first.importId}`, 'auditor'),
      403,
      'forbidden',
    );
  });
});
