import { apportion, Money } from '#money';
import { own } from '../view/amounts.ts';
import type { PoolView, YearView } from '../view/pool-view.ts';
import { poolBalances } from './balances.ts';
import { orderedLines, schemeColumns, sumQuarters } from './figures.ts';

/**
 * The NHS England returns of a pool and year: the expenditure plan as submitted in the planning
 * template's columns, one expenditure column per year of the plan cycle; the year's income and
 * expenditure per funding source, actual against the plan as submitted (not as later varied);
 * each line's actual; the minimum CCG contribution's analysis against the national minimums; and
 * the template's checks, passed or failed.
 */
export const EXTRACT_LINE_COLUMNS = [
  'Scheme ID',
  'Scheme Name',
  'Scheme Type',
  'Description',
  'Area of Spend',
  'Commissioner',
  '% NHS (if Joint Commissioner)',
  '% LA (if Joint Commissioner)',
  'Provider',
  'Source of Funding',
  'Expenditure (£)',
  'New/Existing Scheme',
] as const;

export const PLAN_COLUMNS = EXTRACT_LINE_COLUMNS.filter((column) => column !== 'Expenditure (£)');

const MIN_CCG = 'Minimum CCG Contribution';

export interface NhsEnglandExtract {
  poolId: string;
  hwbArea: string;
  year: string;
  /** The plan cycle (the reference lists' edition) and its years in the pool. */
  cycle: string;
  planYears: string[];
  /** The template's columns, with `2017/18 Expenditure (£)` and so on for each year of the cycle. */
  plan: Record<string, string>[];
  income: { fundingStream: string; planned: string; varied: string; received: string }[];
  expenditure: { fundingStream: string; planned: string; actual: string }[];
  lines: Record<(typeof EXTRACT_LINE_COLUMNS)[number], string>[];
  minimumContribution: {
    minimumSocialCare: string | null;
    plannedSocialCare: string;
    actualSocialCare: string;
    minimumOutOfHospital: string | null;
    plannedOutOfHospital: string;
    actualOutOfHospital: string;
  };
  checks: { check: string; status: 'passed' | 'failed' | 'not-set'; detail: string }[];
}

export function nhsEnglandExtract(view: PoolView, yearId: string): NhsEnglandExtract | undefined {
  const balances = poolBalances(view, yearId);
  const year = own(view.years, yearId);
  if (balances === undefined || year === undefined) return undefined;
  const cycle = year.referenceData?.version ?? '';
  const planYears = Object.values(view.years)
    .filter((candidate) => candidate.referenceData?.version === cycle)
    .map((candidate) => candidate.year)
    .sort();
  const plannedIncome = plannedByStream(year, 'income');
  const plannedSpend = plannedByStream(year, 'spend');
  const minimum = minimumContribution(view, year);
  return {
    poolId: view.poolId,
    hwbArea: view.registration?.hwbArea ?? '',
    year: yearId,
    cycle,
    planYears,
    plan: planLines(view, planYears),
    income: balances.streams.map((stream) => ({
      fundingStream: stream.fundingStream,
      planned: (plannedIncome.get(stream.fundingStream) ?? Money.zero).toString(),
      varied: stream.varied,
      received: stream.received,
    })),
    expenditure: balances.streams.map((stream) => {
      const lines = balances.lines.filter((line) => line.fundingStream === stream.fundingStream);
      const actual = Money.sum(
        lines.map((line) => Money.parseTotal(line.spent).plus(Money.parseTotal(line.accrued))),
      );
      return {
        fundingStream: stream.fundingStream,
        planned: (plannedSpend.get(stream.fundingStream) ?? Money.zero).toString(),
        actual: actual.toString(),
      };
    }),
    lines: balances.lines.map((line) => {
      const scheme = schemeColumns(view, year, line.schemeId);
      return {
        ...templateColumns(scheme, line.schemeId, line.fundingStream),
        'Expenditure (£)': Money.parseTotal(line.spent)
          .plus(Money.parseTotal(line.accrued))
          .toString(),
      };
    }),
    minimumContribution: minimum,
    checks: checks(plannedIncome, plannedSpend, minimum),
  };
}

function templateColumns(
  scheme: ReturnType<typeof schemeColumns>,
  schemeId: string,
  fundingStream: string,
): Record<Exclude<(typeof EXTRACT_LINE_COLUMNS)[number], 'Expenditure (£)'>, string> {
  return {
    'Scheme ID': schemeId,
    'Scheme Name': scheme?.name ?? '',
    'Scheme Type': scheme?.schemeType ?? '',
    Description: scheme?.description ?? '',
    'Area of Spend': scheme?.areaOfSpend ?? '',
    Commissioner: scheme?.commissioner ?? '',
    '% NHS (if Joint Commissioner)': scheme?.nhsPercentage ?? '',
    '% LA (if Joint Commissioner)': scheme?.laPercentage ?? '',
    Provider: scheme?.provider ?? '',
    'Source of Funding': fundingStream,
    'New/Existing Scheme': scheme?.newOrExisting ?? '',
  };
}

/** As submitted: the planned contributions, and the original allocations (not later varied). */
function plannedByStream(year: YearView, what: 'income' | 'spend'): Map<string, Money> {
  const totals = new Map<string, Money>();
  const add = (fundingStream: string, amount: Money) =>
    totals.set(fundingStream, (totals.get(fundingStream) ?? Money.zero).plus(amount));
  if (what === 'income') {
    for (const byStream of Object.values(year.contributions))
      for (const [fundingStream, figures] of Object.entries(byStream))
        add(fundingStream, sumQuarters(figures.plannedByQuarter));
  } else {
    for (const { fundingStream, figures } of orderedLines(year))
      add(fundingStream, sumQuarters(figures.originalByQuarter));
  }
  return totals;
}

/** The expenditure plan of the cycle as submitted, a line per scheme and stream, a column per year. */
function planLines(view: PoolView, planYears: readonly string[]): Record<string, string>[] {
  const rows = new Map<string, Record<string, string>>();
  for (const yearId of planYears) {
    const year = own(view.years, yearId);
    if (year === undefined) continue;
    for (const { schemeId, fundingStream, figures } of orderedLines(year)) {
      const original = sumQuarters(figures.originalByQuarter);
      if (original.isZero()) continue;
      const key = `${schemeId}\u0000${fundingStream}`;
      const row: Record<string, string> =
        rows.get(key) ??
        templateColumns(schemeColumns(view, year, schemeId), schemeId, fundingStream);
      row[expenditureColumn(yearId)] = original.toString();
      rows.set(key, row);
    }
  }
  return [...rows.values()].map((row) =>
    Object.fromEntries([
      ...Object.entries(row).filter(([column]) => !column.endsWith('Expenditure (£)')),
      ...planYears.map((yearId) => [
        expenditureColumn(yearId),
        row[expenditureColumn(yearId)] ?? '0.00',
      ]),
    ]),
  );
}

export function expenditureColumn(yearId: string): string {
  return `${yearId.slice(0, 4)}/${yearId.slice(5)} Expenditure (£)`;
}

/**
 * The minimum CCG contribution's analysis: what of it goes to adult social care (lines whose
 * area of spend is Social Care), and to NHS-commissioned out-of-hospital services (lines
 * commissioned by the CCG, or the NHS share of a joint line, in any area but Social Care and
 * Acute); planned as submitted and actual, against the year's minimums where they are set.
 */
function minimumContribution(
  view: PoolView,
  year: YearView,
): NhsEnglandExtract['minimumContribution'] {
  let plannedSocialCare = Money.zero;
  let actualSocialCare = Money.zero;
  let plannedOutOfHospital = Money.zero;
  let actualOutOfHospital = Money.zero;
  for (const { schemeId, fundingStream, figures } of orderedLines(year)) {
    if (fundingStream !== MIN_CCG) continue;
    const columns = schemeColumns(view, year, schemeId);
    const planned = sumQuarters(figures.originalByQuarter);
    const actual = sumQuarters(figures.spendByQuarter).plus(sumQuarters(figures.accruedByQuarter));
    if (columns?.areaOfSpend === 'Social Care') {
      plannedSocialCare = plannedSocialCare.plus(planned);
      actualSocialCare = actualSocialCare.plus(actual);
      continue;
    }
    if (columns?.areaOfSpend === 'Acute') continue;
    const nhsShare = (amount: Money) =>
      columns?.commissioner === 'CCG'
        ? amount
        : columns?.commissioner === 'Joint' && !amount.isZero()
          ? (apportion(amount, [columns.nhsPercentage ?? '0', columns.laPercentage ?? '0'])[0] ??
            Money.zero)
          : Money.zero;
    plannedOutOfHospital = plannedOutOfHospital.plus(nhsShare(planned));
    actualOutOfHospital = actualOutOfHospital.plus(nhsShare(actual));
  }
  return {
    minimumSocialCare: year.minimums?.minimumSocialCare ?? null,
    plannedSocialCare: plannedSocialCare.toString(),
    actualSocialCare: actualSocialCare.toString(),
    minimumOutOfHospital: year.minimums?.minimumOutOfHospital ?? null,
    plannedOutOfHospital: plannedOutOfHospital.toString(),
    actualOutOfHospital: actualOutOfHospital.toString(),
  };
}

function checks(
  plannedIncome: ReadonlyMap<string, Money>,
  plannedSpend: ReadonlyMap<string, Money>,
  minimum: NhsEnglandExtract['minimumContribution'],
): NhsEnglandExtract['checks'] {
  const streams = [...new Set([...plannedIncome.keys(), ...plannedSpend.keys()])];
  const unequal = streams.filter(
    (stream) =>
      !(plannedIncome.get(stream) ?? Money.zero).equals(plannedSpend.get(stream) ?? Money.zero),
  );
  const atLeast = (check: string, planned: string, floor: string | null) =>
    floor === null
      ? { check, status: 'not-set' as const, detail: 'the year’s minimum has not been set' }
      : Money.parseTotal(planned).lessThan(Money.parseTotal(floor))
        ? {
            check,
            status: 'failed' as const,
            detail: `planned ${planned}, below the minimum of ${floor}`,
          }
        : {
            check,
            status: 'passed' as const,
            detail: `planned ${planned}, at least the minimum of ${floor}`,
          };
  return [
    {
      check: 'Planned spend per source equals income',
      status: unequal.length === 0 ? 'passed' : 'failed',
      detail:
        unequal.length === 0
          ? 'every funding source’s planned expenditure equals its planned income'
          : `planned expenditure is not equal to income for ${unequal.join(', ')}`,
    },
    atLeast(
      'Minimum NHS contribution to adult social care',
      minimum.plannedSocialCare,
      minimum.minimumSocialCare,
    ),
    atLeast(
      'Minimum NHS-commissioned out-of-hospital spend',
      minimum.plannedOutOfHospital,
      minimum.minimumOutOfHospital,
    ),
  ];
}
