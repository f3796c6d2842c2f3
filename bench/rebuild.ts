/**
 * `bcf-ledger rebuild` on a ledger of 1,000,000 events: builds the ledger (decided by the real
 * deciders, appended in appends of 1,000 events), then runs the command as a user would and
 * prints what it printed: its progress and events per second.
 *
 *   npm run bench:rebuild [-- --events 1000000]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildLedger } from './ledger-builder.ts';

const { values: options } = parseArgs({
  options: { events: { type: 'string', default: '1000000' } },
});
const target = Number(options.events);
const root = join(import.meta.dirname, '..');

const directory = mkdtempSync(join(tmpdir(), 'bcf-bench-rebuild-'));
try {
  await buildLedger(directory, target);

  const rebuilt = spawnSync(process.execPath, [join(root, 'src/cli/bcf-ledger.ts'), 'rebuild'], {
    env: { ...process.env, LEDGER_DATA_DIR: directory },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  process.stdout.write(`$ bcf-ledger rebuild\n${rebuilt.stderr}${rebuilt.stdout}`);
  const peak = process.resourceUsage().maxRSS / 1024;
  console.log(`(the benchmark process's own peak RSS: ${peak.toFixed(0)} MiB)`);
  if (rebuilt.status !== 0) process.exitCode = rebuilt.status ?? 1;
} finally {
  rmSync(directory, { recursive: true, force: true });
}
