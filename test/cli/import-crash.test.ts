import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, describe, expect, it } from 'vitest';
import { generateTransparencySpend } from '../../scripts/transparency-spend.ts';
import { temporaryDirectory } from '../support/temp-dir.ts';

/**
 * An import killed (SIGKILL) while it records: every chunk is in the log whole or not at all,
 * the hash chain verifies, and running the same import again records exactly the rest.
 */
const root = join(import.meta.dirname, '../..');
const cli = join(root, 'src/cli/bcf-ledger.ts');
const directory = temporaryDirectory('import-crash');
afterAll(() => directory.remove());
const env = { ...process.env, LEDGER_DATA_DIR: directory.path };
const CHUNK = 2_000;

function run(...args: string[]) {
  return spawnSync(process.execPath, [cli, ...args], { env, encoding: 'utf8', cwd: root });
}

function importedRows(): number {
  const database = new DatabaseSync(join(directory.path, 'ledger.sqlite'), { readOnly: true });
  try {
    const row = database
      .prepare(
        "SELECT count(*) AS rows FROM events WHERE type IN ('SpendRecorded.v1', 'CreditNoteRecorded.v1')",
      )
      .get() as { rows: number };
    return Number(row.rows);
  } finally {
    database.close();
  }
}

describe('an import killed while it records', () => {
  it('leaves whole chunks only, verifies, and completes when run again', async () => {
    expect(
      run('import-plan', 'demo/plan', '--pool', 'herts', '--name', 'Herts', '--area', 'Herts')
        .status,
    ).toBe(0);
    const file = generateTransparencySpend({ lines: 30_000, seed: 3 });
    const path = join(directory.path, 'spend.csv');
    writeFileSync(path, file.bytes);
    const args = [
      'import-spend',
      path,
      '--pool',
      'herts',
      '--mapping',
      'mappings/transparency-code.json',
      '--round-to-pence',
    ];
    const child = spawn(process.execPath, [cli, ...args], { env, cwd: root, stdio: 'ignore' });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    const started = Date.now();
    while (Date.now() - started < 60_000) {
      if (importedRows() >= CHUNK) break;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    child.kill('SIGKILL');
    await exited;
    const afterCrash = importedRows();
    expect(afterCrash).toBeGreaterThanOrEqual(CHUNK);
    expect(afterCrash, 'the kill came after the import had finished').toBeLessThan(
      file.adultCareRows,
    );
    expect(afterCrash % CHUNK).toBe(0);
    const verified = run('audit', 'verify');
    expect(verified.status, verified.stdout + verified.stderr).toBe(0);
    const again = run(...args);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toContain(
      `recorded ${file.adultCareRows - afterCrash} rows (${file.adultCareRows - afterCrash} events`,
    );
    expect(again.stdout).toContain(`${afterCrash} already recorded`);
    expect(importedRows()).toBe(file.adultCareRows);
  }, 120_000);
});
