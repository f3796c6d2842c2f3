import type { Period } from '../../events/catalogue/index.ts';
import { addAmount, addTo, dictionary, earlierPeriod, entry, zeroByPeriod } from './amounts.ts';
import type {
  ContributionFigures,
  LineFigures,
  StreamFigures,
  VariationRecord,
  VirementRecord,
  YearView,
} from './types.ts';

/** The parts of a year view the folds find or create: streams, lines, contributions, savings. */
export function addStream(
  year: YearView,
  fundingStream: string,
  figure: keyof StreamFigures,
  amount: string,
): void {
  const stream = entry(year.streams, fundingStream, () => ({
    planned: '0.00',
    varied: '0.00',
    broughtForward: '0.00',
    due: '0.00',
    received: '0.00',
    allocated: '0.00',
    spent: '0.00',
  }));
  stream[figure] = addAmount(stream[figure], amount);
}

/** A posting of spend (or a credit, reversal, recode or adjustment) to a line in a period. */
export interface SpendPosting {
  readonly schemeId: string;
  readonly fundingStream: string;
  readonly quarter: Period;
  /** Signed: a credit or a reversal takes spend off. */
  readonly amount: string;
  readonly ibcfPurpose?: string | undefined;
}

export function addSpend(year: YearView, posting: SpendPosting): void {
  const { schemeId, fundingStream, quarter, amount, ibcfPurpose } = posting;
  addTo(line(year, schemeId, fundingStream, quarter).spendByQuarter, quarter, amount);
  addStream(year, fundingStream, 'spent', amount);
  if (ibcfPurpose === undefined) return;
  const purpose = entry(year.ibcfByPurpose, ibcfPurpose, () => ({
    ...zeroByPeriod(),
    firstPeriod: quarter,
  }));
  purpose.firstPeriod = earlierPeriod(purpose.firstPeriod, quarter);
  addTo(purpose, quarter, amount);
}

export function contribution(
  year: YearView,
  partnerId: string,
  fundingStream: string,
  period: Period,
): ContributionFigures {
  const byStream = entry(year.contributions, partnerId, () => dictionary());
  const figures = entry(byStream, fundingStream, () => ({
    firstPeriod: period,
    plannedByQuarter: zeroByPeriod(),
    variedByQuarter: zeroByPeriod(),
    dueByQuarter: zeroByPeriod(),
    receivedByQuarter: zeroByPeriod(),
  }));
  figures.firstPeriod = earlierPeriod(figures.firstPeriod, period);
  return figures;
}

/** The line, created on its first posting; `period` is the posting's, so the line shows from it. */
export function line(
  year: YearView,
  schemeId: string,
  fundingStream: string,
  period: Period,
): LineFigures {
  const byStream = entry(year.lines, schemeId, () => dictionary());
  const figures = entry(byStream, fundingStream, () => ({
    firstPeriod: period,
    originalByQuarter: zeroByPeriod(),
    supplementaryByQuarter: zeroByPeriod(),
    releasedByQuarter: zeroByPeriod(),
    virementsInByQuarter: zeroByPeriod(),
    virementsOutByQuarter: zeroByPeriod(),
    spendByQuarter: zeroByPeriod(),
    committedByQuarter: zeroByPeriod(),
    accruedByQuarter: zeroByPeriod(),
    forecastByQuarter: { Q1: null, Q2: null, Q3: null, Q4: null },
    profileByQuarter: { Q1: null, Q2: null, Q3: null, Q4: null, YE: null },
    outturn: null,
  }));
  figures.firstPeriod = earlierPeriod(figures.firstPeriod, period);
  return figures;
}

export function savingsOf(year: YearView, schemeId: string, period: Period) {
  const saving = entry(year.savings, schemeId, () => ({
    firstPeriod: period,
    plannedByQuarter: zeroByPeriod(),
    cashablePlannedByQuarter: zeroByPeriod(),
    realisedByQuarter: zeroByPeriod(),
  }));
  saving.firstPeriod = earlierPeriod(saving.firstPeriod, period);
  return saving;
}

export function request(requestedBy: string, requestedIn: Period) {
  return {
    status: 'pending' as const,
    requestedBy,
    requestedIn,
    decidedBy: null,
    decidedIn: null,
  };
}

export function settle<
  Record extends VirementRecord | VariationRecord,
  Key extends 'virementId' | 'variationId',
>(
  records: Record[],
  key: Key,
  id: string,
  status: 'approved' | 'rejected',
  decidedBy: string,
  decidedIn: Period,
): void {
  const found = records.find(
    (record) => (record as unknown as { [Name in Key]: string })[key] === id,
  );
  if (found === undefined) return;
  found.status = status;
  found.decidedBy = decidedBy;
  found.decidedIn = decidedIn;
}
