import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { temporaryDirectory } from '../support/temp-dir.ts';

/** The bcf-ledger command as an operator runs it: its version, its help, its exit codes. */
const cli = join(import.meta.dirname, '../../src/cli/bcf-ledger.ts');
const directory = temporaryDirectory('cli');
afterAll(() => directory.remove());

function run(...args: string[]) {
  return spawnSync(process.execPath, [cli, ...args], {
    env: { ...process.env, LEDGER_DATA_DIR: directory.path },
    encoding: 'utf8',
  });
}

describe('bcf-ledger', () => {
  it('prints its version, the package’s, and exits 0', () => {
    const manifest = JSON.parse(
      readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8'),
    ) as { version: string };
    for (const flag of ['--version', '-V']) {
      const result = run(flag);
      expect(result.status).toBe(0);
      expect(result.stdout.trim()).toBe(manifest.version);
    }
  });

  it('lists its commands in --help, and exits 2 on a command it does not know', () => {
    const help = run('--help');
    expect(help.status).toBe(0);
    for (const command of ['serve', 'demo', 'import-plan', 'report', 'audit', 'rebuild', 'users'])
      expect(help.stdout).toContain(command);
    const unknown = run('frobnicate');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('frobnicate');
  });
});
