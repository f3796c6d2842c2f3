import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { mayDo } from '../commands/write-face.ts';
import type { AwaitingDecision } from '../projections/read-face.ts';
import { decisionForms } from './forms/decision-forms.ts';
import { showNewForm, submitForm } from './forms/form-flow.ts';
import type { FormSpec } from './forms/form-spec.ts';
import { officerForms } from './forms/officer-forms.ts';
import { setUpForms } from './forms/set-up-forms.ts';
import { sentenceOf } from './forms/stale-notice.ts';
import { mayRead, pounds, requireSignIn, type WebDependencies } from './page-kit.ts';
import { page } from './render.ts';

/**
 * Where people work: every form at `/app/do/{form}` (the pool, year and subject in its address
 * and, once sent, in its hidden fields), the confirmation after it, a pool-year's list of what
 * the person may record there, and the CFO group's inbox of what waits for a decision.
 */
export async function workPages(app: FastifyInstance, { deps }: { deps: WebDependencies }) {
  const forms = new Map<string, FormSpec>(
    [...officerForms, ...decisionForms, ...setUpForms(deps.library)].map((spec) => [
      spec.slug,
      spec,
    ]),
  );
  const specOf = (request: FastifyRequest) => forms.get((request.params as { slug: string }).slug);

  app.get('/do/:slug', async (request, reply) => {
    if (!requireSignIn(request, reply)) return reply;
    const spec = specOf(request);
    return spec === undefined ? reply.callNotFound() : showNewForm(deps, spec, request, reply);
  });
  app.post('/do/:slug', { preHandler: app.csrfProtection }, async (request, reply) => {
    if (!requireSignIn(request, reply)) return reply;
    const spec = specOf(request);
    return spec === undefined ? reply.callNotFound() : submitForm(deps, spec, request, reply);
  });
  app.get('/done/:slug', async (request, reply) => {
    if (!requireSignIn(request, reply)) return reply;
    const spec = specOf(request);
    return spec === undefined ? reply.callNotFound() : donePage(deps, spec, request, reply);
  });
  app.get('/pools/:poolId/:year/work', async (request, reply) => {
    if (!requireSignIn(request, reply)) return reply;
    return taskList(deps, [...forms.values()], request, reply);
  });
  app.get('/inbox', async (request, reply) => {
    if (!requireSignIn(request, reply)) return reply;
    return inbox(deps, request, reply);
  });
}

async function donePage(
  deps: WebDependencies,
  spec: FormSpec,
  request: FastifyRequest,
  reply: FastifyReply,
) {
  const query = request.query as Record<string, string | undefined>;
  const pool = query.pool ?? '';
  const year = query.year ?? '';
  const position = Number.parseInt(query.position ?? '0', 10);
  const found = position > 0 ? await deps.readFace.event(position) : undefined;
  // Only the pool's readers (or, for people, administrators) see which event it was.
  const visible =
    found !== undefined &&
    (found.streamId === 'access'
      ? request.person?.role === 'admin'
      : mayRead(request.person, pool) && poolOfStream(found.streamId) === pool);
  const back =
    spec.stream === 'ledger'
      ? [
          { href: `/app/pools/${pool}/${year}/work`, text: 'Record something else' },
          { href: `/app/pools/${pool}/${year}/Q1`, text: 'See the pool’s figures' },
        ]
      : [{ href: '/app', text: 'Back to the start' }];
  return page(reply, request, 'done.njk', {
    title: spec.done,
    heading: spec.done,
    again: query.again === '1',
    panelText: visible ? `${sentenceOf(found.type)}: event ${found.globalPosition}` : '',
    event: visible
      ? {
          position: found.globalPosition,
          actor: found.metadata.actor.id,
          recordedAt: found.metadata.recordedAt,
        }
      : undefined,
    links:
      spec.stream === 'ledger' && pool !== ''
        ? back
        : [{ href: '/app', text: 'Back to the start' }],
  });
}

/** The pool a pool or ledger stream belongs to (`pool-{pool}`, `ledger-{pool}-{year}`). */
function poolOfStream(streamId: string): string | undefined {
  if (streamId.startsWith('pool-')) return streamId.slice('pool-'.length);
  return /^ledger-(.+)-\d{4}-\d{2}$/.exec(streamId)?.[1];
}

/** The pool-year's forms the person may use, grouped as their work is. */
async function taskList(
  deps: WebDependencies,
  forms: readonly FormSpec[],
  request: FastifyRequest,
  reply: FastifyReply,
) {
  const { poolId, year } = request.params as { poolId: string; year: string };
  const person = request.person;
  const choices = mayRead(person, poolId) ? await deps.readFace.choices(poolId, year) : undefined;
  if (person === undefined || choices === undefined || !choices.years.includes(year))
    return reply.callNotFound();
  const query = `?pool=${encodeURIComponent(poolId)}&year=${encodeURIComponent(year)}`;
  const offered = forms.filter(
    (spec) =>
      spec.stream === 'ledger' && mayDo(person.role, spec.permission) && spec.preview === undefined,
  );
  const link = (spec: FormSpec) => ({ href: `/app/do/${spec.slug}${query}`, text: spec.title });
  return page(reply, request, 'work.njk', {
    title: `Record for ${choices.poolName}, ${year}`,
    poolName: choices.poolName,
    year,
    poolId,
    links: offered.map(link),
    imports: mayDo(person.role, 'record')
      ? [
          { href: `/app/pools/${poolId}/${year}/spend-imports/new`, text: 'Import a spend file' },
          { href: `/app/pools/${poolId}/plan-import`, text: 'Import a plan' },
        ]
      : [],
    closes: mayDo(person.role, 'record')
      ? ['Q1', 'Q2', 'Q3', 'Q4'].map((quarter) => ({
          href: `/app/do/request-quarter-close${query}&subject=${quarter}`,
          text: `Ask to close ${quarter}`,
        }))
      : [],
    forecasts: `/app/pools/${poolId}/${year}/forecasts`,
  });
}

/** What waits for the CFO group, each with what it changes; no decision button on one's own. */
async function inbox(deps: WebDependencies, request: FastifyRequest, reply: FastifyReply) {
  const person = request.person;
  if (person === undefined || !mayRead(person)) return reply.callNotFound();
  const items = await deps.readFace.awaitingDecision(person.pools);
  const mayDecide = mayDo(person.role, 'approve');
  const rows = items.map((item) => {
    const own = item.requestedBy === person.userId;
    const decision = decisionOf(item);
    return {
      pool: item.poolName,
      year: item.year,
      what: decision.what,
      changes: decision.changes,
      requestedBy: item.requestedBy,
      own,
      approve: mayDecide && !own ? decision.approve : undefined,
      approveText: decision.approveText,
      reject: mayDecide && !own ? decision.reject : undefined,
    };
  });
  return page(reply, request, 'inbox.njk', { title: 'Waiting for a decision', rows, mayDecide });
}

/** What a waiting request is, what it changes, and the pages that decide it. */
function decisionOf(item: AwaitingDecision) {
  const query = `?pool=${encodeURIComponent(item.poolId)}&year=${encodeURIComponent(item.year)}`;
  const on = (form: string, subject?: string) =>
    `/app/do/${form}${query}${subject === undefined ? '' : `&subject=${encodeURIComponent(subject)}`}`;
  switch (item.kind) {
    case 'virement':
      return {
        what: `Virement ${item.virementId}`,
        changes: `${pounds(item.amount)} of ${item.fundingStream} from ${item.fromSchemeId} to ${item.toSchemeId}`,
        approve: on('approve-virement', item.virementId),
        approveText: 'Approve',
        reject: on('reject-virement', item.virementId),
      };
    case 'variation':
      return {
        what: `Contribution variation ${item.variationId}`,
        changes: `${pounds(item.change)} to ${item.partnerId}’s ${item.fundingStream}`,
        approve: on('approve-variation', item.variationId),
        approveText: 'Approve',
        reject: on('reject-variation', item.variationId),
      };
    case 'quarter-close':
      return {
        what: `Close ${item.quarter}`,
        changes: `Signs off the quarterly position of ${item.quarter} ${item.year}`,
        approve: on('approve-quarter-close', item.quarter),
        approveText: 'Sign off',
      };
    case 'year-close':
      return {
        what: 'Close the year',
        changes: `Signs off the year-end statement of ${item.year}`,
        approve: on('approve-year-close'),
        approveText: 'Sign off',
      };
    case 'year-end-terms':
      return {
        what: 'Year-end terms',
        changes: `The risk-share terms proposed for ${item.year}`,
        approve: on('approve-year-end-terms'),
        approveText: 'Approve',
      };
  }
}
