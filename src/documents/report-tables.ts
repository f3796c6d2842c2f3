import type {
  Balances,
  NhsEnglandExtract,
  QuarterlyReport,
  YearEndStatement,
} from '../projections/read-face.ts';
import { EXTRACT_LINE_COLUMNS } from '../projections/reports/nhs-england-extract.ts';
import { money, type Table, text } from './table.ts';

/** Each report's tables: the workbook has one sheet per table, the CSV is its main table. */

export function balancesTables(balances: Balances): Table[] {
  return [schemeLinesTable(balances), fundingStreamsTable(balances), partnersTable(balances)];
}

export function quarterlyTables(report: QuarterlyReport): Table[] {
  return [
    positionTable(report),
    quarterByStreamTable(report),
    quarterPartnersTable(report),
    ibcfByPurposeTable(report),
    savingsTable(report),
  ];
}

export function yearEndTables(statement: YearEndStatement): Table[] {
  return [
    contributionsTable(statement),
    expenditureBySchemeTable(statement),
    expenditureBySchemeTypeTable(statement),
    expenditureByStreamTable(statement),
    riskShareTable(statement),
  ];
}

export function extractTables(extract: NhsEnglandExtract): Table[] {
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

const schemeColumns = () => [
  text('Scheme ID', 10),
  text('Scheme Name', 40),
  text('Scheme Type', 32),
  text('Funding Stream'),
];

function schemeLinesTable(balances: Balances): Table {
  return {
    name: 'Scheme lines',
    columns: [
      ...schemeColumns(),
      ...BUDGET_HEADERS.map(money),
      ...['Budget to Date', 'Spent', 'Committed', 'Accrued', 'Remaining'].map(money),
      ...['Forecast Outturn', 'Variance'].map(money),
      text('RAG', 8),
    ],
    rows: balances.lines.map((line) => [
      line.schemeId,
      line.schemeName,
      line.schemeType,
      line.fundingStream,
      ...budgetFigures(line),
      line.budgetToDate,
      line.spent,
      line.committed,
      line.accrued,
      line.remaining,
      line.forecastOutturn,
      line.variance,
      line.rag,
    ]),
    totals: true,
  };
}

/** A line's budget from its original allocation to its current budget, as the columns say. */
export const BUDGET_HEADERS = [
  'Original Budget',
  'Supplementary',
  'Released',
  'Virements In',
  'Virements Out',
  'Current Budget',
];

export function budgetFigures(line: Balances['lines'][number]): string[] {
  return [
    line.originalBudget,
    line.supplementaryBudget,
    line.released,
    line.virementsIn,
    line.virementsOut,
    line.currentBudget,
  ];
}

function fundingStreamsTable(balances: Balances): Table {
  return {
    name: 'Funding streams',
    columns: [
      text('Funding Stream'),
      ...['Contributions', 'Due', 'Received', 'Outstanding', 'Allocated', 'Unallocated'].map(money),
      ...['Spent', 'Committed', 'Remaining'].map(money),
    ],
    rows: balances.streams.map((stream) => [
      stream.fundingStream,
      stream.contributions,
      stream.due,
      stream.received,
      stream.outstanding,
      stream.allocated,
      stream.unallocated,
      stream.spent,
      stream.committed,
      stream.remaining,
    ]),
    totals: true,
  };
}

function partnersTable(balances: Balances): Table {
  return {
    name: 'Partners',
    columns: [
      text('Partner ID', 12),
      text('Partner', 40),
      ...['Contributions', 'Due', 'Received', 'Outstanding', 'Risk-share Exposure'].map(money),
      text('Status', 10),
    ],
    rows: balances.partners.map((partner) => [
      partner.partnerId,
      partner.name,
      partner.contributions,
      partner.due,
      partner.received,
      partner.outstanding,
      partner.riskShareExposure,
      partner.riskShareStatus,
    ]),
    totals: true,
  };
}

function positionTable(report: QuarterlyReport): Table {
  const position = report.position;
  return {
    name: `${position.quarter} position`,
    columns: [
      ...schemeColumns(),
      ...['Budget', 'Budget Movement', 'Budget to Date', 'Spend in Quarter'].map(money),
      ...['Spend Year to Date', 'Variance to Date', 'Committed'].map(money),
      ...['Forecast Outturn', 'Forecast Movement', 'Variance'].map(money),
      text('RAG', 8),
    ],
    rows: position.lines.map((line) => [
      line.schemeId,
      line.schemeName,
      line.schemeType,
      line.fundingStream,
      line.budget,
      line.budgetMovement,
      line.budgetToDate,
      line.spendInQuarter,
      line.spendYearToDate,
      line.varianceToDate,
      line.committed,
      line.forecastOutturn,
      line.forecastMovement,
      line.variance,
      line.rag,
    ]),
    totals: true,
  };
}

function quarterByStreamTable(report: QuarterlyReport): Table {
  return {
    name: 'By funding stream',
    columns: [
      text('Funding Stream'),
      ...['Contributions', 'Due', 'Received', 'Budget', 'Budget to Date'].map(money),
      ...['Spend in Quarter', 'Spend Year to Date', 'Committed'].map(money),
      ...['Forecast Outturn', 'Variance'].map(money),
    ],
    rows: report.position.streams.map((stream) => [
      stream.fundingStream,
      stream.contributions,
      stream.due,
      stream.received,
      stream.budget,
      stream.budgetToDate,
      stream.spendInQuarter,
      stream.spendYearToDate,
      stream.committed,
      stream.forecastOutturn,
      stream.variance,
    ]),
    totals: true,
  };
}

function quarterPartnersTable(report: QuarterlyReport): Table {
  return {
    name: 'Partners',
    columns: [
      text('Partner ID', 12),
      text('Partner', 40),
      ...['Contributions', 'Due', 'Received', 'Outstanding'].map(money),
    ],
    rows: report.position.partners.map((partner) => [
      partner.partnerId,
      partner.name,
      partner.contributions,
      partner.due,
      partner.received,
      partner.outstanding,
    ]),
    totals: true,
  };
}

function ibcfByPurposeTable(report: QuarterlyReport): Table {
  return {
    name: 'iBCF by purpose',
    columns: [text('Purpose', 32), money('In Quarter'), money('Year to Date')],
    rows: report.position.ibcfByPurpose.map((purpose) => [
      purpose.purpose,
      purpose.inQuarter,
      purpose.yearToDate,
    ]),
    totals: true,
  };
}

function savingsTable(report: QuarterlyReport): Table {
  return {
    name: 'Savings',
    columns: [
      text('Scheme ID', 10),
      text('Scheme Name', 40),
      money('Planned'),
      money('Realised in Quarter'),
      money('Realised to Date'),
    ],
    rows: report.position.savings.map((saving) => [
      saving.schemeId,
      saving.schemeName,
      saving.planned,
      saving.realisedInQuarter,
      saving.realisedYearToDate,
    ]),
    totals: true,
  };
}

function contributionsTable(statement: YearEndStatement): Table {
  return {
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
  };
}

function expenditureBySchemeTable(statement: YearEndStatement): Table {
  return {
    name: 'By scheme',
    columns: [
      text('Scheme ID', 10),
      text('Scheme Name', 40),
      text('Scheme Type', 32),
      ...['Budget', 'Spent', 'Accrued', 'Expenditure', 'Variance'].map(money),
    ],
    rows: statement.expenditureByScheme.map((scheme) => [
      scheme.schemeId,
      scheme.schemeName,
      scheme.schemeType,
      scheme.budget,
      scheme.spent,
      scheme.accrued,
      scheme.expenditure,
      scheme.variance,
    ]),
    totals: true,
  };
}

function expenditureBySchemeTypeTable(statement: YearEndStatement): Table {
  return {
    name: 'By scheme type',
    columns: [text('Scheme Type', 32), money('Budget'), money('Expenditure'), money('Variance')],
    rows: statement.expenditureBySchemeType.map((type) => [
      type.schemeType,
      type.budget,
      type.expenditure,
      type.variance,
    ]),
    totals: true,
  };
}

function expenditureByStreamTable(statement: YearEndStatement): Table {
  return {
    name: 'By funding stream',
    columns: [
      text('Funding Stream'),
      ...['Contributions', 'Spent', 'Accrued', 'Expenditure', 'Net'].map(money),
    ],
    rows: statement.expenditureByStream.map((stream) => [
      stream.fundingStream,
      stream.contributions,
      stream.spent,
      stream.accrued,
      stream.expenditure,
      stream.net,
    ]),
    totals: true,
  };
}

function riskShareTable(statement: YearEndStatement): Table {
  return {
    name: 'Risk share',
    columns: [text('Partner ID', 12), money('Share of Net'), text('Status', 10), text('Basis', 30)],
    rows: statement.riskShare.allocations.map((allocation) => [
      allocation.partnerId,
      allocation.amount,
      statement.riskShare.status,
      statement.riskShare.basis,
    ]),
    totals: true,
  };
}
