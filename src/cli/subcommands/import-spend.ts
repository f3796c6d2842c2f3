import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import type { LedgerConfig } from '../../config.ts';
import { code } from '../../events/catalogue/index.ts';
import {
  checkSpendImport,
  type ImportProblem,
  recordSpendImport,
  type SpendImportReport,
} from '../../import/spend-import.ts';
import { parseMapping, type SpendMapping } from '../../import/spend-mapping.ts';
import { checkedBy, EXIT, print, UsageError, withLedger } from '../cli-kit.ts';
import { Progress } from '../progress.ts';

interface ImportSpendOptions {
  pool: string;
  mapping: string;
  roundToPence: boolean;
  check: boolean;
  skipRowsWithProblems: boolean;
  actor: string;
}

/** Spend files from the council's finance system, through a mapping (docs/spend-import.md). */
export function importSpendCommand(program: Command, config: LedgerConfig): void {
  program
    .command('import-spend')
    .description(
      'import spend files (CSV or XLSX) from the finance system through a mapping: checked whole, then recorded',
    )
    .argument('<files...>', 'the spend files, CSV or XLSX')
    .requiredOption('--pool <poolId>', 'the pool the spend is for', checkedBy(code, 'a pool id'))
    .requiredOption('--mapping <file>', 'the mapping of the files’ columns and rows (JSON)')
    .option(
      '--round-to-pence',
      'round amounts with float noise to the penny, keeping the text as written',
      false,
    )
    .option('--check', 'check only: report what would be recorded, and every problem', false)
    .option(
      '--skip-rows-with-problems',
      'record the rows without problems, leaving out the rows listed',
      false,
    )
    .option('--actor <userId>', 'who is recorded as importing', 'cli-import')
    .action((files: string[], options: ImportSpendOptions) => runImport(files, options, config));
}

async function runImport(paths: string[], options: ImportSpendOptions, config: LedgerConfig) {
  const mapping = readMapping(options);
  const files = paths.map((path) => {
    try {
      return { fileName: basename(path), bytes: readFileSync(path) };
    } catch (error) {
      throw new UsageError(`cannot read ${path}: ${(error as Error).message}`);
    }
  });
  const request = {
    poolId: options.pool,
    files,
    mapping,
    caller: { id: options.actor, role: 'finance-officer' as const },
  };
  await withLedger(config, async (ledger) => {
    if (options.check) {
      const { report } = await checkSpendImport(ledger.writeFace, request);
      print(describeReport(report));
      if (!report.clean) process.exitCode = EXIT.problemFound;
      return;
    }
    let bar: Progress | undefined;
    const outcome = await recordSpendImport(ledger.writeFace, {
      ...request,
      skipRowsWithProblems: options.skipRowsWithProblems,
      correlationId: `import-spend:${importDigest(files)}`,
      onProgress: (done, total) => {
        bar ??= new Progress('recording', total);
        bar.update(done);
      },
    });
    bar?.done(outcome.rowsRecorded);
    print(describeReport(outcome.report));
    if (!outcome.recorded) {
      if (outcome.stopped !== undefined) print(`stopped: ${outcome.stopped.message}\n`);
      else
        print(
          'nothing was recorded: correct the rows listed, or run again with --skip-rows-with-problems\n',
        );
      process.exitCode = EXIT.problemFound;
      return;
    }
    print(
      `recorded ${outcome.rowsRecorded} rows (${outcome.eventsRecorded} events in ${outcome.commits} commits); ${outcome.report.alreadyRecorded} already recorded; ${outcome.rowsSkipped} rows with problems left out\n`,
    );
    if (outcome.stopped !== undefined) {
      print(`stopped at ${place(outcome.stopped)}: ${outcome.stopped.message}\n`);
      process.exitCode = EXIT.problemFound;
    }
  });
}

function readMapping(options: ImportSpendOptions): SpendMapping {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(options.mapping, 'utf8'));
  } catch (error) {
    throw new UsageError(`cannot read the mapping ${options.mapping}: ${(error as Error).message}`);
  }
  const parsed = parseMapping(json);
  if (!parsed.ok)
    throw new UsageError(
      `the mapping ${options.mapping} is not valid: ${parsed.problems.join('; ')}`,
    );
  return options.roundToPence ? { ...parsed.mapping, amounts: 'round-to-pence' } : parsed.mapping;
}

function importDigest(files: readonly { bytes: Uint8Array }[]): string {
  const hash = createHash('sha256');
  for (const file of files) hash.update(file.bytes);
  return hash.digest('hex').slice(0, 16);
}

function place(problem: ImportProblem): string {
  if (problem.rowNumber === 0) return problem.file;
  return `${problem.file} row ${problem.rowNumber}${problem.column === '' ? '' : ` (${problem.column})`}`;
}

const SHOWN_PROBLEMS = 200;

/** The check as a finance officer reads it: counts, totals per line and quarter, problems. */
export function describeReport(report: SpendImportReport): string {
  const lines = [
    `${report.rows} rows read, ${report.excluded} left out by the mapping; ${report.invoices} invoices and ${report.credits} credit notes to record, ${report.alreadyRecorded} already recorded`,
    '',
    'year     scheme  stream                          quarter  invoices  credits            net',
    ...report.byLine.map(
      (line) =>
        `${line.year}  ${line.schemeId.padEnd(6)}  ${line.fundingStream.padEnd(30).slice(0, 30)}  ${line.quarter.padEnd(7)}  ${String(line.invoices).padStart(8)}  ${String(line.credits).padStart(7)}  ${line.net.padStart(13)}`,
    ),
    `total: spend ${report.totals.spend}, credited ${report.totals.credited}, net ${report.totals.net}`,
  ];
  if (report.problems.length > 0) {
    lines.push('', `${report.problems.length} problem(s):`);
    for (const problem of report.problems.slice(0, SHOWN_PROBLEMS))
      lines.push(`${place(problem)}: [${problem.kind}] ${problem.message}`);
    if (report.problems.length > SHOWN_PROBLEMS)
      lines.push(`... and ${report.problems.length - SHOWN_PROBLEMS} more`);
  }
  return `${lines.join('\n')}\n`;
}
