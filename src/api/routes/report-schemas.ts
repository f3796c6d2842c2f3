import { z } from 'zod';
import { quarter } from '../../events/catalogue/index.ts';
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

// Action routes (approve, close, withdraw) take no body: none at all, null, or {}.
const quarterAmounts = z.object({ Q1: z.string(), Q2: z.string(), Q3: z.string(), Q4: z.string() });
const rag = z.enum(['green', 'amber', 'red']);
const request = {
  status: z.enum(['pending', 'approved', 'rejected']),
  requestedBy: z.string(),
  requestedIn: quarter,
  decidedBy: z.string().nullable(),
  decidedIn: quarter.nullable(),
};

export const balances = z.object({
  poolId: z.string(),
  poolName: z.string(),
  year: z.string(),
  streams: z.array(
    z.object({
      fundingStream: z.string(),
      planned: z.string(),
      varied: z.string(),
      contributions: z.string(),
      received: z.string(),
      allocated: z.string(),
      unallocated: z.string(),
      spent: z.string(),
      remaining: z.string(),
      grantsAwarded: z.string(),
      grantsReceived: z.string(),
    }),
  ),
  lines: z.array(
    z.object({
      schemeId: z.string(),
      schemeName: z.string(),
      schemeType: z.string(),
      withdrawn: z.boolean(),
      fundingStream: z.string(),
      originalBudget: z.string(),
      virementsIn: z.string(),
      virementsOut: z.string(),
      currentBudget: z.string(),
      spendByQuarter: quarterAmounts,
      spent: z.string(),
      remaining: z.string(),
      forecastOutturn: z.string(),
      forecastGiven: z.boolean(),
      variance: z.string(),
      rag,
      overspent: z.boolean(),
    }),
  ),
  partners: z.array(
    z.object({
      partnerId: z.string(),
      name: z.string(),
      planned: z.string(),
      varied: z.string(),
      contributions: z.string(),
      received: z.string(),
      riskShareExposure: z.string(),
      riskShareStatus: z.enum(['applied', 'projected']),
    }),
  ),
  totals: z.object({
    contributions: z.string(),
    received: z.string(),
    allocated: z.string(),
    unallocated: z.string(),
    spent: z.string(),
    remaining: z.string(),
  }),
});

const aggregate = {
  budget: z.string(),
  spendYearToDate: z.string(),
  forecastOutturn: z.string(),
  variance: z.string(),
};

export const quarterlyReport = z.object({
  position: z.object({
    poolId: z.string(),
    poolName: z.string(),
    year: z.string(),
    quarter,
    ragThresholds: z.object({ amberAbovePercent: z.string(), redAbovePercent: z.string() }),
    lines: z.array(
      z.object({
        schemeId: z.string(),
        schemeName: z.string(),
        schemeType: z.string(),
        fundingStream: z.string(),
        budget: z.string(),
        budgetMovement: z.string(),
        spendInQuarter: z.string(),
        spendYearToDate: z.string(),
        forecastOutturn: z.string(),
        forecastGiven: z.boolean(),
        forecastMovement: z.string(),
        variance: z.string(),
        rag,
      }),
    ),
    streams: z.array(
      z.object({
        fundingStream: z.string(),
        contributions: z.string(),
        received: z.string(),
        spendInQuarter: z.string(),
        ...aggregate,
      }),
    ),
    schemeTypes: z.array(z.object({ schemeType: z.string(), ...aggregate })),
    partners: z.array(
      z.object({
        partnerId: z.string(),
        name: z.string(),
        contributions: z.string(),
        received: z.string(),
      }),
    ),
    virements: z.array(
      z.object({
        virementId: z.string(),
        fundingStream: z.string(),
        fromSchemeId: z.string(),
        toSchemeId: z.string(),
        amount: z.string(),
        ...request,
      }),
    ),
    variations: z.array(
      z.object({
        variationId: z.string(),
        partnerId: z.string(),
        fundingStream: z.string(),
        change: z.string(),
        ...request,
      }),
    ),
    ibcfByPurpose: z.array(
      z.object({ purpose: z.string(), inQuarter: z.string(), yearToDate: z.string() }),
    ),
    savings: z.array(
      z.object({
        schemeId: z.string(),
        schemeName: z.string(),
        planned: z.string(),
        realisedInQuarter: z.string(),
        realisedYearToDate: z.string(),
      }),
    ),
    totals: z.object({ spendInQuarter: z.string(), ...aggregate }),
  }),
  digest: z
    .string()
    .describe('SHA-256 of the canonical JSON of the position: what a quarter close records'),
  status: z.object({
    closed: z.boolean(),
    closeRequestedBy: z.string().nullable(),
    closedBy: z.string().nullable(),
    closedDigest: z.string().nullable(),
  }),
  correctionsSinceClose: z.array(
    z.object({
      id: z.string(),
      kind: z.enum(['reversal', 'prior-period-adjustment']),
      schemeId: z.string(),
      fundingStream: z.string(),
      amount: z.string(),
      postedIn: quarter,
      correcting: quarter.nullable(),
      description: z.string(),
    }),
  ),
});

export const ibcfSplit = z.object({
  poolId: z.string(),
  year: z.string(),
  purposes: z.array(
    z.object({ purpose: z.string(), byQuarter: quarterAmounts, total: z.string() }),
  ),
});

export const savingsReport = z.object({
  poolId: z.string(),
  year: z.string(),
  schemes: z.array(
    z.object({
      schemeId: z.string(),
      schemeName: z.string(),
      planned: z.string(),
      cashablePlanned: z.string(),
      realisedByQuarter: quarterAmounts,
      realised: z.string(),
      unrealised: z.string(),
    }),
  ),
});

const amounts = (...names: string[]) => Object.fromEntries(names.map((key) => [key, z.string()]));

export const yearEndStatementSchema = z.object({
  poolId: z.string(),
  poolName: z.string(),
  year: z.string(),
  outturnDetermined: z.boolean(),
  contributions: z.array(
    z.object({
      partnerId: z.string(),
      name: z.string(),
      byStream: z.array(z.object({ fundingStream: z.string(), amount: z.string() })),
      total: z.string(),
    }),
  ),
  expenditureByScheme: z.array(
    z.object({
      schemeId: z.string(),
      schemeName: z.string(),
      schemeType: z.string(),
      ...amounts('budget', 'spent', 'variance'),
    }),
  ),
  expenditureBySchemeType: z.array(
    z.object({ schemeType: z.string(), ...amounts('budget', 'spent', 'variance') }),
  ),
  expenditureByStream: z.array(
    z.object({ fundingStream: z.string(), ...amounts('contributions', 'spent', 'net') }),
  ),
  net: z.object(amounts('contributions', 'spent', 'net')),
  riskShare: z.object({
    status: z.enum(['applied', 'projected']),
    basis: z.string(),
    allocations: z.array(z.object({ partnerId: z.string(), amount: z.string() })),
  }),
  carryForward: z.string(),
});

export const nhsEnglandExtractSchema = z.object({
  poolId: z.string(),
  hwbArea: z.string(),
  year: z.string(),
  income: z.array(z.object({ fundingStream: z.string(), ...amounts('planned', 'received') })),
  expenditure: z.array(z.object({ fundingStream: z.string(), ...amounts('planned', 'actual') })),
  lines: z.array(z.record(z.string(), z.string())),
});

export const poolList = z
  .object({ pools: z.array(z.object({ poolId: z.string(), name: z.string() })) })
  .meta({ id: 'PoolList' });
