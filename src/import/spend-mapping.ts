import { z } from 'zod';
import { code, ibcfPurpose, name } from '../events/catalogue/index.ts';

/**
 * How a council's spend file maps onto the pool (docs/spend-import.md): which columns hold the
 * date (and in which formats), the amount, supplier, invoice reference and the finance system's
 * transaction number; which rows to take at all; and rules that send each row to a scheme line,
 * first match wins. A user writes one per council and keeps it beside the files.
 */
const column = name;

/** A condition on one column: its whole text, one of several, or how it starts. */
const conditionFields = {
  column,
  equals: z.union([z.string().max(200), z.array(z.string().max(200)).min(1).max(200)]).optional(),
  prefix: z.string().min(1).max(200).optional(),
};
const eitherEqualsOrPrefix = [
  (rule: { equals?: unknown; prefix?: unknown }) =>
    (rule.equals === undefined) !== (rule.prefix === undefined),
  { message: 'give either `equals` or `prefix`' },
] as const;
const condition = z.strictObject(conditionFields).refine(...eitherEqualsOrPrefix);

export const DATE_FORMATS = [
  'YYYY-MM-DD',
  'YYYY-MM-DD hh:mm:ss',
  'DD/MM/YYYY',
  'DD/MM/YYYY hh:mm:ss',
  'DD-MM-YYYY',
  'DD.MM.YYYY',
] as const;
export type DateFormat = (typeof DATE_FORMATS)[number];

export const spendMapping = z.strictObject({
  /** What the mapping is for, in words. */
  description: z.string().max(500).optional(),
  /** For a workbook: the sheet to read (the first when not given). */
  sheet: name.optional(),
  columns: z.strictObject({
    date: column,
    dateFormats: z.array(z.enum(DATE_FORMATS)).min(1).max(DATE_FORMATS.length),
    amount: column,
    supplier: column,
    /** The invoice number, kept as the spend's ERP reference. */
    reference: column,
    /** The finance system's transaction number: with the row's content, it keys the row. */
    transaction: column.optional(),
    /** Columns whose texts, joined, describe the spend. */
    description: z.array(column).max(5).default([]),
    /** For a negative row: the column naming the invoice it credits (its reference), if any. */
    credits: column.optional(),
  }),
  /** Rows are taken only if every condition holds (for example, one directorate). */
  include: z.array(condition).max(20).default([]),
  /** Each row goes to the line of the first rule it matches. */
  rules: z
    .array(
      z
        .strictObject({
          ...conditionFields,
          schemeId: code,
          fundingStream: name,
          /** For an iBCF line: the purpose the spend meets. */
          ibcfPurpose: ibcfPurpose.optional(),
        })
        .refine(...eitherEqualsOrPrefix),
    )
    .min(1)
    .max(1_000),
  /** `exact`: an amount with more than two decimal places is a problem; `round-to-pence`: rounded. */
  amounts: z.enum(['exact', 'round-to-pence']).default('exact'),
});
export type SpendMapping = z.infer<typeof spendMapping>;
export type SpendMappingInput = z.input<typeof spendMapping>;

/** The mapping checked, or what is wrong with it, each problem with where it is. */
export function parseMapping(
  input: unknown,
): { ok: true; mapping: SpendMapping } | { ok: false; problems: string[] } {
  const parsed = spendMapping.safeParse(input);
  if (parsed.success) return { ok: true, mapping: parsed.data };
  return {
    ok: false,
    problems: parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || 'the mapping'}: ${issue.message}`,
    ),
  };
}
