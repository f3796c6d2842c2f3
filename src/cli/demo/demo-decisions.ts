import { type Quarter, quarterDates } from '../../events/catalogue/index.ts';
import { POOL, type Run, YEAR } from './demo-kit.ts';
import { recordMetrics } from './demo-year-end.ts';

/**
 * What happens around each quarter of the demo's year besides the invoices: partners called for
 * their contributions and paying (one late, across the quarter end), commitments raised, invoiced
 * and released, credit notes, a recode, a late invoice, virements, savings, forecasts, the
 * national metrics, and the CFO group's close of each quarter.
 */
const inYear = { poolId: POOL, year: YEAR };

/** The Minimum CCG contribution, called a quarter at a time from each CCG. */
const QUARTERLY_CALLS = [
  { partnerId: 'ENHCCG', amount: '11162500.00' },
  { partnerId: 'HVCCG', amount: '12112500.00' },
  { partnerId: 'CPCCG', amount: '475000.00' },
];

/** At the quarter's start: contributions called, and the commitments of the quarter raised. */
export async function quarterOpening(quarter: Quarter, run: Run): Promise<void> {
  const { first } = quarterDates(YEAR, quarter);
  const at = Date.parse(`${first}T08:00:00.000Z`);
  for (const call of QUARTERLY_CALLS) {
    await run(
      'officer',
      {
        type: 'RecordContributionDue',
        ...inYear,
        dueId: `${call.partnerId}-${quarter}`,
        partnerId: call.partnerId,
        fundingStream: 'Minimum CCG Contribution',
        amount: call.amount,
        dueOn: first,
        reference: `BCF-${quarter}-${call.partnerId}`,
      },
      { at },
    );
  }
  const commitment = COMMITMENTS[quarter];
  if (commitment !== undefined)
    await run('officer', { type: 'RaiseCommitment', ...inYear, ...commitment }, { at });
}

const COMMITMENTS: Partial<Record<Quarter, CommitmentFields>> = {
  Q1: {
    commitmentId: 'dfg-adaptations-2017',
    schemeId: '7',
    fundingStream: 'DFG',
    raisedOn: '2017-04-10',
    amount: '600000.00',
    supplier: 'Herts Home Improvement Agency',
    reference: 'PO-7731',
    description: 'Major adaptations programme 2017-18',
  },
  Q3: {
    commitmentId: 'residential-block-2018',
    schemeId: '11',
    fundingStream: 'Additional LA Contribution',
    raisedOn: '2017-10-02',
    amount: '2000000.00',
    supplier: 'Supplier 12',
    reference: 'PO-8120',
    description: 'Winter block booking of nursing beds',
  },
};

type CommitmentFields = {
  commitmentId: string;
  schemeId: string;
  fundingStream: string;
  raisedOn: string;
  amount: string;
  supplier: string;
  reference: string;
  description: string;
};

/** Each CCG pays its call on the 20th; HVCCG pays Q1's on 3 July, after the quarter's end. */
async function contributionsReceived(quarter: Quarter, run: Run, at: number): Promise<void> {
  const { first } = quarterDates(YEAR, quarter);
  for (const call of QUARTERLY_CALLS) {
    const late = quarter === 'Q1' && call.partnerId === 'HVCCG';
    if (late) continue;
    await received(run, call, quarter, `${first.slice(0, 8)}20`, at);
  }
  if (quarter === 'Q2') {
    const hvccg = QUARTERLY_CALLS[1];
    if (hvccg !== undefined) await received(run, hvccg, 'Q1', '2017-07-03', at);
  }
}

function received(
  run: Run,
  call: (typeof QUARTERLY_CALLS)[number],
  quarter: Quarter,
  receivedOn: string,
  at: number,
) {
  return run(
    'officer',
    {
      type: 'RecordContributionReceived',
      ...inYear,
      receiptId: `${call.partnerId}-${quarter}-paid`,
      partnerId: call.partnerId,
      fundingStream: 'Minimum CCG Contribution',
      amount: call.amount,
      receivedOn,
      reference: `BACS BCF-${quarter}-${call.partnerId}`,
    },
    { at },
  );
}

/** What the CFO group does at each quarter's end: forecasts, virements, savings, metrics, the close. */
export async function quarterDecisions(quarter: Quarter, run: Run): Promise<void> {
  const at = Date.parse(`${quarterDates(YEAR, quarter).last}T16:00:00.000Z`);
  await contributionsReceived(quarter, run, at);
  await run(
    'officer',
    {
      type: 'UpdateForecast',
      ...inYear,
      schemeId: '11',
      fundingStream: 'Additional LA Contribution',
      quarter,
      forecastOutturn: '89250000.00',
    },
    { at },
  );
  if (quarter === 'Q1') await firstQuarterDecisions(run, at);
  if (quarter === 'Q2') await secondQuarterDecisions(run, at);
  if (quarter === 'Q2') await secondQuarterCorrections(run, at);
  if (quarter === 'Q3') await thirdQuarterCorrections(run, at);
  await recordMetrics(quarter, run, at);
  await run('officer', { type: 'RequestQuarterClose', ...inYear, quarter }, { at: at + 3_600_000 });
  await run('cfo', { type: 'ApproveQuarterClose', ...inYear, quarter }, { at: at + 3_600_000 });
}

async function firstQuarterDecisions(run: Run, at: number): Promise<void> {
  await run(
    'officer',
    {
      type: 'RecordCreditNote',
      ...inYear,
      creditId: 'credit-q1-1',
      creditsSpendId: '1-MinimumCCGContribution-Q1-1-0',
      creditDate: '2017-06-19',
      amount: '1250.00',
      supplier: 'Supplier 3',
      reference: 'CN-40211',
      description: 'two visits not delivered',
    },
    { at },
  );
  await run(
    'officer',
    {
      type: 'PlanSaving',
      ...inYear,
      savingId: 'falls-2017',
      schemeId: '6',
      amount: '800000.00',
      cashable: true,
      description: 'Falls liaison: 7% fewer admissions',
    },
    { at },
  );
  await run(
    'officer',
    {
      type: 'ReverseSpend',
      ...inYear,
      reversalId: 'reversal-1',
      spendId: '1-MinimumCCGContribution-Q1-0-0',
      reason: 'invoice entered twice',
    },
    { at },
  );
  await run(
    'officer',
    {
      type: 'RequestVirement',
      ...inYear,
      virementId: 'vir-2017-1',
      fundingStream: 'Minimum CCG Contribution',
      fromSchemeId: '14',
      toSchemeId: '9',
      amount: '150000.00',
    },
    { at, reason: 'reablement demand up' },
  );
  await run('cfo', { type: 'ApproveVirement', ...inYear, virementId: 'vir-2017-1' }, { at });
}

async function secondQuarterDecisions(run: Run, at: number): Promise<void> {
  await run(
    'officer',
    {
      type: 'RecordRealisedSaving',
      ...inYear,
      realisationId: 'falls-2017-q2',
      schemeId: '6',
      savingId: 'falls-2017',
      realisedOn: '2017-09-29',
      amount: '350000.00',
      evidence: 'SUS admissions extract, September',
    },
    { at },
  );
  await run(
    'officer',
    {
      type: 'RequestVirement',
      ...inYear,
      virementId: 'vir-2017-2',
      fundingStream: 'iBCF',
      fromSchemeId: '4',
      toSchemeId: '3',
      amount: '250000.00',
    },
    { at, reason: 'discharge to assess expansion' },
  );
  await run('cfo-deputy', { type: 'ApproveVirement', ...inYear, virementId: 'vir-2017-2' }, { at });
}

/**
 * Q2's corrections, after Q1 closed: a Q1 invoice that arrived late (it counts in Q2, naming Q1),
 * invoices against the DFG order, a refund of last year's invoice, and a recode.
 */
async function secondQuarterCorrections(run: Run, at: number): Promise<void> {
  const invoice = (spendId: string, fields: Record<string, string>) =>
    run(
      'officer',
      {
        type: 'RecordSpend',
        ...inYear,
        spendId,
        supplier: 'Herts Home Improvement Agency',
        erpReference: spendId.toUpperCase(),
        description: '',
        ...fields,
      } as never,
      { at },
    );
  await invoice('late-q1-1', {
    schemeId: '10',
    fundingStream: 'Minimum CCG Contribution',
    spendDate: '2017-06-27',
    amount: '18400.00',
    supplier: 'Supplier 21',
    description: 'June beds, invoiced late',
  });
  await invoice('dfg-inv-1', {
    schemeId: '7',
    fundingStream: 'DFG',
    spendDate: '2017-08-15',
    amount: '250000.00',
    commitmentId: 'dfg-adaptations-2017',
  });
  await invoice('dfg-inv-2', {
    schemeId: '7',
    fundingStream: 'DFG',
    spendDate: '2017-09-12',
    amount: '200000.00',
    commitmentId: 'dfg-adaptations-2017',
  });
  await run(
    'officer',
    {
      type: 'RecordCreditNote',
      ...inYear,
      creditId: 'refund-2016-17',
      schemeId: '10',
      fundingStream: 'Minimum CCG Contribution',
      creditDate: '2017-08-21',
      amount: '12345.67',
      supplier: 'Supplier 9',
      reference: 'CN-2016-551',
      description: 'refund of beds charged twice in March 2017',
      refundsPriorYear: '2016-17 INV-98231',
    },
    { at },
  );
  await run(
    'officer',
    {
      type: 'RecodeSpend',
      ...inYear,
      recodeId: 'recode-q2-1',
      spendId: '8-MinimumCCGContribution-Q2-0-0',
      toSchemeId: '9',
      toFundingStream: 'Minimum CCG Contribution',
      reason: 'respite invoice belongs to reablement',
    },
    { at, reason: 'respite invoice belongs to reablement' },
  );
}

/** Q3's corrections of Q2, after it closed: a reversal and a missed invoice; the DFG order released. */
async function thirdQuarterCorrections(run: Run, at: number): Promise<void> {
  await run(
    'officer',
    {
      type: 'ReleaseCommitment',
      ...inYear,
      commitmentId: 'dfg-adaptations-2017',
      reason: 'programme complete under its order value',
    },
    { at },
  );
  await run(
    'officer',
    {
      type: 'ReverseSpend',
      ...inYear,
      reversalId: 'late-reversal-q2',
      spendId: '9-MinimumCCGContribution-Q2-2-1',
      reason: 'charged to the wrong scheme',
    },
    { at, reason: 'charged to the wrong scheme' },
  );
  await run(
    'officer',
    {
      type: 'PostPriorPeriodAdjustment',
      ...inYear,
      adjustmentId: 'ppa-q2',
      closedQuarter: 'Q2',
      schemeId: '10',
      fundingStream: 'Minimum CCG Contribution',
      amount: '12500.00',
      description: 'September invoice missed',
    },
    { at },
  );
}
