import type { Quarter } from '../../events/catalogue/index.ts';
import { POOL, type Run, YEAR } from './demo-kit.ts';

/**
 * The demo's agreement and year end: the section 75 year-end terms agreed at the start of the
 * year, the four national metrics' targets and actuals each quarter, and, once Q4 is closed, the
 * accruals, the outturn, the risk share, the year close and the carry-forward into 2018-19.
 */
const inYear = { poolId: POOL, year: YEAR };

/**
 * Hertfordshire-style terms: overspends met first from underspends of the same kind, then borne
 * by each line's commissioner; the iBCF and DFG grants' underspends carried forward, the rest
 * returned to the stream's contributors; money never allocated returned to its contributors.
 */
export async function agreeTerms(run: Run, at: number): Promise<void> {
  await run(
    'cfo',
    {
      type: 'ProposeYearEndTerms',
      ...inYear,
      terms: {
        steps: ['offset-within-kind', 'share-overspend'],
        defaultProfile: { kind: 'commissioner' },
        lineProfiles: [],
        defaultUnderspend: 'return-pro-rata',
        underspend: [
          { fundingStream: 'iBCF', treatment: 'carry-forward' },
          { fundingStream: 'DFG', treatment: 'carry-forward' },
        ],
        unallocated: 'return-to-contributors',
      },
    },
    { at },
  );
  await run('cfo-deputy', { type: 'ApproveYearEndTerms', ...inYear }, { at });
  await run(
    'officer',
    {
      type: 'SetMinimums',
      ...inYear,
      minimumSocialCare: '30560000.00',
      minimumOutOfHospital: '27010000.00',
    },
    { at },
  );
}

/** The four national metrics: a target, a provisional actual and a final actual per quarter. */
const METRICS: Record<
  string,
  Record<Quarter, { target: string; actual: string; final: string }>
> = {
  'non-elective-admissions': {
    Q1: { target: '27401', actual: '27390', final: '27427' },
    Q2: { target: '27120', actual: '26950', final: '26988' },
    Q3: { target: '28310', actual: '28650', final: '28702' },
    Q4: { target: '27950', actual: '27610', final: '27604' },
  },
  'residential-admissions': {
    Q1: { target: '142.5', actual: '139.8', final: '140.2' },
    Q2: { target: '142.5', actual: '146.1', final: '146.3' },
    Q3: { target: '142.5', actual: '141.0', final: '140.7' },
    Q4: { target: '142.5', actual: '138.2', final: '138.9' },
  },
  reablement: {
    Q1: { target: '83.5', actual: '82.4', final: '82.1' },
    Q2: { target: '83.5', actual: '84.2', final: '84.0' },
    Q3: { target: '83.5', actual: '85.0', final: '85.2' },
    Q4: { target: '83.5', actual: '83.6', final: '83.9' },
  },
  'delayed-transfers': {
    Q1: { target: '4350', actual: '5080', final: '5120' },
    Q2: { target: '4350', actual: '4490', final: '4480' },
    Q3: { target: '4350', actual: '4220', final: '4210' },
    Q4: { target: '4350', actual: '4310', final: '4300' },
  },
};

export async function setMetricTargets(run: Run, at: number): Promise<void> {
  for (const [metricId, byQuarter] of Object.entries(METRICS)) {
    for (const [forQuarter, figures] of Object.entries(byQuarter) as [Quarter, Figures][])
      await run(
        'officer',
        { type: 'SetMetricTarget', ...inYear, metricId, forQuarter, target: figures.target },
        { at },
      );
  }
}

type Figures = { target: string; actual: string; final: string };

/** At a quarter's end its provisional actuals; the previous quarter's made final. */
export async function recordMetrics(quarter: Quarter, run: Run, at: number): Promise<void> {
  const previous = ({ Q1: undefined, Q2: 'Q1', Q3: 'Q2', Q4: 'Q3' } as const)[quarter];
  for (const [metricId, byQuarter] of Object.entries(METRICS)) {
    const record = (forQuarter: Quarter, status: 'provisional' | 'final') =>
      run(
        'officer',
        {
          type: 'RecordMetricActual',
          ...inYear,
          metricId,
          forQuarter,
          value: status === 'final' ? byQuarter[forQuarter].final : byQuarter[forQuarter].actual,
          status,
        },
        { at },
      );
    if (previous !== undefined) await record(previous, 'final');
    await record(quarter, 'provisional');
  }
}

/**
 * After Q4's close: March's nursing beds accrued and the winter block order released, Q4's
 * metrics made final, the outturn determined, the risk share applied by the agreed terms, the
 * year closed by two CFOs, and its carry-forward brought into 2018-19.
 */
export async function closeYear(run: Run, at: number): Promise<void> {
  await run(
    'officer',
    {
      type: 'PostAccrual',
      ...inYear,
      accrualId: 'accrual-2017-18-beds',
      schemeId: '11',
      fundingStream: 'Additional LA Contribution',
      amount: '412500.00',
      description: 'March nursing beds delivered, not yet invoiced',
    },
    { at },
  );
  await run(
    'officer',
    {
      type: 'ReleaseCommitment',
      ...inYear,
      commitmentId: 'residential-block-2018',
      reason: 'winter block ended; March beds accrued',
    },
    { at },
  );
  for (const metricId of Object.keys(METRICS))
    await run(
      'officer',
      {
        type: 'RecordMetricActual',
        ...inYear,
        metricId,
        forQuarter: 'Q4',
        value: METRICS[metricId]?.Q4.final ?? '0',
        status: 'final',
      },
      { at },
    );
  await run('cfo', { type: 'DetermineYearEndOutturn', ...inYear }, { at });
  await run('cfo', { type: 'ApplyRiskShare', ...inYear }, { at });
  await run('cfo', { type: 'RequestYearClose', ...inYear }, { at: at + 3_600_000 });
  await run('cfo-deputy', { type: 'ApproveYearClose', ...inYear }, { at: at + 3_600_000 });
  await run(
    'officer',
    { type: 'BringForwardBalance', poolId: POOL, year: '2018-19', fromYear: YEAR },
    { at: at + 7_200_000 },
  );
}
