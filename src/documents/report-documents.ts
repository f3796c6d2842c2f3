import { PERIODS } from '../events/catalogue/index.ts';
import type { AuditEntry } from '../projections/audit-trail.ts';
import type { Reports } from '../projections/read-face.ts';
import type { Balances } from '../projections/reports/balances.ts';
import { tableCsv } from './csv.ts';
import {
  BUDGET_HEADERS,
  balancesTables,
  budgetFigures,
  extractTables,
  quarterlyTables,
  yearEndTables,
} from './report-tables.ts';
import { money, type Table, tableNamed, text } from './table.ts';
import { workbook } from './workbook.ts';

/**
 * How each report becomes a document: as a workbook, every table of the report, one sheet each;
 * as CSV, its main table. The command line and the API both write them from here.
 */
export const DOCUMENT_FORMATS = ['csv', 'xlsx'] as const;
export type DocumentFormat = (typeof DOCUMENT_FORMATS)[number];

export const DOCUMENT_KINDS = ['balances', 'quarter', 'year-end', 'extract'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

interface ReportDocuments<Report> {
  readonly tables: (report: Report) => Table[];
  readonly csvTable: (report: Report) => Table;
}

const DOCUMENTS: { readonly [Kind in DocumentKind]: ReportDocuments<Reports[Kind]> } = {
  balances: { tables: balancesTables, csvTable: balancesCsvTable },
  quarter: {
    tables: quarterlyTables,
    // The quarterly position's CSV is its position sheet, the table the CFO group reviews.
    csvTable: (report) =>
      tableNamed(quarterlyTables(report), `${report.position.quarter} position`),
  },
  'year-end': {
    tables: yearEndTables,
    csvTable: (statement) => tableNamed(yearEndTables(statement), 'By scheme'),
  },
  extract: {
    tables: extractTables,
    csvTable: (extract) => tableNamed(extractTables(extract), 'Expenditure lines'),
  },
};

export function isDocumentKind(kind: string): kind is DocumentKind {
  return (DOCUMENT_KINDS as readonly string[]).includes(kind);
}

/**
 * The report as a CSV text or an XLSX workbook's bytes. A CSV is the report's main table, or the
 * table named (by its slug, `tableSlug`): every table of a report can be had as CSV, one file each.
 */
export function renderReport<Kind extends DocumentKind>(
  kind: Kind,
  report: Reports[Kind],
  format: DocumentFormat,
  table?: string,
): Promise<string | Buffer> {
  const documents = DOCUMENTS[kind] as ReportDocuments<Reports[Kind]>;
  if (format === 'xlsx') return workbook(documents.tables(report));
  const chosen =
    table === undefined
      ? documents.csvTable(report)
      : documents.tables(report).find((each) => tableSlug(each.name) === table);
  if (chosen === undefined) throw new Error(`no table "${table}" in the ${kind} report`);
  return Promise.resolve(tableCsv(chosen));
}

/** A table's name as a download names it: "Funding by partner" is "funding-by-partner". */
export function tableSlug(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** The slugs of the report's tables, each of which downloads as CSV on its own. */
export function tableSlugs<Kind extends DocumentKind>(kind: Kind, report: Reports[Kind]): string[] {
  return (DOCUMENTS[kind] as ReportDocuments<Reports[Kind]>)
    .tables(report)
    .map((table) => tableSlug(table.name));
}

/** Every table of the report, as the workbook has them. */
export function reportTables<Kind extends DocumentKind>(
  kind: Kind,
  report: Reports[Kind],
): Table[] {
  return (DOCUMENTS[kind] as ReportDocuments<Reports[Kind]>).tables(report);
}

export const DOCUMENT_MEDIA_TYPES: Readonly<Record<DocumentFormat, string>> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** The balances' CSV has each quarter's spend, which the workbook's scheme-lines sheet leaves out. */
function balancesCsvTable(balances: Balances): Table {
  return {
    name: 'Scheme lines',
    columns: [
      text('Scheme ID'),
      text('Scheme Name'),
      text('Scheme Type'),
      text('Funding Stream'),
      ...BUDGET_HEADERS.map(money),
      ...['Q1 Spend', 'Q2 Spend', 'Q3 Spend', 'Q4 Spend', 'Year-end Spend'].map(money),
      ...['Spent', 'Committed', 'Accrued', 'Remaining'].map(money),
      ...['Forecast Outturn', 'Variance'].map(money),
      text('RAG'),
    ],
    rows: balances.lines.map((line) => [
      line.schemeId,
      line.schemeName,
      line.schemeType,
      line.fundingStream,
      ...budgetFigures(line),
      ...PERIODS.map((period) => line.spendByQuarter[period]),
      line.spent,
      line.committed,
      line.accrued,
      line.remaining,
      line.forecastOutturn,
      line.variance,
      line.rag,
    ]),
  };
}

/** The audit trail as CSV: one row per event, its data as JSON in the last column. */
export function auditCsv(entries: readonly AuditEntry[]): string {
  return tableCsv({
    name: 'Audit trail',
    columns: ['Position', 'Recorded At', 'Type', 'Pool', 'Year', 'Schemes', 'Actor', 'Role']
      .concat(['Reason', 'Stream', 'Version', 'Data'])
      .map((header) => text(header)),
    rows: entries.map((entry) => [
      entry.position,
      entry.recordedAt,
      entry.type,
      entry.poolId,
      entry.year,
      entry.schemeIds.join(' '),
      entry.actor.id,
      entry.actor.role,
      entry.reason,
      entry.streamId,
      entry.streamVersion,
      JSON.stringify(entry.data),
    ]),
  });
}
