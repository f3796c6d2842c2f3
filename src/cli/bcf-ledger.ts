#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { type LedgerConfig, loadConfig } from '../config.ts';
import { EXIT, UsageError } from './cli-kit.ts';
import { auditCommand } from './subcommands/audit.ts';
import { demoCommand } from './subcommands/demo.ts';
import { importPlanCommand } from './subcommands/import-plan.ts';
import { importSpendCommand } from './subcommands/import-spend.ts';
import { keysCommand } from './subcommands/keys.ts';
import { rebuildCommand } from './subcommands/rebuild.ts';
import { reportCommand } from './subcommands/report.ts';
import { serveCommand } from './subcommands/serve.ts';
import { usersCommand } from './subcommands/users.ts';

/**
 * The bcf-ledger command: the work that is not a web request, one file per command under
 * subcommands/. Exit codes scripts can rely on: 0 done, 1 the ledger found a problem (a refused
 * import, a failed verification), 2 the command was used wrongly, 3 the ledger could not do it.
 */
const COMMANDS = [
  serveCommand,
  demoCommand,
  importPlanCommand,
  importSpendCommand,
  reportCommand,
  auditCommand,
  rebuildCommand,
  usersCommand,
  keysCommand,
];

function program(config: LedgerConfig): Command {
  const cli = new Command('bcf-ledger')
    .description(
      'An event-sourced ledger for Better Care Fund pooled budgets. Settings come from the environment (docs/settings.md).',
    )
    .version(packageVersion(), '-V, --version', 'print the version of the ledger')
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });
  for (const command of COMMANDS) command(cli, config);
  return cli;
}

function packageVersion(): string {
  const manifest = JSON.parse(
    readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8'),
  ) as { version: string };
  return manifest.version;
}

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
