import { createHash } from 'node:crypto';
import { Money, MoneyParseError } from '#money';
import { text as textSchema } from '../events/catalogue/index.ts';
import type { SpendCell, SpendRow, SpendTable } from './spend-file.ts';
import type { DateFormat, SpendMapping } from './spend-mapping.ts';

/**
 * The rows of a spend file read through a mapping: each row taken (or left out by the mapping's
 * filter) becomes an invoice or, when negative, a credit note on the scheme line of the first
 * rule it matches; or a problem naming its row and column. Nothing here knows the ledger: whether
 * the line exists, the year is open or the quarter closed is for the write face to judge.
 */
export interface SpendCandidate {
  readonly rowNumber: number;
  readonly kind: 'spend' | 'credit';
  /** The financial year the date falls in, such as 2017-18. */
  readonly year: string;
  readonly date: string;
  /** Positive: a credit note's amount is what it takes off. */
  readonly amount: Money;
  /** The amount as the file wrote it, when that was not exactly pounds and pence. */
  readonly amountAsWritten?: string;
  readonly supplier: string;
  readonly reference: string;
  readonly description: string;
  /** For a credit note: the reference of the invoice it credits, when the file says. */
  readonly credits?: string;
  readonly schemeId: string;
  readonly fundingStream: string;
  readonly ibcfPurpose?: string;
  /** The rule that sent it to its line (1 for the first). */
  readonly rule: number;
  /** The row's key: from its transaction number and content, the same in any file that has it. */
  readonly key: string;
}

export const ROW_PROBLEM_KINDS = {
  'column-missing': 'the mapping names a column the file does not have',
  'date-invalid': 'the date is not one of the mapping’s formats, or not a real day',
  'amount-invalid': 'the amount is not a number of pounds and pence',
  'amount-noise': 'the amount has more than two decimal places (a spreadsheet’s float noise)',
  'amount-zero': 'the amount is zero',
  'text-invalid': 'a text holds control characters or is too long',
  'no-rule': 'no rule of the mapping sends the row to a scheme line',
} as const;
export type RowProblemKind = keyof typeof ROW_PROBLEM_KINDS;

export interface RowProblem {
  /** The row in the file (the header is row 1). */
  readonly rowNumber: number;
  readonly column: string;
  /** A stable code: one of ROW_PROBLEM_KINDS, or the ledger's refusal code. */
  readonly kind: string;
  readonly message: string;
}

export interface MappedRows {
  /** Rows with any text in the file. */
  readonly read: number;
  /** Rows the mapping's `include` conditions left out. */
  readonly excluded: number;
  readonly candidates: readonly SpendCandidate[];
  readonly problems: readonly RowProblem[];
}

export function mapSpendRows(table: SpendTable, mapping: SpendMapping): MappedRows {
  const missing = mappedColumns(mapping).filter((column) => !table.columns.includes(column));
  if (missing.length > 0) {
    return {
      read: table.rows.length,
      excluded: 0,
      candidates: [],
      problems: missing.map((column) => ({
        rowNumber: 1,
        column,
        kind: 'column-missing',
        message: `the file has no column "${column}" (its columns: ${table.columns.join(', ')})`,
      })),
    };
  }
  const candidates: SpendCandidate[] = [];
  const problems: RowProblem[] = [];
  const occurrences = new Map<string, number>();
  let excluded = 0;
  for (const row of table.rows) {
    if (!mapping.include.every((condition) => holds(condition, row))) {
      excluded += 1;
      continue;
    }
    const mapped = mapRow(row, mapping);
    if ('problems' in mapped) {
      problems.push(...mapped.problems);
      continue;
    }
    // Identical rows in one file are told apart by their order: the first, the second...
    const occurrence = (occurrences.get(mapped.content) ?? 0) + 1;
    occurrences.set(mapped.content, occurrence);
    const key = createHash('sha256').update(`${mapped.content}\u0000${occurrence}`).digest('hex');
    candidates.push({ ...mapped.candidate, key: key.slice(0, 40) });
  }
  return { read: table.rows.length, excluded, candidates, problems };
}

function mappedColumns(mapping: SpendMapping): string[] {
  const { columns } = mapping;
  return [
    ...new Set([
      columns.date,
      columns.amount,
      columns.supplier,
      columns.reference,
      ...(columns.transaction === undefined ? [] : [columns.transaction]),
      ...columns.description,
      ...(columns.credits === undefined ? [] : [columns.credits]),
      ...mapping.include.map((condition) => condition.column),
      ...mapping.rules.map((rule) => rule.column),
    ]),
  ];
}

function cellOf(row: SpendRow, column: string): SpendCell {
  return row.cells.get(column) ?? { text: '' };
}

function holds(
  condition: {
    column: string;
    equals?: string | string[] | undefined;
    prefix?: string | undefined;
  },
  row: SpendRow,
): boolean {
  const value = cellOf(row, condition.column).text.trim();
  if (condition.prefix !== undefined) return value.startsWith(condition.prefix);
  const equals = condition.equals;
  return Array.isArray(equals) ? equals.includes(value) : value === equals;
}

type Mapped =
  | { candidate: Omit<SpendCandidate, 'key'>; content: string }
  | { problems: RowProblem[] };

function mapRow(row: SpendRow, mapping: SpendMapping): Mapped {
  const { columns } = mapping;
  const problems: RowProblem[] = [];
  const problem = (column: string, kind: RowProblemKind, message: string) =>
    problems.push({ rowNumber: row.rowNumber, column, kind, message });
  const date = parseDate(cellOf(row, columns.date), columns.dateFormats);
  if (date === undefined)
    problem(
      columns.date,
      'date-invalid',
      `"${cellOf(row, columns.date).text}" is not a date written ${columns.dateFormats.join(' or ')}`,
    );
  const amount = parseAmount(cellOf(row, columns.amount), mapping.amounts);
  if ('problem' in amount) problem(columns.amount, amount.problem, amount.message);
  const texts = {
    supplier: cellOf(row, columns.supplier).text.trim(),
    reference: cellOf(row, columns.reference).text.trim(),
    description: columns.description
      .map((column) => cellOf(row, column).text.trim())
      .filter((part) => part !== '')
      .join(' / '),
  };
  for (const [field, value] of Object.entries(texts)) {
    if (!textSchema.safeParse(value).success)
      problem(
        field === 'description' ? (columns.description[0] ?? field) : columns[field as 'supplier'],
        'text-invalid',
        `the ${field} holds control characters or is over 2,000 characters long`,
      );
  }
  const ruleIndex = mapping.rules.findIndex((rule) => holds(rule, row));
  const rule = mapping.rules[ruleIndex];
  if (rule === undefined)
    problem(
      mapping.rules[0]?.column ?? columns.reference,
      'no-rule',
      `no rule matches the row (${describeRow(row, mapping)}): add a rule for it, or leave it out with \`include\``,
    );
  if (problems.length > 0 || date === undefined || 'problem' in amount || rule === undefined)
    return { problems };
  const transaction =
    columns.transaction === undefined ? '' : cellOf(row, columns.transaction).text.trim();
  const credits = columns.credits === undefined ? '' : cellOf(row, columns.credits).text.trim();
  const negative = amount.value.isNegative();
  return {
    candidate: {
      rowNumber: row.rowNumber,
      kind: negative ? 'credit' : 'spend',
      year: financialYearOf(date),
      date,
      amount: negative ? amount.value.negated() : amount.value,
      ...(amount.asWritten === undefined ? {} : { amountAsWritten: amount.asWritten }),
      ...texts,
      ...(negative && credits !== '' ? { credits } : {}),
      schemeId: rule.schemeId,
      fundingStream: rule.fundingStream,
      ...(rule.ibcfPurpose === undefined ? {} : { ibcfPurpose: rule.ibcfPurpose }),
      rule: ruleIndex + 1,
    },
    content: JSON.stringify([
      transaction,
      date,
      cellOf(row, columns.amount).text.trim(),
      texts.supplier,
      texts.reference,
      texts.description,
    ]),
  };
}

function describeRow(row: SpendRow, mapping: SpendMapping): string {
  const columns = [...new Set(mapping.rules.map((rule) => rule.column))];
  return columns.map((column) => `${column}: "${cellOf(row, column).text.trim()}"`).join(', ');
}

const DATE_PATTERNS: Record<DateFormat, { pattern: RegExp; order: 'ymd' | 'dmy' }> = {
  'YYYY-MM-DD': { pattern: /^(\d{4})-(\d{2})-(\d{2})$/, order: 'ymd' },
  'YYYY-MM-DD hh:mm:ss': {
    pattern: /^(\d{4})-(\d{2})-(\d{2})[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/,
    order: 'ymd',
  },
  'DD/MM/YYYY': { pattern: /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/, order: 'dmy' },
  'DD/MM/YYYY hh:mm:ss': {
    pattern: /^(\d{1,2})\/(\d{1,2})\/(\d{4}) \d{2}:\d{2}(:\d{2})?$/,
    order: 'dmy',
  },
  'DD-MM-YYYY': { pattern: /^(\d{1,2})-(\d{1,2})-(\d{4})$/, order: 'dmy' },
  'DD.MM.YYYY': { pattern: /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/, order: 'dmy' },
};

/** The calendar day, as YYYY-MM-DD, in the first of the formats that reads it; or undefined. */
function parseDate(cell: SpendCell, formats: readonly DateFormat[]): string | undefined {
  const written = cell.text.trim();
  const readable: readonly DateFormat[] = cell.isDate === true ? ['YYYY-MM-DD'] : formats;
  for (const format of readable) {
    const { pattern, order } = DATE_PATTERNS[format];
    const match = pattern.exec(written);
    if (match === null) continue;
    const [first = '', second = '', third = ''] = match.slice(1, 4);
    const [year, month, day] =
      order === 'ymd'
        ? [first, second, third]
        : [third, second.padStart(2, '0'), first.padStart(2, '0')];
    const iso = `${year}-${month}-${day}`;
    const moment = new Date(`${iso}T00:00:00.000Z`);
    if (!Number.isNaN(moment.getTime()) && moment.toISOString().startsWith(iso)) return iso;
  }
  return undefined;
}

function financialYearOf(date: string): string {
  const year = Number(date.slice(0, 4));
  const start = Number(date.slice(5, 7)) >= 4 ? year : year - 1;
  return `${start}-${String((start + 1) % 100).padStart(2, '0')}`;
}

type ParsedAmount =
  | { value: Money; asWritten?: string }
  | { problem: 'amount-invalid' | 'amount-noise' | 'amount-zero'; message: string };

/**
 * Pounds and pence as a finance system writes them: digits with a point, a minus sign or
 * brackets for a credit, a pound sign and thousands separators tolerated. More than two decimal
 * places is float noise: a problem, unless the mapping rounds to pence (then the text as written
 * is kept beside the amount).
 */
function parseAmount(cell: SpendCell, amounts: SpendMapping['amounts']): ParsedAmount {
  const written = cell.text.trim();
  const bracketed = /^\((.*)\)$/.exec(written);
  const unsigned = (bracketed?.[1] ?? written).replace(/^(-?)£/, '$1');
  const grouped = /^-?\d{1,3}(,\d{3})+(\.\d+)?$/.test(unsigned);
  const plain = grouped ? unsigned.replaceAll(',', '') : unsigned;
  const signed = bracketed === null ? plain : `-${plain}`;
  if (!/^-?\d+(\.\d+)?$/.test(signed))
    return {
      problem: 'amount-invalid',
      message: `"${written}" is not an amount of pounds and pence`,
    };
  const decimals = signed.split('.')[1]?.length ?? 0;
  const exact = decimals <= 2 ? Money.tryParse(signed.replace(/^(-?)0+(?=\d)/, '$1')) : undefined;
  if (exact instanceof MoneyParseError)
    return { problem: 'amount-invalid', message: `"${written}": ${exact.message}` };
  if (exact?.isZero())
    return { problem: 'amount-zero', message: 'the amount is zero: nothing to record' };
  if (exact !== undefined)
    return { value: exact, ...(signed === written ? {} : { asWritten: written }) };
  if (amounts === 'exact')
    return {
      problem: 'amount-noise',
      message: `"${written}" has ${decimals} decimal places: a spreadsheet's float noise; set "amounts": "round-to-pence" in the mapping (or --round-to-pence) to round it, keeping the text as written`,
    };
  const rounded = Money.parseRoundingToPence(signed);
  if (rounded instanceof MoneyParseError)
    return { problem: 'amount-invalid', message: `"${written}": ${rounded.message}` };
  if (rounded.isZero())
    return {
      problem: 'amount-zero',
      message: `"${written}" is zero to the penny: nothing to record`,
    };
  return { value: rounded, asWritten: written };
}
