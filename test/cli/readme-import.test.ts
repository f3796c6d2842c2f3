import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { temporaryDirectory } from '../support/temp-dir.ts';

/**
 * README.md's "Importing a year of spend", run as written (on a fresh data directory, the file
 * written there): what it says the commands print holds.
 */
const root = join(import.meta.dirname, '../..');
const directory = temporaryDirectory('readme-import');
afterAll(() => directory.remove());

function readmeCommands(): string[] {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Importing a year of spend'));
  const blocks = [
    ...section.slice(0, section.indexOf('\n## ', 5)).matchAll(/```sh\n([\s\S]*?)```/g),
  ];
  return blocks.flatMap((block) => (block[1] ?? '').trim().split('\n'));
}

function run(line: string) {
  const args =
    line
      .replaceAll('spend-2017-18.csv', join(directory.path, 'spend-2017-18.csv'))
      .match(/"[^"]*"|\S+/g)
      ?.map((word) => word.replace(/^"|"$/g, '')) ?? [];
  const command =
    args[0] === 'npx' ? [join(root, 'src/cli/bcf-ledger.ts'), ...args.slice(2)] : args.slice(1);
  return spawnSync(process.execPath, command, {
    cwd: root,
    env: { ...process.env, LEDGER_DATA_DIR: join(directory.path, 'data') },
    encoding: 'utf8',
  });
}

describe('README: importing a year of spend', () => {
  it('checks, records and reports as it says', () => {
    const [setData, plan, generate, check, record, report, ...rest] = readmeCommands();
    expect(setData).toBe('export LEDGER_DATA_DIR=data/import');
    expect(rest).toEqual([]);
    expect(run(plan ?? '').status).toBe(0);
    expect(run(generate ?? '').status).toBe(0);
    const checked = run(check ?? '');
    expect(checked.status).toBe(1);
    expect(checked.stdout).toContain('1141 problem(s):');
    expect(checked.stdout).toContain('[amount-noise]');
    const recorded = run(record ?? '');
    expect(recorded.status, recorded.stderr).toBe(0);
    expect(recorded.stdout).toContain('recorded 39608 rows (39608 events in 20 commits)');
    const again = run(record ?? '');
    expect(again.stdout).toContain(
      'recorded 0 rows (0 events in 0 commits); 39608 already recorded',
    );
    const position = run(report ?? '');
    expect(position.status).toBe(0);
    expect(position.stdout.split('\n')[0]).toMatch(/^Scheme ID,Scheme Name,/);
  }, 120_000);
});
