import { z } from 'zod';
import {
  DOCUMENT_MEDIA_TYPES,
  type DocumentFormat,
  isDocumentKind,
  renderReport,
  tableSlugs,
} from '../../documents/report-documents.ts';
import type { Quarter } from '../../events/catalogue/index.ts';
import type { ReportKind } from '../../projections/read-face.ts';
import { problem } from '../problems.ts';
import {
  type Call,
  foundReply,
  type Outcome,
  type Reply,
  type RouteSpec,
  route,
} from '../route-kit.ts';
import { poolParams, quarterParams, yearParams } from './path-schemas.ts';
import { poolSummarySchema } from './pool-schemas.ts';
import {
  asAtQuery,
  balances,
  ibcfSplit,
  nhsEnglandExtractSchema,
  poolList,
  quarterlyReport,
  reportQuery,
  rollUpParams,
  rollUpQuery,
  rollUpSchema,
  savingsReport,
  yearEndStatementSchema,
} from './report-schemas.ts';

/**
 * Reads: the pools, a pool, and each report of a pool-year. Each takes an optional `asAt` and then
 * answers from the events recorded up to that moment; without it, from the live read model. The
 * ETag is the stream version the answer reflects. The four documents also download as CSV or XLSX.
 */
type ReportParams = { poolId: string; year: string; quarter?: Quarter };
type ReportQuery = {
  asAt?: string | undefined;
  format?: DocumentFormat | 'json' | undefined;
  table?: string | undefined;
};

function reportRoute(spec: {
  kind: ReportKind;
  path: string;
  operationId: string;
  summary: string;
  description: string;
  response: z.ZodType;
}): RouteSpec {
  const downloads = isDocumentKind(spec.kind);
  return route<ReportParams, ReportQuery, unknown>({
    method: 'GET',
    url: `/pools/:poolId/years/:year${spec.path}`,
    permission: 'read',
    scope: 'pool',
    operationId: spec.operationId,
    summary: spec.summary,
    description: spec.description,
    tags: ['reports'],
    downloads,
    schema: {
      params: (spec.kind === 'quarter' ? quarterParams : yearParams) as z.ZodType<ReportParams>,
      querystring: (downloads ? reportQuery : asAtQuery) as z.ZodType<ReportQuery>,
      response: { 200: spec.response },
    },
    handle: (call) => reportOutcome(spec.kind, spec.response, call),
  });
}

/**
 * A report's JSON as the route's response schema writes it, made once per report computed: the
 * read face gives the same report object again while the ledger has not moved, so a repeated read
 * costs what sending the bytes costs.
 */
const serialised = new WeakMap<object, string>();

function jsonOf(response: z.ZodType, value: object): string {
  let text = serialised.get(value);
  if (text === undefined) {
    text = JSON.stringify(z.encode(response, value));
    serialised.set(value, text);
  }
  return text;
}

async function reportOutcome(
  kind: ReportKind,
  response: z.ZodType,
  call: Call<ReportParams, ReportQuery, unknown>,
): Promise<Outcome> {
  const { poolId, year, quarter } = call.params;
  const found = await call.deps.readFace.report({
    kind,
    poolId,
    year,
    ...(quarter === undefined ? {} : { quarter }),
    ...(call.query.asAt === undefined ? {} : { asAt: call.query.asAt }),
  });
  const format = call.query.format ?? 'json';
  if (format === 'json' && found.found) {
    const reply = foundReply(found, 'ledger') as Reply;
    const body = jsonOf(response, found.value as object);
    return {
      ...reply,
      body,
      headers: { ...reply.headers, 'content-type': 'application/json; charset=utf-8' },
    };
  }
  if (!found.found || format === 'json' || !isDocumentKind(kind))
    return foundReply(found, 'ledger');
  const table = format === 'csv' ? call.query.table : undefined;
  const tables = tableSlugs(kind, found.value as never);
  if (table !== undefined && !tables.includes(table))
    return problem(
      'table-unknown',
      `the ${DOCUMENT_FILE_NAMES[kind]} has no table "${table}": use one of ${tables.join(', ')}`,
    );
  const fileName = [poolId, year, quarter, DOCUMENT_FILE_NAMES[kind], table]
    .filter((part) => part !== undefined)
    .join('-');
  return {
    status: 200,
    body: await renderReport(kind, found.value as never, format, table),
    headers: {
      'content-type': DOCUMENT_MEDIA_TYPES[format],
      'content-disposition': `attachment; filename="${fileName}.${format}"`,
    },
  };
}

/** How a download is named after its pool, year (and quarter) and report. */
const DOCUMENT_FILE_NAMES = {
  balances: 'balances',
  quarter: 'position',
  'year-end': 'year-end-statement',
  extract: 'nhs-england-extract',
} as const;

export const reportRoutes: RouteSpec[] = [
  route<unknown, z.infer<typeof asAtQuery>, unknown>({
    method: 'GET',
    url: '/pools',
    permission: 'read-set-up',
    scope: 'none',
    operationId: 'listPools',
    summary: 'The pools in your scope',
    description: 'The pools your scope covers; as at a moment, those registered by then.',
    tags: ['reports'],
    schema: {
      querystring: asAtQuery,
      response: { 200: poolList },
    },
    handle: async ({ deps, caller, query }) => ({
      status: 200,
      body: { pools: await deps.readFace.pools(caller.pools, query.asAt) },
    }),
  }),
  route<{ year: string }, { region?: string | undefined }, unknown>({
    method: 'GET',
    url: '/national/years/:year',
    permission: 'read',
    scope: 'none',
    operationId: 'getNationalRollUp',
    summary: 'The national roll-up of a year, over the pools in your scope',
    description:
      'The year’s contributions, allocations, spend, commitments and forecast outturn of every pool you may read: pool by pool, by NHS England region (or the one `region` names) and for England, and by funding stream.',
    tags: ['reports'],
    schema: {
      params: rollUpParams,
      querystring: rollUpQuery,
      response: { 200: rollUpSchema },
    },
    handle: async ({ deps, caller, params, query }) => ({
      status: 200,
      body: await deps.readFace.rollUp(caller.pools, params.year, query.region),
    }),
  }),
  route<z.infer<typeof poolParams>, z.infer<typeof asAtQuery>, unknown>({
    method: 'GET',
    url: '/pools/:poolId',
    permission: 'read-set-up',
    scope: 'pool',
    operationId: 'getPool',
    summary: 'A pool: partners, schemes and years',
    description: 'The pool as registered, with its partners, schemes and years.',
    tags: ['reports'],
    schema: { params: poolParams, querystring: asAtQuery, response: { 200: poolSummarySchema } },
    handle: async ({ deps, params, query }) =>
      foundReply(await deps.readFace.pool(params.poolId, query.asAt), 'pool'),
  }),
  reportRoute({
    kind: 'balances',
    path: '/balances',
    operationId: 'getBalances',
    summary: 'Pooled-budget balances: per stream, scheme line and partner',
    description:
      'Per funding stream: contributions, received, allocated, unallocated, spent. Per scheme line: budget, spend by quarter, forecast, variance and RAG. Per partner: contributions and risk-share exposure.',
    response: balances,
  }),
  reportRoute({
    kind: 'quarter',
    path: '/quarters/:quarter',
    operationId: 'getQuarterlyPosition',
    summary: 'The quarterly position for the CFO group, with its digest',
    description:
      'The year to the end of the quarter and what moved in it, with the digest a close signs off and the corrections posted since.',
    response: quarterlyReport,
  }),
  reportRoute({
    kind: 'ibcf',
    path: '/ibcf',
    operationId: 'getIbcfSplit',
    summary: 'iBCF spend by purpose and quarter',
    description: 'iBCF spend split by the three purposes the grant may be spent on, per quarter.',
    response: ibcfSplit,
  }),
  reportRoute({
    kind: 'savings',
    path: '/savings',
    operationId: 'getSavings',
    summary: 'Savings planned against realised, per scheme',
    description: 'Per scheme: savings planned (and cashable), realised by quarter, and unrealised.',
    response: savingsReport,
  }),
  reportRoute({
    kind: 'year-end',
    path: '/year-end-statement',
    operationId: 'getYearEndStatement',
    summary: 'The year-end pooled fund statement',
    description:
      'Contributions, expenditure by scheme, scheme type and stream, the net position, the risk share and what is carried forward.',
    response: yearEndStatementSchema,
  }),
  reportRoute({
    kind: 'extract',
    path: '/nhs-england-extract',
    operationId: 'getNhsEnglandExtract',
    summary: 'The NHS England return extract',
    description:
      'Income and expenditure per funding source, and the expenditure lines in the planning template’s columns.',
    response: nhsEnglandExtractSchema,
  }),
];
