import { z } from 'zod';
import type { CommandInput } from '../../commands/write-face.ts';
import type { AwaitingDecision, ReadFace } from '../../projections/read-face.ts';
import { pounds, sumOf as sumAmounts } from '../page-kit.ts';
import { quarterOf } from './form-flow.ts';
import type { FormContext, FormSpec, Preview } from './form-spec.ts';

/**
 * The CFO group's decisions, each on its own page that shows what it changes before the button:
 * the request with its figures and who made it, the quarter's position and the digest a close
 * signs, the waterfall's steps before the risk share is applied. The person who made a request is
 * never offered its decision (the page says why), and the ledger refuses it anyway.
 */
const noAnswers = z.strictObject({});

function ledger(command: Record<string, unknown>, context: FormContext): CommandInput {
  return { ...command, poolId: context.poolId, year: context.year } as unknown as CommandInput;
}

async function waiting(
  read: ReadFace,
  context: FormContext,
  matches: (item: AwaitingDecision) => boolean,
): Promise<AwaitingDecision | undefined> {
  const items = await read.awaitingDecision([context.poolId]);
  return items.find((item) => item.year === context.year && matches(item));
}

function ownRequest(item: AwaitingDecision, context: FormContext): string | undefined {
  return item.requestedBy === context.person.userId
    ? 'You made this request, so another member of the CFO group must decide it.'
    : undefined;
}

async function virementPreview(read: ReadFace, context: FormContext): Promise<Preview> {
  const item = await waiting(
    read,
    context,
    (each) => each.kind === 'virement' && each.virementId === context.subject,
  );
  if (item?.kind !== 'virement')
    return { sections: [], blocked: `No virement "${context.subject}" is waiting for a decision.` };
  const scheme = (id: string) =>
    `${id}: ${context.choices.schemes.find((each) => each.schemeId === id)?.name ?? ''}`;
  const rows = [
    { key: 'Funding stream', value: item.fundingStream },
    { key: 'From scheme', value: scheme(item.fromSchemeId) },
    { key: 'To scheme', value: scheme(item.toSchemeId) },
    { key: 'Amount', value: pounds(item.amount) },
    { key: 'Requested by', value: item.requestedBy },
  ];
  const blocked = ownRequest(item, context);
  return { sections: [{ title: 'The virement', rows }], ...(blocked ? { blocked } : {}) };
}

async function variationPreview(read: ReadFace, context: FormContext): Promise<Preview> {
  const item = await waiting(
    read,
    context,
    (each) => each.kind === 'variation' && each.variationId === context.subject,
  );
  if (item?.kind !== 'variation')
    return {
      sections: [],
      blocked: `No variation "${context.subject}" is waiting for a decision.`,
    };
  const rows = [
    { key: 'Partner', value: item.partnerId },
    { key: 'Funding stream', value: item.fundingStream },
    { key: 'Change to the contribution', value: pounds(item.change) },
    { key: 'Requested by', value: item.requestedBy },
  ];
  const blocked = ownRequest(item, context);
  return { sections: [{ title: 'The variation', rows }], ...(blocked ? { blocked } : {}) };
}

/** The position a close signs: its totals and its digest, as the approver's own read computes it. */
async function quarterPreview(
  read: ReadFace,
  context: FormContext,
  approving: boolean,
): Promise<Preview> {
  const quarter = quarterOf(context.subject);
  if (quarter === undefined) return { sections: [], blocked: 'Choose a quarter, Q1 to Q4.' };
  const found = await read.report({
    kind: 'quarter',
    poolId: context.poolId,
    year: context.year,
    quarter,
  });
  if (!found.found) return { sections: [], blocked: found.detail };
  const report = found.value;
  const streams = report.position.streams;
  const total = (pick: (stream: (typeof streams)[number]) => string) =>
    pounds(sumAmounts(streams.map(pick)));
  const rows = [
    { key: 'Budget for the year', value: total((stream) => stream.budget) },
    { key: 'Spend in the quarter', value: total((stream) => stream.spendInQuarter) },
    { key: 'Spend to date', value: total((stream) => stream.spendYearToDate) },
    { key: 'Forecast outturn', value: total((stream) => stream.forecastOutturn) },
    { key: 'Variance', value: total((stream) => stream.variance) },
    { key: 'Digest of the position signed', value: report.digest },
  ];
  if (report.status.closeRequestedBy !== null)
    rows.push({ key: 'Close requested by', value: report.status.closeRequestedBy });
  const blocked = closeBlocked(report.status, quarter, context, approving);
  return {
    sections: [{ title: `The quarterly position, ${quarter} ${context.year}`, rows }],
    ...(blocked === undefined ? {} : { blocked }),
  };
}

export const decisionForms: readonly FormSpec[] = [
  ...(['approve', 'reject'] as const).map(
    (decision): FormSpec => ({
      slug: `${decision}-virement`,
      title: decision === 'approve' ? 'Approve a virement' : 'Reject a virement',
      lead: 'Check what the virement moves, then give your reason.',
      permission: 'approve',
      stream: 'ledger',
      schema: noAnswers,
      fields: [],
      asksReason: true,
      preview: virementPreview,
      toCommand: (_values, context) =>
        ledger(
          {
            type: decision === 'approve' ? 'ApproveVirement' : 'RejectVirement',
            virementId: context.subject,
          },
          context,
        ),
      done: decision === 'approve' ? 'Virement approved' : 'Virement rejected',
    }),
  ),
  ...(['approve', 'reject'] as const).map(
    (decision): FormSpec => ({
      slug: `${decision}-variation`,
      title:
        decision === 'approve'
          ? 'Approve a contribution variation'
          : 'Reject a contribution variation',
      lead: 'Check the change to the partner’s contribution, then give your reason.',
      permission: 'approve',
      stream: 'ledger',
      schema: noAnswers,
      fields: [],
      asksReason: true,
      preview: variationPreview,
      toCommand: (_values, context) =>
        ledger(
          {
            type:
              decision === 'approve'
                ? 'ApproveContributionVariation'
                : 'RejectContributionVariation',
            variationId: context.subject,
          },
          context,
        ),
      done: decision === 'approve' ? 'Variation approved' : 'Variation rejected',
    }),
  ),
  {
    slug: 'request-quarter-close',
    title: 'Ask to close the quarter',
    lead: 'Asks the CFO group to sign off the quarter’s position as it stands now. Another person signs it off.',
    permission: 'record',
    stream: 'ledger',
    schema: noAnswers,
    fields: [],
    preview: (read, context) => quarterPreview(read, context, false),
    toCommand: (_values, context) =>
      ledger({ type: 'RequestQuarterClose', quarter: context.subject }, context),
    done: 'Quarter close requested',
  },
  {
    slug: 'approve-quarter-close',
    title: 'Sign off the quarter',
    lead: 'Signs off the quarterly position shown here. Once signed, these figures never change: later corrections are shown beside them.',
    permission: 'approve',
    stream: 'ledger',
    schema: noAnswers,
    fields: [],
    asksReason: true,
    preview: (read, context) => quarterPreview(read, context, true),
    toCommand: (_values, context) =>
      ledger({ type: 'ApproveQuarterClose', quarter: context.subject }, context),
    done: 'Quarter signed off',
  },
  ...yearEndForms(),
];

/** Why a quarter's close cannot be asked for, or signed off, by this person now; if it cannot. */
function closeBlocked(
  status: { closed: boolean; closeRequestedBy: string | null },
  quarter: string,
  context: FormContext,
  approving: boolean,
): string | undefined {
  if (status.closed) return `${quarter} ${context.year} is closed.`;
  const asker = status.closeRequestedBy;
  if (!approving)
    return asker === null
      ? undefined
      : `Closing ${quarter} has been asked for already by ${asker}.`;
  if (asker === null)
    return `Nobody has asked to close ${quarter} yet: a finance officer or CFO asks first.`;
  if (asker === context.person.userId)
    return 'You asked to close this quarter, so another member of the CFO group must sign it off.';
  return undefined;
}

/** The terms proposed, step by step, and who proposed them. */
async function termsPreview(read: ReadFace, context: FormContext): Promise<Preview> {
  const item = await waiting(read, context, (each) => each.kind === 'year-end-terms');
  if (item?.kind !== 'year-end-terms')
    return { sections: [], blocked: `No year-end terms for ${context.year} wait for approval.` };
  const profile = (shares: (typeof item.terms)['defaultProfile']) =>
    shares.kind === 'fixed'
      ? shares.shares.map((share) => `${share.partnerId} ${share.percentage}%`).join(', ')
      : `in proportion to ${shares.kind.replaceAll('-', ' ')}`;
  const rows = [
    { key: 'Steps, in order', value: item.terms.steps.join(', then ') },
    {
      key: 'Contingency line',
      value: item.terms.contingency
        ? `${item.terms.contingency.schemeId}, ${item.terms.contingency.fundingStream}`
        : 'None',
    },
    { key: 'Overspends shared', value: profile(item.terms.defaultProfile) },
    ...item.terms.lineProfiles.map((line) => ({
      key: `Overspend of ${line.schemeId}, ${line.fundingStream}`,
      value: profile(line.profile),
    })),
    { key: 'Underspends', value: item.terms.defaultUnderspend.replaceAll('-', ' ') },
    ...item.terms.underspend.map((line) => ({
      key: `Underspend of ${line.fundingStream}`,
      value: line.treatment.replaceAll('-', ' '),
    })),
    { key: 'Unallocated funding', value: item.terms.unallocated.replaceAll('-', ' ') },
    { key: 'Proposed by', value: item.requestedBy },
  ];
  const blocked = ownRequest(item, context);
  return { sections: [{ title: 'The terms', rows }], ...(blocked ? { blocked } : {}) };
}

/** The statement a year close signs: its net position and digest, as the approver computes it. */
async function yearClosePreview(read: ReadFace, context: FormContext): Promise<Preview> {
  const found = await read.report({ kind: 'year-end', poolId: context.poolId, year: context.year });
  if (!found.found) return { sections: [], blocked: found.detail };
  const statement = found.value;
  const digest = await read.yearEndDigest(context.poolId, context.year, found);
  const item = await waiting(read, context, (each) => each.kind === 'year-close');
  const rows = [
    { key: 'Basis', value: statement.basis },
    { key: 'Funding', value: pounds(statement.net.funding) },
    { key: 'Expenditure', value: pounds(statement.net.expenditure) },
    { key: 'Net (funding less expenditure)', value: pounds(statement.net.net) },
    { key: 'Digest of the statement signed', value: digest ?? 'none' },
  ];
  if (item !== undefined) rows.push({ key: 'Close requested by', value: item.requestedBy });
  const blocked = statement.closed
    ? `${context.year} is closed.`
    : item === undefined
      ? `Nobody has asked to close ${context.year} yet.`
      : ownRequest(item, context);
  return {
    sections: [{ title: `The year-end statement, ${context.year}`, rows }],
    ...(blocked === undefined ? {} : { blocked }),
  };
}

function yearEndForms(): FormSpec[] {
  return [
    {
      slug: 'approve-year-end-terms',
      title: 'Approve the year-end terms',
      lead: 'The risk-share terms proposed for the year: how an overspend is shared and an underspend treated.',
      permission: 'approve',
      stream: 'ledger',
      schema: noAnswers,
      fields: [],
      asksReason: true,
      preview: termsPreview,
      toCommand: (_values, context) => ledger({ type: 'ApproveYearEndTerms' }, context),
      done: 'Year-end terms approved',
    },
    {
      slug: 'approve-year-close',
      title: 'Sign off the year',
      lead: 'Signs off the year-end statement shown here. Once signed, its figures never change.',
      permission: 'approve',
      stream: 'ledger',
      schema: noAnswers,
      fields: [],
      asksReason: true,
      preview: yearClosePreview,
      toCommand: (_values, context) => ledger({ type: 'ApproveYearClose' }, context),
      done: 'Year signed off',
    },
    {
      slug: 'apply-risk-share',
      title: 'Apply the year-end risk share',
      lead: 'Applies the agreed terms to the year’s outturn, step by step as shown. Check each step before you confirm.',
      permission: 'approve',
      stream: 'ledger',
      schema: noAnswers,
      fields: [],
      asksReason: true,
      preview: riskSharePreview,
      toCommand: (_values, context) => ledger({ type: 'ApplyRiskShare' }, context),
      done: 'Risk share applied',
    },
  ];
}

/** The waterfall as it would apply now: offsets, contingency, overspends shared, underspends. */
async function riskSharePreview(read: ReadFace, context: FormContext): Promise<Preview> {
  const found = await read.report({ kind: 'year-end', poolId: context.poolId, year: context.year });
  if (!found.found) return { sections: [], blocked: found.detail };
  const share = found.value.riskShare;
  if (share.status !== 'projected')
    return {
      sections: [],
      blocked:
        share.status === 'applied'
          ? 'The risk share has been applied.'
          : (share.detail ?? 'The risk share cannot be applied yet.'),
    };
  const steps = [
    ...share.offsets.map((step) => ({ key: `Offset: ${step.kind}`, value: pounds(step.offset) })),
    ...(share.contingency === null
      ? []
      : [
          {
            key: `Contingency used (${share.contingency.schemeId})`,
            value: pounds(share.contingency.used),
          },
        ]),
    ...share.overspends.flatMap((line) =>
      line.shares.map((part) => ({
        key: `Overspend of ${line.schemeId}, ${line.fundingStream}, borne by ${part.partnerId}`,
        value: pounds(part.amount),
      })),
    ),
    ...share.underspends.map((line) => ({
      key: `Underspend of ${line.fundingStream}: carried forward`,
      value: pounds(line.carriedForward),
    })),
  ];
  const outcome = [
    { key: 'Net (funding less expenditure)', value: pounds(share.reconciliation.net) },
    ...share.shares.map((part) => ({ key: `Share of ${part.name}`, value: pounds(part.amount) })),
    ...share.carryForward.map((line) => ({
      key: `Carried forward, ${line.fundingStream}`,
      value: pounds(line.amount),
    })),
    {
      key: 'Shares and carry-forward reconcile to the net',
      value: share.reconciliation.reconciles ? 'Yes' : 'No',
    },
  ];
  return {
    sections: [
      { title: 'Each step of the waterfall', rows: steps },
      { title: 'What it comes to', rows: outcome },
    ],
  };
}
