import { type Command, Option } from 'commander';
import type { LedgerConfig } from '../../config.ts';
import { auditCsv } from '../../documents/report-documents.ts';
import type { AuditEntry, AuditFilter } from '../../projections/read-face.ts';
import { EXIT, print, UsageError, withLedger } from '../cli-kit.ts';
import { Progress } from '../progress.ts';

/** The audit trail, verification of the stored history, and replay as at a moment. */
export function auditCommand(program: Command, config: LedgerConfig): void {
  const audit = program.command('audit').description('the audit trail, verification and replay');
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
    .action((options: TrailOptions) => trail(options, config));
  audit
    .command('verify')
    .description(
      'walk every stream’s hash chain, the log’s positions and every quarter-close digest; exit 1 at the first break',
    )
    .action(() => verify(config));
  audit
    .command('replay')
    .description(
      'the balances of a pool-year as the ledger knew them at a moment, replayed from the events',
    )
    .requiredOption('--as-at <moment>', 'UTC, ISO 8601, such as 2017-07-01T00:00:00.000Z')
    .requiredOption('--pool <poolId>')
    .requiredOption('--year <year>')
    .action((options: { asAt: string; pool: string; year: string }) => replay(options, config));
}

interface TrailOptions {
  pool?: string;
  scheme?: string;
  actor?: string;
  type?: string;
  from?: string;
  to?: string;
  format: 'json' | 'csv';
}

async function trail(options: TrailOptions, config: LedgerConfig) {
  const filter: AuditFilter = Object.fromEntries(
    Object.entries({
      poolId: options.pool,
      schemeId: options.scheme,
      actorId: options.actor,
      type: options.type,
      from: options.from,
      to: options.to,
    }).filter(([, value]) => value !== undefined),
  );
  const entries = await withLedger(config, async (ledger) => {
    const all: AuditEntry[] = [];
    for (let after = 0; ; ) {
      const page = await ledger.readFace.auditTrail({
        ...filter,
        afterPosition: after,
        limit: 500,
      });
      all.push(...page.entries);
      if (page.nextAfterPosition === null) return all;
      after = page.nextAfterPosition;
    }
  });
  print(options.format === 'csv' ? auditCsv(entries) : `${JSON.stringify(entries, null, 2)}\n`);
}

async function verify(config: LedgerConfig) {
  await withLedger(config, async (ledger) => {
    const progress = new Progress('verifying', await ledger.store.headPosition());
    const verification = await ledger.readFace.verify();
    progress.done(verification.events);
    if (verification.ok) {
      print(
        `verified ${verification.events} events in ${verification.streams} streams and ${verification.quarterCloses} quarter closes: no break\n`,
      );
      return;
    }
    const at = verification.firstBreak;
    const where =
      at.streamId === null ? '' : ` (stream "${at.streamId}", version ${at.streamVersion})`;
    print(`BROKEN at position ${at.position}${where}: ${at.problem}\n`);
    process.exitCode = EXIT.problemFound;
  });
}

async function replay(options: { asAt: string; pool: string; year: string }, config: LedgerConfig) {
  const found = await withLedger(config, (ledger) =>
    ledger.readFace.report({
      kind: 'balances',
      poolId: options.pool,
      year: options.year,
      asAt: options.asAt,
    }),
  );
  if (!found.found) throw new UsageError(found.detail);
  print(`${JSON.stringify(found.value, null, 2)}\n`);
}
