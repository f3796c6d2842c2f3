import { z } from 'zod';

/**
 * The words of the domain as schemas: identifiers, financial years, quarters, iBCF purposes.
 * Commands, events and projections all speak these.
 */

/** A code chosen by the pool (pool, partner, scheme ids): letters, digits, '.', '_' and '-'. */
export const code = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/,
    'use 1 to 40 letters, digits, ".", "_" or "-", starting with a letter or digit',
  );

/** An id the caller gives a new fact (a spend, a virement) so it can be referred to later. */
export const factId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,79}$/, 'use 1 to 80 letters, digits, ".", "_", ":" or "-"');

/**
 * A name or free text: no control characters, bounded. Names must not start or end with a space;
 * they are refused rather than trimmed, because event schemas validate and never transform.
 */
export const name = z
  .string()
  .min(1)
  .max(200)
  .regex(
    /^[^\p{Cc}\s](?:[^\p{Cc}]*[^\p{Cc}\s])?$/u,
    'must not start or end with a space or contain control characters',
  );
export const text = z
  .string()
  .max(2000)
  .regex(/^[^\p{Cc}]*$/u, 'must not contain control characters');

/** Free text that must be given: a reason, evidence, a description an auditor will read. */
export const requiredText = text.min(1, 'must be given: an auditor will read it');

/** A financial year as the template writes it: `2017-18`, April to March. */
export const financialYear = z
  .string()
  .regex(/^(20[0-9]{2})-([0-9]{2})$/, 'write a financial year as "2017-18"')
  .refine((year) => (Number(year.slice(2, 4)) + 1) % 100 === Number(year.slice(5, 7)), {
    message: 'a financial year runs from one year into the next, such as "2017-18"',
  });

export const QUARTERS = ['Q1', 'Q2', 'Q3', 'Q4'] as const;
export const quarter = z.enum(QUARTERS);
export type Quarter = z.infer<typeof quarter>;

/**
 * The periods a posting counts in: the four quarters, then `YE`, the year-end adjustments made
 * after Q4 closes and before the year closes (accruals, late invoices and credits, corrections).
 */
export const PERIODS = [...QUARTERS, 'YE'] as const;
export const period = z.enum(PERIODS);
export type Period = z.infer<typeof period>;

/** An ISO calendar date, `2017-07-14`. */
export const calendarDate = z.iso.date();

/** The three purposes iBCF may be spent on (src: the grant determination). */
export const IBCF_PURPOSES = [
  'adult-social-care-needs',
  'reducing-nhs-pressures',
  'stabilising-provider-market',
] as const;
export const ibcfPurpose = z.enum(IBCF_PURPOSES);
export type IbcfPurpose = z.infer<typeof ibcfPurpose>;

/** An allocation from the plan as agreed, or one added later in the year. */
export const ALLOCATION_BASES = ['original', 'supplementary'] as const;
export const allocationBasis = z.enum(ALLOCATION_BASES);
export type AllocationBasis = z.infer<typeof allocationBasis>;

export const PARTNER_KINDS = ['Local Authority', 'CCG', 'ICB', 'Other'] as const;
export const partnerKind = z.enum(PARTNER_KINDS);

/**
 * How a funding stream's money may be used: revenue, capital (DFG: never moved to revenue
 * schemes) or iBCF (revenue whose every spend names one of the three purposes).
 */
export const FUNDING_CATEGORIES = ['revenue', 'capital', 'ibcf'] as const;
export const fundingCategory = z.enum(FUNDING_CATEGORIES);

/** A percentage with at most two decimal places, 0 to 100, as a string. */
export const percentage = z
  .string()
  .regex(
    /^(100(\.0{1,2})?|[0-9]{1,2}(\.[0-9]{1,2})?)$/,
    'write a percentage from 0 to 100 with at most two decimals',
  );

/** A percentage (as the schema above writes it) in hundredths of a percent, exactly: "12.5" is 1250. */
export function hundredthsOfPercent(text: string): number {
  const [whole = '0', fraction = ''] = text.split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
}

/** The first and last calendar dates of a quarter of a financial year. */
export function quarterDates(year: string, value: Quarter): { first: string; last: string } {
  const startYear = Number(year.slice(0, 4));
  switch (value) {
    case 'Q1':
      return { first: `${startYear}-04-01`, last: `${startYear}-06-30` };
    case 'Q2':
      return { first: `${startYear}-07-01`, last: `${startYear}-09-30` };
    case 'Q3':
      return { first: `${startYear}-10-01`, last: `${startYear}-12-31` };
    case 'Q4':
      return { first: `${startYear + 1}-01-01`, last: `${startYear + 1}-03-31` };
  }
}

/** The first and last calendar dates of a financial year: 1 April to 31 March. */
export function yearDates(year: string): { first: string; last: string } {
  return { first: quarterDates(year, 'Q1').first, last: quarterDates(year, 'Q4').last };
}

/** The quarter of the year a calendar date falls in; undefined for a date outside the year. */
export function quarterOfDate(year: string, date: string): Quarter | undefined {
  return QUARTERS.find((each) => {
    const { first, last } = quarterDates(year, each);
    return date >= first && date <= last;
  });
}

/** Whether period `a` comes before period `b` (Q1 < Q2 < Q3 < Q4 < YE). */
export function periodBefore(a: Period, b: Period): boolean {
  return PERIODS.indexOf(a) < PERIODS.indexOf(b);
}

export function poolStreamId(poolId: string): string {
  return `pool-${poolId}`;
}

export function ledgerStreamId(poolId: string, year: string): string {
  return `ledger-${poolId}-${year}`;
}
