import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { LedgerConfig } from '../../config.ts';
import { referenceData as referenceDataSchema } from '../../events/catalogue/pool-events.ts';
import { importPlan } from '../../import/plan-import.ts';
import { readPlanCsv, readPlanXlsx } from '../../import/plan-tables.ts';
import { EXIT, print, withLedger } from '../cli-kit.ts';

interface ImportPlanOptions {
  pool: string;
  name?: string;
  area?: string;
  region?: string;
  referenceData: string;
  actor: string;
}

export function importPlanCommand(program: Command, config: LedgerConfig): void {
  program
    .command('import-plan')
    .description(
      'import a plan in the NHS England template’s shape: a directory of partners.csv, income.csv and expenditure.csv, or an .xlsx workbook',
    )
    .argument('<source>', 'the directory or the workbook')
    .requiredOption('--pool <poolId>', 'the pool the plan is for')
    .option('--name <name>', 'register the pool with this name first (with --area)')
    .option('--area <hwbArea>', 'the Health and Wellbeing Board area of a pool registered first')
    .option(
      '--region <region>',
      'the NHS England region of a pool registered first, such as London',
    )
    .option(
      '--reference-data <file>',
      'the reference lists of the plan cycle',
      'reference-data/bcf-2017-19.json',
    )
    .option('--actor <userId>', 'who is recorded as importing', 'cli-import')
    .action((source: string, options: ImportPlanOptions) => runImport(source, options, config));
}

async function runImport(source: string, options: ImportPlanOptions, config: LedgerConfig) {
  const tables = source.endsWith('.xlsx') ? await readPlanXlsx(source) : readPlanCsv(source);
  const referenceData = referenceDataSchema.parse(
    JSON.parse(readFileSync(options.referenceData, 'utf8')),
  );
  await withLedger(config, async (ledger) => {
    const registration =
      options.name !== undefined && options.area !== undefined
        ? {
            registration: {
              name: options.name,
              hwbArea: options.area,
              ...(options.region === undefined ? {} : { region: options.region }),
            },
          }
        : {};
    const result = await importPlan(
      tables,
      {
        poolId: options.pool,
        referenceData,
        caller: { id: options.actor, role: 'finance-officer' },
        ...registration,
      },
      ledger.writeFace,
    );
    if (!result.ok) {
      for (const problem of result.problems) {
        const column = problem.column === '' ? '' : ` (${problem.column})`;
        process.stderr.write(`${problem.place}${column}: ${problem.message}\n`);
      }
      process.stderr.write(`${result.problems.length} problem(s); nothing was imported\n`);
      process.exitCode = EXIT.problemFound;
      return;
    }
    print(
      `imported ${result.commands} commands from ${tables.source}: ${result.eventsRecorded} events recorded\n`,
    );
  });
}
