import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { openLedger } from '../../src/main.ts';
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

  it('checks its options as the API does: one line naming the option and what is wrong, exit 2', () => {
    const cases: [string[], string][] = [
      [['users', 'add', 'x', '--name', 'X', '--role', 'boss'], "'--role <role>' argument 'boss'"],
      [
        ['audit', 'replay', '--pool', 'herts', '--year', '2017-18', '--as-at', 'yesterday'],
        "'--as-at <moment>' argument 'yesterday'",
      ],
      [
        ['report', 'balances', '--pool', 'herts', '--year', '2017-19'],
        "'--year <year>' argument '2017-19'",
      ],
    ];
    for (const [args, named] of cases) {
      const result = run(...args);
      expect(result.status, args.join(' ')).toBe(2);
      expect(result.stderr).toContain(named);
      expect(result.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(result.stdout).toBe('');
    }
  });

  it('makes an administrator whose printed token signs in, as README says to recover one', async () => {
    const made = run('users', 'add', 'ops-admin', '--name', 'Operations', '--role', 'admin');
    expect(made.status, made.stderr).toBe(0);
    const token = made.stdout.trim();
    expect(token).toMatch(/^bcf_[0-9a-f]{16}_/);
    expect(run('users', 'add', 'ops-admin', '--name', 'Again', '--role', 'admin').status).toBe(2);
    const ledger = await openLedger(loadConfig({ LEDGER_DATA_DIR: directory.path }));
    try {
      expect(await ledger.access.authenticate(token)).toMatchObject({
        userId: 'ops-admin',
        role: 'admin',
        pools: '*',
      });
    } finally {
      await ledger.close();
    }
  });
});

describe('bcf-ledger import-plan', () => {
  it('registers a pool in its region and imports its plan, which the national roll-up then counts', async () => {
    const plan = join(import.meta.dirname, '../fixtures/northshire/2017-19');
    const imported = run(
      'import-plan',
      plan,
      '--pool',
      'northshire',
      '--name',
      'Northshire Better Care Fund',
      '--area',
      'Northshire',
      '--region',
      'North West',
    );
    expect(imported.status, imported.stderr).toBe(0);
    // The same plan again is refused line by line, and changes nothing.
    const again = run('import-plan', plan, '--pool', 'northshire');
    expect(again.status).not.toBe(0);
    expect(again.stderr).toContain('has been used already in this ledger');
    const ledger = await openLedger(loadConfig({ LEDGER_DATA_DIR: directory.path }));
    try {
      await ledger.readModel.catchUp();
      const national = await ledger.readFace.rollUp('*', '2017-18', 'North West');
      expect(national.pools.map((pool) => [pool.poolId, pool.region, pool.contributions])).toEqual([
        ['northshire', 'North West', '16200000.00'],
      ]);
    } finally {
      await ledger.close();
    }
  });
});

describe('bcf-ledger users setup-link', () => {
  it('prints a one-time link with which the person chooses their password', async () => {
    expect(
      run('users', 'add', 'pat', '--name', 'Pat Officer', '--role', 'finance-officer').status,
    ).toBe(0);
    const issued = run('users', 'setup-link', 'pat');
    expect(issued.status, issued.stderr).toBe(0);
    const code = /\/app\/set-up\/(setup_\S+)/.exec(issued.stdout)?.[1] ?? '';
    expect(issued.stdout).toContain('good once, until');
    const ledger = await openLedger(loadConfig({ LEDGER_DATA_DIR: directory.path }));
    try {
      expect(await ledger.writeFace.setPassword(code, 'pat chooses this one')).toEqual({
        ok: true,
        userId: 'pat',
      });
      expect(await ledger.writeFace.signIn('pat', 'pat chooses this one')).toMatchObject({
        ok: true,
      });
    } finally {
      await ledger.close();
    }
    expect(run('users', 'setup-link', 'nobody').status).toBe(2);
  });
});
