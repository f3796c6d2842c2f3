import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { REFUSAL_CODES, type RefusalCode } from '../commands/write-face.ts';

/**
 * Every non-2xx answer is an RFC 9457 problem: `application/problem+json` with a stable `type`
 * (a path under /problems/, where the type is described), a title, the status and a `detail` a
 * finance officer can act on. Never a stack trace, SQL or a file path.
 */
const HTTP_PROBLEMS = {
  'validation-failed': { status: 400, title: 'The request does not fit the schema' },
  'malformed-json': { status: 400, title: 'The request body is not valid JSON' },
  'idempotency-key-required': { status: 400, title: 'Every POST needs an Idempotency-Key header' },
  unauthenticated: { status: 401, title: 'A valid bearer token is needed' },
  forbidden: { status: 403, title: 'Your role may not do this' },
  'out-of-scope': { status: 403, title: 'The pool is outside your scope' },
  'not-found': { status: 404, title: 'No such resource' },
  'table-unknown': { status: 400, title: 'The report has no table of that name' },
  'import-has-problems': {
    status: 422,
    title: 'The uploaded file has problems: nothing was recorded',
  },
  'idempotency-key-in-flight': {
    status: 409,
    title: 'A request with this Idempotency-Key is still being processed',
  },
  'precondition-failed': {
    status: 412,
    title: 'The resource is not at the version given in If-Match',
  },
  'payload-too-large': { status: 413, title: 'The request body is too large' },
  'unsupported-media-type': { status: 415, title: 'Send the request body as application/json' },
  'idempotency-key-reused': {
    status: 422,
    title: 'The Idempotency-Key was used for a different request',
  },
  'rate-limited': { status: 429, title: 'Too many requests' },
  'internal-error': { status: 500, title: 'The ledger could not complete the request' },
  contention: { status: 503, title: 'The ledger is too busy with this pool-year; try again' },
  'not-ready': { status: 503, title: 'The ledger is not ready' },
  'ledger-broken': {
    status: 503,
    title:
      'The ledger’s stored history was found altered; it records nothing until that is acknowledged',
  },
  'read-model-halted': {
    status: 503,
    title: 'The ledger’s reports are stopped until they are rebuilt',
  },
  'request-timeout': { status: 503, title: 'The request took too long' },
} as const;

/** Where a domain refusal's status differs from 422 (a rule the request breaks). */
const REFUSAL_STATUS: Partial<Record<RefusalCode, number>> = {
  'pool-not-registered': 404,
  'year-not-open': 404,
  'virement-unknown': 404,
  'variation-unknown': 404,
  'spend-unknown': 404,
  'grant-unknown': 404,
  'user-unknown': 404,
  'token-unknown': 404,
  'approver-role-required': 403,
  'admin-role-required': 403,
  'outside-scope': 403,
  'last-admin': 409,
  'commitment-unknown': 404,
  'outturn-determined': 409,
  'classification-fixed': 409,
  'accrual-before-year-end': 409,
  'forecast-after-year-end': 409,
  'year-close-not-ready': 409,
  'year-close-not-requested': 409,
  'year-statement-changed-since-request': 409,
  'same-person-approval': 403,
  'version-mismatch': 412,
  'pool-already-registered': 409,
  'partner-already-joined': 409,
  'year-already-open': 409,
  'scheme-already-registered': 409,
  'duplicate-id': 409,
  'contribution-already-planned': 409,
  'not-pending': 409,
  'quarter-closed': 409,
  'quarter-out-of-order': 409,
  'close-already-requested': 409,
  'close-not-requested': 409,
  'position-out-of-date': 409,
  'position-changed-since-request': 409,
  'already-reversed': 409,
  'year-closed': 409,
  'year-end-not-ready': 409,
  'outturn-already-determined': 409,
  'outturn-not-determined': 409,
  'risk-share-already-applied': 409,
  'scheme-withdrawn': 409,
  'forbidden-for-another': 403,
  'password-not-set': 409,
  'terms-not-proposed': 409,
  'terms-not-agreed': 409,
  'metric-final': 409,
  'already-brought-forward': 409,
  'prior-year-not-closed': 409,
};

export type HttpProblemCode = keyof typeof HTTP_PROBLEMS;
export type ProblemCode = HttpProblemCode | RefusalCode;

export function problemStatus(code: ProblemCode): number {
  if (Object.hasOwn(HTTP_PROBLEMS, code)) return HTTP_PROBLEMS[code as HttpProblemCode].status;
  return REFUSAL_STATUS[code as RefusalCode] ?? 422;
}

export function problemTitle(code: ProblemCode): string {
  if (Object.hasOwn(HTTP_PROBLEMS, code)) return HTTP_PROBLEMS[code as HttpProblemCode].title;
  const description = REFUSAL_CODES[code as RefusalCode];
  return description.charAt(0).toUpperCase() + description.slice(1);
}

export function isProblemCode(code: string): code is ProblemCode {
  return Object.hasOwn(HTTP_PROBLEMS, code) || Object.hasOwn(REFUSAL_CODES, code);
}

export function allProblemCodes(): ProblemCode[] {
  return [
    ...(Object.keys(HTTP_PROBLEMS) as HttpProblemCode[]),
    ...(Object.keys(REFUSAL_CODES) as RefusalCode[]),
  ];
}

export const problemSchema = z
  .object({
    type: z.string().describe('A stable URI reference naming the kind of problem'),
    title: z.string(),
    status: z.int(),
    detail: z.string().describe('What is wrong, naming the field and value where there is one'),
    instance: z.string().optional(),
    field: z.string().optional(),
    value: z.string().optional(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  })
  .describe('RFC 9457 problem details');
export type Problem = z.infer<typeof problemSchema>;

export function problem(code: ProblemCode, detail: string, extra: Partial<Problem> = {}): Problem {
  return {
    type: `/problems/${code}`,
    title: problemTitle(code),
    status: problemStatus(code),
    detail,
    ...extra,
  };
}

export function sendProblem(reply: FastifyReply, body: Problem): FastifyReply {
  return reply.code(body.status).type('application/problem+json').send(body);
}
