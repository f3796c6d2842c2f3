import { createHash } from 'node:crypto';
import { Money } from '#money';
import { canonicalJson } from '../../events/canonical-json.ts';
import { QUARTERS, type Quarter } from '../../events/catalogue/index.ts';
import { own, zeroByQuarter } from '../view/amounts.ts';
import type { CorrectionRecord, PoolView, YearView } from '../view/pool-view.ts';
import {
  compareSchemeIds,
  latestForecast,
  lineBudget,
  orderedLines,
  orderedStreams,
  type Rag,
  type RagThresholds,
  rag,
  schemeLabel,
  sumQuarters,
} from './figures.ts';

/**
 * The quarterly position for the CFO group: the year to the end of one quarter, and what moved in
 * it. Its digest is what a quarter close records; since every posting lands in an open quarter,
 * the position of a closed quarter never changes, and corrections made later are listed beside
 * it, not folded into it.
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
  /** Reversals and adjustments posted in later quarters that correct this one. */
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
    spendInQuarter: string;
    spendYearToDate: string;
    forecastOutturn: string;
    forecastGiven: boolean;
    forecastMovement: string;
    variance: string;
    rag: Rag;
  }[];
  streams: {
    fundingStream: string;
    contributions: string;
    received: string;
    budget: string;
    spendInQuarter: string;
    spendYearToDate: string;
    forecastOutturn: string;
    variance: string;
  }[];
  schemeTypes: {
    schemeType: string;
    budget: string;
    spendYearToDate: string;
    forecastOutturn: string;
    variance: string;
  }[];
  partners: { partnerId: string; name: string; contributions: string; received: string }[];
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
  totals: {
    budget: string;
    spendInQuarter: string;
    spendYearToDate: string;
    forecastOutturn: string;
    variance: string;
  };
}

export function quarterlyReport(
  view: PoolView,
  yearId: string,
  quarter: Quarter,
  thresholds: RagThresholds,
): QuarterlyReport | undefined {
  const year = own(view.years, yearId);
  if (year === undefined) return undefined;
  const position = quarterlyPosition(view, year, quarter, thresholds);
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

function quarterlyPosition(
  view: PoolView,
  year: YearView,
  quarter: Quarter,
  thresholds: RagThresholds,
): QuarterlyPosition {
  const toDate = QUARTERS.slice(0, QUARTERS.indexOf(quarter) + 1);
  const period: Period = { quarter, toDate, before: toDate.slice(0, -1) };
  const lines = positionLines(view, year, period, thresholds);
  return {
    poolId: view.poolId,
    poolName: view.registration?.name ?? '',
    year: year.year,
    quarter,
    ragThresholds: thresholds,
    lines: lines.map(lineFigures),
    streams: orderedStreams(year).map((fundingStream) => {
      const ofStream = lines.filter((line) => line.fundingStream === fundingStream);
      return {
        fundingStream,
        contributions: streamContributions(year, fundingStream, toDate).toString(),
        received: streamReceived(year, fundingStream, toDate).toString(),
        spendInQuarter: sumOf(ofStream, (row) => row.spendInQuarter).toString(),
        ...aggregate(ofStream),
      };
    }),
    schemeTypes: [...new Set(lines.map((line) => line.schemeType))].sort().map((schemeType) => ({
      schemeType,
      ...aggregate(lines.filter((line) => line.schemeType === schemeType)),
    })),
    partners: positionPartners(view, year, toDate),
    ...decisionsInQuarter(year, period),
    ibcfByPurpose: ibcfInQuarter(year, period),
    savings: savingsInQuarter(view, year, period),
    totals: {
      ...aggregate(lines),
      spendInQuarter: sumOf(lines, (row) => row.spendInQuarter).toString(),
    },
  };
}

function positionLines(view: PoolView, year: YearView, period: Period, thresholds: RagThresholds) {
  const { quarter, toDate, before } = period;
  return orderedLines(year).map(({ schemeId, fundingStream, figures }) => {
    const budget = lineBudget(figures, toDate);
    const spendYearToDate = sumQuarters(figures.spendByQuarter, toDate);
    const given = latestForecast(figures, toDate);
    const forecast = given ?? budget;
    const previousForecast =
      before.length === 0
        ? forecast
        : (latestForecast(figures, before) ?? lineBudget(figures, before));
    return {
      schemeId,
      ...schemeLabel(view, schemeId),
      fundingStream,
      budget,
      budgetMovement: budget.minus(lineBudget(figures, before)),
      spendInQuarter: Money.parseTotal(figures.spendByQuarter[quarter]),
      spendYearToDate,
      forecast,
      forecastGiven: given !== undefined,
      forecastMovement: forecast.minus(previousForecast),
      variance: forecast.minus(budget),
      rag: rag(budget, spendYearToDate, forecast, thresholds),
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
    spendInQuarter: line.spendInQuarter.toString(),
    spendYearToDate: line.spendYearToDate.toString(),
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
    spendYearToDate: sumOf(rows, (row) => row.spendYearToDate).toString(),
    forecastOutturn: sumOf(rows, (row) => row.forecast).toString(),
    variance: sumOf(rows, (row) => row.variance).toString(),
  };
}

function positionPartners(view: PoolView, year: YearView, toDate: readonly Quarter[]) {
  return view.partners.map((partner) => {
    const byStream = Object.values(own(year.contributions, partner.partnerId) ?? {});
    return {
      partnerId: partner.partnerId,
      name: partner.name,
      contributions: sumOf(byStream, (stream) =>
        sumQuarters(stream.plannedByQuarter, toDate).plus(
          sumQuarters(stream.variedByQuarter, toDate),
        ),
      ).toString(),
      received: sumOf(byStream, (stream) =>
        sumQuarters(stream.receivedByQuarter, toDate),
      ).toString(),
    };
  });
}

/** Virements and variations requested or decided in the quarter, as they stood at its end. */
function decisionsInQuarter(year: YearView, period: Period) {
  const inQuarter = (decidedIn: Quarter | null, requestedIn: Quarter) =>
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
    .map((purpose) => {
      const amounts = own(year.ibcfByPurpose, purpose) ?? zeroByQuarter();
      return {
        purpose,
        inQuarter: amounts[period.quarter],
        yearToDate: sumQuarters(amounts, period.toDate).toString(),
      };
    });
}

function savingsInQuarter(view: PoolView, year: YearView, period: Period) {
  return Object.keys(year.savings)
    .sort(compareSchemeIds)
    .map((schemeId) => {
      const saving = own(year.savings, schemeId) ?? {
        planned: '0.00',
        cashablePlanned: '0.00',
        realisedByQuarter: zeroByQuarter(),
      };
      return {
        schemeId,
        schemeName: schemeLabel(view, schemeId).schemeName,
        planned: saving.planned,
        realisedInQuarter: saving.realisedByQuarter[period.quarter],
        realisedYearToDate: sumQuarters(saving.realisedByQuarter, period.toDate).toString(),
      };
    });
}

/** A request as it stood at the quarter's end: one decided in a later quarter was still pending. */
function asAtQuarterEnd<
  Request extends { status: string; decidedBy: string | null; decidedIn: Quarter | null },
>(request: Request, toDate: readonly Quarter[]): Request {
  if (request.decidedIn !== null && toDate.includes(request.decidedIn)) return request;
  return { ...request, status: 'pending', decidedBy: null, decidedIn: null };
}

function streamContributions(
  year: YearView,
  fundingStream: string,
  quarters: readonly Quarter[],
): Money {
  return Money.sum(
    Object.values(year.contributions).map((byStream) => {
      const figures = own(byStream, fundingStream);
      return figures === undefined
        ? Money.zero
        : sumQuarters(figures.plannedByQuarter, quarters).plus(
            sumQuarters(figures.variedByQuarter, quarters),
          );
    }),
  );
}

function streamReceived(
  year: YearView,
  fundingStream: string,
  quarters: readonly Quarter[],
): Money {
  return Money.sum(
    Object.values(year.contributions).map((byStream) => {
      const figures = own(byStream, fundingStream);
      return figures === undefined ? Money.zero : sumQuarters(figures.receivedByQuarter, quarters);
    }),
  );
}
