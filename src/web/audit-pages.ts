import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { asAtOf, mayRead, type Person, requireSignIn, type WebDependencies } from './page-kit.ts';
import { page } from './render.ts';

/**
 * The auditor's view: the audit trail with its filters and pages, each event's detail with its
 * hash and the previous one, and the verification of the whole log with its first break. A person
 * scoped to some pools sees the events of those pools only.
 */
const PAGE_SIZE = 50;
const MOMENT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const CODE = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,79}$/;

interface Filters {
  poolId?: string | undefined;
  schemeId?: string | undefined;
  actorId?: string | undefined;
  type?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  after?: number | undefined;
}

/** The filters as given, each kept only if it is well formed; a pool always for a scoped person. */
function filtersOf(query: Record<string, string | undefined>, person: Person): Filters {
  const pick = (value: string | undefined, pattern: RegExp) =>
    value !== undefined && pattern.test(value.trim()) ? value.trim() : undefined;
  const poolId = pick(query.poolId, CODE);
  const scoped =
    person.pools === '*' ? poolId : person.pools.includes(poolId ?? '') ? poolId : person.pools[0];
  const after = Number(query.after);
  const filters: Filters = {
    poolId: scoped,
    schemeId: pick(query.schemeId, CODE),
    actorId: pick(query.actorId, CODE),
    type: pick(query.type, /^[A-Za-z]+\.v\d+$/),
    from: pick(query.from, MOMENT),
    to: pick(query.to, MOMENT) ?? asAtOf(query),
    after: Number.isSafeInteger(after) && after > 0 ? after : undefined,
  };
  return Object.fromEntries(
    Object.entries(filters).filter(([, value]) => value !== undefined),
  ) as Filters;
}

function forbidden(request: FastifyRequest, reply: FastifyReply) {
  return page(reply.code(403), request, 'error.njk', {
    title: 'You cannot see this page',
    message:
      'The audit trail is for people who read the ledgers. Ask your administrator if you need it.',
    next: { href: '/app', text: 'Go to your pools' },
  });
}

export async function auditPages(app: FastifyInstance, { deps }: { deps: WebDependencies }) {
  app.get('/audit', (request, reply) => trailPage(deps, request, reply));
  app.get('/audit/events/:position', (request, reply) => eventPage(deps, request, reply));
  app.get('/verification', async (request, reply) => {
    if (!requireSignIn(request, reply)) return reply;
    if (request.person?.role !== 'auditor' || request.person.pools !== '*')
      return page(reply.code(403), request, 'error.njk', {
        title: 'You cannot see this page',
        message: 'Verifying the whole log is for auditors of every pool.',
        next: { href: '/app', text: 'Go to your pools' },
      });
    const verification = await deps.readFace.verify();
    return page(reply, request, 'verification.njk', {
      title: 'Verification of the log',
      verification,
      verifiedAt: new Date().toISOString(),
    });
  });
}

async function trailPage(deps: WebDependencies, request: FastifyRequest, reply: FastifyReply) {
  if (!requireSignIn(request, reply)) return reply;
  const person = request.person;
  if (!mayRead(person)) return forbidden(request, reply);
  const filters = filtersOf(request.query as Record<string, string | undefined>, person);
  const trail = await deps.readFace.auditTrail({
    ...(filters.poolId === undefined ? {} : { poolId: filters.poolId }),
    ...(filters.schemeId === undefined ? {} : { schemeId: filters.schemeId }),
    ...(filters.actorId === undefined ? {} : { actorId: filters.actorId }),
    ...(filters.type === undefined ? {} : { type: filters.type }),
    ...(filters.from === undefined ? {} : { from: filters.from }),
    ...(filters.to === undefined ? {} : { to: filters.to }),
    ...(filters.after === undefined ? {} : { afterPosition: filters.after }),
    limit: PAGE_SIZE,
  });
  const query = new URLSearchParams(
    Object.entries(filters)
      .filter(([key]) => key !== 'after')
      .map(([key, value]): [string, string] => [key, String(value)]),
  );
  const next =
    trail.nextAfterPosition === null
      ? null
      : `/app/audit?${query.toString()}${query.size > 0 ? '&' : ''}after=${trail.nextAfterPosition}`;
  return page(reply, request, 'audit.njk', {
    title: 'Audit trail',
    filters,
    pools: person.pools === '*' ? null : person.pools,
    entries: trail.entries,
    next,
    first: filters.after === undefined ? null : `/app/audit?${query.toString()}`,
  });
}

async function eventPage(deps: WebDependencies, request: FastifyRequest, reply: FastifyReply) {
  if (!requireSignIn(request, reply)) return reply;
  const person = request.person;
  if (!mayRead(person)) return forbidden(request, reply);
  const position = Number((request.params as { position: string }).position);
  const event =
    Number.isSafeInteger(position) && position > 0
      ? await deps.readFace.event(position)
      : undefined;
  const poolId = (event?.data as { poolId?: unknown } | undefined)?.poolId;
  const visible =
    event !== undefined &&
    (person.pools === '*' || (typeof poolId === 'string' && person.pools.includes(poolId)));
  if (!visible)
    return page(reply.code(404), request, 'error.njk', {
      title: 'Event not found',
      message: 'There is no event at that position among those you may see.',
      next: { href: '/app/audit', text: 'Back to the audit trail' },
    });
  return page(reply, request, 'event.njk', {
    title: `Event ${position}`,
    event,
    data: JSON.stringify(event.data, null, 2),
    metadata: event.metadata,
  });
}
