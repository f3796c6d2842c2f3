import { z } from 'zod';
import { code, name } from '../../events/catalogue/index.ts';
import type { StagedImport } from '../../import/spend-imports.ts';
import { spendMapping } from '../../import/spend-mapping.ts';
import { problem } from '../problems.ts';
import { type Outcome, type RouteSpec, route } from '../route-kit.ts';

/**
 * Spend imports from the finance system (docs/spend-import.md): upload a file with its mapping
 * (it is kept and checked), read the check, confirm it. The pages use the same three steps.
 */
const poolParams = z.strictObject({ poolId: code });
const importParams = poolParams.extend({
  importId: z.string().regex(/^[0-9a-f]{32}$/, 'an import id as the upload answered it'),
});

const uploadBody = z.strictObject({
  fileName: name.describe('The file’s name, as the user knows it'),
  content: z
    .string()
    .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'the file’s bytes in base64')
    .min(4)
    .describe('The file’s bytes (CSV or XLSX), base64-encoded'),
  mapping: spendMapping.describe('How the file’s columns and rows map onto the pool'),
});

const confirmBody = z.strictObject({
  skipRowsWithProblems: z
    .boolean()
    .default(false)
    .describe('Record the rows without problems, leaving out the rows the check lists'),
});

const count = z.number().int().nonnegative();
const problemRow = z.strictObject({
  file: z.string(),
  rowNumber: count,
  column: z.string(),
  kind: z.string(),
  message: z.string(),
});
const report = z.strictObject({
  files: z.array(
    z.strictObject({ fileName: z.string(), rows: count, excluded: count, taken: count }),
  ),
  rows: count,
  excluded: count,
  invoices: count,
  credits: count,
  alreadyRecorded: count,
  toRecord: count,
  problems: z.array(problemRow),
  byLine: z.array(
    z.strictObject({
      year: z.string(),
      schemeId: z.string(),
      fundingStream: z.string(),
      quarter: z.string(),
      invoices: count,
      credits: count,
      spend: z.string(),
      credited: z.string(),
      net: z.string(),
    }),
  ),
  totals: z.strictObject({ spend: z.string(), credited: z.string(), net: z.string() }),
  clean: z.boolean(),
});
const stagedImport = z.strictObject({
  importId: z.string(),
  poolId: z.string(),
  fileName: z.string(),
  uploadedBy: z.string(),
  uploadedAt: z.string(),
  expiresAt: z.string(),
  status: z.enum(['checked', 'recorded']),
  report,
  outcome: z
    .strictObject({
      recorded: z.boolean(),
      rowsRecorded: count,
      alreadyRecorded: count,
      rowsSkipped: count,
      eventsRecorded: count,
      commits: count,
      confirmedBy: z.string(),
      stopped: problemRow.nullable(),
    })
    .nullable(),
});

function reply(status: number, staged: StagedImport, replayed = false): Outcome {
  return {
    status,
    body: staged,
    headers: {
      location: `/pools/${staged.poolId}/spend-imports/${staged.importId}`,
      ...(replayed ? { 'idempotent-replayed': 'true' } : {}),
    },
  };
}

export const importRoutes: RouteSpec[] = [
  route<z.infer<typeof poolParams>, unknown, z.infer<typeof uploadBody>>({
    method: 'POST',
    url: '/pools/:poolId/spend-imports',
    permission: 'record',
    scope: 'pool',
    operationId: 'uploadSpendFile',
    summary: 'Upload a spend file and check it',
    description:
      'Keeps the file (CSV or XLSX, base64) for a day and checks it through the mapping against the ledger as it stands, recording nothing: counts and totals per scheme line and quarter, rows already recorded, and every problem with its row and column. Confirm it to record it.',
    tags: ['imports'],
    bodyLimit: (config) => config.uploadLimitBytes,
    schema: {
      params: poolParams,
      body: uploadBody,
      response: { 201: stagedImport, 200: stagedImport },
    },
    handle: async ({ deps, params, body, caller, request }) => {
      const outcome = await deps.spendImports.upload({
        poolId: params.poolId,
        caller: { id: caller.userId, role: caller.role, credentialId: `token:${caller.tokenId}` },
        idempotencyKey: String(request.headers['idempotency-key']),
        fileName: body.fileName,
        bytes: Buffer.from(body.content, 'base64'),
        mapping: body.mapping,
      });
      if (outcome.kind === 'key-reused')
        return problem(
          'idempotency-key-reused',
          'this Idempotency-Key was already used to upload another file or mapping; use a new key',
        );
      return reply(outcome.replayed ? 200 : 201, outcome.staged, outcome.replayed);
    },
  }),
  route<z.infer<typeof importParams>, unknown, unknown>({
    method: 'GET',
    url: '/pools/:poolId/spend-imports/:importId',
    permission: 'record',
    scope: 'pool',
    operationId: 'getSpendImport',
    summary: 'An uploaded spend file’s check, and what its confirmation recorded',
    description:
      'The check made at upload (or at confirmation), and once confirmed what was recorded.',
    tags: ['imports'],
    schema: { params: importParams, response: { 200: stagedImport } },
    handle: async ({ deps, params }) => {
      const staged = await deps.spendImports.find(params.poolId, params.importId);
      if (staged === undefined)
        return problem(
          'not-found',
          `no upload ${params.importId} for pool "${params.poolId}" (uploads are kept for a day)`,
        );
      return reply(200, staged);
    },
  }),
  route<z.infer<typeof importParams>, unknown, z.infer<typeof confirmBody>>({
    method: 'POST',
    url: '/pools/:poolId/spend-imports/:importId/confirmation',
    permission: 'record',
    scope: 'pool',
    operationId: 'confirmSpendImport',
    summary: 'Confirm an uploaded spend file: record its rows',
    description:
      'Checks the file again against the ledger as it is now and records its rows in a few atomic writes; rows recorded before are passed over. With problems, nothing is recorded (422 `import-has-problems`) unless `skipRowsWithProblems` is true. Confirming again answers what the first confirmation recorded.',
    tags: ['imports'],
    schema: {
      params: importParams,
      body: confirmBody,
      response: { 201: stagedImport, 200: stagedImport },
    },
    handle: async ({ deps, params, body, caller }) => {
      const outcome = await deps.spendImports.confirm(
        params.poolId,
        params.importId,
        { id: caller.userId, role: caller.role, credentialId: `token:${caller.tokenId}` },
        { skipRowsWithProblems: body.skipRowsWithProblems },
      );
      switch (outcome.kind) {
        case 'not-found':
          return problem(
            'not-found',
            `no upload ${params.importId} for pool "${params.poolId}" (uploads are kept for a day)`,
          );
        case 'in-flight':
          return problem(
            'idempotency-key-in-flight',
            'this import is being recorded; wait for its answer',
          );
        case 'has-problems':
          return problem(
            'import-has-problems',
            `the file has ${outcome.staged.report.problems.length} problem(s), listed by row and column at ${`/pools/${params.poolId}/spend-imports/${params.importId}`}: correct the file or the mapping and upload it again, or confirm with skipRowsWithProblems to leave those rows out`,
          );
        case 'confirmed':
          return reply(outcome.replayed ? 200 : 201, outcome.staged, outcome.replayed);
      }
    },
  }),
];
