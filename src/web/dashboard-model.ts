import type { Quarter } from '../events/catalogue/index.ts';
import type { Reports } from '../projections/read-face.ts';
import { type ChartSeries, chartSvg } from './charts.ts';
import { drawn, pounds, sumOf } from './page-kit.ts';

/**
 * The CFO group's dashboard of one pool, year and quarter, from the same reports the API gives:
 * the headline figures, and charts each with its table, as a finance officer reads them.
 */
export interface Dashboard {
  readonly headline: readonly { label: string; value: string; raw: string }[];
  readonly rag: { green: number; amber: number; red: number };
  readonly charts: readonly ChartPanel[];
  readonly status: {
    closed: boolean;
    requestedBy: string | null;
    closedBy: string | null;
    digest: string;
    closedDigest: string | null;
  };
}

export interface ChartPanel {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  /** Empty when there is nothing to draw yet: the table says so. */
  readonly svg: string;
  readonly table: {
    readonly head: readonly { text: string; numeric?: boolean }[];
    readonly rows: readonly (readonly { text: string; numeric?: boolean; rag?: string }[])[];
  };
}

type QuarterlyReport = Reports['quarter'];
type Balances = Reports['balances'];
type Line = QuarterlyReport['position']['lines'][number];

export function dashboard(
  report: QuarterlyReport,
  toDate: readonly QuarterlyReport[],
  balances: Balances | undefined,
): Dashboard {
  const { position } = report;
  const { totals } = position;
  const count = (rag: string) => position.lines.filter((line) => line.rag === rag).length;
  return {
    headline: [
      { label: 'Pool budget', value: pounds(totals.budget), raw: totals.budget },
      {
        label: `Spent to the end of ${position.quarter}`,
        value: pounds(totals.spendYearToDate),
        raw: totals.spendYearToDate,
      },
      {
        label: 'Forecast outturn',
        value: pounds(totals.forecastOutturn),
        raw: totals.forecastOutturn,
      },
      { label: 'Forecast variance', value: pounds(totals.variance), raw: totals.variance },
    ],
    rag: { green: count('green'), amber: count('amber'), red: count('red') },
    charts: [
      bySchemePanel(position.lines),
      byQuarterPanel(toDate),
      streamsPanel(report),
      ibcfPanel(report),
      savingsPanel(report),
      metricsPanel(report),
      riskSharePanel(balances),
      movementPanel(report),
    ],
    status: {
      closed: report.status.closed,
      requestedBy: report.status.closeRequestedBy,
      closedBy: report.status.closedBy,
      digest: report.digest,
      closedDigest: report.status.closedDigest,
    },
  };
}

const cell = (text: string, numeric = false) => ({ text, numeric });
const amount = (value: string) => cell(pounds(value), true);
const heading = (text: string, numeric = false) => ({ text, numeric });

function panel(
  id: string,
  title: string,
  description: string,
  categories: readonly string[],
  series: readonly ChartSeries[],
  table: ChartPanel['table'],
  horizontal = false,
): ChartPanel {
  const empty = categories.length === 0;
  return {
    id,
    title,
    description,
    svg: empty ? '' : chartSvg({ categories, series, horizontal }),
    table,
  };
}

function bySchemePanel(lines: readonly Line[]): ChartPanel {
  const schemes = [...new Set(lines.map((line) => line.schemeId))];
  const rows = schemes.map((schemeId) => {
    const of = lines.filter((line) => line.schemeId === schemeId);
    const worst =
      ['red', 'amber', 'green'].find((rag) => of.some((line) => line.rag === rag)) ?? 'green';
    return {
      label: `${schemeId} ${of[0]?.schemeName ?? ''}`,
      budget: sumOf(of.map((line) => line.budget)),
      spent: sumOf(of.map((line) => line.spendYearToDate)),
      forecast: sumOf(of.map((line) => line.forecastOutturn)),
      variance: sumOf(of.map((line) => line.variance)),
      rag: worst,
    };
  });
  return panel(
    'by-scheme',
    'Budget, spent to date and forecast outturn by scheme',
    'For each scheme: its budget for the year, what it has spent to the end of the quarter, and its forecast outturn.',
    rows.map((row) => row.label),
    [
      { name: 'Budget', kind: 'bar', values: rows.map((row) => drawn(row.budget)) },
      { name: 'Spent to date', kind: 'bar', values: rows.map((row) => drawn(row.spent)) },
      { name: 'Forecast outturn', kind: 'bar', values: rows.map((row) => drawn(row.forecast)) },
    ],
    {
      head: [
        heading('Scheme'),
        heading('Budget', true),
        heading('Spent to date', true),
        heading('Forecast outturn', true),
        heading('Variance', true),
        heading('RAG'),
      ],
      rows: rows.map((row) => [
        cell(row.label),
        amount(row.budget),
        amount(row.spent),
        amount(row.forecast),
        amount(row.variance),
        { text: row.rag, rag: row.rag },
      ]),
    },
    true,
  );
}

function byQuarterPanel(toDate: readonly QuarterlyReport[]): ChartPanel {
  const rows = toDate.map((report) => ({
    quarter: report.position.quarter,
    budgetToDate: report.position.totals.budgetToDate,
    spent: report.position.totals.spendYearToDate,
    inQuarter: report.position.totals.spendInQuarter,
  }));
  return panel(
    'by-quarter',
    'Spend to date against the phased budget, quarter by quarter',
    'At the end of each quarter: the budget due by then as each line is phased, and what had been spent.',
    rows.map((row) => row.quarter),
    [
      { name: 'Budget to date', kind: 'bar', values: rows.map((row) => drawn(row.budgetToDate)) },
      { name: 'Spent to date', kind: 'bar', values: rows.map((row) => drawn(row.spent)) },
    ],
    {
      head: [
        heading('Quarter'),
        heading('Budget to date', true),
        heading('Spent to date', true),
        heading('Spent in the quarter', true),
      ],
      rows: rows.map((row) => [
        cell(row.quarter),
        amount(row.budgetToDate),
        amount(row.spent),
        amount(row.inQuarter),
      ]),
    },
  );
}

function streamsPanel(report: QuarterlyReport): ChartPanel {
  const streams = report.position.streams;
  return panel(
    'streams',
    'Funding streams: contributions, allocations and spend',
    'For each funding stream: what the partners contribute, what is allocated to scheme lines, and what has been spent.',
    streams.map((stream) => stream.fundingStream),
    [
      {
        name: 'Contributions',
        kind: 'bar',
        values: streams.map((stream) => drawn(stream.contributions)),
      },
      { name: 'Allocated', kind: 'bar', values: streams.map((stream) => drawn(stream.budget)) },
      {
        name: 'Spent to date',
        kind: 'bar',
        values: streams.map((stream) => drawn(stream.spendYearToDate)),
      },
    ],
    {
      head: [
        heading('Funding stream'),
        heading('Contributions', true),
        heading('Allocated', true),
        heading('Spent to date', true),
        heading('Received', true),
      ],
      rows: streams.map((stream) => [
        cell(stream.fundingStream),
        amount(stream.contributions),
        amount(stream.budget),
        amount(stream.spendYearToDate),
        amount(stream.received),
      ]),
    },
  );
}

const PURPOSES: Readonly<Record<string, string>> = {
  'adult-social-care-needs': 'Meeting adult social care needs',
  'reducing-nhs-pressures': 'Reducing pressures on the NHS',
  'stabilising-provider-market': 'Stabilising the social care provider market',
};

function ibcfPanel(report: QuarterlyReport): ChartPanel {
  const purposes = report.position.ibcfByPurpose;
  return panel(
    'ibcf',
    'iBCF spend by purpose',
    'Improved Better Care Fund spend to date, by the purpose each invoice names.',
    purposes.map((purpose) => PURPOSES[purpose.purpose] ?? purpose.purpose),
    [
      {
        name: 'Spent to date',
        kind: 'bar',
        values: purposes.map((purpose) => drawn(purpose.yearToDate)),
      },
    ],
    {
      head: [heading('Purpose'), heading('In the quarter', true), heading('Year to date', true)],
      rows: purposes.map((purpose) => [
        cell(PURPOSES[purpose.purpose] ?? purpose.purpose),
        amount(purpose.inQuarter),
        amount(purpose.yearToDate),
      ]),
    },
    true,
  );
}

function savingsPanel(report: QuarterlyReport): ChartPanel {
  const savings = report.position.savings;
  return panel(
    'savings',
    'Savings planned and realised',
    'For each scheme with savings: what is planned for the year, and what has been realised to date.',
    savings.map((saving) => `${saving.schemeId} ${saving.schemeName}`),
    [
      { name: 'Planned', kind: 'bar', values: savings.map((saving) => drawn(saving.planned)) },
      {
        name: 'Realised to date',
        kind: 'bar',
        values: savings.map((saving) => drawn(saving.realisedYearToDate)),
      },
    ],
    {
      head: [
        heading('Scheme'),
        heading('Planned', true),
        heading('Realised in the quarter', true),
        heading('Realised to date', true),
      ],
      rows: savings.map((saving) => [
        cell(`${saving.schemeId} ${saving.schemeName}`),
        amount(saving.planned),
        amount(saving.realisedInQuarter),
        amount(saving.realisedYearToDate),
      ]),
    },
    true,
  );
}

/** A measure as a share of its target, for drawing only: 100 is on target. */
function percentOf(actual: string, target: string): number {
  const base = Number(target);
  return base === 0 ? 0 : Math.round((Number(actual) / base) * 1_000) / 10;
}

function metricsPanel(report: QuarterlyReport): ChartPanel {
  const rows = report.position.metrics.flatMap((metric) =>
    metric.quarters.map((quarter) => ({ metric, quarter })),
  );
  const latest = report.position.metrics.flatMap((metric) => {
    const quarter = metric.quarters.at(-1);
    return quarter?.target != null && quarter.actual != null ? [{ metric, quarter }] : [];
  });
  return panel(
    'metrics',
    `The national metrics in ${report.position.quarter}: actual against target`,
    'Each metric’s actual as a percentage of its target (100 is on target); whether lower or higher is better differs by metric, as the table says.',
    latest.map(({ metric }) => metric.name),
    [
      {
        name: 'Actual as % of target',
        kind: 'bar',
        values: latest.map(({ quarter }) =>
          percentOf(quarter.actual ?? '0', quarter.target ?? '0'),
        ),
      },
    ],
    {
      head: [
        heading('Metric'),
        heading('Quarter'),
        heading('Target', true),
        heading('Actual', true),
        heading('Status'),
        heading('Meeting target'),
      ],
      rows: rows.map(({ metric, quarter }) => [
        cell(`${metric.name} (${metric.unit}, ${metric.better} is better)`),
        cell(quarter.quarter),
        cell(quarter.target ?? '', true),
        cell(quarter.actual ?? '', true),
        cell(quarter.status ?? ''),
        {
          text: quarter.meeting,
          rag:
            quarter.meeting === 'meeting target'
              ? 'green'
              : quarter.meeting === 'not meeting target'
                ? 'red'
                : 'grey',
        },
      ]),
    },
    true,
  );
}

function riskSharePanel(balances: Balances | undefined): ChartPanel {
  const partners = balances?.partners ?? [];
  return panel(
    'risk-share',
    'Each partner’s risk-share exposure',
    'Each partner’s share of the year’s net by the agreed year-end terms: below zero, overspend it bears; projected on the forecasts until the risk share is applied.',
    partners.map((partner) => partner.name),
    [
      {
        name: 'Exposure',
        kind: 'bar',
        values: partners.map((partner) => drawn(partner.riskShareExposure)),
      },
    ],
    {
      head: [
        heading('Partner'),
        heading('Contributions', true),
        heading('Outstanding', true),
        heading('Exposure', true),
        heading('Status'),
      ],
      rows: partners.map((partner) => [
        cell(partner.name),
        amount(partner.contributions),
        amount(partner.outstanding),
        amount(partner.riskShareExposure),
        cell(partner.riskShareStatus),
      ]),
    },
    true,
  );
}

function movementPanel(report: QuarterlyReport): ChartPanel {
  const moved = report.position.lines.filter(
    (line) =>
      line.spendInQuarter !== '0.00' ||
      line.budgetMovement !== '0.00' ||
      line.forecastMovement !== '0.00',
  );
  const streams = report.position.streams;
  return panel(
    'movement',
    `What moved in ${report.position.quarter}`,
    'Spend in the quarter by funding stream; the table lists every line whose spend, budget or forecast moved.',
    streams.map((stream) => stream.fundingStream),
    [
      {
        name: 'Spent in the quarter',
        kind: 'bar',
        values: streams.map((stream) => drawn(stream.spendInQuarter)),
      },
    ],
    {
      head: [
        heading('Scheme line'),
        heading('Spent in the quarter', true),
        heading('Budget movement', true),
        heading('Forecast movement', true),
      ],
      rows: moved.map((line) => [
        cell(`${line.schemeId} ${line.schemeName} (${line.fundingStream})`),
        amount(line.spendInQuarter),
        amount(line.budgetMovement),
        amount(line.forecastMovement),
      ]),
    },
    true,
  );
}

export function previousQuarters(quarter: Quarter): Quarter[] {
  const all: Quarter[] = ['Q1', 'Q2', 'Q3', 'Q4'];
  return all.slice(0, all.indexOf(quarter) + 1);
}
