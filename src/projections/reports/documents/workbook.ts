import ExcelJS from 'exceljs';
import { Money } from '#money';

/**
 * Reports as XLSX workbooks a finance officer would accept: a header row, frozen panes, column
 * widths, amounts as numeric cells in pounds with a currency format, and a totals row whose values
 * are the ledger's exact sums (values, not formulas, so they match the other formats).
 */
export interface SheetSpec {
  readonly name: string;
  readonly columns: readonly {
    readonly header: string;
    readonly width: number;
    readonly money?: boolean;
  }[];
  /** Amount columns hold decimal strings such as "1250.00"; they become numbers here only. */
  readonly rows: readonly (readonly (string | number | boolean | null)[])[];
  readonly totals?: boolean;
}

export const CURRENCY_FORMAT = '£#,##0.00;-£#,##0.00';

export async function workbook(sheets: readonly SheetSpec[]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'BCF ledger';
  for (const spec of sheets) {
    const sheet = book.addWorksheet(spec.name, { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = spec.columns.map((column) => ({ header: column.header, width: column.width }));
    sheet.getRow(1).font = { bold: true };
    for (const row of spec.rows) {
      sheet.addRow(
        row.map((value, index) =>
          spec.columns[index]?.money === true && typeof value === 'string'
            ? Money.parse(value).toSpreadsheetNumber()
            : value,
        ),
      );
    }
    if (spec.totals === true) {
      const totals = spec.columns.map((column, index) =>
        column.money === true
          ? Money.sum(
              spec.rows.map((row) => Money.parse(String(row[index] ?? '0'))),
            ).toSpreadsheetNumber()
          : index === 0
            ? 'Total'
            : null,
      );
      sheet.addRow(totals).font = { bold: true };
    }
    for (const [index, column] of spec.columns.entries()) {
      if (column.money === true) sheet.getColumn(index + 1).numFmt = CURRENCY_FORMAT;
    }
  }
  return Buffer.from(await book.xlsx.writeBuffer());
}
