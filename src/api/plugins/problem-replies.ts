import type { FastifyRequest } from 'fastify';
import fastifyPlugin from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { ReadModelHaltedError } from '../../projections/read-face.ts';
import { type Problem, problem, sendProblem } from '../problems.ts';

/**
 * Every error becomes a problem (RFC 9457): invalid input a 400 naming each field, the framework's
 * own refusals their 4xx, and anything unexpected a 500 with a request id to quote. Nothing of the
 * server's inside (stack, SQL, paths) leaks.
 */
export const problemReplies = fastifyPlugin(
  async (app) => {
    app.setErrorHandler((error, request, reply) =>
      sendProblem(reply, problemForError(error, request)),
    );
    app.setNotFoundHandler((request, reply) =>
      sendProblem(
        reply,
        problem('not-found', `no route ${request.method} ${request.url.split('?')[0]}`),
      ),
    );
  },
  { name: 'problem-replies' },
);

const FRAMEWORK_PROBLEMS: Readonly<Record<string, () => Problem>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: () =>
    problem('payload-too-large', 'the request body is larger than the ledger accepts'),
  FST_ERR_CTP_INVALID_MEDIA_TYPE: () =>
    problem('unsupported-media-type', 'send the request body as application/json'),
  FST_ERR_CTP_EMPTY_JSON_BODY: () =>
    problem(
      'malformed-json',
      'the body is empty but the Content-Type says JSON; send {} or no Content-Type',
    ),
  FST_ERR_CTP_INVALID_JSON_BODY: () =>
    problem('malformed-json', 'the request body is not valid JSON'),
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: () =>
    problem('malformed-json', 'the request body is not valid JSON'),
  FST_ERR_REQ_TIMEOUT: () => problem('request-timeout', 'the request took too long'),
};

function problemForError(error: unknown, request: FastifyRequest): Problem {
  if (hasZodFastifySchemaValidationErrors(error)) return validationProblem(error);
  if (error instanceof ReadModelHaltedError) return problem('read-model-halted', error.message);
  const code = (error as { code?: unknown }).code;
  const framework = typeof code === 'string' ? FRAMEWORK_PROBLEMS[code] : undefined;
  if (framework !== undefined && Object.hasOwn(FRAMEWORK_PROBLEMS, code as string))
    return framework();
  if (error instanceof SyntaxError || (error as { statusCode?: unknown }).statusCode === 400) {
    return problem('malformed-json', 'the request could not be read');
  }
  request.log.error({ err: error, requestId: request.id }, 'request failed');
  return problem(
    'internal-error',
    `the ledger could not complete the request; quote request id ${request.id} to support`,
  );
}

function validationProblem(error: {
  validation: readonly { instancePath: string; message?: string }[];
  validationContext?: string;
}): Problem {
  const errors = error.validation.map((issue) => ({
    field: `${error.validationContext ?? 'request'}${issue.instancePath.replaceAll('/', '.')}`,
    message: issue.message ?? 'is not valid',
  }));
  const missingKey = errors.find(
    (entry) =>
      entry.field.startsWith('headers.idempotency-key') ||
      (entry.field === 'headers' && /idempotency/i.test(entry.message)),
  );
  if (missingKey !== undefined)
    return problem('idempotency-key-required', missingKey.message, { errors });
  return problem(
    'validation-failed',
    errors.map((entry) => `${entry.field}: ${entry.message}`).join('; '),
    { errors },
  );
}
