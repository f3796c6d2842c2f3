import { createHash } from 'node:crypto';
import { Money } from '#money';
import { canonicalJson } from '../../events/canonical-json.ts';
import { QUARTERS, type Quarter } from '../../events/catalogue/index.ts';
import { own } from '../view/amounts.ts';
import type { CorrectionRecord, PoolView, YearView } from '../view/pool-view.ts';
import {
  budgetToDate,
  compareSchemeIds,
  latestForecast,
  lineBudget,
  orderedLines,
  orderedStreams,
  type Rag,
  type RagThresholds,
  rag,
  schemeLabel,
  shownBy,
  sumQuarters,
  thresholdsAt,
} from './figures.ts';

/**
 * The quarterly position for the CFO group: the year to the end of one quarter, and what moved in
 * it. Its digest is what a quarter close records; since every posting counts in an open period,
 * the position of a closed quarter never changes, and corrections and late postings made later
 * are listed beside it, not folded into it.
 */
export interface QuarterlyReport {
  position: QuarterlyPosition;
  /** SHA-256 of the canonical JSON of the position: what a close records and an auditor checks. */
  digest: string;
  status: {
    closed: boolean;
    closeRequestedBy: string | null;
    closedBy: string | null;
    closedDigest: string | null;
  };
  /** Corrections and late postings, made in later periods, that belong to this quarter. */
  correctionsSinceClose: CorrectionRecord[];
}

export interface QuarterlyPosition {
  poolId: string;
  poolName: string;
  year: string;
  quarter: Quarter;
  ragThresholds: RagThresholds;
  lines: {
    schemeId: string;
    schemeName: string;
    schemeType: string;
    fundingStream: string;
    budget: string;
    budgetMovement: string;
    budgetToDate: string;
    spendInQuarter: string;
    spendYearToDate: string;
    varianceToDate: string;
    committed: string;
    forecastOutturn: string;
    forecastGiven: boolean;
    forecastMovement: string;
    variance: string;
    rag: Rag;
  }[];
  streams: {
    fundingStream: string;
    contributions: string;
    due: string;
    received: string;
    budget: string;
    budgetToDate: string;
    spendInQuarter: string;
    spendYearToDate: string;
    committed: string;
    forecastOutturn: string;
    variance: string;
  }[];
  schemeTypes: {
    schemeType: string;
    budget: string;
    budgetToDate: string;
    spendYearToDate: string;
    forecastOutturn: string;
    variance: string;
  }[];
  partners: {
    partnerId: string;
    name: string;
    contributions: string;
    due: string;
    received: string;
    /** Due less received at the quarter's end: what the partner still owes the pool. */
    outstanding: string;
  }[];
  virements: YearView['virements'];
  variations: YearView['variations'];
  ibcfByPurpose: { purpose: string; inQuarter: string; yearToDate: string }[];
  savings: {
    schemeId: string;
    schemeName: string;
    planned: string;
    realisedInQuarter: string;
    realisedYearToDate: string;
  }[];
  /** The national metrics, each quarter to date: target, actual as known then, met or not. */
  metrics: {
    metricId: string;
    name: string;
    unit: string;
    better: 'lower' | 'higher';
    quarters: {
      quarter: Quarter;
      target: string | null;
      actual: string | null;
      status: 'provisional' | 'final' | null;
      meeting: 'meeting target' | 'not meeting target' | 'no data';
    }[];
  }[];
  totals: {
    budget: string;
    budgetToDate: string;
    spendInQuarter: string;
    spendYearToDate: string;
    committed: string;
    forecastOutturn: string;
    variance: string;
  };
}

export function quarterlyReport(
  view: PoolView,
  yearId: string,
  quarter: Quarter,
): QuarterlyReport | undefined {
  const year = own(view.years, yearId);
  if (year === undefined) return undefined;
  const position = quarterlyPosition(view, year, quarter);
  const control = year.quarters[quarter];
  return {
    position,
    digest: positionDigest(position),
    status: {
      closed: control.closedBy !== null,
      closeRequestedBy: control.closeRequestedBy,
      closedBy: control.closedBy,
      closedDigest: control.reportDigest,
    },
    correctionsSinceClose: year.corrections.filter(
      (correction) => correction.correcting === quarter,
    ),
  };
}

export function positionDigest(position: QuarterlyPosition): string {
  return createHash('sha256').update(canonicalJson(position)).digest('hex');
}

/** The quarter being reported, the quarters to date, and those before it. */
interface Period {
  readonly quarter: Quarter;
  readonly toDate: readonly Quarter[];
  readonly before: readonly Quarter[];
}

type PositionLine = ReturnType<typeof positionLines>[number];

/**
 * The position from the postings of the quarters to date only, showing only what had been posted
 * by the quarter's end: nothing recorded later changes it (docs/decisions/0008).
 */
function quarterlyPosition(view: PoolView, year: YearView, quarter: Quarter): QuarterlyPosition {
  const toDate = QUARTERS.slice(0, QUARTERS.indexOf(quarter) + 1);
  const period: Period = { quarter, toDate, before: toDate.slice(0, -1) };
  const thresholds = thresholdsAt(year, quarter);
  const lines = positionLines(view, year, period, thresholds);
  const partners = positionPartners(view, year, period);
  return {
    poolId: view.poolId,
    poolName: view.registration?.name ?? '',
    year: year.year,
    quarter,
    ragThresholds: thresholds,
    lines: lines.map(lineFigures),
    streams: positionStreams(year, period, lines),
    schemeTypes: [...new Set(lines.map((line) => line.schemeType))].sort().map((schemeType) => ({
      schemeType,
      ...aggregate(lines.filter((line) => line.schemeType === schemeType)),
    })),
    partners,
    ...decisionsInQuarter(year, period),
    ibcfByPurpose: ibcfInQuarter(year, period),
    savings: savingsInQuarter(view, year, period),
    metrics: metricsToDate(year, period),
    totals: {
      ...aggregate(lines),
      spendInQuarter: sumOf(lines, (row) => row.spendInQuarter).toString(),
      committed: sumOf(lines, (row) => row.committed).toString(),
    },
  };
}

function positionLines(view: PoolView, year: YearView, period: Period, thresholds: RagThresholds) {
  const { quarter, toDate, before } = period;
  return orderedLines(year, quarter).map(({ schemeId, fundingStream, figures }) => {
    const budget = lineBudget(figures, toDate);
    const toDateBudget = budgetToDate(figures, quarter);
    const spendYearToDate = sumQuarters(figures.spendByQuarter, toDate);
    const committed = sumQuarters(figures.committedByQuarter, toDate);
    const given =
      quarter === 'Q4'
        ? figures.forecastByQuarter.Q4 === null
          ? undefined
          : Money.parseTotal(figures.forecastByQuarter.Q4)
        : latestForecast(figures, toDate);
    // At Q4's end the year is over: without a Q4 forecast, what is spent and committed is the outturn.
    const forecast = given ?? (quarter === 'Q4' ? spendYearToDate.plus(committed) : budget);
    const previousForecast =
      before.length === 0
        ? forecast
        : (latestForecast(figures, before) ?? lineBudget(figures, before));
    return {
      schemeId,
      ...schemeLabel(view, year, schemeId),
      fundingStream,
      budget,
      budgetMovement: budget.minus(lineBudget(figures, before)),
      budgetToDate: toDateBudget,
      spendInQuarter: Money.parseTotal(figures.spendByQuarter[quarter]),
      spendYearToDate,
      committed,
      forecast,
      forecastGiven: given !== undefined,
      forecastMovement: forecast.minus(previousForecast),
      variance: forecast.minus(budget),
      rag: rag(
        {
          budget,
          budgetToDate: toDateBudget,
          spendToDate: spendYearToDate,
          spent: spendYearToDate,
          forecast,
        },
        thresholds,
      ),
    };
  });
}

function lineFigures(line: PositionLine): QuarterlyPosition['lines'][number] {
  return {
    schemeId: line.schemeId,
    schemeName: line.schemeName,
    schemeType: line.schemeType,
    fundingStream: line.fundingStream,
    budget: line.budget.toString(),
    budgetMovement: line.budgetMovement.toString(),
    budgetToDate: line.budgetToDate.toString(),
    spendInQuarter: line.spendInQuarter.toString(),
    spendYearToDate: line.spendYearToDate.toString(),
    varianceToDate: line.spendYearToDate.minus(line.budgetToDate).toString(),
    committed: line.committed.toString(),
    forecastOutturn: line.forecast.toString(),
    forecastGiven: line.forecastGiven,
    forecastMovement: line.forecastMovement.toString(),
    variance: line.variance.toString(),
    rag: line.rag,
  };
}

function sumOf<Row>(rows: readonly Row[], pick: (row: Row) => Money): Money {
  return Money.sum(rows.map(pick));
}

function aggregate(rows: readonly PositionLine[]) {
  return {
    budget: sumOf(rows, (row) => row.budget).toString(),
    budgetToDate: sumOf(rows, (row) => row.budgetToDate).toString(),
    spendYearToDate: sumOf(rows, (row) => row.spendYearToDate).toString(),
    forecastOutturn: sumOf(rows, (row) => row.forecast).toString(),
    variance: sumOf(rows, (row) => row.variance).toString(),
  };
}

/** Per stream: what partners contribute, owe and paid to date, and its lines' figures. */
function positionStreams(year: YearView, period: Period, lines: readonly PositionLine[]) {
  const money = contributionsToDate(year, period);
  return orderedStreams(year)
    .filter(
      (fundingStream) =>
        lines.some((line) => line.fundingStream === fundingStream) ||
        money.some((entry) => entry.fundingStream === fundingStream),
    )
    .map((fundingStream) => {
      const ofStream = lines.filter((line) => line.fundingStream === fundingStream);
      const received = money.filter((entry) => entry.fundingStream === fundingStream);
      return {
        fundingStream,
        contributions: sumOf(received, (entry) => entry.contributions).toString(),
        due: sumOf(received, (entry) => entry.due).toString(),
        received: sumOf(received, (entry) => entry.received).toString(),
        budget: sumOf(ofStream, (row) => row.budget).toString(),
        budgetToDate: sumOf(ofStream, (row) => row.budgetToDate).toString(),
        spendInQuarter: sumOf(ofStream, (row) => row.spendInQuarter).toString(),
        spendYearToDate: sumOf(ofStream, (row) => row.spendYearToDate).toString(),
        committed: sumOf(ofStream, (row) => row.committed).toString(),
        forecastOutturn: sumOf(ofStream, (row) => row.forecast).toString(),
        variance: sumOf(ofStream, (row) => row.variance).toString(),
      };
    });
}

/** Each partner's contributions to each stream as they stood at the quarter's end. */
function contributionsToDate(year: YearView, period: Period) {
  return Object.entries(year.contributions).flatMap(([partnerId, byStream]) =>
    Object.entries(byStream)
      .filter(([, figures]) => shownBy(figures.firstPeriod, period.quarter))
      .map(([fundingStream, figures]) => ({
        partnerId,
        fundingStream,
        contributions: sumQuarters(figures.plannedByQuarter, period.toDate).plus(
          sumQuarters(figures.variedByQuarter, period.toDate),
        ),
        due: sumQuarters(figures.dueByQuarter, period.toDate),
        received: sumQuarters(figures.receivedByQuarter, period.toDate),
      })),
  );
}

function positionPartners(view: PoolView, year: YearView, period: Period) {
  const money = contributionsToDate(year, period);
  return view.partners
    .filter((partner) => money.some((entry) => entry.partnerId === partner.partnerId))
    .map((partner) => {
      const ofPartner = money.filter((entry) => entry.partnerId === partner.partnerId);
      const due = sumOf(ofPartner, (entry) => entry.due);
      const received = sumOf(ofPartner, (entry) => entry.received);
      return {
        partnerId: partner.partnerId,
        name: partner.name,
        contributions: sumOf(ofPartner, (entry) => entry.contributions).toString(),
        due: due.toString(),
        received: received.toString(),
        outstanding: due.minus(received).toString(),
      };
    });
}

/** Virements and variations requested or decided in the quarter, as they stood at its end. */
function decisionsInQuarter(year: YearView, period: Period) {
  const inQuarter = (decidedIn: string | null, requestedIn: string) =>
    decidedIn === period.quarter || requestedIn === period.quarter;
  return {
    virements: year.virements
      .filter((virement) => inQuarter(virement.decidedIn, virement.requestedIn))
      .map((virement) => asAtQuarterEnd(virement, period.toDate)),
    variations: year.variations
      .filter((variation) => inQuarter(variation.decidedIn, variation.requestedIn))
      .map((variation) => asAtQuarterEnd(variation, period.toDate)),
  };
}

function ibcfInQuarter(year: YearView, period: Period) {
  return Object.keys(year.ibcfByPurpose)
    .sort()
    .flatMap((purpose) => {
      const amounts = own(year.ibcfByPurpose, purpose);
      if (amounts === undefined || !shownBy(amounts.firstPeriod, period.quarter)) return [];
      return [
        {
          purpose,
          inQuarter: amounts[period.quarter],
          yearToDate: sumQuarters(amounts, period.toDate).toString(),
        },
      ];
    });
}

function savingsInQuarter(view: PoolView, year: YearView, period: Period) {
  return Object.keys(year.savings)
    .sort(compareSchemeIds)
    .flatMap((schemeId) => {
      const saving = own(year.savings, schemeId);
      if (saving === undefined || !shownBy(saving.firstPeriod, period.quarter)) return [];
      return [
        {
          schemeId,
          schemeName: schemeLabel(view, year, schemeId).schemeName,
          planned: sumQuarters(saving.plannedByQuarter, period.toDate).toString(),
          realisedInQuarter: saving.realisedByQuarter[period.quarter],
          realisedYearToDate: sumQuarters(saving.realisedByQuarter, period.toDate).toString(),
        },
      ];
    });
}

/** A request as it stood at the quarter's end: one decided in a later period was still pending. */
function asAtQuarterEnd<
  Request extends { status: string; decidedBy: string | null; decidedIn: string | null },
>(request: Request, toDate: readonly Quarter[]): Request {
  if (request.decidedIn !== null && (toDate as readonly string[]).includes(request.decidedIn))
    return request;
  return { ...request, status: 'pending', decidedBy: null, decidedIn: null };
}

/** Each metric's target and actual for each quarter to date, as recorded by the quarter's end. */
function metricsToDate(year: YearView, period: Period): QuarterlyPosition['metrics'] {
  const known = year.metricRecords.filter((record) => shownBy(record.recordedIn, period.quarter));
  const latest = (metricId: string, quarter: Quarter, kind: 'target' | 'actual') =>
    known
      .filter(
        (record) =>
          record.metricId === metricId && record.forQuarter === quarter && record.kind === kind,
      )
      .at(-1);
  return (year.referenceData?.metrics ?? []).map((metric) => ({
    metricId: metric.metricId,
    name: metric.name,
    unit: metric.unit,
    better: metric.better,
    quarters: period.toDate.map((quarter) => {
      const target = latest(metric.metricId, quarter, 'target');
      const actual = latest(metric.metricId, quarter, 'actual');
      return {
        quarter,
        target: target?.value ?? null,
        actual: actual?.value ?? null,
        status: actual?.status ?? null,
        meeting: meeting(metric.better, target?.value, actual?.value),
      };
    }),
  }));
}

function meeting(
  better: 'lower' | 'higher',
  target: string | undefined,
  actual: string | undefined,
): 'meeting target' | 'not meeting target' | 'no data' {
  if (target === undefined || actual === undefined) return 'no data';
  const order = compareMeasures(actual, target);
  return (better === 'lower' ? order <= 0 : order >= 0) ? 'meeting target' : 'not meeting target';
}

/** Compares two measures (up to four decimal places) exactly: -1, 0 or 1. */
export function compareMeasures(a: string, b: string): -1 | 0 | 1 {
  const scaled = (value: string) => {
    const negative = value.startsWith('-');
    const [whole = '0', fraction = ''] = value.replace('-', '').split('.');
    const units = BigInt(whole) * 10_000n + BigInt(fraction.padEnd(4, '0'));
    return negative ? -units : units;
  };
  const difference = scaled(a) - scaled(b);
  return difference < 0n ? -1 : difference > 0n ? 1 : 0;
}
