import { z } from 'zod';
import { financialYear, name, period, quarter } from '../../events/catalogue/index.ts';
import { recordedAtString } from '../../events/envelope.ts';

/** Query and answer schemas of the report routes. */
export const asAtQuery = z.strictObject({
  asAt: recordedAtString
    .optional()
    .describe('What the ledger knew at this moment (UTC, with milliseconds)'),
});

/** Reports can also be downloaded as the documents the command line writes. */
export const reportQuery = asAtQuery.extend({
  format: z
    .enum(['json', 'csv', 'xlsx'])
    .default('json')
    .describe(
      'json (default), csv (the main table, or the one `table` names; RFC 4180) or xlsx (every table, one sheet each)',
    ),
  table: z
    .string()
    .regex(
      /^[a-z0-9-]{1,60}$/,
      'a table’s name in lower case with dashes, such as funding-by-partner',
    )
    .optional()
    .describe(
      'With format=csv: which of the report’s tables, by its name in lower case with dashes',
    ),
});

/**
 * The answers' schemas: strict, so that a figure a report gains and its schema lacks fails the
 * route tests loudly rather than vanishing from the answer.
 */
const object = z.strictObject;
const amounts = (...names: string[]) => Object.fromEntries(names.map((key) => [key, z.string()]));
const periodAmounts = object(amounts('Q1', 'Q2', 'Q3', 'Q4', 'YE'));
const rag = z.enum(['green', 'amber', 'red']);
const request = {
  status: z.enum(['pending', 'approved', 'rejected']),
  requestedBy: z.string(),
  requestedIn: period,
  decidedBy: z.string().nullable(),
  decidedIn: period.nullable(),
};
const thresholds = object(
  amounts('amberAbovePercent', 'redAbovePercent', 'amberBelowPercent', 'redBelowPercent'),
);

export const balances = object({
  poolId: z.string(),
  poolName: z.string(),
  year: z.string(),
  toDate: period,
  streams: z.array(
    object({
      fundingStream: z.string(),
      ...amounts('planned', 'varied', 'contributions', 'broughtForward', 'due', 'received'),
      ...amounts('outstanding', 'allocated', 'unallocated', 'spent', 'committed', 'remaining'),
      ...amounts('grantsAwarded', 'grantsReceived'),
    }),
  ),
  lines: z.array(
    object({
      schemeId: z.string(),
      schemeName: z.string(),
      schemeType: z.string(),
      withdrawn: z.boolean(),
      fundingStream: z.string(),
      ...amounts('originalBudget', 'supplementaryBudget', 'released', 'virementsIn'),
      ...amounts('virementsOut', 'currentBudget', 'budgetToDate'),
      spendByQuarter: periodAmounts,
      ...amounts('spent', 'spendToDate', 'committed', 'accrued', 'remaining'),
      forecastOutturn: z.string(),
      forecastGiven: z.boolean(),
      variance: z.string(),
      rag,
      overspent: z.boolean(),
    }),
  ),
  partners: z.array(
    object({
      partnerId: z.string(),
      name: z.string(),
      ...amounts('planned', 'varied', 'contributions', 'due', 'received', 'outstanding'),
      riskShareExposure: z.string(),
      riskShareStatus: z.enum(['applied', 'projected', 'no-terms']),
    }),
  ),
  totals: object(
    amounts(
      'contributions',
      'due',
      'received',
      'allocated',
      'unallocated',
      'spent',
      'committed',
      'remaining',
    ),
  ),
});

const aggregate = amounts(
  'budget',
  'budgetToDate',
  'spendYearToDate',
  'forecastOutturn',
  'variance',
);

export const quarterlyReport = object({
  position: object({
    poolId: z.string(),
    poolName: z.string(),
    year: z.string(),
    quarter,
    ragThresholds: thresholds,
    lines: z.array(
      object({
        schemeId: z.string(),
        schemeName: z.string(),
        schemeType: z.string(),
        fundingStream: z.string(),
        ...amounts('budget', 'budgetMovement', 'budgetToDate', 'spendInQuarter'),
        ...amounts('spendYearToDate', 'varianceToDate', 'committed', 'forecastOutturn'),
        forecastGiven: z.boolean(),
        forecastMovement: z.string(),
        variance: z.string(),
        rag,
      }),
    ),
    streams: z.array(
      object({
        fundingStream: z.string(),
        ...amounts('contributions', 'due', 'received', 'spendInQuarter', 'committed'),
        ...aggregate,
      }),
    ),
    schemeTypes: z.array(object({ schemeType: z.string(), ...aggregate })),
    partners: z.array(
      object({
        partnerId: z.string(),
        name: z.string(),
        ...amounts('contributions', 'due', 'received', 'outstanding'),
      }),
    ),
    virements: z.array(
      object({
        virementId: z.string(),
        fundingStream: z.string(),
        fromSchemeId: z.string(),
        toSchemeId: z.string(),
        amount: z.string(),
        ...request,
      }),
    ),
    variations: z.array(
      object({
        variationId: z.string(),
        partnerId: z.string(),
        fundingStream: z.string(),
        change: z.string(),
        ...request,
      }),
    ),
    ibcfByPurpose: z.array(object({ purpose: z.string(), ...amounts('inQuarter', 'yearToDate') })),
    savings: z.array(
      object({
        schemeId: z.string(),
        schemeName: z.string(),
        ...amounts('planned', 'realisedInQuarter', 'realisedYearToDate'),
      }),
    ),
    metrics: z.array(
      object({
        metricId: z.string(),
        name: z.string(),
        unit: z.string(),
        better: z.enum(['lower', 'higher']),
        quarters: z.array(
          object({
            quarter,
            target: z.string().nullable(),
            actual: z.string().nullable(),
            status: z.enum(['provisional', 'final']).nullable(),
            meeting: z.enum(['meeting target', 'not meeting target', 'no data']),
          }),
        ),
      }),
    ),
    totals: object({ ...amounts('spendInQuarter', 'committed'), ...aggregate }),
  }),
  digest: z
    .string()
    .describe('SHA-256 of the canonical JSON of the position: what a quarter close records'),
  status: object({
    closed: z.boolean(),
    closeRequestedBy: z.string().nullable(),
    closedBy: z.string().nullable(),
    closedDigest: z.string().nullable(),
  }),
  correctionsSinceClose: z.array(
    object({
      id: z.string(),
      kind: z.enum([
        'reversal',
        'recode',
        'credit-note',
        'late-posting',
        'prior-period-adjustment',
      ]),
      schemeId: z.string(),
      fundingStream: z.string(),
      amount: z.string(),
      postedIn: period,
      correcting: quarter.nullable(),
      description: z.string(),
    }),
  ),
});

export const ibcfSplit = object({
  poolId: z.string(),
  year: z.string(),
  purposes: z.array(object({ purpose: z.string(), byQuarter: periodAmounts, total: z.string() })),
});

export const savingsReport = object({
  poolId: z.string(),
  year: z.string(),
  schemes: z.array(
    object({
      schemeId: z.string(),
      schemeName: z.string(),
      ...amounts('planned', 'cashablePlanned'),
      realisedByQuarter: periodAmounts,
      ...amounts('realised', 'unrealised'),
    }),
  ),
});

const partnerAmounts = z.array(object({ partnerId: z.string(), amount: z.string() }));

export const yearEndStatementSchema = object({
  poolId: z.string(),
  poolName: z.string(),
  year: z.string(),
  basis: z.enum(['outturn', 'forecast']),
  closed: z.boolean(),
  funding: object({
    byPartner: z.array(
      object({
        partnerId: z.string(),
        name: z.string(),
        byStream: z.array(
          object({
            fundingStream: z.string(),
            ...amounts('contribution', 'due', 'received', 'owed'),
          }),
        ),
        total: object(amounts('contribution', 'due', 'received', 'owed')),
      }),
    ),
    byStream: z.array(
      object({
        fundingStream: z.string(),
        capital: z.boolean(),
        ...amounts('contributions', 'broughtForward', 'funding'),
      }),
    ),
    total: object(amounts('contributions', 'broughtForward', 'funding')),
  }),
  expenditure: object({
    byScheme: z.array(
      object({
        schemeId: z.string(),
        schemeName: z.string(),
        schemeType: z.string(),
        ...amounts('budget', 'spent', 'accrued', 'expenditure', 'variance'),
      }),
    ),
    bySchemeType: z.array(
      object({ schemeType: z.string(), ...amounts('budget', 'expenditure', 'variance') }),
    ),
    byStream: z.array(
      object({
        fundingStream: z.string(),
        capital: z.boolean(),
        ...amounts('funding', 'spent', 'accrued', 'expenditure', 'net'),
      }),
    ),
    byCommissioner: z.array(object({ commissioner: z.string(), expenditure: z.string() })),
    capitalAndRevenue: z.array(
      object({ kind: z.enum(['revenue', 'capital']), ...amounts('funding', 'expenditure', 'net') }),
    ),
  }),
  net: object(amounts('funding', 'expenditure', 'net')),
  riskShare: object({
    status: z.enum(['applied', 'projected', 'no-terms', 'not-applicable']),
    detail: z.string().nullable(),
    offsets: z.array(object({ kind: z.string(), offset: z.string() })),
    contingency: object({
      schemeId: z.string(),
      fundingStream: z.string(),
      ...amounts('available', 'used'),
    }).nullable(),
    overspends: z.array(
      object({
        schemeId: z.string(),
        fundingStream: z.string(),
        overspend: z.string(),
        profile: z.string(),
        shares: partnerAmounts,
      }),
    ),
    underspends: z.array(
      object({
        fundingStream: z.string(),
        capital: z.boolean(),
        ...amounts('underspend', 'unallocated'),
        returned: partnerAmounts,
        carriedForward: z.string(),
      }),
    ),
    shares: z.array(object({ partnerId: z.string(), name: z.string(), amount: z.string() })),
    carryForward: z.array(object({ fundingStream: z.string(), amount: z.string() })),
    reconciliation: object({
      ...amounts('net', 'shares', 'carryForward'),
      reconciles: z.boolean(),
    }),
  }),
  priorYear: object({
    year: z.string(),
    ...amounts('funding', 'expenditure', 'net', 'carriedForward'),
  }).nullable(),
});

export const nhsEnglandExtractSchema = object({
  poolId: z.string(),
  hwbArea: z.string(),
  year: z.string(),
  cycle: z.string(),
  planYears: z.array(z.string()),
  plan: z.array(z.record(z.string(), z.string())),
  income: z.array(
    object({ fundingStream: z.string(), ...amounts('planned', 'varied', 'received') }),
  ),
  expenditure: z.array(object({ fundingStream: z.string(), ...amounts('planned', 'actual') })),
  lines: z.array(z.record(z.string(), z.string())),
  minimumContribution: object({
    minimumSocialCare: z.string().nullable(),
    plannedSocialCare: z.string(),
    actualSocialCare: z.string(),
    minimumOutOfHospital: z.string().nullable(),
    plannedOutOfHospital: z.string(),
    actualOutOfHospital: z.string(),
  }),
  checks: z.array(
    object({
      check: z.string(),
      status: z.enum(['passed', 'failed', 'not-set']),
      detail: z.string(),
    }),
  ),
});

export const rollUpParams = z.strictObject({ year: financialYear });
export const rollUpQuery = z.strictObject({ region: name.optional() });
const rollUpFigures = amounts(
  'contributions',
  'allocated',
  'spent',
  'committed',
  'forecastOutturn',
);
export const rollUpSchema = object({
  year: z.string(),
  region: z.string().nullable(),
  pools: z.array(
    object({
      poolId: z.string(),
      name: z.string(),
      hwbArea: z.string(),
      region: z.string(),
      ...rollUpFigures,
    }),
  ),
  regions: z.array(object({ region: z.string(), pools: z.int(), ...rollUpFigures })),
  england: object({ pools: z.int(), ...rollUpFigures }),
  byStream: z.array(
    object({ fundingStream: z.string(), ...amounts('contributions', 'allocated', 'spent') }),
  ),
});

export const poolList = z
  .object({ pools: z.array(z.object({ poolId: z.string(), name: z.string() })) })
  .meta({ id: 'PoolList' });
