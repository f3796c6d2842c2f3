import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandInput } from '../../src/commands/write-face.ts';
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
 * accruals, the year closed, a correction of it in the next year, and a new plan cycle that
 * reclassifies every continuing scheme. Every expected figure below was worked out by hand from
 * the postings listed here (the working is in the comments), not by the ledger's code.
 */
const fixtures = join(import.meta.dirname, '../fixtures/northshire');
const directory = temporaryDirectory('northshire');
const POOL = 'northshire';
const YEAR = '2017-18';
const MIN = 'Minimum CCG Contribution';
const LA = 'Additional LA Contribution';
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
  await run(cfo, {
    type: 'AgreeRiskShareTerms',
    poolId: POOL,
    basis: 'proportional-to-contributions',
    fixedShares: [],
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
      ['NCCG', '10000000.00', '2500000.00', '2500000.00', '0.00'],
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

describe('the year end of the second plan, and the cycles after it', () => {
  beforeAll(async () => {
    await run(officer, receipt('r-q2', '2017-10-02'));
    await run(officer, due('Q3', '2017-10-01'));
    await run(officer, receipt('r-q3', '2017-10-20'));
    await run(officer, spend('s12', 'N1', MIN, '2017-11-30', '1000000.00'));
    await run(officer, spend('s13', 'N2', MIN, '2017-12-15', '1500000.00'));
    await run(officer, spend('s14', 'N2', LA, '2017-12-20', '700000.00'));
    await run(
      officer,
      spend('s15', 'N3', 'iBCF', '2017-10-31', '900000.00', {
        ibcfPurpose: 'stabilising-provider-market',
      }),
    );
    await run(
      officer,
      spend('s16', 'N4', 'DFG', '2017-11-10', '200000.00', { commitmentId: 'c1' }),
    );
    await closeQuarter('Q3');
    await run(officer, due('Q4', '2018-01-01'));
    await run(officer, receipt('r-q4', '2018-01-22'));
    await run(officer, spend('s17', 'N1', MIN, '2018-02-28', '1050000.00'));
    await run(officer, spend('s18', 'N2', MIN, '2018-03-15', '1700000.00'));
    await run(officer, spend('s19', 'N2', LA, '2018-03-20', '850000.00'));
    await run(
      officer,
      spend('s20', 'N3', 'iBCF', '2018-02-15', '1150000.00', {
        ibcfPurpose: 'reducing-nhs-pressures',
      }),
    );
    await run(officer, spend('s21', 'N4', 'DFG', '2018-03-01', '480000.00'));
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
  });

  it('gives the outturn as actual plus accruals, line by line and stream by stream', async () => {
    const statement = await report('year-end');
    // N1: 950,000 + 1,025,000 + 1,000,000 + 1,050,000 = 4,025,000 against 4,000,000.
    // N2: 1,100,000 + 1,300,000 + 1,500,000 + 1,700,000 = 5,600,000 and 380,000 + 700,000 +
    //   850,000 = 1,930,000, against 8,000,000. N3: 2,900,000 + 75,000 accrued against 3,000,000.
    // N4: 300,000 + 200,000 + 480,000 + 20,000 = 1,000,000 against 1,200,000.
    expect(
      pick(
        statement.expenditureByScheme as unknown as Row[],
        'schemeId',
        'budget',
        'spent',
        'accrued',
        'expenditure',
        'variance',
      ),
    ).toEqual([
      ['N1', '4000000.00', '4025000.00', '0.00', '4025000.00', '25000.00'],
      ['N2', '8000000.00', '7530000.00', '0.00', '7530000.00', '-470000.00'],
      ['N3', '3000000.00', '2900000.00', '75000.00', '2975000.00', '-25000.00'],
      ['N4', '1200000.00', '1000000.00', '0.00', '1000000.00', '-200000.00'],
    ]);
    expect(statement.net).toEqual({
      contributions: '16200000.00',
      expenditure: '15530000.00',
      net: '-670000.00',
    });
    // -670,000 by contributions, 10,000,000 : 6,200,000: NCCG 413,580.2469..., NCC 256,419.7530...;
    // the last penny goes to the larger remainder (NCCG).
    expect(statement.riskShare).toMatchObject({
      status: 'applied',
      allocations: [
        { partnerId: 'NCC', amount: '-256419.75' },
        { partnerId: 'NCCG', amount: '-413580.25' },
        { partnerId: 'WDC', amount: '0.00' },
      ],
    });
  });

  it('ends the year with every call paid, the order used up, and March’s late invoice in YE', async () => {
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
      pick(balances.partners as unknown as Row[], 'partnerId', 'due', 'received', 'outstanding'),
    ).toEqual([
      ['NCC', '0.00', '0.00', '0.00'],
      ['NCCG', '10000000.00', '10000000.00', '0.00'],
      ['WDC', '0.00', '0.00', '0.00'],
    ]);
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
