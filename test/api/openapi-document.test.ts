import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeTable } from '../../src/api/app.ts';
import { type Harness, startHarness } from './api-harness.ts';

/**
 * The OpenAPI document as its clients expect it: every operation named and described, its problems
 * as application/problem+json, its downloads with their media types, the headers it sends; and a
 * linter of OpenAPI documents (Redocly's recommended rules) finds nothing wrong with it.
 */
let api: Harness;
let document: {
  servers?: unknown[];
  tags?: { name: string }[];
  paths: Record<string, Record<string, Operation>>;
};

interface Operation {
  operationId?: string;
  description?: string;
  responses: Record<
    string,
    { content?: Record<string, unknown>; headers?: Record<string, unknown> }
  >;
}

beforeAll(async () => {
  api = await startHarness();
  document = (await api.get('/openapi.json', null)).json();
});
afterAll(() => api.close());

const operations = () =>
  routeTable.map((spec) => ({
    spec,
    operation:
      document.paths[spec.url.replace(/:([A-Za-z]+)/g, '{$1}')]?.[spec.method.toLowerCase()],
  }));

describe('the OpenAPI document', () => {
  it('names, describes and tags every operation, with servers and tags at the top', () => {
    expect(document.servers?.length).toBeGreaterThan(0);
    expect(document.tags?.map((tag) => tag.name)).toContain('ledger');
    const ids = new Set<string>();
    for (const { spec, operation } of operations()) {
      expect(operation, `${spec.method} ${spec.url}`).toBeDefined();
      expect(operation?.operationId).toBe(spec.operationId);
      expect(operation?.description?.length ?? 0).toBeGreaterThan(20);
      ids.add(spec.operationId);
    }
    expect(ids.size).toBe(routeTable.length);
  });

  it('gives every 4xx answer the problem media type, downloads their media types, and the headers sent', () => {
    for (const { spec, operation } of operations()) {
      const responses = operation?.responses ?? {};
      const problems = Object.entries(responses).filter(([status]) => status.startsWith('4'));
      expect(problems.length, spec.url).toBeGreaterThan(0);
      for (const [, response] of problems)
        expect(Object.keys(response.content ?? {})).toEqual(['application/problem+json']);
      if (spec.downloads === true)
        expect(Object.keys(responses['200']?.content ?? {})).toEqual([
          'application/json',
          'text/csv',
          'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        ]);
      if (spec.method === 'POST') {
        const success = responses['201'] ?? responses['200'];
        expect(Object.keys(success?.headers ?? {})).toEqual(['ETag', 'Idempotent-Replayed']);
      }
      if (spec.permission !== 'public')
        expect(Object.keys(responses['429']?.headers ?? {})).toEqual(['Retry-After']);
    }
  });

  it('passes Redocly’s recommended rules with no error and no warning', () => {
    const path = join(api.directory, 'openapi.json');
    writeFileSync(path, JSON.stringify(document));
    const redocly = join(import.meta.dirname, '../../node_modules/.bin/redocly');
    const result = spawnSync(redocly, ['lint', path, '--format=json'], {
      encoding: 'utf8',
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
    });
    const report = JSON.parse(result.stdout) as {
      totals: { errors: number; warnings: number };
      problems: { message: string }[];
    };
    expect(report.problems.map((problem) => problem.message)).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
  });
});
