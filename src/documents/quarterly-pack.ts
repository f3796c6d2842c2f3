import ExcelJS from 'exceljs';
import { Money } from '#money';
import type { QuarterlyReport } from '../projections/reports/quarterly-position.ts';
import { quarterlyTables } from './report-tables.ts';
import type { Table } from './table.ts';

/**
 * The quarterly position as a pack for the CFO group's meeting, as a workbook a finance officer
 * prints: each table on its own sheet under a title block (the pool, the quarter, as at when,
 * produced when, the sign-off and its digest), amounts in pounds with negatives in brackets and
 * red, RAG cells filled, totals, and set to print A4 landscape, one page wide, the header row
 * repeated on every page.
 */
export interface PackContext {
  readonly poolName: string;
  readonly asAt: string | null;
  readonly producedOn: string;
}

export const PACK_AMOUNT_FORMAT = '£#,##0.00;[Red](£#,##0.00)';
export const RAG_FILLS: Readonly<Record<string, string>> = {
  green: 'FF00703C',
  amber: 'FFFFDD00',
  red: 'FFD4351C',
};
const TITLE_ROWS = 7;

export async function quarterlyPackWorkbook(
  report: QuarterlyReport,
  context: PackContext,
): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.title = packTitle(report, context);
  book.creator = 'BCF ledger';
  for (const table of quarterlyTables(report)) addSheet(book, table, titleBlock(report, context));
  return Buffer.from(await book.xlsx.writeBuffer());
}

export function packTitle(report: QuarterlyReport, context: PackContext): string {
  const { position } = report;
  return `${context.poolName}: quarterly position, ${position.year} ${position.quarter}`;
}

/** The lines above every table: what it is, of what, when, and whether it was signed off. */
export function titleBlock(report: QuarterlyReport, context: PackContext): string[] {
  const { status } = report;
  const signOff = status.closed
    ? `Signed off: requested by ${status.closeRequestedBy ?? ''}, approved by ${status.closedBy ?? ''}; digest ${status.closedDigest ?? ''}`
    : `Not signed off: this position may still change (digest now ${report.digest})`;
  return [
    packTitle(report, context),
    `Pool: ${context.poolName} (${report.position.poolId})`,
    `Quarter: ${report.position.quarter} of ${report.position.year}`,
    `As at: ${context.asAt ?? 'now'}`,
    `Produced on: ${context.producedOn}`,
    signOff,
  ];
}

function addSheet(book: ExcelJS.Workbook, table: Table, title: readonly string[]): void {
  const sheet = book.addWorksheet(table.name.slice(0, 31), {
    pageSetup: {
      paperSize: 9,
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      printTitlesRow: `${TITLE_ROWS + 1}:${TITLE_ROWS + 1}`,
      margins: { left: 0.4, right: 0.4, top: 0.5, bottom: 0.6, header: 0.3, footer: 0.3 },
    },
    headerFooter: { oddFooter: `&L${title[0] ?? ''}&RPage &P of &N` },
    views: [{ state: 'frozen', ySplit: TITLE_ROWS + 1 }],
  });
  sheet.columns = table.columns.map((column) => ({ width: column.width }));
  for (const [index, line] of title.entries()) {
    const cell = sheet.getCell(index + 1, 1);
    cell.value = line;
    cell.font = index === 0 ? { bold: true, size: 14 } : { size: 11 };
  }
  const header = sheet.getRow(TITLE_ROWS + 1);
  header.values = table.columns.map((column) => column.header);
  header.font = { bold: true };
  for (const row of table.rows) addRow(sheet, table, row);
  if (table.totals === true) {
    const totals = sheet.addRow(
      table.columns.map((column, index) =>
        column.money === true
          ? amountCell(
              Money.sum(table.rows.map((row) => Money.parseTotal(String(row[index] ?? '0')))),
            )
          : index === 0
            ? 'Total'
            : null,
      ),
    );
    totals.font = { bold: true };
  }
  for (const [index, column] of table.columns.entries())
    if (column.money === true) sheet.getColumn(index + 1).numFmt = PACK_AMOUNT_FORMAT;
}

function addRow(sheet: ExcelJS.Worksheet, table: Table, row: Table['rows'][number]): void {
  const added = sheet.addRow(
    row.map((value, index) =>
      table.columns[index]?.money === true && typeof value === 'string'
        ? amountCell(Money.parseTotal(value))
        : value,
    ),
  );
  const ragColumn = table.columns.findIndex((column) => column.header === 'RAG');
  const rag = ragColumn < 0 ? undefined : RAG_FILLS[String(row[ragColumn])];
  if (rag !== undefined) {
    const cell = added.getCell(ragColumn + 1);
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: rag } };
    cell.font = { bold: true, color: { argb: rag === RAG_FILLS.amber ? 'FF0B0C0C' : 'FFFFFFFF' } };
  }
}

function amountCell(amount: Money): number | string {
  return amount.fitsSpreadsheetCell() ? amount.toSpreadsheetNumber() : amount.toString();
}
