import ExcelJS from 'exceljs';
import { Money } from '#money';
import type { Table } from './table.ts';

/**
 * Tables as an XLSX workbook a finance officer would accept, one sheet each: a header row, frozen
 * panes, column widths, amounts as numeric cells in pounds with a currency format, and a totals row
 * whose values are the ledger's exact sums (values, not formulas, so they match the other formats).
 */
export const CURRENCY_FORMAT = '£#,##0.00;-£#,##0.00';

export async function workbook(tables: readonly Table[]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'BCF ledger';
  for (const table of tables) addSheet(book, table);
  return Buffer.from(await book.xlsx.writeBuffer());
}

function addSheet(book: ExcelJS.Workbook, table: Table): void {
  const sheet = book.addWorksheet(table.name, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = table.columns.map((column) => ({ header: column.header, width: column.width }));
  sheet.getRow(1).font = { bold: true };
  for (const row of table.rows) {
    sheet.addRow(
      row.map((value, index) =>
        table.columns[index]?.money === true && typeof value === 'string'
          ? amountCell(Money.parseTotal(value))
          : value,
      ),
    );
  }
  if (table.totals === true) sheet.addRow(totalsRow(table)).font = { bold: true };
  for (const [index, column] of table.columns.entries()) {
    if (column.money === true) sheet.getColumn(index + 1).numFmt = CURRENCY_FORMAT;
  }
}

function totalsRow(table: Table): (string | number | null)[] {
  return table.columns.map((column, index) => {
    if (column.money === true)
      return amountCell(
        Money.sum(table.rows.map((row) => Money.parseTotal(String(row[index] ?? '0')))),
      );
    return index === 0 ? 'Total' : null;
  });
}

/**
 * An amount as a numeric cell in pounds; one too large for a float to hold to the penny (fifteen
 * significant digits) is written as its exact text instead, never rounded.
 */
function amountCell(amount: Money): number | string {
  return amount.fitsSpreadsheetCell() ? amount.toSpreadsheetNumber() : amount.toString();
}
