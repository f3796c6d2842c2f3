import { type Command, Option } from 'commander';
import { z } from 'zod';
import type { LedgerConfig } from '../../config.ts';
import { auditCsv } from '../../documents/report-documents.ts';
import { code, factId, financialYear, name, requiredText } from '../../events/catalogue/index.ts';
import { recordedAtString } from '../../events/envelope.ts';
import { exportEvidence } from '../../main.ts';
import type { AuditEntry, AuditFilter } from '../../projections/read-face.ts';
import { checkedBy, EXIT, print, UsageError, withLedger } from '../cli-kit.ts';
import { Progress } from '../progress.ts';

const MOMENT = 'a moment in UTC with milliseconds, such as 2017-07-01T00:00:00.000Z';
const eventType = z
  .string()
  .regex(/^[A-Z][A-Za-z0-9]*\.v[1-9][0-9]*$/, 'write it as SpendRecorded.v1');

/** The audit trail, verification of the stored history, and replay as at a moment. */
export function auditCommand(program: Command, config: LedgerConfig): void {
  const audit = program.command('audit').description('the audit trail, verification and replay');
  audit
    .command('trail')
    .description('every event with who, what, when and why')
    .option('--pool <poolId>', 'a pool id', checkedBy(code, 'a pool id'))
    .option('--scheme <schemeId>', 'a scheme id', checkedBy(code, 'a scheme id'))
    .option('--actor <userId>', 'a user id', checkedBy(factId, 'a user id'))
    .option('--credential <credentialId>', 'a token or session, such as token:0123456789abcdef')
    .option('--type <eventType>', 'such as SpendRecorded.v1', checkedBy(eventType, 'an event type'))
    .option('--from <moment>', MOMENT, checkedBy(recordedAtString, MOMENT))
    .option('--to <moment>', MOMENT, checkedBy(recordedAtString, MOMENT))
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
    .requiredOption('--as-at <moment>', MOMENT, checkedBy(recordedAtString, MOMENT))
    .requiredOption('--pool <poolId>', 'a pool id', checkedBy(code, 'a pool id'))
    .requiredOption(
      '--year <year>',
      'such as 2017-18',
      checkedBy(financialYear, 'a financial year'),
    )
    .action((options: { asAt: string; pool: string; year: string }) => replay(options, config));
  audit
    .command('acknowledge')
    .description(
      'record, signed, that you have looked into a break `audit verify` found and accept the log as it now stands; writes are accepted again',
    )
    .requiredOption('--by <name>', 'who acknowledges', checkedBy(name, 'a name'))
    .requiredOption('--reason <text>', 'why, for the auditors', checkedBy(requiredText, 'a reason'))
    .action((options: { by: string; reason: string }) => acknowledge(options, config));
  audit
    .command('checkpoints')
    .description(
      'copy the signed checkpoints and the trusted public keys into a directory, for an auditor to keep',
    )
    .requiredOption('--out <directory>')
    .action((options: { out: string }) => {
      const count = exportEvidence(config, options.out);
      print(`copied ${count} signed checkpoints and the trusted public keys to ${options.out}\n`);
    });
}

async function acknowledge(options: { by: string; reason: string }, config: LedgerConfig) {
  await withLedger(config, async (ledger) => {
    const record = await ledger.integrity.acknowledge(options.by, options.reason);
    print(
      `acknowledged at position ${record.position} (${record.events} events), signed with key ${record.keyId}: ${record.acknowledgedBreak ?? ''}\n`,
    );
  });
}

interface TrailOptions {
  pool?: string;
  scheme?: string;
  actor?: string;
  credential?: string;
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
      credentialId: options.credential,
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
        `verified ${verification.events} events in ${verification.streams} streams, ${verification.quarterCloses} quarter closes and ${verification.checkpoints} signed checkpoints: no break\n`,
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
