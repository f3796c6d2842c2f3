import type { Balances } from '../balances.ts';
import type { NhsEnglandExtract } from '../nhs-england-extract.ts';
import { EXTRACT_LINE_COLUMNS } from '../nhs-england-extract.ts';
import type { QuarterlyReport } from '../quarterly-position.ts';
import type { YearEndStatement } from '../year-end.ts';
import { balancesCsv, toCsv } from './csv.ts';
import { type SheetSpec, workbook } from './workbook.ts';

/** Each report as CSV (its main table) and as a workbook (all its tables). */
const text = (header: string, width = 28) => ({ header, width });
const money = (header: string) => ({ header, width: 18, money: true });

export function balancesSheets(balances: Balances): SheetSpec[] {
  return [
    {
      name: 'Scheme lines',
      columns: [
        text('Scheme ID', 10),
        text('Scheme Name', 40),
        text('Scheme Type', 32),
        text('Funding Stream'),
        money('Original Budget'),
        money('Virements In'),
        money('Virements Out'),
        money('Current Budget'),
        money('Spent'),
        money('Remaining'),
        money('Forecast Outturn'),
        money('Variance'),
        text('RAG', 8),
      ],
      rows: balances.lines.map((line) => [
        line.schemeId,
        line.schemeName,
        line.schemeType,
        line.fundingStream,
        line.originalBudget,
        line.virementsIn,
        line.virementsOut,
        line.currentBudget,
        line.spent,
        line.remaining,
        line.forecastOutturn,
        line.variance,
        line.rag,
      ]),
      totals: true,
    },
    {
      name: 'Funding streams',
      columns: [
        text('Funding Stream'),
        money('Contributions'),
        money('Received'),
        money('Allocated'),
        money('Unallocated'),
        money('Spent'),
        money('Remaining'),
      ],
      rows: balances.streams.map((stream) => [
        stream.fundingStream,
        stream.contributions,
        stream.received,
        stream.allocated,
        stream.unallocated,
        stream.spent,
        stream.remaining,
      ]),
      totals: true,
    },
    {
      name: 'Partners',
      columns: [
        text('Partner ID', 12),
        text('Partner', 40),
        money('Contributions'),
        money('Received'),
        money('Risk-share Exposure'),
        text('Status', 10),
      ],
      rows: balances.partners.map((partner) => [
        partner.partnerId,
        partner.name,
        partner.contributions,
        partner.received,
        partner.riskShareExposure,
        partner.riskShareStatus,
      ]),
      totals: true,
    },
  ];
}

export function quarterlySheets(report: QuarterlyReport): SheetSpec[] {
  const position = report.position;
  return [
    {
      name: `${position.quarter} position`,
      columns: [
        text('Scheme ID', 10),
        text('Scheme Name', 40),
        text('Scheme Type', 32),
        text('Funding Stream'),
        money('Budget'),
        money('Budget Movement'),
        money('Spend in Quarter'),
        money('Spend Year to Date'),
        money('Forecast Outturn'),
        money('Forecast Movement'),
        money('Variance'),
        text('RAG', 8),
      ],
      rows: position.lines.map((line) => [
        line.schemeId,
        line.schemeName,
        line.schemeType,
        line.fundingStream,
        line.budget,
        line.budgetMovement,
        line.spendInQuarter,
        line.spendYearToDate,
        line.forecastOutturn,
        line.forecastMovement,
        line.variance,
        line.rag,
      ]),
      totals: true,
    },
    {
      name: 'By funding stream',
      columns: [
        text('Funding Stream'),
        money('Contributions'),
        money('Received'),
        money('Budget'),
        money('Spend in Quarter'),
        money('Spend Year to Date'),
        money('Forecast Outturn'),
        money('Variance'),
      ],
      rows: position.streams.map((stream) => [
        stream.fundingStream,
        stream.contributions,
        stream.received,
        stream.budget,
        stream.spendInQuarter,
        stream.spendYearToDate,
        stream.forecastOutturn,
        stream.variance,
      ]),
      totals: true,
    },
    {
      name: 'iBCF by purpose',
      columns: [text('Purpose', 32), money('In Quarter'), money('Year to Date')],
      rows: position.ibcfByPurpose.map((purpose) => [
        purpose.purpose,
        purpose.inQuarter,
        purpose.yearToDate,
      ]),
      totals: true,
    },
    {
      name: 'Savings',
      columns: [
        text('Scheme ID', 10),
        text('Scheme Name', 40),
        money('Planned'),
        money('Realised in Quarter'),
        money('Realised to Date'),
      ],
      rows: position.savings.map((saving) => [
        saving.schemeId,
        saving.schemeName,
        saving.planned,
        saving.realisedInQuarter,
        saving.realisedYearToDate,
      ]),
      totals: true,
    },
  ];
}

export function yearEndSheets(statement: YearEndStatement): SheetSpec[] {
  return [
    {
      name: 'Contributions',
      columns: [
        text('Partner ID', 12),
        text('Partner', 40),
        text('Funding Stream'),
        money('Contribution'),
      ],
      rows: statement.contributions.flatMap((partner) =>
        partner.byStream.map((stream) => [
          partner.partnerId,
          partner.name,
          stream.fundingStream,
          stream.amount,
        ]),
      ),
      totals: true,
    },
    {
      name: 'By scheme',
      columns: [
        text('Scheme ID', 10),
        text('Scheme Name', 40),
        text('Scheme Type', 32),
        money('Budget'),
        money('Spent'),
        money('Variance'),
      ],
      rows: statement.expenditureByScheme.map((scheme) => [
        scheme.schemeId,
        scheme.schemeName,
        scheme.schemeType,
        scheme.budget,
        scheme.spent,
        scheme.variance,
      ]),
      totals: true,
    },
    {
      name: 'By scheme type',
      columns: [text('Scheme Type', 32), money('Budget'), money('Spent'), money('Variance')],
      rows: statement.expenditureBySchemeType.map((type) => [
        type.schemeType,
        type.budget,
        type.spent,
        type.variance,
      ]),
      totals: true,
    },
    {
      name: 'By funding stream',
      columns: [text('Funding Stream'), money('Contributions'), money('Spent'), money('Net')],
      rows: statement.expenditureByStream.map((stream) => [
        stream.fundingStream,
        stream.contributions,
        stream.spent,
        stream.net,
      ]),
      totals: true,
    },
    {
      name: 'Risk share',
      columns: [
        text('Partner ID', 12),
        money('Share of Net'),
        text('Status', 10),
        text('Basis', 30),
      ],
      rows: statement.riskShare.allocations.map((allocation) => [
        allocation.partnerId,
        allocation.amount,
        statement.riskShare.status,
        statement.riskShare.basis,
      ]),
      totals: true,
    },
  ];
}

export function extractSheets(extract: NhsEnglandExtract): SheetSpec[] {
  return [
    {
      name: 'Income',
      columns: [text('Source of Funding'), money('Planned'), money('Received')],
      rows: extract.income.map((row) => [row.fundingStream, row.planned, row.received]),
      totals: true,
    },
    {
      name: 'Expenditure',
      columns: [text('Source of Funding'), money('Planned'), money('Actual')],
      rows: extract.expenditure.map((row) => [row.fundingStream, row.planned, row.actual]),
      totals: true,
    },
    {
      name: 'Expenditure lines',
      columns: EXTRACT_LINE_COLUMNS.map((header) =>
        header === 'Expenditure (£)'
          ? money(header)
          : text(header, header === 'Scheme Name' ? 40 : 20),
      ),
      rows: extract.lines.map((line) => EXTRACT_LINE_COLUMNS.map((header) => line[header])),
      totals: true,
    },
  ];
}

export function yearEndCsv(statement: YearEndStatement): string {
  return toCsv(
    ['Scheme ID', 'Scheme Name', 'Scheme Type', 'Budget', 'Spent', 'Variance'],
    statement.expenditureByScheme.map((scheme) => [
      scheme.schemeId,
      scheme.schemeName,
      scheme.schemeType,
      scheme.budget,
      scheme.spent,
      scheme.variance,
    ]),
  );
}

export function extractCsv(extract: NhsEnglandExtract): string {
  return sheetCsv(sheetNamed(extractSheets(extract), 'Expenditure lines'));
}

/** The quarterly position's CSV is its position sheet, the table the CFO group reviews. */
export function quarterlyCsv(report: QuarterlyReport): string {
  return sheetCsv(sheetNamed(quarterlySheets(report), `${report.position.quarter} position`));
}

/** A sheet's table as CSV: its headers, then its rows (without the workbook's totals row). */
function sheetCsv(sheet: SheetSpec): string {
  return toCsv(
    sheet.columns.map((column) => column.header),
    sheet.rows,
  );
}

function sheetNamed(sheets: readonly SheetSpec[], name: string): SheetSpec {
  const sheet = sheets.find((candidate) => candidate.name === name);
  if (sheet === undefined) throw new Error(`no sheet named "${name}"`);
  return sheet;
}

export { balancesCsv, workbook };

/** How a report becomes a document: its main table as CSV, and all its tables as sheets. */
export interface ReportDocuments<Report> {
  readonly csv: (report: Report) => string;
  readonly sheets: (report: Report) => SheetSpec[];
}

export const balancesDocuments: ReportDocuments<Balances> = {
  csv: balancesCsv,
  sheets: balancesSheets,
};
export const quarterlyDocuments: ReportDocuments<QuarterlyReport> = {
  csv: quarterlyCsv,
  sheets: quarterlySheets,
};
export const yearEndDocuments: ReportDocuments<YearEndStatement> = {
  csv: yearEndCsv,
  sheets: yearEndSheets,
};
export const extractDocuments: ReportDocuments<NhsEnglandExtract> = {
  csv: extractCsv,
  sheets: extractSheets,
};

/** The report as a CSV text or an XLSX workbook; the command line and the API both use this. */
export function renderDocument<Report>(
  report: Report,
  documents: ReportDocuments<Report>,
  format: 'csv' | 'xlsx',
): Promise<string | Buffer> {
  return format === 'csv'
    ? Promise.resolve(documents.csv(report))
    : workbook(documents.sheets(report));
}
