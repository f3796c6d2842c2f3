import type { Quarter } from '../../events/catalogue/index.ts';
import { addAmount, addTo, dictionary, entry, zeroByQuarter } from './amounts.ts';
import type {
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
    received: '0.00',
    allocated: '0.00',
    spent: '0.00',
  }));
  stream[figure] = addAmount(stream[figure], amount);
}

/** A posting of spend (or its reversal, or an adjustment) to a line in a quarter. */
export interface SpendPosting {
  readonly schemeId: string;
  readonly fundingStream: string;
  readonly quarter: Quarter;
  /** Signed: a reversal takes the spend off again. */
  readonly amount: string;
  readonly ibcfPurpose?: string | undefined;
}

export function addSpend(year: YearView, posting: SpendPosting): void {
  const { schemeId, fundingStream, quarter, amount, ibcfPurpose } = posting;
  addTo(line(year, schemeId, fundingStream).spendByQuarter, quarter, amount);
  addStream(year, fundingStream, 'spent', amount);
  if (ibcfPurpose !== undefined)
    addTo(entry(year.ibcfByPurpose, ibcfPurpose, zeroByQuarter), quarter, amount);
}

export function contribution(year: YearView, partnerId: string, fundingStream: string) {
  const byStream = entry(year.contributions, partnerId, () => dictionary());
  return entry(byStream, fundingStream, () => ({
    plannedByQuarter: zeroByQuarter(),
    variedByQuarter: zeroByQuarter(),
    receivedByQuarter: zeroByQuarter(),
  }));
}

export function line(year: YearView, schemeId: string, fundingStream: string): LineFigures {
  const byStream = entry(year.lines, schemeId, () => dictionary());
  return entry(byStream, fundingStream, () => ({
    allocatedByQuarter: zeroByQuarter(),
    virementsInByQuarter: zeroByQuarter(),
    virementsOutByQuarter: zeroByQuarter(),
    spendByQuarter: zeroByQuarter(),
    forecastByQuarter: { Q1: null, Q2: null, Q3: null, Q4: null },
  }));
}

export function savingsOf(year: YearView, schemeId: string) {
  return entry(year.savings, schemeId, () => ({
    planned: '0.00',
    cashablePlanned: '0.00',
    realisedByQuarter: zeroByQuarter(),
  }));
}

export function request(requestedBy: string, open: Quarter) {
  return {
    status: 'pending' as const,
    requestedBy,
    requestedIn: open,
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
  decidedIn: Quarter,
): void {
  const found = records.find(
    (record) => (record as unknown as { [Name in Key]: string })[key] === id,
  );
  if (found === undefined) return;
  found.status = status;
  found.decidedBy = decidedBy;
  found.decidedIn = decidedIn;
}
