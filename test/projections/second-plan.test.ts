import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandInput } from '../../src/commands/write-face.ts';
import type { YearEndTerms } from '../../src/events/catalogue/index.ts';
import { referenceData as referenceDataSchema } from '../../src/events/catalogue/pool-events.ts';
import { importPlan } from '../../src/import/plan-import.ts';
import { readPlanCsv } from '../../src/import/plan-tables.ts';
import type { Ledger } from '../../src/main.ts';
import type { Reports } from '../../src/projections/read-face.ts';
import { temporaryDirectory } from '../support/temp-dir.ts';
import { openTestLedger } from '../support/test-ledger.ts';

/**
 * Acceptance: a second plan, not the demo's shape (test/fixtures/northshire/README.md), recorded
 * through a year by the write face: receipts across quarter ends, a partial and a prior-year credit
 * note, a late invoice, a recode after a close, a commitment invoiced and used up, unequal phasing,
 * money contributed and never allocated, a risk reserve added in Q3, accruals, the year-end terms
 * (a contingency line and three share profiles), the risk share, the year closed, its
 * carry-forward brought into 2018-19, a correction of it in the next year, and a new plan cycle
 * that reclassifies every continuing scheme. Every expected figure below was worked out by hand
 * from the postings listed here (the working is in the comments), not by the ledger's code.
 */
const fixtures = join(import.meta.dirname, '../fixtures/northshire');
const directory = temporaryDirectory('northshire');
const POOL = 'northshire';
const YEAR = '2017-18';
const MIN = 'Minimum CCG Contribution';
const LA = 'Additional LA Contribution';
const ADD_CCG = 'Additional CCG Contribution';
const officer = { id: 'ann', role: 'finance-officer' as const };
const cfo = { id: 'carol', role: 'cfo' as const };
const deputy = { id: 'dev', role: 'cfo' as const };

let ledger: Ledger;
let keys = 0;
const signedOff: { q1Digest?: string } = {};

async function run(caller: typeof officer | typeof cfo, command: CommandInput): Promise<void> {
  const outcome = await ledger.writeFace.execute({
    caller,
    idempotencyKey: `northshire-${++keys}`,
    command,
  });
  if (outcome.kind !== 'recorded' && outcome.kind !== 'unchanged')
    throw new Error(`${command.type}: ${JSON.stringify(outcome)}`);
}

const inYear = (year = YEAR) => ({ poolId: POOL, year });

function spend(
  spendId: string,
  schemeId: string,
  fundingStream: string,
  spendDate: string,
  amount: string,
  more: Record<string, string> = {},
): CommandInput {
  return {
    type: 'RecordSpend',
    ...inYear(),
    spendId,
    schemeId,
    fundingStream,
    spendDate,
    amount,
    supplier: schemeId === 'N4' ? 'Westbrook District Council' : 'Northshire Care Ltd',
    erpReference: spendId.toUpperCase(),
    description: '',
    ...more,
  } as CommandInput;
}

function due(quarter: string, dueOn: string): CommandInput {
  return {
    type: 'RecordContributionDue',
    ...inYear(),
    dueId: `due-${quarter}`,
    partnerId: 'NCCG',
    fundingStream: MIN,
    amount: '2500000.00',
    dueOn,
    reference: `NS-${quarter}`,
  };
}

function receipt(receiptId: string, receivedOn: string): CommandInput {
  return {
    type: 'RecordContributionReceived',
    ...inYear(),
    receiptId,
    partnerId: 'NCCG',
    fundingStream: MIN,
    amount: '2500000.00',
    receivedOn,
    reference: `BACS ${receiptId}`,
  };
}

async function closeQuarter(quarter: 'Q1' | 'Q2' | 'Q3' | 'Q4'): Promise<void> {
  await run(officer, { type: 'RequestQuarterClose', ...inYear(), quarter });
  await run(cfo, { type: 'ApproveQuarterClose', ...inYear(), quarter });
}

async function report<Kind extends keyof Reports>(
  kind: Kind,
  year = YEAR,
  quarter?: 'Q1' | 'Q2' | 'Q3' | 'Q4',
): Promise<Reports[Kind]> {
  const found = await ledger.readFace.report({
    kind,
    poolId: POOL,
    year,
    ...(quarter === undefined ? {} : { quarter }),
  });
  if (!found.found) throw new Error(found.detail);
  return found.value;
}

function referenceData(cycle: string) {
  const path = join(import.meta.dirname, `../../reference-data/bcf-${cycle}.json`);
  return referenceDataSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
}

beforeAll(async () => {
  ledger = await openTestLedger(join(directory.path, 'ledger.sqlite'));
  const imported = await importPlan(
    readPlanCsv(join(fixtures, '2017-19')),
    {
      poolId: POOL,
      referenceData: referenceData('2017-19'),
      registration: { name: 'Northshire Better Care Fund', hwbArea: 'Northshire' },
      caller: officer,
    },
    ledger.writeFace,
  );
  expect(imported).toMatchObject({ ok: true });
  // Submitted with the plan and never allocated: the plan's income exceeds its spend here.
  await run(officer, {
    type: 'PlanContribution',
    ...inYear(),
    partnerId: 'NCCG',
    fundingStream: ADD_CCG,
    amount: '300000.00',
  });
  await run(officer, {
    type: 'SetMinimums',
    ...inYear(),
    minimumSocialCare: '4100000.00',
    minimumOutOfHospital: '2900000.00',
  });
  await firstQuarter();
  await secondQuarter();
});

afterAll(async () => {
  await ledger.close();
  directory.remove();
});

/** Q1: the CCG pays its first call in April; invoices; an order raised; a partial credit. */
async function firstQuarter(): Promise<void> {
  await run(officer, due('Q1', '2017-04-01'));
  await run(officer, receipt('r-q1', '2017-04-25'));
  await run(officer, spend('s1', 'N1', MIN, '2017-04-30', '300000.00'));
  await run(officer, spend('s2', 'N1', MIN, '2017-05-31', '320000.00'));
  await run(officer, spend('s3', 'N1', MIN, '2017-06-30', '350000.00'));
  await run(officer, spend('s4', 'N2', MIN, '2017-05-15', '1100000.00'));
  await run(officer, spend('s5', 'N2', LA, '2017-06-10', '380000.00'));
  await run(
    officer,
    spend('s6', 'N3', 'iBCF', '2017-06-20', '250000.00', { ibcfPurpose: 'reducing-nhs-pressures' }),
  );
  await run(officer, {
    type: 'RaiseCommitment',
    ...inYear(),
    commitmentId: 'c1',
    schemeId: 'N4',
    fundingStream: 'DFG',
    raisedOn: '2017-06-01',
    amount: '500000.00',
    supplier: 'Westbrook District Council',
    reference: 'WDC-ADAPT-17',
    description: 'adaptations programme',
  });
  await run(officer, {
    type: 'RecordCreditNote',
    ...inYear(),
    creditId: 'cn1',
    creditsSpendId: 's2',
    creditDate: '2017-06-15',
    amount: '20000.00',
    supplier: 'Northshire Care Ltd',
    reference: 'CN-1',
    description: 'visits not delivered',
  });
  await closeQuarter('Q1');
}

/**
 * Q2, after Q1 closed: a Q1 invoice arriving late, part of a Q1 invoice recoded, invoices (one
 * against the order), a refund of a 2016-17 invoice; the CCG's Q2 call paid only on 2 October.
 */
async function secondQuarter(): Promise<void> {
  await run(officer, due('Q2', '2017-07-01'));
  await run(officer, spend('s7', 'N1', MIN, '2017-06-28', '40000.00'));
  await run(officer, {
    type: 'RecodeSpend',
    ...inYear(),
    recodeId: 'rc1',
    spendId: 's4',
    toSchemeId: 'N1',
    toFundingStream: MIN,
    amount: '100000.00',
    reason: 'home care hours charged to reablement',
  });
  await run(officer, spend('s8', 'N1', MIN, '2017-08-31', '900000.00'));
  await run(officer, spend('s9', 'N2', MIN, '2017-09-15', '1400000.00'));
  await run(
    officer,
    spend('s10', 'N3', 'iBCF', '2017-08-10', '600000.00', {
      ibcfPurpose: 'adult-social-care-needs',
    }),
  );
  await run(officer, spend('s11', 'N4', 'DFG', '2017-09-05', '300000.00', { commitmentId: 'c1' }));
  await run(officer, {
    type: 'RecordCreditNote',
    ...inYear(),
    creditId: 'cn2',
    schemeId: 'N1',
    fundingStream: MIN,
    creditDate: '2017-09-20',
    amount: '15000.00',
    supplier: 'Northshire Care Ltd',
    reference: 'CN-2',
    description: 'overcharge in March 2017',
    refundsPriorYear: '2016-17 NS-7781',
  });
  await closeQuarter('Q2');
}

type Row = Record<string, unknown>;
const pick = (rows: readonly Row[], ...columns: string[]) =>
  rows.map((row) => columns.map((column) => row[column]));

describe('the second plan, Northshire 2017-18', () => {
  it('signs Q1 off as it stood: spend by invoice date, less the partial credit, against phased budgets', async () => {
    const q1 = await report('quarter', YEAR, 'Q1');
    signedOff.q1Digest = q1.digest;
    expect(q1.digest).toBe(q1.status.closedDigest);
    // N1: 300,000 + 320,000 + 350,000 - 20,000 credit = 950,000; equal quarters: 1,000,000 due.
    // N2 Minimum CCG: 1,100,000 against 20% of 6,000,000 = 1,200,000 (8.3% behind: green).
    // N2 LA: 380,000 against a quarter of 2,000,000 = 500,000 (24% behind: amber).
    // N3: 250,000 against 10% of 3,000,000 = 300,000 (16.7% behind: amber). N4: nothing due.
    expect(
      pick(
        q1.position.lines as unknown as Row[],
        'schemeId',
        'fundingStream',
        'budget',
        'budgetToDate',
        'spendYearToDate',
        'varianceToDate',
        'committed',
        'rag',
      ),
    ).toEqual([
      ['N1', MIN, '4000000.00', '1000000.00', '950000.00', '-50000.00', '0.00', 'green'],
      ['N2', MIN, '6000000.00', '1200000.00', '1100000.00', '-100000.00', '0.00', 'green'],
      ['N2', LA, '2000000.00', '500000.00', '380000.00', '-120000.00', '0.00', 'amber'],
      ['N3', 'iBCF', '3000000.00', '300000.00', '250000.00', '-50000.00', '0.00', 'amber'],
      ['N4', 'DFG', '1200000.00', '0.00', '0.00', '0.00', '500000.00', 'green'],
    ]);
    expect(q1.position.totals).toMatchObject({
      budget: '16200000.00',
      budgetToDate: '3000000.00',
      spendYearToDate: '2680000.00',
      committed: '500000.00',
    });
    // The district council contributes nothing, so it is not among the contributing partners.
    expect(
      pick(
        q1.position.partners as unknown as Row[],
        'partnerId',
        'contributions',
        'due',
        'received',
        'outstanding',
      ),
    ).toEqual([
      ['NCC', '6200000.00', '0.00', '0.00', '0.00'],
      ['NCCG', '10300000.00', '2500000.00', '2500000.00', '0.00'],
    ]);
  });

  it('keeps Q1 as signed after Q2 closed, listing the late invoice and the recode beside it', async () => {
    const q1 = await report('quarter', YEAR, 'Q1');
    expect(q1.digest).toBe(signedOff.q1Digest);
    expect(
      pick(
        q1.correctionsSinceClose as unknown as Row[],
        'id',
        'kind',
        'schemeId',
        'amount',
        'postedIn',
      ),
    ).toEqual([
      ['s7', 'late-posting', 'N1', '40000.00', 'Q2'],
      ['rc1', 'recode', 'N2', '-100000.00', 'Q2'],
      ['rc1', 'recode', 'N1', '100000.00', 'Q2'],
    ]);
  });

  it('shows Q2 with the corrections counted in it, and the CCG owing its unpaid call', async () => {
    const q2 = await report('quarter', YEAR, 'Q2');
    // N1 in Q2: 40,000 late + 100,000 recoded in + 900,000 - 15,000 refund = 1,025,000;
    //   to date 1,975,000 against 2,000,000. N2 Minimum CCG: -100,000 + 1,400,000 = 1,300,000;
    //   to date 2,400,000 against 45% = 2,700,000 (11.1% behind: amber). N2 LA: 380,000 against
    //   1,000,000 (62% behind: red). N3: 850,000 against 30% = 900,000. N4: 300,000 against
    //   30% = 360,000 (16.7% behind: amber), 200,000 still committed.
    expect(
      pick(
        q2.position.lines as unknown as Row[],
        'schemeId',
        'fundingStream',
        'spendInQuarter',
        'spendYearToDate',
        'budgetToDate',
        'committed',
        'rag',
      ),
    ).toEqual([
      ['N1', MIN, '1025000.00', '1975000.00', '2000000.00', '0.00', 'green'],
      ['N2', MIN, '1300000.00', '2400000.00', '2700000.00', '0.00', 'amber'],
      ['N2', LA, '0.00', '380000.00', '1000000.00', '0.00', 'red'],
      ['N3', 'iBCF', '600000.00', '850000.00', '900000.00', '0.00', 'green'],
      ['N4', 'DFG', '300000.00', '300000.00', '360000.00', '200000.00', 'amber'],
    ]);
    // 5,000,000 called by 30 September, 2,500,000 of it paid: the Q2 call came on 2 October.
    expect(
      pick(q2.position.partners as unknown as Row[], 'partnerId', 'due', 'received', 'outstanding'),
    ).toEqual([
      ['NCC', '0.00', '0.00', '0.00'],
      ['NCCG', '5000000.00', '2500000.00', '2500000.00'],
    ]);
    expect(q2.position.ibcfByPurpose).toEqual([
      { purpose: 'adult-social-care-needs', inQuarter: '600000.00', yearToDate: '600000.00' },
      { purpose: 'reducing-nhs-pressures', inQuarter: '0.00', yearToDate: '250000.00' },
    ]);
  });
});

/**
 * Q3: the CCG's calls paid; the county adds a 500,000.00 risk reserve (scheme N5, the contingency
 * line) and the CFOs agree the year-end terms. Q4: the CCG is asked for its 300,000.00 Additional
 * CCG Contribution and pays 100,000.00 of it. The year end: an accrual, a late invoice, the
 * outturn, the risk share, the close, and the carry-forward brought into 2018-19.
 */
async function thirdQuarter(): Promise<void> {
  await run(officer, receipt('r-q2', '2017-10-02'));
  await run(officer, due('Q3', '2017-10-01'));
  await run(officer, receipt('r-q3', '2017-10-20'));
  await run(officer, {
    type: 'RequestContributionVariation',
    ...inYear(),
    variationId: 'var-reserve',
    partnerId: 'NCC',
    fundingStream: LA,
    change: '500000.00',
  });
  await run(cfo, { type: 'ApproveContributionVariation', ...inYear(), variationId: 'var-reserve' });
  await run(officer, {
    type: 'RegisterScheme',
    poolId: POOL,
    schemeId: 'N5',
    columns: {
      name: 'Risk reserve',
      schemeType: 'Other',
      description: 'contingency for the year-end risk share',
      areaOfSpend: 'Other',
      commissioner: 'Local Authority',
      provider: 'Local Authority',
      newOrExisting: 'New',
    },
  });
  await run(officer, {
    type: 'AllocateFunds',
    ...inYear(),
    allocationId: 'al-n5',
    schemeId: 'N5',
    fundingStream: LA,
    amount: '500000.00',
  });
  await run(cfo, { type: 'ProposeYearEndTerms', ...inYear(), terms: NORTHSHIRE_TERMS });
  await run(deputy, { type: 'ApproveYearEndTerms', ...inYear() });
  await run(officer, spend('s12', 'N1', MIN, '2017-11-30', '1000000.00'));
  await run(officer, spend('s13', 'N2', MIN, '2017-12-15', '1500000.00'));
  await run(officer, spend('s14', 'N2', LA, '2017-12-20', '700000.00'));
  await run(
    officer,
    spend('s15', 'N3', 'iBCF', '2017-10-31', '900000.00', {
      ibcfPurpose: 'stabilising-provider-market',
    }),
  );
  await run(officer, spend('s16', 'N4', 'DFG', '2017-11-10', '200000.00', { commitmentId: 'c1' }));
  await closeQuarter('Q3');
}

async function fourthQuarterAndYearEnd(): Promise<void> {
  await run(officer, due('Q4', '2018-01-01'));
  await run(officer, receipt('r-q4', '2018-01-22'));
  await run(officer, {
    type: 'RecordContributionDue',
    ...inYear(),
    dueId: 'due-add-ccg',
    partnerId: 'NCCG',
    fundingStream: ADD_CCG,
    amount: '300000.00',
    dueOn: '2018-03-01',
    reference: 'NS-ADD',
  });
  await run(officer, {
    type: 'RecordContributionReceived',
    ...inYear(),
    receiptId: 'r-add-ccg',
    partnerId: 'NCCG',
    fundingStream: ADD_CCG,
    amount: '100000.00',
    receivedOn: '2018-03-28',
    reference: 'BACS NS-ADD part',
  });
  await run(officer, spend('s17', 'N1', MIN, '2018-02-28', '1425000.00'));
  await run(officer, spend('s18', 'N2', MIN, '2018-03-15', '1700000.00'));
  await run(officer, spend('s19', 'N2', LA, '2018-03-20', '1120000.00'));
  await run(
    officer,
    spend('s20', 'N3', 'iBCF', '2018-02-15', '1375000.00', {
      ibcfPurpose: 'reducing-nhs-pressures',
    }),
  );
  await run(officer, spend('s21', 'N4', 'DFG', '2018-03-01', '480000.00'));
  await run(officer, spend('s24', 'N5', LA, '2018-02-10', '100000.00'));
  await closeQuarter('Q4');
  // Year-end adjustments: an accrual, and an invoice dated in March arriving after Q4 closed.
  await run(officer, {
    type: 'PostAccrual',
    ...inYear(),
    accrualId: 'acc1',
    schemeId: 'N3',
    fundingStream: 'iBCF',
    amount: '75000.00',
    description: 'March discharge packages not yet invoiced',
  });
  await run(officer, spend('s22', 'N4', 'DFG', '2018-03-29', '20000.00'));
  await run(cfo, { type: 'DetermineYearEndOutturn', ...inYear() });
  await run(cfo, { type: 'ApplyRiskShare', ...inYear() });
  await run(officer, { type: 'RequestYearClose', ...inYear() });
  await run(deputy, { type: 'ApproveYearClose', ...inYear() });
  await run(officer, { type: 'BringForwardBalance', ...inYear('2018-19'), fromYear: YEAR });
}

/**
 * Northshire's section 75 terms for 2017-18: the risk reserve (N5) meets overspends first, with no
 * offsetting between lines; what is left of N1's overspend falls on those who fund its stream
 * (the CCG), N3's (iBCF) 70% on the county and 30% on the CCG, any other line's on its
 * commissioner. The Minimum CCG underspend goes back to the commissioner; any other underspend is
 * kept and carried forward; money never allocated goes back to whoever contributed it.
 */
const NORTHSHIRE_TERMS: YearEndTerms = {
  steps: ['contingency', 'share-overspend'],
  contingency: { schemeId: 'N5', fundingStream: LA },
  defaultProfile: { kind: 'commissioner' },
  lineProfiles: [
    { schemeId: 'N1', fundingStream: MIN, profile: { kind: 'stream-contributors' } },
    {
      schemeId: 'N3',
      fundingStream: 'iBCF',
      profile: {
        kind: 'fixed',
        shares: [
          { partnerId: 'NCC', percentage: '70' },
          { partnerId: 'NCCG', percentage: '30' },
        ],
      },
    },
  ],
  defaultUnderspend: 'carry-forward',
  underspend: [{ fundingStream: MIN, treatment: 'return-to-commissioner' }],
  unallocated: 'return-to-contributors',
};

describe('the year end of the second plan, and the cycles after it', () => {
  beforeAll(async () => {
    await thirdQuarter();
    await fourthQuarterAndYearEnd();
  });

  /*
   * The outturn, line by line (spent + accrued against budget):
   *   N1 Minimum CCG: 950,000 + 1,025,000 + 1,000,000 + 1,425,000 = 4,400,000 against 4,000,000:
   *     400,000 over.
   *   N2 Minimum CCG: 1,100,000 + 1,300,000 + 1,500,000 + 1,700,000 = 5,600,000 against
   *     6,000,000: 400,000 under. N2 Additional LA: 380,000 + 700,000 + 1,120,000 = 2,200,000
   *     against 2,000,000: 200,000 over.
   *   N3 iBCF: 250,000 + 600,000 + 900,000 + 1,375,000 = 3,125,000 + 75,000 accrued = 3,200,000
   *     against 3,000,000: 200,000 over.
   *   N4 DFG (capital): 300,000 + 200,000 + 480,000 + 20,000 = 1,000,000 against 1,200,000:
   *     200,000 under.
   *   N5 Additional LA (the reserve): 100,000 against 500,000: 400,000 unspent.
   *   Additional CCG: 300,000 contributed, nothing allocated.
   * Funding 10,000,000 + 3,000,000 + 1,200,000 + 2,500,000 + 300,000 = 17,000,000; expenditure
   * 4,400,000 + 5,600,000 + 2,200,000 + 3,200,000 + 1,000,000 + 100,000 = 16,500,000; net
   * (funding - expenditure) 500,000.
   */
  it('states the funding by partner and stream: contributed, due, received and owed', async () => {
    const statement = await report('year-end');
    expect(statement).toMatchObject({ basis: 'outturn', closed: true, priorYear: null });
    expect(
      statement.funding.byPartner.map((partner) => [
        partner.partnerId,
        pick(partner.byStream, 'fundingStream', 'contribution', 'due', 'received', 'owed'),
        partner.total,
      ]),
    ).toEqual([
      [
        'NCC',
        [
          ['iBCF', '3000000.00', '0.00', '0.00', '0.00'],
          ['DFG', '1200000.00', '0.00', '0.00', '0.00'],
          [LA, '2500000.00', '0.00', '0.00', '0.00'],
        ],
        { contribution: '6700000.00', due: '0.00', received: '0.00', owed: '0.00' },
      ],
      [
        'NCCG',
        [
          [MIN, '10000000.00', '10000000.00', '10000000.00', '0.00'],
          [ADD_CCG, '300000.00', '300000.00', '100000.00', '200000.00'],
        ],
        {
          contribution: '10300000.00',
          due: '10300000.00',
          received: '10100000.00',
          owed: '200000.00',
        },
      ],
    ]);
    expect(
      pick(
        statement.funding.byStream as unknown as Row[],
        'fundingStream',
        'capital',
        'contributions',
        'broughtForward',
        'funding',
      ),
    ).toEqual([
      [MIN, false, '10000000.00', '0.00', '10000000.00'],
      ['iBCF', false, '3000000.00', '0.00', '3000000.00'],
      ['DFG', true, '1200000.00', '0.00', '1200000.00'],
      [LA, false, '2500000.00', '0.00', '2500000.00'],
      [ADD_CCG, false, '300000.00', '0.00', '300000.00'],
    ]);
    expect(statement.funding.total).toEqual({
      contributions: '17000000.00',
      broughtForward: '0.00',
      funding: '17000000.00',
    });
  });

  it('states the expenditure by scheme, type, stream and commissioner, capital apart, and the net', async () => {
    const { expenditure, net } = await report('year-end');
    expect(
      pick(
        expenditure.byScheme as unknown as Row[],
        'schemeId',
        'budget',
        'spent',
        'accrued',
        'expenditure',
        'variance',
      ),
    ).toEqual([
      ['N1', '4000000.00', '4400000.00', '0.00', '4400000.00', '400000.00'],
      ['N2', '8000000.00', '7800000.00', '0.00', '7800000.00', '-200000.00'],
      ['N3', '3000000.00', '3125000.00', '75000.00', '3200000.00', '200000.00'],
      ['N4', '1200000.00', '1000000.00', '0.00', '1000000.00', '-200000.00'],
      ['N5', '500000.00', '100000.00', '0.00', '100000.00', '-400000.00'],
    ]);
    expect(
      pick(expenditure.bySchemeType as unknown as Row[], 'schemeType', 'budget', 'expenditure'),
    ).toEqual([
      ['DFG - Adaptations', '1200000.00', '1000000.00'],
      ['HICM for managing transfer of care', '3000000.00', '3200000.00'],
      ['Other', '500000.00', '100000.00'],
      ['Personalised support/care at home', '4000000.00', '4400000.00'],
      ['Reablement services', '8000000.00', '7800000.00'],
    ]);
    // Net by stream, funding - expenditure: Minimum CCG 0; iBCF -200,000; DFG 200,000;
    // Additional LA 2,500,000 - 2,300,000 = 200,000; Additional CCG 300,000.
    expect(
      pick(
        expenditure.byStream as unknown as Row[],
        'fundingStream',
        'funding',
        'spent',
        'accrued',
        'expenditure',
        'net',
      ),
    ).toEqual([
      [MIN, '10000000.00', '10000000.00', '0.00', '10000000.00', '0.00'],
      ['iBCF', '3000000.00', '3125000.00', '75000.00', '3200000.00', '-200000.00'],
      ['DFG', '1200000.00', '1000000.00', '0.00', '1000000.00', '200000.00'],
      [LA, '2500000.00', '2300000.00', '0.00', '2300000.00', '200000.00'],
      [ADD_CCG, '300000.00', '0.00', '0.00', '0.00', '300000.00'],
    ]);
    // N2 is joint, 60% NHS: 60% of 7,800,000 = 4,680,000 to the CCG, 3,120,000 to the council;
    // the council's: 4,400,000 + 3,120,000 + 3,200,000 + 1,000,000 + 100,000 = 11,820,000.
    expect(expenditure.byCommissioner).toEqual([
      { commissioner: 'CCG', expenditure: '4680000.00' },
      { commissioner: 'Local Authority', expenditure: '11820000.00' },
    ]);
    expect(expenditure.capitalAndRevenue).toEqual([
      { kind: 'revenue', funding: '15800000.00', expenditure: '15500000.00', net: '300000.00' },
      { kind: 'capital', funding: '1200000.00', expenditure: '1000000.00', net: '200000.00' },
    ]);
    expect(net).toEqual({ funding: '17000000.00', expenditure: '16500000.00', net: '500000.00' });
  });

  /*
   * The waterfall by the agreed terms:
   *   contingency: N5's 400,000 unspent meets the revenue overspends, 800,000 in all, in
   *     proportion: N1 200,000, N2 LA 100,000, N3 100,000; half of each is left.
   *   N1 (stream-contributors: the Minimum CCG's contributor) 200,000 on NCCG.
   *   N2 LA (commissioner: joint 60/40): 60,000 on the CCGs (NCCG), 40,000 on the councils by
   *     their contributions (NCC 6,700,000, WDC none): NCC 40,000.
   *   N3 (fixed 70/30): NCC 70,000, NCCG 30,000.
   *   Minimum CCG underspend (N2, 400,000) back to the commissioner, joint 60/40: NCCG 240,000,
   *     NCC 160,000. DFG's 200,000 (capital) carried forward, never meeting a revenue overspend.
   *   Additional CCG, 300,000 never allocated: back to NCCG, its contributor.
   * Shares (above zero: money back): NCC 160,000 - 40,000 - 70,000 = 50,000; NCCG 240,000 +
   * 300,000 - 200,000 - 60,000 - 30,000 = 250,000; WDC 0. 300,000 + 200,000 carried = 500,000.
   */
  it('applies the risk share step by step, and reconciles on its face', async () => {
    const { riskShare } = await report('year-end');
    expect(riskShare.status).toBe('applied');
    expect(riskShare.offsets).toEqual([]);
    expect(riskShare.contingency).toEqual({
      schemeId: 'N5',
      fundingStream: LA,
      available: '400000.00',
      used: '400000.00',
    });
    const nonZero = (shares: readonly { partnerId: string; amount: string }[]) =>
      shares
        .filter((share) => share.amount !== '0.00')
        .map((share) => [share.partnerId, share.amount]);
    expect(
      riskShare.overspends.map((line) => [
        line.schemeId,
        line.fundingStream,
        line.overspend,
        line.profile,
        nonZero(line.shares),
      ]),
    ).toEqual([
      ['N1', MIN, '200000.00', 'stream-contributors', [['NCCG', '200000.00']]],
      [
        'N2',
        LA,
        '100000.00',
        'commissioner',
        [
          ['NCC', '40000.00'],
          ['NCCG', '60000.00'],
        ],
      ],
      [
        'N3',
        'iBCF',
        '100000.00',
        'fixed',
        [
          ['NCC', '70000.00'],
          ['NCCG', '30000.00'],
        ],
      ],
    ]);
    expect(
      riskShare.underspends.map((stream) => [
        stream.fundingStream,
        stream.capital,
        stream.underspend,
        stream.unallocated,
        nonZero(stream.returned),
        stream.carriedForward,
      ]),
    ).toEqual([
      [
        MIN,
        false,
        '400000.00',
        '0.00',
        [
          ['NCC', '160000.00'],
          ['NCCG', '240000.00'],
        ],
        '0.00',
      ],
      ['DFG', true, '200000.00', '0.00', [], '200000.00'],
      [ADD_CCG, false, '0.00', '300000.00', [['NCCG', '300000.00']], '0.00'],
    ]);
    expect(pick(riskShare.shares as unknown as Row[], 'partnerId', 'amount')).toEqual([
      ['NCC', '50000.00'],
      ['NCCG', '250000.00'],
      ['WDC', '0.00'],
    ]);
    expect(riskShare.carryForward).toEqual([{ fundingStream: 'DFG', amount: '200000.00' }]);
    expect(riskShare.reconciliation).toEqual({
      net: '500000.00',
      shares: '300000.00',
      carryForward: '200000.00',
      reconciles: true,
    });
  });

  it('ends the year with the CCG owing 200,000.00, the order used up, and March’s late invoice in YE', async () => {
    const balances = await report('balances');
    expect(balances.toDate).toBe('YE');
    const n4 = balances.lines.find((line) => line.schemeId === 'N4');
    expect(n4).toMatchObject({
      spendByQuarter: {
        Q1: '0.00',
        Q2: '300000.00',
        Q3: '200000.00',
        Q4: '480000.00',
        YE: '20000.00',
      },
      committed: '0.00',
      remaining: '200000.00',
      forecastOutturn: '1000000.00',
    });
    expect(
      pick(
        balances.partners as unknown as Row[],
        'partnerId',
        'due',
        'received',
        'outstanding',
        'riskShareExposure',
        'riskShareStatus',
      ),
    ).toEqual([
      ['NCC', '0.00', '0.00', '0.00', '50000.00', 'applied'],
      ['NCCG', '10300000.00', '10100000.00', '200000.00', '250000.00', 'applied'],
      ['WDC', '0.00', '0.00', '0.00', '0.00', 'applied'],
    ]);
  });

  /*
   * As submitted: income per source from the plan (Additional LA's 500,000 reserve came in Q3, a
   * variation); planned spend the plan's allocations (N5 is supplementary). The submitted plan's
   * Additional CCG income (300,000) has no planned spend: that check fails. Minimum CCG to social
   * care: N1, 4,000,000 planned (below the 4,100,000 minimum: failed), 4,400,000 actual;
   * out-of-hospital: 60% of N2's 6,000,000 = 3,600,000 planned, 60% of 5,600,000 = 3,360,000
   * actual (at least 2,900,000: passed).
   */
  it('gives the NHS England returns against the plan as submitted, and their checks', async () => {
    const extract = await report('extract');
    expect(extract).toMatchObject({
      cycle: 'BCF planning template 2017-19',
      planYears: ['2017-18', '2018-19'],
    });
    expect(
      pick(
        extract.plan,
        'Scheme ID',
        'Source of Funding',
        '2017/18 Expenditure (£)',
        '2018/19 Expenditure (£)',
      ),
    ).toEqual([
      ['N1', MIN, '4000000.00', '4100000.00'],
      ['N2', MIN, '6000000.00', '6100000.00'],
      ['N2', LA, '2000000.00', '2000000.00'],
      ['N3', 'iBCF', '3000000.00', '4000000.00'],
      ['N4', 'DFG', '1200000.00', '1300000.00'],
    ]);
    expect(
      pick(extract.income as unknown as Row[], 'fundingStream', 'planned', 'varied', 'received'),
    ).toEqual([
      [MIN, '10000000.00', '0.00', '10000000.00'],
      ['iBCF', '3000000.00', '0.00', '0.00'],
      ['DFG', '1200000.00', '0.00', '0.00'],
      [LA, '2000000.00', '500000.00', '0.00'],
      [ADD_CCG, '300000.00', '0.00', '100000.00'],
    ]);
    expect(
      pick(extract.expenditure as unknown as Row[], 'fundingStream', 'planned', 'actual'),
    ).toEqual([
      [MIN, '10000000.00', '10000000.00'],
      ['iBCF', '3000000.00', '3200000.00'],
      ['DFG', '1200000.00', '1000000.00'],
      [LA, '2000000.00', '2300000.00'],
      [ADD_CCG, '0.00', '0.00'],
    ]);
    expect(extract.minimumContribution).toEqual({
      minimumSocialCare: '4100000.00',
      plannedSocialCare: '4000000.00',
      actualSocialCare: '4400000.00',
      minimumOutOfHospital: '2900000.00',
      plannedOutOfHospital: '3600000.00',
      actualOutOfHospital: '3360000.00',
    });
    expect(extract.checks.map((check) => [check.status, check.detail])).toEqual([
      ['failed', `planned expenditure is not equal to income for ${ADD_CCG}`],
      ['failed', 'planned 4000000.00, below the minimum of 4100000.00'],
      ['passed', 'planned 3600000.00, at least the minimum of 2900000.00'],
    ]);
  });

  it('brings the DFG carry-forward into 2018-19 as capital to allocate, with 2017-18 beside it', async () => {
    const next = await report('balances', '2018-19');
    expect(next.streams.find((stream) => stream.fundingStream === 'DFG')).toMatchObject({
      contributions: '1300000.00',
      broughtForward: '200000.00',
      allocated: '1300000.00',
      unallocated: '200000.00',
    });
    const statement = await report('year-end', '2018-19');
    expect(statement.priorYear).toEqual({
      year: YEAR,
      funding: '17000000.00',
      expenditure: '16500000.00',
      net: '500000.00',
      carriedForward: '200000.00',
    });
    expect(
      statement.funding.byStream.find((stream) => stream.fundingStream === 'DFG'),
    ).toMatchObject({ capital: true, broughtForward: '200000.00', funding: '1500000.00' });
    // Brought forward once: asking again changes nothing.
    await expect(
      ledger.writeFace.execute({
        caller: officer,
        idempotencyKey: 'twice',
        command: { type: 'BringForwardBalance', ...inYear('2018-19'), fromYear: YEAR },
      }),
    ).resolves.toMatchObject({ kind: 'unchanged' });
    expect((await report('balances', '2018-19')).streams).toEqual(next.streams);
  });

  it('takes a correction of the closed year in 2018-19, naming it, and leaves 2017-18 as closed', async () => {
    const closed = await report('year-end');
    await expect(
      ledger.writeFace.execute({
        caller: officer,
        idempotencyKey: 'too-late',
        command: spend('s23', 'N1', MIN, '2018-03-30', '10.00'),
      }),
    ).resolves.toMatchObject({ kind: 'refused', error: { code: 'year-closed' } });
    await run(officer, {
      type: 'PostPriorYearAdjustment',
      ...inYear('2018-19'),
      adjustmentId: 'pya1',
      correctsYear: YEAR,
      schemeId: 'N1',
      fundingStream: MIN,
      amount: '-8000.00',
      description: 'supplier credit for a 2017-18 invoice, received after the year closed',
    });
    const next = await report('balances', '2018-19');
    expect(next.lines.find((line) => line.schemeId === 'N1')).toMatchObject({
      currentBudget: '4100000.00',
      spent: '-8000.00',
    });
    expect(await report('year-end')).toEqual(closed);
  });

  it('imports the 2019-20 cycle: new types for continuing schemes in 2019-20 alone', async () => {
    const before = await report('extract');
    const imported = await importPlan(
      readPlanCsv(join(fixtures, '2019-20')),
      { poolId: POOL, referenceData: referenceData('2019-20'), caller: officer },
      ledger.writeFace,
    );
    expect(imported).toMatchObject({ ok: true });
    const extract = await report('extract', '2019-20');
    expect(
      pick(extract.lines, 'Scheme ID', 'Scheme Type', 'Source of Funding', 'Commissioner'),
    ).toEqual([
      ['N1', 'Home Care or Domiciliary Care', MIN, 'Local Authority'],
      ['N2', 'Intermediate Care Services', MIN, 'Joint'],
      ['N2', 'Intermediate Care Services', LA, 'Joint'],
      ['N3', 'HICM for Managing Transfer of Care', 'iBCF', 'Local Authority'],
      ['N4', 'DFG Related Schemes', 'DFG', 'Local Authority'],
      ['N5', 'Residential Placements', 'Winter Pressures Grant', 'Local Authority'],
    ]);
    const balances = await report('balances', '2019-20');
    expect(
      pick(balances.streams as unknown as Row[], 'fundingStream', 'contributions', 'allocated'),
    ).toEqual([
      [MIN, '10500000.00', '10500000.00'],
      ['iBCF', '4500000.00', '4500000.00'],
      ['Winter Pressures Grant', '800000.00', '800000.00'],
      ['DFG', '1400000.00', '1400000.00'],
      [LA, '2100000.00', '2100000.00'],
    ]);
    // 2017-18 keeps its own classification, and its signed-off reports read as signed.
    expect(await report('extract')).toEqual(before);
    expect(pick(before.lines, 'Scheme ID', 'Scheme Type').slice(0, 1)).toEqual([
      ['N1', 'Personalised support/care at home'],
    ]);
    expect((await report('quarter', YEAR, 'Q1')).digest).toBe(signedOff.q1Digest);
    expect(await ledger.readFace.verify()).toMatchObject({ ok: true });
  });
});
