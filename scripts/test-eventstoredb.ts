import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The evidence an operator with an EventStoreDB server can produce in one command: the event
 * store contract suite and the two-instance test, run against the server named by
 * LEDGER_TEST_EVENTSTOREDB_URL, each test printed with what became of it. Fails unless every test
 * ran and passed: a skipped test is no evidence (docs/operations.md, "What the adapter assumes").
 *
 *   LEDGER_TEST_EVENTSTOREDB_URL='esdb://localhost:2113?tls=false' npm run test:eventstoredb
 */
const SUITES = [
  'test/contract/eventstoredb-event-store.test.ts',
  'test/projections/eventstoredb-instances.test.ts',
];

interface JsonReport {
  readonly testResults: readonly {
    readonly name: string;
    readonly assertionResults: readonly { readonly fullName: string; readonly status: string }[];
  }[];
}

const url = process.env.LEDGER_TEST_EVENTSTOREDB_URL;
if (url === undefined || url === '') {
  process.stderr.write(
    'Set LEDGER_TEST_EVENTSTOREDB_URL to the server to test, for example\n' +
      "  LEDGER_TEST_EVENTSTOREDB_URL='esdb://localhost:2113?tls=false' npm run test:eventstoredb\n" +
      '(docker compose up eventstoredb starts one on a workstation).\n',
  );
  process.exit(2);
}

const directory = mkdtempSync(join(tmpdir(), 'bcf-test-eventstoredb-'));
const reportFile = join(directory, 'report.json');
const root = join(import.meta.dirname, '..');
const run = spawnSync(
  process.execPath,
  [
    join(root, 'node_modules/vitest/vitest.mjs'),
    'run',
    ...SUITES,
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${reportFile}`,
  ],
  { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], env: process.env },
);

let report: JsonReport;
try {
  report = JSON.parse(readFileSync(reportFile, 'utf8')) as JsonReport;
} catch {
  process.stderr.write(`the tests did not run (vitest exited with ${run.status})\n`);
  process.exit(1);
} finally {
  rmSync(directory, { recursive: true, force: true });
}

const counts = new Map<string, number>();
process.stdout.write(`\nAgainst ${url.replace(/\/\/([^:@/]+):([^@/]+)@/, '//$1:***@')}:\n`);
for (const file of report.testResults) {
  for (const test of file.assertionResults) {
    counts.set(test.status, (counts.get(test.status) ?? 0) + 1);
    process.stdout.write(`  ${test.status.padEnd(8)} ${test.fullName}\n`);
  }
}
const passed = counts.get('passed') ?? 0;
const total = [...counts.values()].reduce((sum, count) => sum + count, 0);
process.stdout.write(`${passed} of ${total} EventStoreDB tests passed\n`);
process.exit(total > 0 && passed === total ? 0 : 1);
