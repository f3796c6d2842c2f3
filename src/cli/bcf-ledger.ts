#!/usr/bin/env node
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { newToken } from '../api/tokens.ts';
import { type LedgerConfig, loadConfig } from '../config.ts';
import { poolScope, userRole } from '../events/catalogue/index.ts';
import { referenceData as referenceDataSchema } from '../events/catalogue/pool-events.ts';
import { importPlan } from '../import/plan-import.ts';
import { readPlanCsv, readPlanXlsx } from '../import/plan-tables.ts';
import { poolViewFromStreams } from '../projections/as-at.ts';
import { verifyLedger } from '../projections/ledger-verification.ts';
import type { PoolView } from '../projections/pool-view.ts';
import { ProjectionRunner } from '../projections/projection-runner.ts';
import { poolBalances } from '../projections/reports/balances.ts';
import { auditCsv } from '../projections/reports/documents/csv.ts';
import {
  balancesDocuments,
  extractDocuments,
  quarterlyDocuments,
  type ReportDocuments,
  renderDocument,
  yearEndDocuments,
} from '../projections/reports/documents/report-documents.ts';
import { nhsEnglandExtract } from '../projections/reports/nhs-england-extract.ts';
import { quarterlyReport } from '../projections/reports/quarterly-position.ts';
import { yearEndStatement } from '../projections/reports/year-end.ts';
import { loadDemo } from './demo.ts';
import { Progress } from './progress.ts';
import { openLedger } from './runtime.ts';
import { serve } from './serve.ts';

/**
 * The bcf-ledger command: the work that is not a web request. Exit codes scripts can rely on:
 * 0 done, 1 the ledger found a problem (a refused import, a failed verification), 2 the command
 * was used wrongly, 3 the ledger could not do it (settings, files, store).
 */
export const EXIT = { ok: 0, problemFound: 1, usage: 2, failure: 3 } as const;

const system = (id: string) => ({ id, role: 'admin' as const });

function program(config: LedgerConfig): Command {
  const cli = new Command('bcf-ledger')
    .description(
      'An event-sourced ledger for Better Care Fund pooled budgets. Settings come from the environment (src/config.ts).',
    )
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });

  cli
    .command('serve')
    .description('serve the API (as npm start)')
    .action(() => serve(config));

  cli
    .command('demo')
    .description(
      'load a demonstration ledger (the demo plan, a year of spend, two closed quarters) into a fresh store and serve it',
    )
    .option('--no-serve', 'load the demonstration ledger and stop')
    .action(async (options: { serve: boolean }) => {
      const demoConfig = { ...config, dataDirectory: join(config.dataDirectory, 'demo') };
      const progress = new Progress('loading the demo ledger', 1);
      const demo = await loadDemo(demoConfig);
      progress.done(1);
      const base = `http://${config.host}:${config.port}`;
      process.stdout.write(
        [
          `Demo ledger in ${demoConfig.dataDirectory}: ${demo.events} events, ${demo.spendLines} spend lines, Q1 and Q2 2017-18 closed.`,
          'Tokens, one per role (shown only now):',
          ...Object.entries(demo.tokens).map(([user, token]) => `  ${user.padEnd(11)} ${token}`),
          'Open:',
          `  ${base}/docs                                   the API reference`,
          `  ${base}/pools/herts/years/2017-18/balances     balances (with a token)`,
          `  ${base}/pools/herts/years/2017-18/quarters/Q2  the closed Q2 position`,
          '',
        ].join('\n'),
      );
      if (options.serve) await serve(demoConfig);
    });

  cli
    .command('import-plan')
    .description(
      'import a plan in the NHS England template’s shape: a directory of partners.csv, income.csv and expenditure.csv, or an .xlsx workbook',
    )
    .argument('<source>', 'the directory or the workbook')
    .requiredOption('--pool <poolId>', 'the pool the plan is for')
    .option('--name <name>', 'register the pool with this name first (with --area)')
    .option('--area <hwbArea>', 'the Health and Wellbeing Board area of a pool registered first')
    .option(
      '--reference-data <file>',
      'the reference lists of the plan cycle',
      'reference-data/bcf-2017-19.json',
    )
    .option('--actor <userId>', 'who is recorded as importing', 'cli-import')
    .action(
      async (
        source: string,
        options: {
          pool: string;
          name?: string;
          area?: string;
          referenceData: string;
          actor: string;
        },
      ) => {
        const tables = source.endsWith('.xlsx') ? await readPlanXlsx(source) : readPlanCsv(source);
        const referenceData = referenceDataSchema.parse(
          JSON.parse(readFileSync(options.referenceData, 'utf8')),
        );
        const ledger = await openLedger(config);
        try {
          const registration =
            options.name !== undefined && options.area !== undefined
              ? { registration: { name: options.name, hwbArea: options.area } }
              : {};
          const result = await importPlan(
            tables,
            {
              poolId: options.pool,
              referenceData,
              actor: { id: options.actor, role: 'finance-officer' },
              ...registration,
            },
            { store: ledger.store, service: ledger.service, now: () => new Date() },
          );
          if (!result.ok) {
            for (const problem of result.problems)
              process.stderr.write(
                `${problem.place}${problem.column === '' ? '' : ` (${problem.column})`}: ${problem.message}\n`,
              );
            process.stderr.write(`${result.problems.length} problem(s); nothing was imported\n`);
            process.exitCode = EXIT.problemFound;
            return;
          }
          process.stdout.write(
            `imported ${result.commands} commands from ${tables.source}: ${result.eventsRecorded} events recorded\n`,
          );
        } finally {
          await ledger.close();
        }
      },
    );

  cli
    .command('report')
    .description(
      'a report of a pool-year: balances, the quarterly position, the year-end statement or the NHS England extract',
    )
    .addArgument(
      new Command()
        .createArgument('<kind>', 'balances, quarter, year-end or extract')
        .choices(['balances', 'quarter', 'year-end', 'extract']),
    )
    .requiredOption('--pool <poolId>')
    .requiredOption('--year <year>', 'the financial year, such as 2017-18')
    .option('--quarter <quarter>', 'Q1 to Q4, for the quarterly position')
    .option('--as-at <moment>', 'what the ledger knew at this moment (UTC, ISO 8601)')
    .addOption(new Option('--format <format>').choices(['json', 'csv', 'xlsx']).default('json'))
    .option('--out <file>', 'write to this file (needed for xlsx)')
    .action(
      async (
        kind: string,
        options: {
          pool: string;
          year: string;
          quarter?: string;
          asAt?: string;
          format: string;
          out?: string;
        },
      ) => {
        if (options.format === 'xlsx' && options.out === undefined)
          throw new UsageError('--out <file> is needed for an xlsx workbook');
        const ledger = await openLedger(config);
        try {
          const view = await poolViewFromStreams(
            ledger.store,
            options.pool,
            options.asAt === undefined ? {} : { asAt: options.asAt },
          );
          if (view === undefined) throw new UsageError(`no pool "${options.pool}"`);
          const document = await reportDocument(kind, view, options, config);
          if (options.out === undefined) process.stdout.write(document);
          else writeFileSync(options.out, document);
        } finally {
          await ledger.close();
        }
      },
    );

  const audit = cli.command('audit').description('the audit trail, verification and replay');
  audit
    .command('trail')
    .description('every event with who, what, when and why')
    .option('--pool <poolId>')
    .option('--scheme <schemeId>')
    .option('--actor <userId>')
    .option('--type <eventType>', 'such as SpendRecorded.v1')
    .option('--from <moment>')
    .option('--to <moment>')
    .addOption(new Option('--format <format>').choices(['json', 'csv']).default('csv'))
    .action(
      async (options: {
        pool?: string;
        scheme?: string;
        actor?: string;
        type?: string;
        from?: string;
        to?: string;
        format: string;
      }) => {
        const ledger = await openLedger(config);
        try {
          await ledger.readModel.catchUp();
          const filter = {
            poolId: options.pool,
            schemeId: options.scheme,
            actorId: options.actor,
            type: options.type,
            from: options.from,
            to: options.to,
          };
          const defined = Object.fromEntries(
            Object.entries(filter).filter(([, value]) => value !== undefined),
          );
          const entries = [];
          for (let after = 0; ; ) {
            const page = ledger.readModel.auditTrail({
              ...defined,
              afterPosition: after,
              limit: 500,
            });
            entries.push(...page.entries);
            if (page.nextAfterPosition === null) break;
            after = page.nextAfterPosition;
          }
          process.stdout.write(
            options.format === 'csv' ? auditCsv(entries) : `${JSON.stringify(entries, null, 2)}\n`,
          );
        } finally {
          await ledger.close();
        }
      },
    );
  audit
    .command('verify')
    .description(
      'walk every stream’s hash chain, the log’s positions and every quarter-close digest; exit 1 at the first break',
    )
    .action(async () => {
      const ledger = await openLedger(config);
      try {
        const progress = new Progress('verifying', await ledger.store.headPosition());
        const verification = await verifyLedger(ledger.store, {
          ragThresholds: config.ragThresholds,
          densePositions: ledger.densePositions,
        });
        progress.done(verification.events);
        if (verification.ok) {
          process.stdout.write(
            `verified ${verification.events} events in ${verification.streams} streams and ${verification.quarterCloses} quarter closes: no break\n`,
          );
          return;
        }
        const at = verification.firstBreak;
        process.stdout.write(
          `BROKEN at position ${at.position}${at.streamId === null ? '' : ` (stream "${at.streamId}", version ${at.streamVersion})`}: ${at.problem}\n`,
        );
        process.exitCode = EXIT.problemFound;
      } finally {
        await ledger.close();
      }
    });
  audit
    .command('replay')
    .description(
      'the balances of a pool-year as the ledger knew them at a moment, replayed from the events',
    )
    .requiredOption('--as-at <moment>', 'UTC, ISO 8601, such as 2017-07-01T00:00:00.000Z')
    .requiredOption('--pool <poolId>')
    .requiredOption('--year <year>')
    .action(async (options: { asAt: string; pool: string; year: string }) => {
      const ledger = await openLedger(config);
      try {
        const view = await poolViewFromStreams(ledger.store, options.pool, { asAt: options.asAt });
        const balances =
          view === undefined ? undefined : poolBalances(view, options.year, config.ragThresholds);
        if (balances === undefined)
          throw new UsageError(
            `pool "${options.pool}" had no year ${options.year} at ${options.asAt}`,
          );
        process.stdout.write(`${JSON.stringify(balances, null, 2)}\n`);
      } finally {
        await ledger.close();
      }
    });

  cli
    .command('rebuild')
    .description('rebuild the read model from the first event, and report events per second')
    .action(async () => {
      const ledger = await openLedger(config);
      const head = await ledger.store.headPosition();
      ledger.readModel.close();
      const path = join(config.dataDirectory, 'projections.sqlite');
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
      const rebuilt = ProjectionRunner.open({ path, store: ledger.store });
      const progress = new Progress('rebuilding', head);
      const started = process.hrtime.bigint();
      const applied = await rebuilt.catchUp((checkpoint) => progress.update(checkpoint));
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      progress.done(applied);
      process.stdout.write(
        `rebuilt the read model from ${applied} events in ${oneDecimal.format(seconds)} s: ${wholeNumber.format(applied / seconds)} events/s\n`,
      );
      rebuilt.close();
      ledger.idempotency.close();
      await ledger.store.close();
    });

  const users = cli.command('users').description('users and their tokens');
  users
    .command('add')
    .description('register a user and print a token for them (shown once)')
    .argument('<userId>')
    .requiredOption('--name <name>')
    .requiredOption('--role <role>', 'finance-officer, cfo, auditor or admin')
    .option('--pools <pools>', 'comma-separated pool ids, or * for every pool', '*')
    .action(async (userId: string, options: { name: string; role: string; pools: string }) => {
      const role = userRole.parse(options.role);
      const pools = poolScope.parse(options.pools === '*' ? '*' : options.pools.split(','));
      const ledger = await openLedger(config);
      try {
        const token = newToken();
        const meta = (step: string) => ({
          actor: system('cli'),
          recordedAt: new Date().toISOString(),
          correlationId: `cli-${token.tokenId}`,
          causationId: `cli-${token.tokenId}`,
          idempotencyKey: `cli:users-add:${step}:${token.tokenId}`,
        });
        const registered = await ledger.service.access(
          { type: 'RegisterUser', actor: system('cli'), userId, name: options.name, role, pools },
          meta('user'),
        );
        if (!registered.ok) throw new UsageError(registered.error.message);
        await ledger.service.access(
          {
            type: 'IssueToken',
            actor: system('cli'),
            userId,
            tokenId: token.tokenId,
            secretHash: token.secretHash,
            label: 'cli',
          },
          meta('token'),
        );
        process.stdout.write(`${token.token}\n`);
      } finally {
        await ledger.close();
      }
    });
  users
    .command('list')
    .description('users, roles, scopes and token ids')
    .action(async () => {
      const ledger = await openLedger(config);
      try {
        const { state } = await ledger.service.accessState();
        for (const user of state.users.values()) {
          const tokens = [...user.tokens]
            .map(([tokenId, token]) => `${tokenId}${token.revoked ? ' (revoked)' : ''}`)
            .join(', ');
          process.stdout.write(
            `${user.userId}\t${user.role}\t${user.pools === '*' ? '*' : user.pools.join(',')}\t${user.active ? 'active' : 'deactivated'}\t${tokens}\n`,
          );
        }
      } finally {
        await ledger.close();
      }
    });
  users
    .command('revoke')
    .description('revoke a token')
    .argument('<userId>')
    .argument('<tokenId>')
    .action(async (userId: string, tokenId: string) => {
      const ledger = await openLedger(config);
      try {
        const meta = {
          actor: system('cli'),
          recordedAt: new Date().toISOString(),
          correlationId: `cli-revoke-${tokenId}`,
          causationId: `cli-revoke-${tokenId}`,
          idempotencyKey: `cli:revoke:${tokenId}`,
        };
        const outcome = await ledger.service.access(
          { type: 'RevokeToken', actor: system('cli'), userId, tokenId },
          meta,
        );
        if (!outcome.ok) throw new UsageError(outcome.error.message);
        process.stdout.write(`revoked ${tokenId} of ${userId}\n`);
      } finally {
        await ledger.close();
      }
    });
  return cli;
}

class UsageError extends Error {}

/** The report of that kind in that format: JSON, CSV text, or a workbook's bytes. */
async function reportDocument(
  kind: string,
  view: PoolView,
  options: { year: string; quarter?: string; format: string },
  config: LedgerConfig,
): Promise<string | Buffer> {
  const missing = () => new UsageError(`pool "${view.poolId}" has no year ${options.year}`);
  const render = async <Report>(report: Report | undefined, documents: ReportDocuments<Report>) => {
    if (report === undefined) throw missing();
    if (options.format === 'csv' || options.format === 'xlsx')
      return renderDocument(report, documents, options.format);
    return `${JSON.stringify(report, null, 2)}\n`;
  };
  switch (kind) {
    case 'balances':
      return render(poolBalances(view, options.year, config.ragThresholds), balancesDocuments);
    case 'year-end':
      return render(yearEndStatement(view, options.year, config.ragThresholds), yearEndDocuments);
    case 'extract':
      return render(nhsEnglandExtract(view, options.year, config.ragThresholds), extractDocuments);
    default: {
      const quarter = options.quarter;
      if (quarter !== 'Q1' && quarter !== 'Q2' && quarter !== 'Q3' && quarter !== 'Q4')
        throw new UsageError('--quarter Q1 to Q4 is needed for the quarterly position');
      return render(
        quarterlyReport(view, options.year, quarter, config.ragThresholds),
        quarterlyDocuments,
      );
    }
  }
}

/** Timings, not money: printed without grouping, so that scripts (bench:rebuild) can read them. */
const oneDecimal = new Intl.NumberFormat('en-GB', {
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
  useGrouping: false,
});
const wholeNumber = new Intl.NumberFormat('en-GB', {
  maximumFractionDigits: 0,
  useGrouping: false,
});

export async function main(argv: readonly string[]): Promise<number> {
  try {
    const config = loadConfig();
    await program(config).parseAsync([...argv], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    if (error instanceof UsageError) {
      process.stderr.write(`bcf-ledger: ${error.message}\n`);
      return EXIT.usage;
    }
    process.stderr.write(`bcf-ledger: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.failure;
  }
}

if (import.meta.main) {
  const code = await main(process.argv.slice(2));
  const serving =
    process.argv[2] === 'serve' ||
    (process.argv[2] === 'demo' && !process.argv.includes('--no-serve'));
  if (code !== EXIT.ok || !serving) process.exit(code);
}
