import { Money } from '#money';
import { own } from '../view/amounts.ts';
import type { PoolView } from '../view/pool-view.ts';
import { poolBalances } from './balances.ts';
import { schemeColumns } from './figures.ts';

/**
 * The figures an NHS England year-end return asks for: actual income (contributions received)
 * and expenditure per funding source, and each expenditure line in the planning template's
 * columns with its actual expenditure for the year.
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

export interface NhsEnglandExtract {
  poolId: string;
  hwbArea: string;
  year: string;
  income: { fundingStream: string; planned: string; received: string }[];
  expenditure: { fundingStream: string; planned: string; actual: string }[];
  lines: Record<(typeof EXTRACT_LINE_COLUMNS)[number], string>[];
}

export function nhsEnglandExtract(view: PoolView, yearId: string): NhsEnglandExtract | undefined {
  const balances = poolBalances(view, yearId);
  const year = own(view.years, yearId);
  if (balances === undefined || year === undefined) return undefined;
  return {
    poolId: view.poolId,
    hwbArea: view.registration?.hwbArea ?? '',
    year: yearId,
    income: balances.streams.map((stream) => ({
      fundingStream: stream.fundingStream,
      planned: stream.contributions,
      received: stream.received,
    })),
    expenditure: balances.streams.map((stream) => ({
      fundingStream: stream.fundingStream,
      planned: stream.allocated,
      actual: stream.spent,
    })),
    lines: balances.lines.map((line) => {
      const scheme = schemeColumns(view, year, line.schemeId);
      return {
        'Scheme ID': line.schemeId,
        'Scheme Name': line.schemeName,
        'Scheme Type': line.schemeType,
        Description: scheme?.description ?? '',
        'Area of Spend': scheme?.areaOfSpend ?? '',
        Commissioner: scheme?.commissioner ?? '',
        '% NHS (if Joint Commissioner)': scheme?.nhsPercentage ?? '',
        '% LA (if Joint Commissioner)': scheme?.laPercentage ?? '',
        Provider: scheme?.provider ?? '',
        'Source of Funding': line.fundingStream,
        'Expenditure (£)': Money.parseTotal(line.spent).toString(),
        'New/Existing Scheme': scheme?.newOrExisting ?? '',
      };
    }),
  };
}
