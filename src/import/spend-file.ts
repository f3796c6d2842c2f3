import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';

/**
 * A council's spend file as a table of text cells, read from CSV (UTF-8 with or without its
 * byte-order mark, or Windows-1252 as older finance systems write it) or from a sheet of an XLSX
 * workbook. Nothing is interpreted here: a workbook's number stays the number it was, beside its
 * text, for the mapping to judge.
 */
export interface SpendCell {
  readonly text: string;
  /** A workbook cell's number, as the workbook held it. */
  readonly number?: number;
  /** A workbook's date cell: its text is the calendar day, YYYY-MM-DD, whatever its display. */
  readonly isDate?: boolean;
}

export interface SpendRow {
  /** The row's number in the file, the header being row 1. */
  readonly rowNumber: number;
  readonly cells: ReadonlyMap<string, SpendCell>;
}

export interface SpendTable {
  readonly fileName: string;
  readonly columns: readonly string[];
  readonly rows: readonly SpendRow[];
}

export class SpendFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SpendFileError';
  }
}

export async function readSpendFile(
  fileName: string,
  bytes: Uint8Array,
  sheet?: string,
): Promise<SpendTable> {
  const isWorkbook = bytes[0] === 0x50 && bytes[1] === 0x4b; // "PK": a zip, as every .xlsx is
  const cells = isWorkbook ? await workbookCells(bytes, sheet) : csvCells(bytes);
  const [header = [], ...body] = cells;
  const columns = header.map((cell) => cell.text.trim());
  if (columns.every((column) => column === ''))
    throw new SpendFileError(`${fileName} has no header row`);
  const rows = body.flatMap((row, index): SpendRow[] => {
    if (row.every((cell) => cell.text.trim() === '')) return [];
    const map = new Map<string, SpendCell>();
    for (const [position, column] of columns.entries())
      if (column !== '' && !map.has(column)) map.set(column, row[position] ?? { text: '' });
    return [{ rowNumber: index + 2, cells: map }];
  });
  return { fileName, columns, rows };
}

function csvCells(bytes: Uint8Array): SpendCell[][] {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    text = new TextDecoder('windows-1252').decode(bytes);
  }
  try {
    const rows = parse(text, { bom: true, relax_column_count: true }) as string[][];
    return rows.map((row) => row.map((cell) => ({ text: cell })));
  } catch (error) {
    throw new SpendFileError(
      `the file is not CSV a spreadsheet would read: ${(error as Error).message}`,
    );
  }
}

async function workbookCells(bytes: Uint8Array, sheetName?: string): Promise<SpendCell[][]> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch (error) {
    throw new SpendFileError(`the workbook cannot be read: ${(error as Error).message}`);
  }
  const sheet = sheetName === undefined ? workbook.worksheets[0] : workbook.getWorksheet(sheetName);
  if (sheet === undefined)
    throw new SpendFileError(
      sheetName === undefined
        ? 'the workbook has no sheet'
        : `the workbook has no sheet "${sheetName}"`,
    );
  const rows: SpendCell[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row, rowNumber) => {
    const cells: SpendCell[] = [];
    for (let column = 1; column <= sheet.columnCount; column++)
      cells.push(workbookCell(row.getCell(column).value));
    rows[rowNumber - 1] = cells;
  });
  return Array.from(rows, (row) => row ?? []);
}

function workbookCell(value: ExcelJS.CellValue): SpendCell {
  if (value === null || value === undefined) return { text: '' };
  if (typeof value === 'number') return { text: String(value), number: value };
  if (typeof value === 'string') return { text: value };
  if (typeof value === 'boolean') return { text: value ? 'TRUE' : 'FALSE' };
  // A workbook date is a moment at midnight UTC: its calendar day, as a CSV would write it.
  if (value instanceof Date) return { text: value.toISOString().slice(0, 10), isDate: true };
  if (typeof value === 'object' && 'result' in value)
    return workbookCell(value.result as ExcelJS.CellValue);
  if (typeof value === 'object' && 'richText' in value)
    return { text: value.richText.map((part) => part.text).join('') };
  if (typeof value === 'object' && 'text' in value) return { text: String(value.text) };
  return { text: String(value) };
}
