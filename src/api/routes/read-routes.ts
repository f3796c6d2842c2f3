import { z } from 'zod';
import { Money } from '#money';
import {
  code,
  financialYear,
  QUARTERS,
  quarter as quarterSchema,
} from '../../events/catalogue/index.ts';
import { poolViewFromStreams } from '../../projections/as-at.ts';
import type { PoolView, YearView } from '../../projections/pool-view.ts';
import { poolBalances } from '../../projections/reports/balances.ts';
import {
  balancesDocuments,
  extractDocuments,
  quarterlyDocuments,
  type ReportDocuments,
  renderDocument,
  yearEndDocuments,
} from '../../projections/reports/documents/report-documents.ts';
import { compareSchemeIds, sumQuarters } from '../../projections/reports/figures.ts';
import { nhsEnglandExtract } from '../../projections/reports/nhs-england-extract.ts';
import { quarterlyReport as buildQuarterlyReport } from '../../projections/reports/quarterly-position.ts';
import { yearEndStatement } from '../../projections/reports/year-end.ts';
import { type Problem, problem, problemSchema } from '../problems.ts';
import { type Call, etag, type Outcome, type RouteSpec, route } from '../route-kit.ts';
import {
  asAtQuery,
  auditPage,
  auditQuery,
  balances,
  ibcfSplit,
  nhsEnglandExtractSchema,
  poolParams,
  poolSummary,
  quarterlyReport,
  reportQuery,
  savingsReport,
  yearEndStatementSchema,
  yearParams,
} from '../schemas.ts';

/**
 * Reads: the pool, its balances, quarterly positions, iBCF split, savings and audit trail. Each
 * takes an optional `asAt` and then answers from the events recorded up to that moment, folded by
 * the same code; without it, from the live read model, brought up to date first. The ETag is the
 * stream version the answer reflects.
 */
const responses = (schema: z.ZodType) => ({ 200: schema, default: problemSchema }) as never;

async function viewFor(
  call: Call<{ poolId: string }, { asAt?: string | undefined }, unknown>,
): Promise<PoolView | Problem> {
  const { poolId } = call.params;
  const asAt = call.query.asAt;
  let view: PoolView | undefined;
  if (asAt === undefined) {
    await call.deps.readModel.catchUp();
    view = call.deps.readModel.poolView(poolId);
  } else {
    view = await poolViewFromStreams(call.deps.store, poolId, { asAt });
  }
  if (view === undefined || view.registration === null) {
    return problem(
      'not-found',
      asAt === undefined ? `no pool "${poolId}"` : `no pool "${poolId}" as at ${asAt}`,
    );
  }
  return view;
}

async function yearFor(
  call: Call<{ poolId: string; year: string }, { asAt?: string | undefined }, unknown>,
) {
  const view = await viewFor(call);
  if ('detail' in view) return view;
  const year = view.years[call.params.year];
  if (year === undefined || year.referenceData === null)
    return problem(
      'not-found',
      `pool "${call.params.poolId}" has no financial year ${call.params.year}`,
    );
  return { view, year };
}

function ok(body: unknown, tag: string): Outcome {
  return { status: 200, body, headers: { etag: tag } };
}

type ReportFormat = z.infer<typeof reportQuery>['format'];

/**
 * A report in the format asked for: JSON (with the ETag of the version it reflects), or the same
 * CSV or workbook `bcf-ledger report` writes, as a download named after the pool, year and report.
 */
async function reportOutcome<Report>(
  format: ReportFormat,
  fileName: string,
  report: Report | undefined,
  tag: string,
  documents: ReportDocuments<Report>,
): Promise<Outcome> {
  // The year was found just before; a report is missing only if the year is not in the view.
  if (report === undefined) return problem('not-found', 'the pool has no such financial year');
  if (format === 'json') return ok(report, tag);
  return {
    status: 200,
    body: await renderDocument(report, documents, format),
    headers: {
      'content-type': format === 'csv' ? 'text/csv; charset=utf-8' : XLSX_TYPE,
      'content-disposition': `attachment; filename="${fileName}.${format}"`,
    },
  };
}

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const quarterParams = z.strictObject({ poolId: code, year: financialYear, quarter: quarterSchema });

export const readRoutes: RouteSpec[] = [
  route<unknown, z.infer<typeof asAtQuery>, unknown>({
    method: 'GET',
    url: '/pools',
    permission: 'read',
    scope: 'none',
    summary: 'The pools in your scope (as at a moment, those registered by then)',
    tags: ['reports'],
    schema: {
      querystring: asAtQuery,
      response: responses(
        z.object({ pools: z.array(z.object({ poolId: z.string(), name: z.string() })) }),
      ),
    },
    handle: async ({ deps, caller, query }) => {
      await deps.readModel.catchUp();
      const pools: { poolId: string; name: string }[] = [];
      for (const poolId of deps.readModel.poolIds()) {
        if (caller.pools !== '*' && !caller.pools.includes(poolId)) continue;
        const view =
          query.asAt === undefined
            ? deps.readModel.poolView(poolId)
            : await poolViewFromStreams(deps.store, poolId, { asAt: query.asAt });
        if (view?.registration != null) pools.push({ poolId, name: view.registration.name });
      }
      return { status: 200, body: { pools } };
    },
  }),
  route<z.infer<typeof poolParams>, z.infer<typeof asAtQuery>, unknown>({
    method: 'GET',
    url: '/pools/:poolId',
    permission: 'read',
    scope: 'pool',
    summary: 'A pool: partners, schemes, risk-share terms and years',
    tags: ['reports'],
    schema: { params: poolParams, querystring: asAtQuery, response: responses(poolSummary) },
    handle: async (call) => {
      const view = await viewFor(call);
      if ('detail' in view) return view;
      const registration = view.registration ?? {
        name: '',
        hwbArea: '',
        currency: 'GBP',
        hostPartnerId: '',
      };
      return ok(
        {
          poolId: view.poolId,
          ...registration,
          partners: view.partners,
          schemes: Object.keys(view.schemes)
            .sort(compareSchemeIds)
            .map((schemeId) => ({ schemeId, ...view.schemes[schemeId] })),
          riskShare: view.riskShare,
          years: Object.values(view.years)
            .sort((a, b) => a.year.localeCompare(b.year))
            .map((year) => ({
              year: year.year,
              closedQuarters: year.closedQuarters,
              referenceDataVersion: year.referenceData?.version ?? null,
            })),
        },
        etag('pool', view.poolVersion),
      );
    },
  }),
  route<z.infer<typeof yearParams>, z.infer<typeof reportQuery>, unknown>({
    method: 'GET',
    url: '/pools/:poolId/years/:year/balances',
    permission: 'read',
    scope: 'pool',
    summary: 'Pooled-budget balances: per stream, scheme line and partner',
    tags: ['reports'],
    schema: { params: yearParams, querystring: reportQuery, response: responses(balances) },
    handle: async (call) => {
      const found = await yearFor(call);
      if ('detail' in found) return found;
      return reportOutcome(
        call.query.format,
        `${call.params.poolId}-${call.params.year}-balances`,
        poolBalances(found.view, call.params.year, call.deps.config.ragThresholds),
        etag('ledger', found.year.ledgerVersion),
        balancesDocuments,
      );
    },
  }),
  route<z.infer<typeof quarterParams>, z.infer<typeof reportQuery>, unknown>({
    method: 'GET',
    url: '/pools/:poolId/years/:year/quarters/:quarter',
    permission: 'read',
    scope: 'pool',
    summary:
      'The quarterly position for the CFO group, with its digest and the corrections since close',
    tags: ['reports'],
    schema: {
      params: quarterParams,
      querystring: reportQuery,
      response: responses(quarterlyReport),
    },
    handle: async (call) => {
      const found = await yearFor(call);
      if ('detail' in found) return found;
      const report = buildQuarterlyReport(
        found.view,
        call.params.year,
        call.params.quarter,
        call.deps.config.ragThresholds,
      );
      return reportOutcome(
        call.query.format,
        `${call.params.poolId}-${call.params.year}-${call.params.quarter}-position`,
        report,
        etag('ledger', found.year.ledgerVersion),
        quarterlyDocuments,
      );
    },
  }),
  route<z.infer<typeof yearParams>, z.infer<typeof asAtQuery>, unknown>({
    method: 'GET',
    url: '/pools/:poolId/years/:year/ibcf',
    permission: 'read',
    scope: 'pool',
    summary: 'iBCF spend by purpose and quarter',
    tags: ['reports'],
    schema: { params: yearParams, querystring: asAtQuery, response: responses(ibcfSplit) },
    handle: async (call) => {
      const found = await yearFor(call);
      if ('detail' in found) return found;
      return ok(
        { poolId: call.params.poolId, year: call.params.year, purposes: ibcfPurposes(found.year) },
        etag('ledger', found.year.ledgerVersion),
      );
    },
  }),
  route<z.infer<typeof yearParams>, z.infer<typeof asAtQuery>, unknown>({
    method: 'GET',
    url: '/pools/:poolId/years/:year/savings',
    permission: 'read',
    scope: 'pool',
    summary: 'Savings planned against realised, per scheme',
    tags: ['reports'],
    schema: { params: yearParams, querystring: asAtQuery, response: responses(savingsReport) },
    handle: async (call) => {
      const found = await yearFor(call);
      if ('detail' in found) return found;
      return ok(
        {
          poolId: call.params.poolId,
          year: call.params.year,
          schemes: savings(found.view, found.year),
        },
        etag('ledger', found.year.ledgerVersion),
      );
    },
  }),
  route<z.infer<typeof yearParams>, z.infer<typeof reportQuery>, unknown>({
    method: 'GET',
    url: '/pools/:poolId/years/:year/year-end-statement',
    permission: 'read',
    scope: 'pool',
    summary:
      'The year-end pooled fund statement: contributions, expenditure, net position, risk share, carry-forward',
    tags: ['reports'],
    schema: {
      params: yearParams,
      querystring: reportQuery,
      response: responses(yearEndStatementSchema),
    },
    handle: async (call) => {
      const found = await yearFor(call);
      if ('detail' in found) return found;
      return reportOutcome(
        call.query.format,
        `${call.params.poolId}-${call.params.year}-year-end-statement`,
        yearEndStatement(found.view, call.params.year, call.deps.config.ragThresholds),
        etag('ledger', found.year.ledgerVersion),
        yearEndDocuments,
      );
    },
  }),
  route<z.infer<typeof yearParams>, z.infer<typeof reportQuery>, unknown>({
    method: 'GET',
    url: '/pools/:poolId/years/:year/nhs-england-extract',
    permission: 'read',
    scope: 'pool',
    summary:
      'The NHS England return extract: income and expenditure per funding source, lines in the template’s columns',
    tags: ['reports'],
    schema: {
      params: yearParams,
      querystring: reportQuery,
      response: responses(nhsEnglandExtractSchema),
    },
    handle: async (call) => {
      const found = await yearFor(call);
      if ('detail' in found) return found;
      return reportOutcome(
        call.query.format,
        `${call.params.poolId}-${call.params.year}-nhs-england-extract`,
        nhsEnglandExtract(found.view, call.params.year, call.deps.config.ragThresholds),
        etag('ledger', found.year.ledgerVersion),
        extractDocuments,
      );
    },
  }),
  route<z.infer<typeof poolParams>, z.infer<typeof auditQuery>, unknown>({
    method: 'GET',
    url: '/pools/:poolId/audit',
    permission: 'read',
    scope: 'pool',
    summary: 'The audit trail of a pool: who did what, when and why',
    tags: ['audit'],
    schema: { params: poolParams, querystring: auditQuery, response: responses(auditPage) },
    handle: async ({ params, query, deps }) => {
      await deps.readModel.catchUp();
      return {
        status: 200,
        body: deps.readModel.auditTrail(auditFilter({ ...query, poolId: params.poolId })),
      };
    },
  }),
  route<unknown, z.infer<typeof auditQuery>, unknown>({
    method: 'GET',
    url: '/audit',
    permission: 'read',
    scope: 'all-pools',
    summary: 'The whole audit trail, access events included (callers scoped to every pool)',
    tags: ['audit'],
    schema: { querystring: auditQuery, response: responses(auditPage) },
    handle: async ({ query, deps }) => {
      await deps.readModel.catchUp();
      return { status: 200, body: deps.readModel.auditTrail(auditFilter(query)) };
    },
  }),
];

/** asAt is an upper bound on recorded time, like `to`: the tighter of the two applies. */
function auditFilter(query: z.infer<typeof auditQuery> & { poolId?: string }) {
  const { asAt, to, ...rest } = query;
  const upper = [asAt, to].filter((moment): moment is string => moment !== undefined).sort()[0];
  return Object.fromEntries(
    Object.entries({ ...rest, to: upper }).filter(([, value]) => value !== undefined),
  );
}

function ibcfPurposes(year: YearView) {
  return Object.keys(year.ibcfByPurpose)
    .sort()
    .map((purpose) => {
      const byQuarter = year.ibcfByPurpose[purpose] ?? {
        Q1: '0.00',
        Q2: '0.00',
        Q3: '0.00',
        Q4: '0.00',
      };
      return { purpose, byQuarter, total: sumQuarters(byQuarter, QUARTERS).toString() };
    });
}

function savings(view: PoolView, year: YearView) {
  return Object.keys(year.savings)
    .sort(compareSchemeIds)
    .map((schemeId) => {
      const saving = year.savings[schemeId] ?? {
        planned: '0.00',
        cashablePlanned: '0.00',
        realisedByQuarter: { Q1: '0.00', Q2: '0.00', Q3: '0.00', Q4: '0.00' },
      };
      const realised = sumQuarters(saving.realisedByQuarter);
      return {
        schemeId,
        schemeName: view.schemes[schemeId]?.name ?? '',
        planned: saving.planned,
        cashablePlanned: saving.cashablePlanned,
        realisedByQuarter: saving.realisedByQuarter,
        realised: realised.toString(),
        unrealised: Money.parse(saving.planned).minus(realised).toString(),
      };
    });
}
