import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { mayDo } from '../commands/write-face.ts';
import { ledgerStreamId, QUARTERS, type Quarter } from '../events/catalogue/index.ts';
import { forecast } from '../events/requests/ledger-requests.ts';
import { plainAmount, postedStrings } from './forms/form-values.ts';
import { staleSince } from './forms/stale-notice.ts';
import {
  callerOf,
  formKeyOf,
  mayRead,
  pounds,
  requireSignIn,
  type WebDependencies,
} from './page-kit.ts';
import { page } from './render.ts';

/**
 * The forecasts of every line of a quarter on one page: each line's forecast outturn as last
 * given, and a box for the new one. Only the lines changed are recorded, each under the form's
 * key and its line, so the page sent twice records nothing new; the page carries the ledger's
 * version and is refused, saying what changed, if the ledger moved on meanwhile.
 */
interface LineAnswer {
  readonly schemeId: string;
  readonly fundingStream: string;
  readonly name: string;
  readonly current: string;
  readonly given: boolean;
  readonly value: string;
  readonly error?: string;
}

export async function forecastPages(app: FastifyInstance, { deps }: { deps: WebDependencies }) {
  app.get('/pools/:poolId/:year/forecasts', async (request, reply) => {
    if (!requireSignIn(request, reply)) return reply;
    const where = whereOf(request, (request.query as { quarter?: string }).quarter);
    if (where === undefined) return reply.callNotFound();
    const lines = await linesOf(deps, where);
    if (lines === undefined) return reply.callNotFound();
    const version = await deps.readFace.streamVersion(ledgerStreamId(where.poolId, where.year));
    return forecastPage(request, reply, { ...where, lines, key: randomUUID(), version });
  });
  app.post(
    '/pools/:poolId/:year/forecasts',
    { preHandler: app.csrfProtection },
    async (request, reply) => {
      if (!requireSignIn(request, reply)) return reply;
      const posted = postedStrings(request.body);
      const where = whereOf(request, posted.quarter);
      if (where === undefined) return reply.callNotFound();
      return submitForecasts(deps, request, reply, { ...where, posted });
    },
  );
}

interface Where {
  readonly poolId: string;
  readonly year: string;
  readonly quarter: Quarter;
}

function whereOf(request: FastifyRequest, quarter: string | undefined): Where | undefined {
  const { poolId, year } = request.params as { poolId: string; year: string };
  const person = request.person;
  if (!mayRead(person, poolId) || !mayDo(person.role, 'record')) return undefined;
  const chosen = QUARTERS.find((each) => each === (quarter ?? 'Q1'));
  return chosen === undefined ? undefined : { poolId, year, quarter: chosen };
}

async function linesOf(deps: WebDependencies, where: Where): Promise<LineAnswer[] | undefined> {
  const found = await deps.readFace.report({ kind: 'quarter', ...where });
  if (!found.found) return undefined;
  return found.value.position.lines.map((line) => ({
    schemeId: line.schemeId,
    fundingStream: line.fundingStream,
    name: line.schemeName,
    current: line.forecastOutturn,
    given: line.forecastGiven,
    value: '',
  }));
}

async function submitForecasts(
  deps: WebDependencies,
  request: FastifyRequest,
  reply: FastifyReply,
  form: Where & { readonly posted: Readonly<Record<string, string>> },
) {
  const lines = await linesOf(deps, form);
  if (lines === undefined) return reply.callNotFound();
  const key = formKeyOf(form.posted._key);
  const version = Number.parseInt(form.posted._version ?? '0', 10) || 0;
  const answered = answersOf(lines, form);
  const state = { ...form, lines: answered, key, version };
  if (answered.some((line) => line.error !== undefined)) return forecastPage(request, reply, state);
  const person = request.person as NonNullable<FastifyRequest['person']>;
  let first = true;
  for (const line of answered.filter((each) => each.value !== '')) {
    const outcome = await deps.writeFace.execute({
      caller: callerOf(person),
      idempotencyKey: `form:${key}:${line.schemeId}:${line.fundingStream}`,
      command: {
        type: 'UpdateForecast',
        poolId: form.poolId,
        year: form.year,
        schemeId: line.schemeId,
        fundingStream: line.fundingStream,
        quarter: form.quarter,
        forecastOutturn: line.value,
      },
      ...(first ? { expectedVersion: version } : {}),
      correlationId: `form:${key}`,
    });
    if (outcome.kind === 'refused' && outcome.error.code === 'version-mismatch') {
      const streamId = ledgerStreamId(form.poolId, form.year);
      const stale = await staleSince(deps.readFace, streamId, version);
      return forecastPage(request, reply, { ...state, ...stale });
    }
    if (outcome.kind !== 'recorded' && outcome.kind !== 'unchanged') {
      const message =
        outcome.kind === 'refused'
          ? outcome.error.message
          : 'The ledger could not record it just now: send the page again';
      const marked = answered.map((each) =>
        each === line
          ? { ...each, error: `${line.schemeId}, ${line.fundingStream}: ${message}` }
          : each,
      );
      return forecastPage(request, reply, { ...state, lines: marked });
    }
    first = false;
  }
  return reply.redirect(`/app/pools/${form.poolId}/${form.year}/${form.quarter}`, 303);
}

/** Each line's new forecast as the page gave it, judged by the API's forecast schema. */
function answersOf(
  lines: readonly LineAnswer[],
  form: Where & { readonly posted: Readonly<Record<string, string>> },
): LineAnswer[] {
  return lines.map((line, index) => {
    const value = plainAmount((form.posted[`line-${index}`] ?? '').trim());
    if (value === '') return { ...line, value };
    const parsed = forecast.safeParse({
      schemeId: line.schemeId,
      fundingStream: line.fundingStream,
      quarter: form.quarter,
      forecastOutturn: value,
    });
    if (parsed.success) return { ...line, value };
    const problem = parsed.error.issues[0]?.message ?? 'not an amount';
    return {
      ...line,
      value,
      error: `Forecast of ${line.schemeId}, ${line.fundingStream}: ${problem}`,
    };
  });
}

function forecastPage(
  request: FastifyRequest,
  reply: FastifyReply,
  state: Where & { lines: LineAnswer[]; key: string; version: number; notice?: string[] },
) {
  const errors = state.lines.flatMap((line, index) =>
    line.error === undefined ? [] : [{ text: line.error, href: `#line-${index}` }],
  );
  return page(reply, request, 'forecasts.njk', {
    title: `Forecasts for ${state.quarter} ${state.year}`,
    ...state,
    errors,
    lines: state.lines.map((line, index) => ({
      ...line,
      index,
      current: line.given
        ? pounds(line.current)
        : `${pounds(line.current)} (the budget: none given yet)`,
    })),
  });
}
