/**
 * A report's table as the documents write it: named columns, some of them amounts, and rows of
 * cells. Amount cells hold the ledger's decimal strings ("1250.00"); each document decides how to
 * write them (a CSV field, a numeric workbook cell), never as a JS number in between.
 */
export interface Table {
  readonly name: string;
  readonly columns: readonly Column[];
  readonly rows: readonly (readonly Cell[])[];
  /** Whether the workbook ends the table with a row of the amount columns' exact sums. */
  readonly totals?: boolean;
}

export interface Column {
  readonly header: string;
  /** Width in characters in a workbook. */
  readonly width: number;
  readonly money?: boolean;
}

export type Cell = string | number | boolean | null;

export const text = (header: string, width = 28): Column => ({ header, width });
export const money = (header: string): Column => ({ header, width: 18, money: true });

export function tableNamed(tables: readonly Table[], name: string): Table {
  const table = tables.find((candidate) => candidate.name === name);
  if (table === undefined) throw new Error(`no table named "${name}"`);
  return table;
}
