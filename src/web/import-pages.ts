import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { mayDo } from '../commands/write-face.ts';
import { importPlan } from '../import/plan-import.ts';
import { PlanFileError, readPlanCsv, readPlanXlsx } from '../import/plan-tables.ts';
import type { StagedImport } from '../import/spend-imports.ts';
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
 * Imports through the pages: a spend file uploaded with a mapping chosen from the server's,
 * checked (every problem by row and column, what it comes to per line and quarter), then
 * confirmed; a plan's three tables (CSV) or its workbook. Both ask the same import code as the
 * API and the command line, and record nothing until the person confirms a clean check.
 */
interface Upload {
  readonly fields: Record<string, string>;
  readonly files: Record<string, { fileName: string; bytes: Buffer }>;
}

/** The multipart body as fields and files (the CSRF check reads `_csrf` from the fields). */
async function uploadOf(request: FastifyRequest): Promise<Upload> {
  const fields: Record<string, string> = {};
  const files: Upload['files'] = {};
  for (const [name, part] of Object.entries((request.body ?? {}) as Record<string, unknown>)) {
    const value = part as {
      type?: string;
      value?: unknown;
      filename?: string;
      toBuffer?: () => Promise<Buffer>;
    };
    if (value.type === 'file' && value.toBuffer !== undefined && value.filename)
      files[name] = { fileName: value.filename, bytes: await value.toBuffer() };
    else if (value.type === 'field' && typeof value.value === 'string') fields[name] = value.value;
  }
  return { fields, files };
}

function mayImport(request: FastifyRequest, poolId: string): boolean {
  const person = request.person;
  return mayRead(person, poolId) && mayDo(person.role, 'record');
}

export async function importPages(app: FastifyInstance, { deps }: { deps: WebDependencies }) {
  app.get('/pools/:poolId/:year/spend-imports/new', async (request, reply) => {
    if (!requireSignIn(request, reply)) return reply;
    const { poolId, year } = request.params as { poolId: string; year: string };
    if (!mayImport(request, poolId)) return reply.callNotFound();
    return spendUploadPage(deps, request, reply, { poolId, year, errors: [] });
  });
  app.post(
    '/pools/:poolId/:year/spend-imports',
    { preHandler: app.csrfProtection },
    async (request, reply) => {
      if (!requireSignIn(request, reply)) return reply;
      const { poolId, year } = request.params as { poolId: string; year: string };
      if (!mayImport(request, poolId)) return reply.callNotFound();
      return uploadSpend(deps, request, reply, { poolId, year });
    },
  );
  app.get('/pools/:poolId/:year/spend-imports/:importId', async (request, reply) => {
    if (!requireSignIn(request, reply)) return reply;
    const { poolId, year, importId } = request.params as Record<string, string>;
    if (!mayImport(request, poolId ?? '')) return reply.callNotFound();
    const staged = await deps.spendImports.find(poolId ?? '', importId ?? '');
    if (staged === undefined) return reply.callNotFound();
    return checkPage(request, reply, staged, year ?? '');
  });
  app.post(
    '/pools/:poolId/:year/spend-imports/:importId/confirmation',
    { preHandler: app.csrfProtection },
    async (request, reply) => {
      if (!requireSignIn(request, reply)) return reply;
      const { poolId = '', year = '', importId = '' } = request.params as Record<string, string>;
      if (!mayImport(request, poolId)) return reply.callNotFound();
      const caller = callerOf(request.person as NonNullable<FastifyRequest['person']>);
      const outcome = await deps.spendImports.confirm(poolId, importId, caller, {
        skipRowsWithProblems: false,
      });
      if (outcome.kind === 'not-found') return reply.callNotFound();
      if (outcome.kind === 'in-flight')
        return reply.redirect(request.url.replace(/\/confirmation$/, ''), 303);
      return checkPage(request, reply, outcome.staged, year);
    },
  );
  app.get('/pools/:poolId/plan-import', async (request, reply) => {
    if (!requireSignIn(request, reply)) return reply;
    const { poolId } = request.params as { poolId: string };
    if (!mayImport(request, poolId)) return reply.callNotFound();
    return planPage(deps, request, reply, { poolId, problems: [] });
  });
  app.post(
    '/pools/:poolId/plan-import',
    { preHandler: app.csrfProtection },
    async (request, reply) => {
      if (!requireSignIn(request, reply)) return reply;
      const { poolId } = request.params as { poolId: string };
      if (!mayImport(request, poolId)) return reply.callNotFound();
      return uploadPlan(deps, request, reply, poolId);
    },
  );
}

function spendUploadPage(
  deps: WebDependencies,
  request: FastifyRequest,
  reply: FastifyReply,
  state: {
    poolId: string;
    year: string;
    errors: { text: string; href: string }[];
    mapping?: string;
  },
) {
  return page(reply, request, 'spend-upload.njk', {
    title: 'Import a spend file',
    ...state,
    key: randomUUID(),
    mappings: deps.library.mappings.map(({ name }) => ({
      value: name,
      text: name,
      selected: name === state.mapping,
    })),
  });
}

async function uploadSpend(
  deps: WebDependencies,
  request: FastifyRequest,
  reply: FastifyReply,
  where: { poolId: string; year: string },
) {
  const { fields, files } = await uploadOf(request);
  const mapping = deps.library.mappings.find(({ name }) => name === fields.mapping);
  const file = files.file;
  const errors = [
    ...(mapping === undefined
      ? [{ text: 'Select the mapping of your finance system’s file', href: '#mapping' }]
      : []),
    ...(file === undefined || file.bytes.length === 0
      ? [{ text: 'Select the spend file (CSV or XLSX)', href: '#file' }]
      : []),
  ];
  if (mapping === undefined || file === undefined || errors.length > 0)
    return spendUploadPage(deps, request, reply.code(400), {
      ...where,
      errors,
      ...(fields.mapping ? { mapping: fields.mapping } : {}),
    });
  const person = request.person as NonNullable<FastifyRequest['person']>;
  const outcome = await deps.spendImports.upload({
    poolId: where.poolId,
    caller: callerOf(person),
    idempotencyKey: formKeyOf(fields._key),
    fileName: file.fileName,
    bytes: file.bytes,
    mapping: mapping.mapping,
  });
  if (outcome.kind === 'key-reused')
    return spendUploadPage(deps, request, reply.code(409), {
      ...where,
      errors: [
        {
          text: 'This form was already used for another file: choose the file again',
          href: '#file',
        },
      ],
    });
  return reply.redirect(
    `/app/pools/${where.poolId}/${where.year}/spend-imports/${outcome.staged.importId}`,
    303,
  );
}

function checkPage(
  request: FastifyRequest,
  reply: FastifyReply,
  staged: StagedImport,
  year: string,
) {
  const report = staged.report;
  return page(reply, request, 'spend-check.njk', {
    title: staged.outcome === null ? 'Check the spend file' : 'Spend file imported',
    staged,
    year,
    problems: report.problems.map((problem) => ({
      file: problem.file,
      row: problem.rowNumber,
      column: problem.column,
      message: problem.message,
    })),
    byLine: report.byLine.map((line) => ({ ...line, net: pounds(line.net) })),
    totals: {
      spend: pounds(report.totals.spend),
      credited: pounds(report.totals.credited),
      net: pounds(report.totals.net),
    },
  });
}

function planPage(
  deps: WebDependencies,
  request: FastifyRequest,
  reply: FastifyReply,
  state: {
    poolId: string;
    problems: { place: string; column: string; message: string }[];
    recorded?: string;
  },
) {
  return page(reply, request, 'plan-import.njk', {
    title: 'Import a plan',
    ...state,
    referenceData: deps.library.referenceData.map(({ name }) => ({ value: name, text: name })),
  });
}

/** A plan's tables from the upload: its workbook, or its three CSV files. */
async function planTablesOf(files: Upload['files'], directory: string) {
  if (files.workbook !== undefined && files.workbook.bytes.length > 0) {
    const path = join(directory, 'plan.xlsx');
    writeFileSync(path, files.workbook.bytes);
    return readPlanXlsx(path);
  }
  for (const table of ['partners', 'income', 'expenditure'] as const) {
    const file = files[table];
    if (file === undefined || file.bytes.length === 0)
      throw new PlanFileError(
        `choose the plan's workbook, or its three CSV files: ${table}.csv is missing`,
      );
    writeFileSync(join(directory, `${table}.csv`), file.bytes);
  }
  return readPlanCsv(directory);
}

async function uploadPlan(
  deps: WebDependencies,
  request: FastifyRequest,
  reply: FastifyReply,
  poolId: string,
) {
  const { fields, files } = await uploadOf(request);
  const referenceData = deps.library.referenceData.find(
    ({ name }) => name === fields.referenceData,
  );
  if (referenceData === undefined)
    return planPage(deps, request, reply.code(400), {
      poolId,
      problems: [
        {
          place: 'Reference lists',
          column: '',
          message: 'Select the reference lists the plan uses',
        },
      ],
    });
  const directory = mkdtempSync(join(tmpdir(), 'bcf-plan-'));
  try {
    const tables = await planTablesOf(files, directory);
    const person = request.person as NonNullable<FastifyRequest['person']>;
    const result = await importPlan(
      tables,
      {
        poolId,
        referenceData: referenceData.data,
        caller: callerOf(person),
      },
      deps.writeFace,
    );
    if (!result.ok)
      return planPage(deps, request, reply.code(422), { poolId, problems: [...result.problems] });
    return planPage(deps, request, reply, {
      poolId,
      problems: [],
      recorded: `The plan is imported: ${result.commands} commands, ${result.eventsRecorded} events recorded (nothing new when the same plan is imported again).`,
    });
  } catch (error) {
    if (!(error instanceof PlanFileError)) throw error;
    return planPage(deps, request, reply.code(400), {
      poolId,
      problems: [{ place: 'Files', column: '', message: error.message }],
    });
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}
