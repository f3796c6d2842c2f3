import { Money } from '#money';
import type {
  Balances,
  NhsEnglandExtract,
  QuarterlyReport,
  YearEndStatement,
} from '../projections/read-face.ts';
import {
  EXTRACT_LINE_COLUMNS,
  expenditureColumn,
  PLAN_COLUMNS,
} from '../projections/reports/nhs-england-extract.ts';
import { money, type Table, text } from './table.ts';

/** Each report's tables: the workbook has one sheet per table, the CSV is its main table. */

export function balancesTables(balances: Balances): Table[] {
  return [schemeLinesTable(balances), fundingStreamsTable(balances), partnersTable(balances)];
}

export function quarterlyTables(report: QuarterlyReport): Table[] {
  return [
    positionTable(report),
    quarterByStreamTable(report),
    schemeTypesTable(report),
    quarterPartnersTable(report),
    virementsTable(report),
    variationsTable(report),
    ibcfByPurposeTable(report),
    savingsTable(report),
    metricsTable(report),
    correctionsTable(report),
  ];
}

function schemeTypesTable(report: QuarterlyReport): Table {
  return {
    name: 'By scheme type',
    columns: [
      text('Scheme Type', 32),
      ...['Budget', 'Budget to Date', 'Spend Year to Date', 'Forecast Outturn', 'Variance'].map(
        money,
      ),
    ],
    rows: report.position.schemeTypes.map((type) => [
      type.schemeType,
      type.budget,
      type.budgetToDate,
      type.spendYearToDate,
      type.forecastOutturn,
      type.variance,
    ]),
    totals: true,
  };
}

/** The virements of the year to date, with who asked, who decided and in which period. */
function virementsTable(report: QuarterlyReport): Table {
  return {
    name: 'Virements',
    columns: [
      text('Virement', 14),
      text('Funding Stream'),
      text('From Scheme', 12),
      text('To Scheme', 12),
      money('Amount'),
      text('Status', 10),
      text('Requested By', 16),
      text('Decided By', 16),
      text('Decided In', 10),
    ],
    rows: report.position.virements.map((virement) => [
      virement.virementId,
      virement.fundingStream,
      virement.fromSchemeId,
      virement.toSchemeId,
      virement.amount,
      virement.status,
      virement.requestedBy,
      virement.decidedBy ?? '',
      virement.decidedIn ?? '',
    ]),
    totals: false,
  };
}

function variationsTable(report: QuarterlyReport): Table {
  return {
    name: 'Contribution variations',
    columns: [
      text('Variation', 14),
      text('Partner ID', 12),
      text('Funding Stream'),
      money('Change'),
      text('Status', 10),
      text('Requested By', 16),
      text('Decided By', 16),
    ],
    rows: report.position.variations.map((variation) => [
      variation.variationId,
      variation.partnerId,
      variation.fundingStream,
      variation.change,
      variation.status,
      variation.requestedBy,
      variation.decidedBy ?? '',
    ]),
    totals: false,
  };
}

/** What was posted after the quarter's close that belongs to it: listed beside, never folded in. */
function correctionsTable(report: QuarterlyReport): Table {
  return {
    name: 'Corrections since close',
    columns: [
      text('Posting', 24),
      text('Kind', 22),
      text('Scheme ID', 10),
      text('Funding Stream'),
      money('Amount'),
      text('Posted In', 10),
      text('Description', 40),
    ],
    rows: report.correctionsSinceClose.map((correction) => [
      correction.id,
      correction.kind,
      correction.schemeId,
      correction.fundingStream,
      correction.amount,
      correction.postedIn,
      correction.description,
    ]),
    totals: false,
  };
}

export function yearEndTables(statement: YearEndStatement): Table[] {
  return [
    fundingByPartnerTable(statement),
    fundingByStreamTable(statement),
    expenditureBySchemeTable(statement),
    expenditureBySchemeTypeTable(statement),
    expenditureByStreamTable(statement),
    byCommissionerTable(statement),
    capitalAndRevenueTable(statement),
    riskShareStepsTable(statement),
    partnerSharesTable(statement),
    reconciliationTable(statement),
    priorYearTable(statement),
  ];
}

export function extractTables(extract: NhsEnglandExtract): Table[] {
  const planColumns = [...PLAN_COLUMNS, ...extract.planYears.map(expenditureColumn)];
  const minimum = extract.minimumContribution;
  return [
    {
      name: 'Expenditure plan',
      columns: planColumns.map((header) =>
        header.endsWith('Expenditure (£)')
          ? money(header)
          : text(header, header === 'Scheme Name' ? 40 : 20),
      ),
      rows: extract.plan.map((line) => planColumns.map((header) => line[header] ?? '')),
      totals: true,
    },
    {
      name: 'Income',
      columns: [text('Source of Funding'), ...['Planned', 'Varied', 'Received'].map(money)],
      rows: extract.income.map((row) => [row.fundingStream, row.planned, row.varied, row.received]),
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
    {
      name: 'Minimum CCG contribution',
      columns: [text('Analysis', 48), money('Minimum'), money('Planned'), money('Actual')],
      rows: [
        [
          'NHS contribution to adult social care',
          minimum.minimumSocialCare,
          minimum.plannedSocialCare,
          minimum.actualSocialCare,
        ],
        [
          'NHS-commissioned out-of-hospital services',
          minimum.minimumOutOfHospital,
          minimum.plannedOutOfHospital,
          minimum.actualOutOfHospital,
        ],
      ],
      totals: false,
    },
    {
      name: 'Checks',
      columns: [text('Check', 48), text('Result', 10), text('Detail', 60)],
      rows: extract.checks.map((check) => [check.check, check.status, check.detail]),
      totals: false,
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

function fundingByPartnerTable(statement: YearEndStatement): Table {
  return {
    name: 'Funding by partner',
    columns: [
      text('Partner ID', 12),
      text('Partner', 40),
      text('Funding Stream'),
      ...['Contribution', 'Due', 'Received', 'Owed'].map(money),
    ],
    rows: statement.funding.byPartner.flatMap((partner) =>
      partner.byStream.map((stream) => [
        partner.partnerId,
        partner.name,
        stream.fundingStream,
        stream.contribution,
        stream.due,
        stream.received,
        stream.owed,
      ]),
    ),
    totals: true,
  };
}

const kindOf = (capital: boolean) => (capital ? 'Capital' : 'Revenue');

function fundingByStreamTable(statement: YearEndStatement): Table {
  return {
    name: 'Funding by stream',
    columns: [
      text('Funding Stream'),
      text('Kind', 10),
      ...['Contributions', 'Brought Forward', 'Funding'].map(money),
    ],
    rows: statement.funding.byStream.map((stream) => [
      stream.fundingStream,
      kindOf(stream.capital),
      stream.contributions,
      stream.broughtForward,
      stream.funding,
    ]),
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
    rows: statement.expenditure.byScheme.map((scheme) => [
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
    rows: statement.expenditure.bySchemeType.map((type) => [
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
      text('Kind', 10),
      ...['Funding', 'Spent', 'Accrued', 'Expenditure', 'Surplus (Deficit)'].map(money),
    ],
    rows: statement.expenditure.byStream.map((stream) => [
      stream.fundingStream,
      kindOf(stream.capital),
      stream.funding,
      stream.spent,
      stream.accrued,
      stream.expenditure,
      stream.net,
    ]),
    totals: true,
  };
}

function byCommissionerTable(statement: YearEndStatement): Table {
  return {
    name: 'By commissioner',
    columns: [text('Commissioner', 20), money('Expenditure')],
    rows: statement.expenditure.byCommissioner.map((row) => [row.commissioner, row.expenditure]),
    totals: true,
  };
}

function capitalAndRevenueTable(statement: YearEndStatement): Table {
  return {
    name: 'Capital and revenue',
    columns: [text('Kind', 10), money('Funding'), money('Expenditure'), money('Surplus (Deficit)')],
    rows: statement.expenditure.capitalAndRevenue.map((row) => [
      kindOf(row.kind === 'capital'),
      row.funding,
      row.expenditure,
      row.net,
    ]),
    totals: true,
  };
}

/** Each step of the risk share, one row per amount it moved. */
function riskShareStepsTable(statement: YearEndStatement): Table {
  const share = statement.riskShare;
  const rows: (string | null)[][] = [
    ...share.offsets.map((offset) => [
      `Overspends met from ${offset.kind} underspends`,
      '',
      '',
      '',
      offset.offset,
    ]),
    ...(share.contingency === null
      ? []
      : [
          [
            'Met from the contingency line',
            share.contingency.schemeId,
            share.contingency.fundingStream,
            '',
            share.contingency.used,
          ],
        ]),
    ...share.overspends.flatMap((line) =>
      line.shares.map((part) => [
        `Overspend borne (${line.profile})`,
        line.schemeId,
        line.fundingStream,
        part.partnerId,
        part.amount,
      ]),
    ),
    ...share.underspends.flatMap((stream) => [
      ...stream.returned.map((part) => [
        'Underspend returned',
        '',
        stream.fundingStream,
        part.partnerId,
        part.amount,
      ]),
      ...(Money.parseTotal(stream.carriedForward).isZero()
        ? []
        : [['Carried forward', '', stream.fundingStream, '', stream.carriedForward]]),
    ]),
  ];
  return {
    name: 'Risk-share steps',
    columns: [
      text('Step', 40),
      text('Scheme ID', 10),
      text('Funding Stream'),
      text('Partner ID', 12),
      money('Amount'),
    ],
    rows,
    totals: false,
  };
}

function partnerSharesTable(statement: YearEndStatement): Table {
  return {
    name: 'Partner shares',
    columns: [
      text('Partner ID', 12),
      text('Partner', 40),
      money('Share (paid in below zero)'),
      text('Status', 10),
    ],
    rows: statement.riskShare.shares.map((share) => [
      share.partnerId,
      share.name,
      share.amount,
      statement.riskShare.status,
    ]),
    totals: true,
  };
}

/** The statement reconciled on its face: funding - expenditure = shares + carry-forward (rule 13). */
function reconciliationTable(statement: YearEndStatement): Table {
  const { reconciliation } = statement.riskShare;
  const net = Money.parseTotal(statement.net.net);
  return {
    name: 'Reconciliation',
    columns: [text('Item', 48), money('Amount')],
    rows: [
      ['Funding', statement.net.funding],
      ['Expenditure', statement.net.expenditure],
      ['Net surplus (deficit): funding less expenditure', net.toString()],
      ["Partners' shares", reconciliation.shares],
      ['Carried forward', reconciliation.carryForward],
      [
        "Partners' shares plus carried forward",
        Money.parseTotal(reconciliation.shares)
          .plus(Money.parseTotal(reconciliation.carryForward))
          .toString(),
      ],
    ],
    totals: false,
  };
}

function priorYearTable(statement: YearEndStatement): Table {
  const prior = statement.priorYear;
  return {
    name: 'Prior year',
    columns: [
      text('Year', 10),
      ...['Funding', 'Expenditure', 'Surplus (Deficit)', 'Carried Forward'].map(money),
    ],
    rows:
      prior === null
        ? []
        : [[prior.year, prior.funding, prior.expenditure, prior.net, prior.carriedForward]],
    totals: false,
  };
}

function metricsTable(report: QuarterlyReport): Table {
  return {
    name: 'Metrics',
    columns: [
      text('Metric', 48),
      text('Quarter', 8),
      text('Target', 12),
      text('Actual', 12),
      text('Status', 12),
      text('Meeting Target', 14),
    ],
    rows: report.position.metrics.flatMap((metric) =>
      metric.quarters.map((quarter) => [
        `${metric.name} (${metric.unit}, ${metric.better} is better)`,
        quarter.quarter,
        quarter.target ?? '',
        quarter.actual ?? '',
        quarter.status ?? '',
        quarter.meeting,
      ]),
    ),
    totals: false,
  };
}
