import { z } from 'zod';
import { period, quarter } from '../../events/catalogue/index.ts';
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
      'json (default), csv (the main table, RFC 4180) or xlsx (every table, one sheet each)',
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
      ...amounts('planned', 'varied', 'contributions', 'due', 'received', 'outstanding'),
      ...amounts('allocated', 'unallocated', 'spent', 'committed', 'remaining'),
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
      riskShareStatus: z.enum(['applied', 'projected']),
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

export const yearEndStatementSchema = object({
  poolId: z.string(),
  poolName: z.string(),
  year: z.string(),
  outturnDetermined: z.boolean(),
  contributions: z.array(
    object({
      partnerId: z.string(),
      name: z.string(),
      byStream: z.array(object({ fundingStream: z.string(), amount: z.string() })),
      total: z.string(),
    }),
  ),
  expenditureByScheme: z.array(
    object({
      schemeId: z.string(),
      schemeName: z.string(),
      schemeType: z.string(),
      ...amounts('budget', 'spent', 'accrued', 'expenditure', 'variance'),
    }),
  ),
  expenditureBySchemeType: z.array(
    object({ schemeType: z.string(), ...amounts('budget', 'expenditure', 'variance') }),
  ),
  expenditureByStream: z.array(
    object({
      fundingStream: z.string(),
      ...amounts('contributions', 'spent', 'accrued', 'expenditure', 'net'),
    }),
  ),
  net: object(amounts('contributions', 'expenditure', 'net')),
  riskShare: object({
    status: z.enum(['applied', 'projected']),
    basis: z.string(),
    allocations: z.array(object({ partnerId: z.string(), amount: z.string() })),
  }),
  carryForward: z.string(),
});

export const nhsEnglandExtractSchema = object({
  poolId: z.string(),
  hwbArea: z.string(),
  year: z.string(),
  income: z.array(object({ fundingStream: z.string(), ...amounts('planned', 'received') })),
  expenditure: z.array(object({ fundingStream: z.string(), ...amounts('planned', 'actual') })),
  lines: z.array(z.record(z.string(), z.string())),
});

export const poolList = z
  .object({ pools: z.array(z.object({ poolId: z.string(), name: z.string() })) })
  .meta({ id: 'PoolList' });
