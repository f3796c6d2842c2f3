import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import fastifyPlugin from 'fastify-plugin';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import type { OpenAPIV3_1 } from 'openapi-types';
import { z } from 'zod';
import { DOCUMENT_MEDIA_TYPES } from '../../documents/report-documents.ts';
import { problemSchema } from '../problems.ts';
import type { RouteSpec } from '../route-kit.ts';

/**
 * The OpenAPI 3.1 document at /openapi.json and its reference at /docs. Each operation is
 * documented from its route spec: its id, description and tags, its answers with their media types
 * (JSON, and CSV and XLSX for downloads), every problem it may answer as application/problem+json,
 * and the headers it sends and reads.
 */
export const openApi = fastifyPlugin<{ routes: readonly RouteSpec[]; serverUrl: string }>(
  async (app, { routes, serverUrl }) => {
    await app.register(fastifySwagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'BCF ledger',
          description:
            'An event-sourced ledger for Better Care Fund pooled budgets. Amounts are decimal strings in pounds. Every POST needs an Idempotency-Key; every error is application/problem+json.',
          version: '1.0.0',
          license: { name: 'Open Government Licence v3.0', identifier: 'OGL-UK-3.0' },
        },
        servers: [{ url: serverUrl, description: 'This ledger' }],
        tags: TAGS,
        components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
        security: [{ bearer: [] }],
      },
      transform: jsonSchemaTransform,
      transformObject: (document) =>
        describeOperations(
          jsonSchemaTransformObject(document) as OpenAPIV3_1.Document,
          routes,
        ) as never,
    });
    await app.register(fastifySwaggerUi, { routePrefix: '/docs' });
    app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  },
  { name: 'openapi' },
);

const TAGS = [
  { name: 'health', description: 'Liveness, readiness and the problem types' },
  { name: 'pool set-up', description: 'Pools, partners, years and schemes' },
  { name: 'ledger', description: 'Money in and out, budget, and control of a pool-year' },
  { name: 'reports', description: 'Balances, positions, statements and returns' },
  { name: 'imports', description: 'Spend files from the finance system: upload, check, confirm' },
  { name: 'audit', description: 'Who did what, when and why' },
  { name: 'users', description: 'Users and their tokens' },
];

type Operation = OpenAPIV3_1.OperationObject;

const header = (description: string): OpenAPIV3_1.HeaderObject => ({
  description,
  schema: { type: 'string' },
});

function describeOperations(
  document: OpenAPIV3_1.Document,
  routes: readonly RouteSpec[],
): OpenAPIV3_1.Document {
  const problem = z.toJSONSchema(problemSchema, { target: 'draft-2020-12' });
  delete (problem as { $schema?: unknown }).$schema;
  document.components = {
    ...document.components,
    schemas: { ...document.components?.schemas, Problem: problem as OpenAPIV3_1.SchemaObject },
  };
  for (const spec of routes) {
    const path = spec.url.replace(/:([A-Za-z]+)/g, '{$1}');
    const operation = document.paths?.[path]?.[spec.method.toLowerCase() as 'get' | 'post'];
    if (operation !== undefined) describeOperation(operation, spec);
  }
  return withoutUnusedSchemas(document);
}

/** The schema registry names each schema's input and output forms; only those referenced stay. */
function withoutUnusedSchemas(document: OpenAPIV3_1.Document): OpenAPIV3_1.Document {
  const schemas = { ...document.components?.schemas };
  const text = JSON.stringify({ ...document, components: { schemas } });
  for (const name of Object.keys(schemas)) {
    if (!text.includes(`"#/components/schemas/${name}"`)) delete schemas[name];
  }
  return { ...document, components: { ...document.components, schemas } };
}

function describeOperation(operation: Operation, spec: RouteSpec): void {
  operation.operationId = spec.operationId;
  operation.description = spec.description;
  const responses = (operation.responses ?? {}) as Record<string, OpenAPIV3_1.ResponseObject>;
  for (const [status, response] of Object.entries(responses)) {
    response.description = successDescription(status);
    response.headers = { ...response.headers, ...successHeaders(spec, status) };
    if (spec.downloads === true && status === '200') {
      for (const [format, mediaType] of Object.entries(DOCUMENT_MEDIA_TYPES)) {
        response.content = {
          ...response.content,
          [mediaType.split(';')[0] ?? mediaType]: {
            schema: { type: 'string', format: 'binary', description: `the report as ${format}` },
          },
        };
      }
    }
  }
  for (const status of problemStatuses(spec)) responses[status] = problemResponse(status);
  operation.responses = responses;
  if (spec.method === 'POST')
    operation.parameters = [...(operation.parameters ?? []), correlationHeader()];
}

function successDescription(status: string): string {
  if (status === '201') return 'Recorded';
  return 'OK';
}

function successHeaders(spec: RouteSpec, status: string): Record<string, OpenAPIV3_1.HeaderObject> {
  if (spec.method === 'POST')
    return {
      ETag: header('The version of the stream the command changed, for a later If-Match'),
      'Idempotent-Replayed': header(
        '"true" when this is the answer to an earlier identical request',
      ),
    };
  if (spec.scope === 'pool' && status === '200')
    return { ETag: header('The version of the stream the answer reflects') };
  return {};
}

/** Every problem a route can answer, by what it does: authentication, scope, input, idempotency. */
function problemStatuses(spec: RouteSpec): string[] {
  const statuses = ['400'];
  if (spec.permission !== 'public') statuses.push('401', '403', '429');
  if (spec.scope === 'pool' || spec.url.includes(':')) statuses.push('404');
  if (spec.method === 'POST') statuses.push('409', '412', '413', '415', '422');
  statuses.push('500', '503');
  return statuses;
}

function problemResponse(status: string): OpenAPIV3_1.ResponseObject {
  return {
    description: PROBLEM_DESCRIPTIONS[status] ?? 'A problem',
    ...(status === '429' ? { headers: { 'Retry-After': header('Seconds to wait') } } : {}),
    content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
  };
}

const PROBLEM_DESCRIPTIONS: Record<string, string> = {
  '400': 'The request does not fit the schema, or its body is not JSON',
  '401': 'No valid bearer token',
  '403': 'Your role may not do this, or the pool is outside your scope',
  '404': 'No such pool, year or resource',
  '409': 'The request conflicts with the ledger as it stands, or the same key is in flight',
  '412': 'The stream is not at the version given in If-Match',
  '413': 'The request body is too large',
  '415': 'The request body is not application/json',
  '422': 'A rule of the ledger refuses the request, or the key was used for another request',
  '429': 'Too many requests',
  '500': 'The ledger could not complete the request',
  '503': 'The ledger is not ready or too busy',
};

function correlationHeader(): OpenAPIV3_1.ParameterObject {
  return {
    name: 'X-Correlation-Id',
    in: 'header',
    required: false,
    description: 'Recorded with the events, to tie them to your own records',
    schema: { type: 'string', maxLength: 200 },
  };
}
