import { z } from 'zod';
import type { CommandInput, Permission } from '../../commands/write-face.ts';
import { code, factId, financialYear } from '../../events/catalogue/index.ts';
import * as bodies from '../../events/requests/ledger-requests.ts';
import { type Call, type RouteSpec, route, runCommand } from '../route-kit.ts';
import { commandResponses, noBody } from './command-schemas.ts';
import { quarterParams, yearParams } from './path-schemas.ts';

/** The year's ledger: every money command and every control decision. */
const base = '/pools/:poolId/years/:year';

type LedgerBody<Command> = Command extends unknown ? Omit<Command, 'poolId' | 'year'> : never;

function ledgerWrite<Params extends { poolId: string; year: string }, Body>(spec: {
  url: string;
  permission: Permission;
  operationId: string;
  summary: string;
  description: string;
  params?: z.ZodType<Params>;
  body: z.ZodType<Body>;
  toCommand: (call: Call<Params, unknown, Body>) => LedgerBody<CommandInput>;
}): RouteSpec {
  return route<Params, unknown, Body>({
    method: 'POST',
    url: `${base}${spec.url}`,
    permission: spec.permission,
    scope: 'pool',
    operationId: spec.operationId,
    summary: spec.summary,
    description: spec.description,
    tags: ['ledger'],
    schema: {
      params: spec.params ?? (yearParams as unknown as z.ZodType<Params>),
      body: spec.body,
      response: commandResponses,
    },
    handle: (call) => {
      const { poolId, year } = call.params;
      return runCommand(call, 'ledger', { ...spec.toCommand(call), poolId, year } as CommandInput);
    },
  });
}

const withId = <Name extends string>(name: Name) =>
  z.strictObject({ poolId: code, year: financialYear, [name]: factId }) as unknown as z.ZodType<
    { poolId: string; year: string } & Record<Name, string>
  >;

export const ledgerRoutes: RouteSpec[] = [
  ledgerWrite({
    url: '/contributions',
    permission: 'record',
    operationId: 'planContribution',
    summary: 'Plan a partner’s contribution to a funding stream',
    description:
      'A partner’s planned contribution to one funding stream for the year. A different amount later is a variation.',
    body: bodies.planContribution,
    toCommand: ({ body }) => ({ type: 'PlanContribution', ...body }),
  }),
  ledgerWrite({
    url: '/contribution-variations',
    permission: 'record',
    operationId: 'requestContributionVariation',
    summary: 'Request a variation of a planned contribution',
    description:
      'Asks to change a planned contribution by an amount (negative to reduce it); another person with the approver role decides it.',
    body: bodies.requestVariation,
    toCommand: ({ body }) => ({ type: 'RequestContributionVariation', ...body }),
  }),
  ledgerWrite({
    url: '/contribution-variations/:variationId/approval',
    permission: 'approve',
    operationId: 'approveContributionVariation',
    summary: 'Approve a contribution variation',
    description:
      'Approves a variation requested by someone else; the contribution changes in the open quarter.',
    params: withId('variationId'),
    body: noBody,
    toCommand: ({ params }) => ({
      type: 'ApproveContributionVariation',
      variationId: params.variationId,
    }),
  }),
  ledgerWrite({
    url: '/contribution-variations/:variationId/rejection',
    permission: 'approve',
    operationId: 'rejectContributionVariation',
    summary: 'Reject a contribution variation',
    description: 'Rejects a variation requested by someone else.',
    params: withId('variationId'),
    body: noBody,
    toCommand: ({ params }) => ({
      type: 'RejectContributionVariation',
      variationId: params.variationId,
    }),
  }),
  ledgerWrite({
    url: '/contribution-dues',
    permission: 'record',
    operationId: 'recordContributionDue',
    summary: 'Record an amount due from a partner',
    description:
      'Records an amount a partner is asked to pay (an invoice to the partner), counting in the quarter of its due date; what is due never exceeds the partner’s contribution.',
    body: bodies.recordDue,
    toCommand: ({ body }) => ({ type: 'RecordContributionDue', ...body }),
  }),
  ledgerWrite({
    url: '/contribution-receipts',
    permission: 'record',
    operationId: 'recordContributionReceipt',
    summary: 'Record a contribution received',
    description:
      'Records cash received from a partner against its planned contribution; it counts in the quarter of the date received.',
    body: bodies.recordReceipt,
    toCommand: ({ body }) => ({ type: 'RecordContributionReceived', ...body }),
  }),
  ledgerWrite({
    url: '/grants',
    permission: 'record',
    operationId: 'recordGrantAward',
    summary: 'Record a grant award (iBCF, DFG determination)',
    description:
      'Records a grant determination: the award of a funding stream’s grant for the year.',
    body: bodies.recordGrant,
    toCommand: ({ body }) => ({ type: 'RecordGrantAward', ...body }),
  }),
  ledgerWrite({
    url: '/grants/:grantId/instalments',
    permission: 'record',
    operationId: 'recordGrantInstalment',
    summary: 'Record a grant instalment received',
    description: 'Records an instalment of a grant award; instalments never exceed the award.',
    params: withId('grantId'),
    body: bodies.recordInstalment,
    toCommand: ({ params, body }) => ({
      type: 'RecordGrantInstalment',
      grantId: params.grantId,
      ...body,
    }),
  }),
  ledgerWrite({
    url: '/allocations',
    permission: 'record',
    operationId: 'allocateFunds',
    summary: 'Allocate funds from a stream to a scheme line',
    description:
      'Allocates a funding stream’s unallocated contributions to a scheme line; never more than is unallocated. Original (the plan’s) until the first quarter closes and supplementary after, unless `basis` says which.',
    body: bodies.allocate,
    toCommand: ({ body }) => ({ type: 'AllocateFunds', ...body }),
  }),
  ledgerWrite({
    url: '/allocation-releases',
    permission: 'record',
    operationId: 'releaseAllocation',
    summary: 'Release unspent budget from a scheme line back to its stream',
    description: 'Returns unspent budget from a scheme line to its stream’s unallocated balance.',
    body: bodies.release,
    toCommand: ({ body }) => ({ type: 'ReleaseAllocation', ...body }),
  }),
  ledgerWrite({
    url: '/virements',
    permission: 'record',
    operationId: 'requestVirement',
    summary: 'Request a virement between two lines of a stream',
    description:
      'Asks to move budget between two lines of the same funding stream; an approver other than the requester decides it.',
    body: bodies.requestVirement,
    toCommand: ({ body }) => ({ type: 'RequestVirement', ...body }),
  }),
  ledgerWrite({
    url: '/virements/:virementId/approval',
    permission: 'approve',
    operationId: 'approveVirement',
    summary: 'Approve a virement (another person than the requester)',
    description:
      'Approves a virement; the budget moves in the open quarter. The requester may not approve their own request.',
    params: withId('virementId'),
    body: noBody,
    toCommand: ({ params }) => ({ type: 'ApproveVirement', virementId: params.virementId }),
  }),
  ledgerWrite({
    url: '/virements/:virementId/rejection',
    permission: 'approve',
    operationId: 'rejectVirement',
    summary: 'Reject a virement',
    description: 'Rejects a virement requested by someone else.',
    params: withId('virementId'),
    body: noBody,
    toCommand: ({ params }) => ({ type: 'RejectVirement', virementId: params.virementId }),
  }),
  ledgerWrite({
    url: '/schemes/:schemeId/classification',
    permission: 'record',
    operationId: 'classifySchemeForYear',
    summary: 'Classify a scheme for this year',
    description:
      'Sets the scheme’s columns (name, type, area of spend, commissioner, provider...) for this year only; other years keep theirs. Its name and type cannot change once a quarter of the year is closed.',
    params: z.strictObject({
      poolId: code,
      year: financialYear,
      schemeId: code,
    }) as unknown as z.ZodType<{ poolId: string; year: string; schemeId: string }>,
    body: bodies.classifyScheme,
    toCommand: ({ params, body }) => ({
      type: 'ClassifyScheme',
      schemeId: params.schemeId,
      columns: body,
    }),
  }),
  ledgerWrite({
    url: '/budget-profiles',
    permission: 'record',
    operationId: 'phaseBudget',
    summary: 'Phase a scheme line’s budget over the quarters',
    description:
      'Spreads a line’s budget over the four quarters by percentages summing to 100 (equal quarters until set); positions compare spend to date with the budget to date. Counts from the open quarter.',
    body: bodies.phaseBudget,
    toCommand: ({ body }) => ({ type: 'PhaseBudget', ...body }),
  }),
  ledgerWrite({
    url: '/rag-thresholds',
    permission: 'approve',
    operationId: 'setRagThresholds',
    summary: 'Set the RAG thresholds for the year',
    description:
      'Percentages over budget (overspend) and under it (slippage) beyond which a line is amber or red. Count from the open quarter: closed quarters keep theirs.',
    body: bodies.ragThresholds,
    toCommand: ({ body }) => ({ type: 'SetRagThresholds', thresholds: body }),
  }),
  ledgerWrite({
    url: '/spend',
    permission: 'record',
    operationId: 'recordSpend',
    summary: 'Record spend against a scheme line',
    description:
      'Records an invoice against a scheme line; its date decides the quarter (a date in a closed quarter makes it a prior-period posting in the open one). An overspend is recorded and flagged, never refused. iBCF spend names its purpose; an invoice may name the commitment it is against.',
    body: bodies.recordSpend,
    toCommand: ({ body }) => ({ type: 'RecordSpend', ...body }),
  }),
  ledgerWrite({
    url: '/spend/:spendId/reversal',
    permission: 'record',
    operationId: 'reverseSpend',
    summary: 'Reverse a spend, once, with a reason',
    description: 'Cancels a mistaken spend in full, once, with the reason an auditor will read.',
    params: withId('spendId'),
    body: bodies.reverseSpend,
    toCommand: ({ params, body }) => ({ type: 'ReverseSpend', spendId: params.spendId, ...body }),
  }),
  ledgerWrite({
    url: '/credit-notes',
    permission: 'record',
    operationId: 'recordCreditNote',
    summary: 'Record a supplier’s credit note',
    description:
      'Takes a supplier’s credit off a line, dated in its own quarter; it may name the invoice of this year it credits (in part or in full) or be a refund of an earlier year’s invoice.',
    body: bodies.recordCreditNote,
    toCommand: ({ body }) => ({ type: 'RecordCreditNote', ...body }),
  }),
  ledgerWrite({
    url: '/spend/:spendId/recode',
    permission: 'record',
    operationId: 'recodeSpend',
    summary: 'Move a mis-coded invoice to the right line',
    description:
      'Moves an invoice, in full or in part, to another scheme line as one linked pair of postings, with the reason an auditor will read.',
    params: withId('spendId'),
    body: bodies.recodeSpend,
    toCommand: ({ params, body }) => ({ type: 'RecodeSpend', spendId: params.spendId, ...body }),
  }),
  ledgerWrite({
    url: '/commitments',
    permission: 'record',
    operationId: 'raiseCommitment',
    summary: 'Raise a commitment (an order not yet invoiced)',
    description:
      'Commits part of a line’s budget to an order; invoices against it move the amount from committed to spent.',
    body: bodies.raiseCommitment,
    toCommand: ({ body }) => ({ type: 'RaiseCommitment', ...body }),
  }),
  ledgerWrite({
    url: '/commitments/:commitmentId/release',
    permission: 'record',
    operationId: 'releaseCommitment',
    summary: 'Release what will not be invoiced of a commitment',
    description: 'Releases all that is outstanding on a commitment, or a part of it.',
    params: withId('commitmentId'),
    body: bodies.releaseCommitment,
    toCommand: ({ params, body }) => ({
      type: 'ReleaseCommitment',
      commitmentId: params.commitmentId,
      ...body,
    }),
  }),
  ledgerWrite({
    url: '/accruals',
    permission: 'record',
    operationId: 'postAccrual',
    summary: 'Post a year-end accrual',
    description:
      'After Q4 closes, adds to a line’s expenditure what the year owes (or, below zero, takes off what it paid for the next year); the outturn is actual plus accruals.',
    body: bodies.postAccrual,
    toCommand: ({ body }) => ({ type: 'PostAccrual', ...body }),
  }),
  ledgerWrite({
    url: '/forecasts',
    permission: 'record',
    operationId: 'updateForecast',
    summary: 'Update a scheme line’s forecast outturn for a quarter',
    description:
      'Gives a line’s forecast outturn as seen in a quarter; the same figure again changes nothing.',
    body: bodies.forecast,
    toCommand: ({ body }) => ({ type: 'UpdateForecast', ...body }),
  }),
  ledgerWrite({
    url: '/savings',
    permission: 'record',
    operationId: 'planSaving',
    summary: 'Plan a saving',
    description: 'Plans a saving on a scheme, cashable or not.',
    body: bodies.planSaving,
    toCommand: ({ body }) => ({ type: 'PlanSaving', ...body }),
  }),
  ledgerWrite({
    url: '/realised-savings',
    permission: 'record',
    operationId: 'recordRealisedSaving',
    summary: 'Record a realised saving with its evidence',
    description:
      'Records a saving realised on a date (its quarter follows from it), with its evidence.',
    body: bodies.realiseSaving,
    toCommand: ({ body }) => ({ type: 'RecordRealisedSaving', ...body }),
  }),
  ledgerWrite({
    url: '/prior-period-adjustments',
    permission: 'record',
    operationId: 'postPriorPeriodAdjustment',
    summary: 'Correct a closed quarter in the open one',
    description:
      'Posts a correction of a closed quarter into the open quarter, naming the quarter it corrects.',
    body: bodies.priorPeriodAdjustment,
    toCommand: ({ body }) => ({ type: 'PostPriorPeriodAdjustment', ...body }),
  }),
  ledgerWrite({
    url: '/prior-year-adjustments',
    permission: 'record',
    operationId: 'postPriorYearAdjustment',
    summary: 'Correct a closed year in this one',
    description:
      'Posts a correction of an earlier, closed year into this year, naming the year it corrects.',
    body: bodies.priorYearAdjustment,
    toCommand: ({ body }) => ({ type: 'PostPriorYearAdjustment', ...body }),
  }),
  ledgerWrite({
    url: '/quarters/:quarter/close-request',
    permission: 'record',
    operationId: 'requestQuarterClose',
    summary: 'Request closing a quarter on its current position',
    description:
      'Asks to close the next quarter on its position as it stands; the ledger computes the position and its digest.',
    params: quarterParams,
    body: noBody,
    toCommand: ({ params }) => ({ type: 'RequestQuarterClose', quarter: params.quarter }),
  }),
  ledgerWrite({
    url: '/quarters/:quarter/close-approval',
    permission: 'approve',
    operationId: 'approveQuarterClose',
    summary: 'Approve closing a quarter (another person than the requester)',
    description:
      'Signs off the quarter: the position recomputed now must be the one the requester saw.',
    params: quarterParams,
    body: noBody,
    toCommand: ({ params }) => ({ type: 'ApproveQuarterClose', quarter: params.quarter }),
  }),
  ledgerWrite({
    url: '/outturn',
    permission: 'approve',
    operationId: 'determineYearEndOutturn',
    summary: 'Determine the year-end outturn',
    description:
      'Determines the year’s outturn per funding stream once all four quarters are closed.',
    body: noBody,
    toCommand: () => ({ type: 'DetermineYearEndOutturn' }),
  }),
  ledgerWrite({
    url: '/year-end-terms',
    permission: 'approve',
    operationId: 'proposeYearEndTerms',
    summary: 'Propose the year-end terms of the agreement',
    description:
      'The risk-share waterfall as the section 75 agreement has it for the year: its ordered steps, each line’s share profile, the contingency line, underspend treatment per stream, and what happens to money never allocated. Another CFO approves it.',
    body: bodies.proposeTerms,
    toCommand: ({ body }) => ({ type: 'ProposeYearEndTerms', terms: body }),
  }),
  ledgerWrite({
    url: '/year-end-terms/approval',
    permission: 'approve',
    operationId: 'approveYearEndTerms',
    summary: 'Approve the year-end terms (another CFO than the proposer)',
    description:
      'Agrees the terms proposed, once they can be applied to every line of the year: each line’s profile names partners who contribute, fixed shares sum to 100%.',
    body: noBody,
    toCommand: () => ({ type: 'ApproveYearEndTerms' }),
  }),
  ledgerWrite({
    url: '/risk-share',
    permission: 'approve',
    operationId: 'applyRiskShare',
    summary: 'Apply the year-end risk share',
    description:
      'Applies the agreed terms’ waterfall to the outturn, each step recorded with its figures: overspends met from underspends of the same kind, from the contingency, then shared by each line’s profile; underspends and unallocated money returned or carried forward; to the penny.',
    body: noBody,
    toCommand: () => ({ type: 'ApplyRiskShare' }),
  }),
  ledgerWrite({
    url: '/balance-brought-forward',
    permission: 'approve',
    operationId: 'bringForwardBalance',
    summary: 'Bring forward the previous year’s carry-forward',
    description:
      'Brings what a closed earlier year carried forward into this year’s funding, stream by stream, capital staying capital; once.',
    body: bodies.bringForward,
    toCommand: ({ body }) => ({ type: 'BringForwardBalance', fromYear: body.fromYear }),
  }),
  ledgerWrite({
    url: '/minimums',
    permission: 'approve',
    operationId: 'setMinimums',
    summary: 'Set the year’s national minimums',
    description:
      'The minimum NHS contribution to adult social care and the minimum NHS-commissioned out-of-hospital spend for the area, which the NHS England return checks the plan against.',
    body: bodies.minimums,
    toCommand: ({ body }) => ({ type: 'SetMinimums', ...body }),
  }),
  ledgerWrite({
    url: '/metric-targets',
    permission: 'record',
    operationId: 'setMetricTarget',
    summary: 'Set a national metric’s target for a quarter',
    description: 'A target of one of the plan cycle’s national metrics for a quarter of the year.',
    body: bodies.metricTarget,
    toCommand: ({ body }) => ({ type: 'SetMetricTarget', ...body }),
  }),
  ledgerWrite({
    url: '/metric-actuals',
    permission: 'record',
    operationId: 'recordMetricActual',
    summary: 'Record a national metric’s actual for a quarter',
    description:
      'The actual of a national metric for a quarter, provisional until the data is final; quarterly positions show whether the target was met.',
    body: bodies.metricActual,
    toCommand: ({ body }) => ({ type: 'RecordMetricActual', ...body }),
  }),
  ledgerWrite({
    url: '/close-request',
    permission: 'record',
    operationId: 'requestYearClose',
    summary: 'Request closing the year on its year-end statement',
    description:
      'Asks to close the year once Q4 is closed, the outturn determined and the risk share applied; the ledger computes the year-end statement and its digest.',
    body: noBody,
    toCommand: () => ({ type: 'RequestYearClose' }),
  }),
  ledgerWrite({
    url: '/close-approval',
    permission: 'approve',
    operationId: 'approveYearClose',
    summary: 'Approve closing the year (another person than the requester)',
    description:
      'Closes the year: the statement recomputed now must be the one the requester saw. Nothing changes the year after; corrections go into the next year.',
    body: noBody,
    toCommand: () => ({ type: 'ApproveYearClose' }),
  }),
];
