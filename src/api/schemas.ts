import { z } from 'zod';
import { amountString, positiveAmountString } from '#money';
import {
  calendarDate,
  code,
  factId,
  financialYear,
  ibcfPurpose,
  name,
  partnerKind,
  percentage,
  poolScope,
  quarter,
  riskShareBasis,
  text,
  userRole,
} from '../events/catalogue/index.ts';
import { fixedShares, referenceData, schemeColumns } from '../events/catalogue/pool-events.ts';
import { recordedAtString } from '../events/envelope.ts';

/**
 * The API's request and response schemas. Request bodies are strict: an unknown field is an
 * error, not silently dropped. Amounts are decimal strings, never numbers.
 */

export const poolParams = z.strictObject({ poolId: code });
export const yearParams = z.strictObject({ poolId: code, year: financialYear });
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
const noBody = z.strictObject({}).nullish();

export const bodies = {
  registerPool: z.strictObject({
    poolId: code,
    name,
    hwbArea: name,
    host: z.strictObject({ partnerId: code, name, kind: partnerKind }),
  }),
  joinPartner: z.strictObject({ partnerId: code, name, kind: partnerKind }),
  riskShareTerms: z.strictObject({ basis: riskShareBasis, fixedShares: fixedShares.default([]) }),
  openYear: z.strictObject({ year: financialYear, referenceData }),
  registerScheme: z.strictObject({ schemeId: code, ...schemeColumns.shape }),
  amendScheme: z.strictObject({ changes: schemeColumns.partial() }),
  none: noBody,
  planContribution: z.strictObject({
    partnerId: code,
    fundingStream: name,
    amount: positiveAmountString,
  }),
  requestVariation: z.strictObject({
    variationId: factId,
    partnerId: code,
    fundingStream: name,
    change: amountString,
  }),
  recordReceipt: z.strictObject({
    receiptId: factId,
    partnerId: code,
    fundingStream: name,
    amount: positiveAmountString,
    receivedOn: calendarDate,
    reference: text,
  }),
  recordGrant: z.strictObject({
    grantId: factId,
    fundingStream: name,
    amount: positiveAmountString,
    awardedOn: calendarDate,
    determinationReference: text,
  }),
  recordInstalment: z.strictObject({
    instalmentId: factId,
    amount: positiveAmountString,
    receivedOn: calendarDate,
    reference: text,
  }),
  allocate: z.strictObject({
    allocationId: factId,
    schemeId: code,
    fundingStream: name,
    amount: positiveAmountString,
  }),
  release: z.strictObject({
    releaseId: factId,
    schemeId: code,
    fundingStream: name,
    amount: positiveAmountString,
  }),
  requestVirement: z.strictObject({
    virementId: factId,
    fundingStream: name,
    fromSchemeId: code,
    toSchemeId: code,
    amount: positiveAmountString,
  }),
  recordSpend: z.strictObject({
    spendId: factId,
    schemeId: code,
    fundingStream: name,
    quarter,
    spendDate: calendarDate,
    amount: positiveAmountString,
    supplier: text.default(''),
    erpReference: text.default(''),
    description: text.default(''),
    ibcfPurpose: ibcfPurpose.optional(),
  }),
  reverseSpend: z.strictObject({ reversalId: factId, reason: z.string().min(1).max(2000) }),
  forecast: z.strictObject({
    schemeId: code,
    fundingStream: name,
    quarter,
    forecastOutturn: amountString,
  }),
  planSaving: z.strictObject({
    savingId: factId,
    schemeId: code,
    amount: positiveAmountString,
    cashable: z.boolean(),
    description: text,
  }),
  realiseSaving: z.strictObject({
    realisationId: factId,
    schemeId: code,
    savingId: factId.optional(),
    quarter,
    amount: positiveAmountString,
    evidence: z.string().min(1).max(2000),
  }),
  priorPeriodAdjustment: z.strictObject({
    adjustmentId: factId,
    closedQuarter: quarter,
    schemeId: code,
    fundingStream: name,
    amount: amountString,
    description: z.string().min(1).max(2000),
    ibcfPurpose: ibcfPurpose.optional(),
  }),
  registerUser: z.strictObject({ userId: factId, name, role: userRole, pools: poolScope }),
  issueToken: z.strictObject({ label: name }),
};

export const commandAccepted = z
  .object({
    streamId: z.string(),
    streamVersion: z
      .int()
      .describe('The stream version after the command: the ETag of what it changed'),
    eventCount: z.int().describe('0 when the command changed nothing (it was already so)'),
    firstPosition: z.int().nullable(),
    lastPosition: z.int().nullable(),
  })
  .describe('The command was recorded');

const quarterAmounts = z.object({ Q1: z.string(), Q2: z.string(), Q3: z.string(), Q4: z.string() });
const rag = z.enum(['green', 'amber', 'red']);
const request = {
  status: z.enum(['pending', 'approved', 'rejected']),
  requestedBy: z.string(),
  requestedIn: quarter,
  decidedBy: z.string().nullable(),
  decidedIn: quarter.nullable(),
};

export const poolSummary = z.object({
  poolId: z.string(),
  name: z.string(),
  hwbArea: z.string(),
  currency: z.string(),
  hostPartnerId: z.string(),
  partners: z.array(z.object({ partnerId: z.string(), name: z.string(), kind: z.string() })),
  schemes: z.array(
    z.object({ schemeId: z.string(), withdrawn: z.boolean(), ...schemeColumns.shape }),
  ),
  riskShare: z.object({
    basis: z.string(),
    fixedShares: z.array(
      z.object({
        schemeId: z.string(),
        shares: z.array(z.object({ partnerId: z.string(), percentage })),
      }),
    ),
  }),
  years: z.array(
    z.object({
      year: z.string(),
      closedQuarters: z.int(),
      referenceDataVersion: z.string().nullable(),
    }),
  ),
});

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

export const auditQuery = z.strictObject({
  schemeId: code.optional(),
  actorId: factId.optional(),
  type: z
    .string()
    .regex(/^[A-Z][A-Za-z0-9]*\.v[1-9][0-9]*$/)
    .optional(),
  from: recordedAtString.optional(),
  to: recordedAtString.optional(),
  asAt: recordedAtString.optional(),
  afterPosition: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
});

export const auditPage = z.object({
  entries: z.array(
    z.object({
      position: z.int(),
      streamId: z.string(),
      streamVersion: z.int(),
      eventId: z.string(),
      type: z.string(),
      poolId: z.string().nullable(),
      year: z.string().nullable(),
      schemeIds: z.array(z.string()),
      actor: z.object({ id: z.string(), role: z.string() }),
      recordedAt: z.string(),
      reason: z.string().nullable(),
      correlationId: z.string(),
      causationId: z.string(),
      idempotencyKey: z.string(),
      data: z.unknown(),
    }),
  ),
  nextAfterPosition: z.int().nullable(),
});

export const userView = z.object({
  userId: z.string(),
  name: z.string(),
  role: userRole,
  pools: poolScope,
  active: z.boolean(),
  tokens: z.array(z.object({ tokenId: z.string(), label: z.string(), revoked: z.boolean() })),
});

export const tokenIssued = z.object({
  userId: z.string(),
  tokenId: z.string(),
  token: z.string().describe('Shown once: only its hash is kept'),
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
