import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { mayDo, type WriteOutcome } from '../../commands/write-face.ts';
import {
  ledgerStreamId,
  poolStreamId,
  QUARTERS,
  type Quarter,
} from '../../events/catalogue/index.ts';
import { callerOf, formKeyOf, type WebDependencies } from '../page-kit.ts';
import { page } from '../render.ts';
import type { FormContext, FormSpec } from './form-spec.ts';
import {
  anchorOf,
  answerOf,
  type FieldError,
  fieldErrors,
  type Posted,
  postedStrings,
  requestValues,
} from './form-values.ts';
import { staleSince } from './stale-notice.ts';

/**
 * One machine for every form: the question page, then check your answers, then the command,
 * recorded under the form's own idempotency key with the version it was filled in against, then
 * a confirmation. A second click or a refresh sends the same key and is answered from the first;
 * a form filled in against a version the stream has moved past is shown again with what changed.
 */
interface Where {
  readonly poolId: string;
  readonly year: string;
  readonly subject: string;
}

/** How long a second click waits for its first to be decided before it is answered the same way. */
const IN_FLIGHT_WAIT_MS = 5_000;

export function streamIdOf(spec: FormSpec, where: Where): string {
  if (spec.stream === 'ledger') return ledgerStreamId(where.poolId, where.year);
  if (spec.stream === 'pool') return poolStreamId(where.poolId);
  return 'access';
}

function whereOf(source: Readonly<Record<string, unknown>>): Where {
  const text = (value: unknown) => (typeof value === 'string' ? value.slice(0, 100) : '');
  return { poolId: text(source.pool), year: text(source.year), subject: text(source.subject) };
}

/** Who may fill the form in, for which pool; undefined when they may not (with the page said). */
async function contextFor(
  deps: WebDependencies,
  spec: FormSpec,
  request: FastifyRequest,
  where: Where,
): Promise<FormContext | undefined> {
  const person = request.person;
  if (person === undefined || !mayDo(person.role, spec.permission)) return undefined;
  const inScope = person.pools === '*' || person.pools.includes(where.poolId);
  if (spec.stream !== 'access' && where.poolId !== '' && !inScope) return undefined;
  const choices = (where.poolId === ''
    ? undefined
    : await deps.readFace.choices(where.poolId, where.year || undefined)) ?? {
    poolName: '',
    partners: [],
    schemes: [],
    fundingStreams: [],
    metrics: [],
    years: [],
  };
  if (spec.stream === 'ledger' && !choices.years.includes(where.year)) return undefined;
  return { person, ...where, choices };
}

export async function showNewForm(
  deps: WebDependencies,
  spec: FormSpec,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply> {
  const where = whereOf(request.query as Record<string, unknown>);
  const context = await contextFor(deps, spec, request, where);
  if (context === undefined) return notAllowed(request, reply);
  const version = await deps.readFace.streamVersion(streamIdOf(spec, where));
  return formPage(deps, reply, request, spec, context, {
    posted: {},
    errors: [],
    key: randomUUID(),
    version,
  });
}

interface FormState {
  readonly posted: Posted;
  readonly errors: readonly FieldError[];
  readonly key: string;
  readonly version: number;
  readonly notice?: readonly string[];
}

export async function submitForm(
  deps: WebDependencies,
  spec: FormSpec,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply> {
  const posted = postedStrings(request.body);
  const where = whereOf(posted);
  const context = await contextFor(deps, spec, request, where);
  if (context === undefined) return notAllowed(request, reply);
  const key = formKeyOf(posted._key);
  const version = Number.parseInt(posted._version ?? '', 10);
  const state = { posted, errors: [], key, version: Number.isSafeInteger(version) ? version : 0 };
  const values = requestValues(spec, posted);
  for (const name of spec.newIds ?? []) values[name] = key;
  const parsed = spec.schema.safeParse(values);
  const errors = parsed.success ? [] : fieldErrors(spec, parsed.error.issues, posted);
  if (spec.asksReason === true && (posted._reason ?? '').trim() === '')
    errors.push({ name: '_reason', message: 'Enter the reason for your decision' });
  if (posted._step === 'edit' || errors.length > 0)
    return formPage(deps, reply, request, spec, context, { ...state, errors });
  if (posted._step !== 'confirm') return checkPage(deps, reply, request, spec, context, state);
  const command = spec.toCommand(parsed.data as Record<string, unknown>, context);
  const outcome = await execute(deps, request, {
    key,
    command,
    expectedVersion: state.version,
    ...(spec.asksReason === true ? { reason: (posted._reason ?? '').trim() } : {}),
  });
  return answerOutcome(deps, { spec, context, request, reply, state }, outcome);
}

async function execute(
  deps: WebDependencies,
  request: FastifyRequest,
  ask: {
    key: string;
    command: ReturnType<FormSpec['toCommand']>;
    expectedVersion: number;
    reason?: string;
  },
): Promise<WriteOutcome> {
  const person = request.person as NonNullable<FastifyRequest['person']>;
  const write = () =>
    deps.writeFace.execute({
      caller: callerOf(person),
      idempotencyKey: `form:${ask.key}`,
      command: ask.command,
      expectedVersion: ask.expectedVersion,
      correlationId: `form:${ask.key}`,
      ...(ask.reason === undefined ? {} : { reason: ask.reason }),
    });
  const deadline = Date.now() + IN_FLIGHT_WAIT_MS;
  let outcome = await write();
  while (outcome.kind === 'in-flight' && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    outcome = await write();
  }
  return outcome;
}

interface Answering {
  readonly spec: FormSpec;
  readonly context: FormContext;
  readonly request: FastifyRequest;
  readonly reply: FastifyReply;
  readonly state: FormState;
}

async function answerOutcome(
  deps: WebDependencies,
  { spec, context, request, reply, state }: Answering,
  outcome: WriteOutcome,
): Promise<FastifyReply> {
  if (outcome.kind === 'recorded' && outcome.token !== undefined)
    return secretShownOnce(reply, request, spec, outcome.token);
  if (outcome.kind === 'recorded' || outcome.kind === 'unchanged') {
    const position = outcome.kind === 'recorded' ? outcome.lastPosition : 0;
    const query = new URLSearchParams({
      pool: context.poolId,
      year: context.year,
      position: String(position),
      ...(outcome.replayed ? { again: '1' } : {}),
    });
    return reply.redirect(`/app/done/${spec.slug}?${query}`, 303);
  }
  if (outcome.kind === 'refused' && outcome.error.code === 'version-mismatch') {
    const stale = await staleSince(deps.readFace, streamIdOf(spec, context), state.version);
    return formPage(deps, reply, request, spec, context, { ...state, ...stale });
  }
  if (outcome.kind === 'refused') {
    // A refusal is kept under the key: the corrected form is a new request with a new key.
    const named = spec.fields.some((field) => field.name === outcome.error.field);
    const error = {
      name: named ? (outcome.error.field as string) : '',
      message: outcome.error.message,
    };
    return formPage(deps, reply, request, spec, context, {
      ...state,
      key: randomUUID(),
      errors: [error],
    });
  }
  const message =
    outcome.kind === 'key-reused'
      ? 'This form was already used for a different request. It has been reset: check the answers and send it again.'
      : 'The ledger could not record this just now. Nothing was recorded: send it again in a minute.';
  return formPage(
    deps,
    reply.code(outcome.kind === 'key-reused' ? 409 : 503),
    request,
    spec,
    context,
    {
      ...state,
      key: randomUUID(),
      errors: [{ name: '', message }],
    },
  );
}

/**
 * A set-up link's code or a token's secret, on this answer only: it is not in any address, and a
 * refresh (the same key again) records nothing and shows it no more.
 */
function secretShownOnce(
  reply: FastifyReply,
  request: FastifyRequest,
  spec: FormSpec,
  minted: { readonly token: string; readonly expiresAt?: string },
): Promise<FastifyReply> {
  const setUp = spec.slug === 'issue-setup-link';
  return page(reply.header('cache-control', 'no-store'), request, 'done.njk', {
    title: spec.done,
    heading: spec.done,
    panelText: setUp
      ? 'Send this link to the person: it is shown only now.'
      : 'Copy the token now: it is shown only now.',
    secret: setUp
      ? `${request.protocol}://${request.host}/app/set-up/${minted.token}`
      : minted.token,
    expiresAt: minted.expiresAt,
    links: [{ href: '/app', text: 'Back to people' }],
  });
}

function notAllowed(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  return page(reply.code(403), request, 'error.njk', {
    title: 'You cannot use this form',
    message:
      'Your role or your pools do not include this. If you need it, ask your administrator to change your access.',
    next: { href: '/app', text: 'Go to your pools' },
  });
}

async function formPage(
  deps: WebDependencies,
  reply: FastifyReply,
  request: FastifyRequest,
  spec: FormSpec,
  context: FormContext,
  state: FormState,
): Promise<FastifyReply> {
  const errorOf = (name: string) => state.errors.find((error) => error.name === name)?.message;
  const fields = spec.fields.map((field) => {
    const answer = answerOf(field, state.posted);
    const [year = '', month = '', day = ''] =
      field.kind === 'date' && answer !== '' ? answer.split('-') : [];
    return {
      ...field,
      value: answer,
      date: {
        day: day.replace(/^0+(?=\d)/, ''),
        month: month.replace(/^0+(?=\d)/, ''),
        year: year.replace(/^0+(?=\d)/, ''),
      },
      items: (field.options?.(context) ?? []).map((option) => ({
        ...option,
        selected: option.value === answer,
      })),
      error: errorOf(field.name),
    };
  });
  const summary = state.errors.map((error) => ({
    text: error.message,
    href:
      error.name === ''
        ? '#form'
        : anchorOf(
            spec.fields.find((field) => field.name === error.name),
            error.name,
          ),
  }));
  return page(reply, request, 'form.njk', {
    title: spec.title,
    spec,
    preview: await spec.preview?.(deps.readFace, context),
    fields,
    errors: summary,
    reasonError: errorOf('_reason'),
    reason: state.posted._reason ?? '',
    notice: state.notice,
    hidden: hiddenFields(context, state),
    caption: captionOf(context),
  });
}

async function checkPage(
  deps: WebDependencies,
  reply: FastifyReply,
  request: FastifyRequest,
  spec: FormSpec,
  context: FormContext,
  state: FormState,
): Promise<FastifyReply> {
  const rows = spec.fields.flatMap((field) => {
    const answer = answerOf(field, state.posted);
    if (answer === '' && field.optional === true) return [];
    const option = field.options?.(context).find((each) => each.value === answer);
    return [
      { key: { text: field.label }, value: { text: option?.text ?? shown(field.kind, answer) } },
    ];
  });
  if (spec.asksReason === true)
    rows.push({ key: { text: 'Reason' }, value: { text: (state.posted._reason ?? '').trim() } });
  // The answers travel on as they were given; the context and the key travel in `hidden`.
  const posted = Object.entries(state.posted).filter(
    ([name]) => !name.startsWith('_') && !['pool', 'year', 'subject'].includes(name),
  );
  return page(reply, request, 'check.njk', {
    title: `Check your answers: ${spec.title.toLowerCase()}`,
    spec,
    preview: await spec.preview?.(deps.readFace, context),
    rows,
    posted: [...posted, ['_reason', state.posted._reason ?? '']],
    hidden: hiddenFields(context, state),
    caption: captionOf(context),
  });
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** An answer as the check page reads it back: dates as "14 May 2018", yes or no in words. */
function shown(kind: string, answer: string): string {
  if (kind === 'yes-no') return answer === 'yes' ? 'Yes' : 'No';
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(answer);
  if (kind === 'date' && date !== null) {
    const month = MONTHS[Number(date[2]) - 1];
    if (month !== undefined) return `${Number(date[3])} ${month} ${date[1]}`;
  }
  return answer;
}

function hiddenFields(context: FormContext, state: FormState) {
  return [
    ['pool', context.poolId],
    ['year', context.year],
    ['subject', context.subject],
    ['_key', state.key],
    ['_version', String(state.version)],
  ];
}

function captionOf(context: FormContext): string {
  return [context.choices.poolName, context.year].filter((part) => part !== '').join(', ');
}

/** A quarter the path names, if it is one. */
export function quarterOf(subject: string): Quarter | undefined {
  return QUARTERS.find((quarter) => quarter === subject);
}
