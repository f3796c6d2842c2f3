import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { Money } from '#money';

/**
 * A plan in the NHS England template's shape, as tables of text cells with their places in the
 * source, read from CSV files or from an XLSX workbook. Numbers in a workbook's cells become
 * decimal strings here, exactly, so the rest of the import never sees a float.
 */
export interface Cell {
  readonly text: string;
  /** The column's header, as the template names it. */
  readonly column: string;
  /** Where the cell is, for a problem report: "income.csv row 4" or "Income!C4". */
  readonly place: string;
  /** Set when a workbook cell held a number that is not an amount in pounds and pence. */
  readonly numberProblem?: string;
}

export type Row = ReadonlyMap<string, Cell> & { readonly rowNumber: number };

export interface PlanTables {
  readonly partners: readonly Row[];
  readonly income: readonly Row[];
  readonly expenditure: readonly Row[];
  /** Names the source in reports: a directory of CSV files or a workbook. */
  readonly source: string;
}

export const PLAN_TABLES = {
  partners: { csv: 'partners.csv', sheet: 'Partners' },
  income: { csv: 'income.csv', sheet: 'Income' },
  expenditure: { csv: 'expenditure.csv', sheet: 'Expenditure' },
} as const;

type TableName = keyof typeof PLAN_TABLES;

/** Reads partners.csv, income.csv and expenditure.csv from a directory. */
export function readPlanCsv(directory: string): PlanTables {
  const read = (table: TableName) => {
    const name = PLAN_TABLES[table].csv;
    const rows = parseCsv(readFileSync(join(directory, name), 'utf8'));
    return toRows(rows, (row, column) => `${name} row ${row} column ${column + 1}`);
  };
  return {
    partners: read('partners'),
    income: read('income'),
    expenditure: read('expenditure'),
    source: directory,
  };
}

/** Reads the Partners, Income and Expenditure sheets of a workbook. */
export async function readPlanXlsx(path: string): Promise<PlanTables> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(path);
  const read = (table: TableName) => {
    const sheetName = PLAN_TABLES[table].sheet;
    const sheet = workbook.getWorksheet(sheetName);
    if (sheet === undefined) throw new PlanFileError(`the workbook has no sheet "${sheetName}"`);
    const rows: (string | { number: number })[][] = [];
    sheet.eachRow({ includeEmpty: true }, (row, rowNumber) => {
      const cells: (string | { number: number })[] = [];
      for (let column = 1; column <= sheet.columnCount; column++)
        cells.push(cellValue(row.getCell(column).value));
      rows[rowNumber - 1] = cells;
    });
    return toRows(
      Array.from(rows, (row) => row ?? []),
      (row, column) => `${sheetName}!${columnLetter(column)}${row}`,
    );
  };
  return {
    partners: read('partners'),
    income: read('income'),
    expenditure: read('expenditure'),
    source: path,
  };
}

export class PlanFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlanFileError';
  }
}

function cellValue(value: ExcelJS.CellValue): string | { number: number } {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return { number: value };
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object' && 'result' in value)
    return cellValue(value.result as ExcelJS.CellValue);
  if (typeof value === 'object' && 'richText' in value)
    return value.richText.map((part) => part.text).join('');
  return String(value);
}

function toRows(
  rows: readonly (readonly (string | { number: number })[])[],
  place: (row: number, column: number) => string,
): Row[] {
  const [header = [], ...body] = rows;
  const columns = header.map((cell) =>
    typeof cell === 'string' ? cell.trim() : String(cell.number),
  );
  return body
    .map((cells, index) => {
      const rowNumber = index + 2;
      const row = new Map<string, Cell>();
      for (const [column, name] of columns.entries()) {
        const raw = cells[column] ?? '';
        if (typeof raw === 'string') {
          row.set(name, { text: raw.trim(), column: name, place: place(rowNumber, column) });
        } else {
          const amount = Money.fromSpreadsheetNumber(raw.number);
          const text = amount instanceof Money ? amount.toString() : String(raw.number);
          row.set(name, {
            text,
            column: name,
            place: place(rowNumber, column),
            ...(amount instanceof Money ? {} : { numberProblem: amount.message }),
          });
        }
      }
      return Object.assign(row, { rowNumber }) as Row;
    })
    .filter((row) => [...row.values()].some((cell) => cell.text !== ''));
}

function columnLetter(index: number): string {
  let letters = '';
  for (let column = index + 1; column > 0; column = Math.floor((column - 1) / 26))
    letters = String.fromCharCode(65 + ((column - 1) % 26)) + letters;
  return letters;
}

/**
 * A CSV file's records (RFC 4180, with csv-parse): quoted fields may hold commas, doubled quotes
 * and line breaks; a byte-order mark is dropped; rows may have fewer fields than the header.
 */
export function parseCsv(text: string): string[][] {
  return parse(text, {
    bom: true,
    relax_column_count: true,
    skip_empty_lines: false,
  }) as string[][];
}
