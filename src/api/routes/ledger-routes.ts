import { z } from 'zod';
import type { LedgerCommandInput } from '../../commands/ledger-service.ts';
import {
  code,
  factId,
  financialYear,
  quarter as quarterSchema,
} from '../../events/catalogue/index.ts';
import { quarterlyReportAtVersions } from '../../projections/as-at.ts';
import type { Permission } from '../permissions.ts';
import { problem, problemSchema } from '../problems.ts';
import { type Call, type RouteSpec, route, runCommand } from '../route-kit.ts';
import { bodies, commandAccepted, yearParams } from '../schemas.ts';

/** The year's ledger: every money command and every control decision. */
const commandResponses = {
  200: commandAccepted,
  201: commandAccepted,
  default: problemSchema,
} as never;
const base = '/pools/:poolId/years/:year';

type LedgerCommandBody = LedgerCommandInput extends infer Command
  ? Command extends LedgerCommandInput
    ? Omit<Command, 'actor' | 'poolId' | 'year'>
    : never
  : never;

function ledgerWrite<Params extends { poolId: string; year: string }, Body>(spec: {
  url: string;
  permission: Permission;
  summary: string;
  params?: z.ZodType<Params>;
  body: z.ZodType<Body>;
  toCommand: (
    call: Call<Params, unknown, Body>,
  ) => LedgerCommandBody | Promise<LedgerCommandBody | ReturnType<typeof problem>>;
}): RouteSpec {
  return route<Params, unknown, Body>({
    method: 'POST',
    url: `${base}${spec.url}`,
    permission: spec.permission,
    scope: 'pool',
    summary: spec.summary,
    tags: ['ledger'],
    schema: {
      params: spec.params ?? (yearParams as unknown as z.ZodType<Params>),
      body: spec.body,
      response: commandResponses,
    },
    handle: (call) =>
      runCommand(call, 'ledger', async (metadata, expectedVersion) => {
        const command = await spec.toCommand(call);
        if ('detail' in command) return command;
        const { poolId, year } = call.params;
        const actor = { id: call.caller.userId, role: call.caller.role };
        return call.deps.service.ledger(
          { ...command, actor, poolId, year } as LedgerCommandInput,
          metadata,
          expectedVersion,
        );
      }),
  });
}

const withId = (name: string) =>
  z.strictObject({ poolId: code, year: financialYear, [name]: factId }) as unknown as z.ZodType<
    { poolId: string; year: string } & Record<string, string>
  >;
const quarterParams = z.strictObject({ poolId: code, year: financialYear, quarter: quarterSchema });

/**
 * The close commands carry the digest of the quarterly position and the stream versions it was
 * computed at. The server computes them: a client never supplies the figures it asks to sign off.
 */
async function closeCommand(
  call: Call<z.infer<typeof quarterParams>, unknown, unknown>,
  type: 'RequestQuarterClose' | 'ApproveQuarterClose',
) {
  const { poolId, year, quarter } = call.params;
  const versions = {
    poolVersion: (await call.deps.service.poolState(poolId)).version,
    ledgerVersion: (await call.deps.service.ledgerState(poolId, year)).version,
  };
  const report = await quarterlyReportAtVersions(
    call.deps.store,
    poolId,
    year,
    quarter,
    versions,
    call.deps.config.ragThresholds,
  );
  if (report === undefined)
    return problem('not-found', `pool "${poolId}" has no financial year ${year}`);
  return { type, quarter, reportDigest: report.digest, ...versions } as LedgerCommandBody;
}

export const ledgerRoutes: RouteSpec[] = [
  ledgerWrite({
    url: '/contributions',
    permission: 'record',
    summary: 'Plan a partner’s contribution to a funding stream',
    body: bodies.planContribution,
    toCommand: ({ body }) => ({ type: 'PlanContribution', ...body }),
  }),
  ledgerWrite({
    url: '/contribution-variations',
    permission: 'record',
    summary: 'Request a variation of a planned contribution',
    body: bodies.requestVariation,
    toCommand: ({ body }) => ({ type: 'RequestContributionVariation', ...body }),
  }),
  ledgerWrite({
    url: '/contribution-variations/:variationId/approval',
    permission: 'approve',
    summary: 'Approve a contribution variation',
    params: withId('variationId'),
    body: bodies.none,
    toCommand: ({ params }) => ({
      type: 'ApproveContributionVariation',
      variationId: params.variationId ?? '',
    }),
  }),
  ledgerWrite({
    url: '/contribution-variations/:variationId/rejection',
    permission: 'approve',
    summary: 'Reject a contribution variation',
    params: withId('variationId'),
    body: bodies.none,
    toCommand: ({ params }) => ({
      type: 'RejectContributionVariation',
      variationId: params.variationId ?? '',
    }),
  }),
  ledgerWrite({
    url: '/contribution-receipts',
    permission: 'record',
    summary: 'Record a contribution received',
    body: bodies.recordReceipt,
    toCommand: ({ body }) => ({ type: 'RecordContributionReceived', ...body }),
  }),
  ledgerWrite({
    url: '/grants',
    permission: 'record',
    summary: 'Record a grant award (iBCF, DFG determination)',
    body: bodies.recordGrant,
    toCommand: ({ body }) => ({ type: 'RecordGrantAward', ...body }),
  }),
  ledgerWrite({
    url: '/grants/:grantId/instalments',
    permission: 'record',
    summary: 'Record a grant instalment received',
    params: withId('grantId'),
    body: bodies.recordInstalment,
    toCommand: ({ params, body }) => ({
      type: 'RecordGrantInstalment',
      grantId: params.grantId ?? '',
      ...body,
    }),
  }),
  ledgerWrite({
    url: '/allocations',
    permission: 'record',
    summary: 'Allocate funds from a stream to a scheme line',
    body: bodies.allocate,
    toCommand: ({ body }) => ({ type: 'AllocateFunds', ...body }),
  }),
  ledgerWrite({
    url: '/allocation-releases',
    permission: 'record',
    summary: 'Release unspent budget from a scheme line back to its stream',
    body: bodies.release,
    toCommand: ({ body }) => ({ type: 'ReleaseAllocation', ...body }),
  }),
  ledgerWrite({
    url: '/virements',
    permission: 'record',
    summary: 'Request a virement between two lines of a stream',
    body: bodies.requestVirement,
    toCommand: ({ body }) => ({ type: 'RequestVirement', ...body }),
  }),
  ledgerWrite({
    url: '/virements/:virementId/approval',
    permission: 'approve',
    summary: 'Approve a virement (another person than the requester)',
    params: withId('virementId'),
    body: bodies.none,
    toCommand: ({ params }) => ({ type: 'ApproveVirement', virementId: params.virementId ?? '' }),
  }),
  ledgerWrite({
    url: '/virements/:virementId/rejection',
    permission: 'approve',
    summary: 'Reject a virement',
    params: withId('virementId'),
    body: bodies.none,
    toCommand: ({ params }) => ({ type: 'RejectVirement', virementId: params.virementId ?? '' }),
  }),
  ledgerWrite({
    url: '/spend',
    permission: 'record',
    summary: 'Record spend against a scheme line',
    body: bodies.recordSpend,
    toCommand: ({ body }) => ({ type: 'RecordSpend', ...body }),
  }),
  ledgerWrite({
    url: '/spend/:spendId/reversal',
    permission: 'record',
    summary: 'Reverse a spend, once, with a reason',
    params: withId('spendId'),
    body: bodies.reverseSpend,
    toCommand: ({ params, body }) => ({
      type: 'ReverseSpend',
      spendId: params.spendId ?? '',
      ...body,
    }),
  }),
  ledgerWrite({
    url: '/forecasts',
    permission: 'record',
    summary: 'Update a scheme line’s forecast outturn for a quarter',
    body: bodies.forecast,
    toCommand: ({ body }) => ({ type: 'UpdateForecast', ...body }),
  }),
  ledgerWrite({
    url: '/savings',
    permission: 'record',
    summary: 'Plan a saving',
    body: bodies.planSaving,
    toCommand: ({ body }) => ({ type: 'PlanSaving', ...body }),
  }),
  ledgerWrite({
    url: '/realised-savings',
    permission: 'record',
    summary: 'Record a realised saving with its evidence',
    body: bodies.realiseSaving,
    toCommand: ({ body }) => ({ type: 'RecordRealisedSaving', ...body }),
  }),
  ledgerWrite({
    url: '/prior-period-adjustments',
    permission: 'record',
    summary: 'Correct a closed quarter in the open one',
    body: bodies.priorPeriodAdjustment,
    toCommand: ({ body }) => ({ type: 'PostPriorPeriodAdjustment', ...body }),
  }),
  ledgerWrite({
    url: '/quarters/:quarter/close-request',
    permission: 'record',
    summary: 'Request closing a quarter on its current position',
    params: quarterParams,
    body: bodies.none,
    toCommand: (call) => closeCommand(call, 'RequestQuarterClose'),
  }),
  ledgerWrite({
    url: '/quarters/:quarter/close-approval',
    permission: 'approve',
    summary: 'Approve closing a quarter (another person than the requester)',
    params: quarterParams,
    body: bodies.none,
    toCommand: (call) => closeCommand(call, 'ApproveQuarterClose'),
  }),
  ledgerWrite({
    url: '/outturn',
    permission: 'approve',
    summary: 'Determine the year-end outturn',
    body: bodies.none,
    toCommand: () => ({ type: 'DetermineYearEndOutturn' }),
  }),
  ledgerWrite({
    url: '/risk-share',
    permission: 'approve',
    summary: 'Apply the year-end risk share',
    body: bodies.none,
    toCommand: () => ({ type: 'ApplyRiskShare' }),
  }),
];
