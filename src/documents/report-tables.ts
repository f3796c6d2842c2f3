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
      ...['Original Budget', 'Virements In', 'Virements Out', 'Current Budget'].map(money),
      ...['Spent', 'Remaining', 'Forecast Outturn', 'Variance'].map(money),
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
  };
}

function fundingStreamsTable(balances: Balances): Table {
  return {
    name: 'Funding streams',
    columns: [
      text('Funding Stream'),
      ...['Contributions', 'Received', 'Allocated', 'Unallocated', 'Spent', 'Remaining'].map(money),
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
  };
}

function partnersTable(balances: Balances): Table {
  return {
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
  };
}

function positionTable(report: QuarterlyReport): Table {
  const position = report.position;
  return {
    name: `${position.quarter} position`,
    columns: [
      ...schemeColumns(),
      ...['Budget', 'Budget Movement', 'Spend in Quarter', 'Spend Year to Date'].map(money),
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
      line.spendInQuarter,
      line.spendYearToDate,
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
      ...['Contributions', 'Received', 'Budget', 'Spend in Quarter'].map(money),
      ...['Spend Year to Date', 'Forecast Outturn', 'Variance'].map(money),
    ],
    rows: report.position.streams.map((stream) => [
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
  };
}

function expenditureBySchemeTypeTable(statement: YearEndStatement): Table {
  return {
    name: 'By scheme type',
    columns: [text('Scheme Type', 32), money('Budget'), money('Spent'), money('Variance')],
    rows: statement.expenditureBySchemeType.map((type) => [
      type.schemeType,
      type.budget,
      type.spent,
      type.variance,
    ]),
    totals: true,
  };
}

function expenditureByStreamTable(statement: YearEndStatement): Table {
  return {
    name: 'By funding stream',
    columns: [text('Funding Stream'), money('Contributions'), money('Spent'), money('Net')],
    rows: statement.expenditureByStream.map((stream) => [
      stream.fundingStream,
      stream.contributions,
      stream.spent,
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
