/**
 * A year of a council's spend (40,000 transparency-code lines, with float noise, credit notes and
 * another directorate's rows) imported onto the demo plan, twice from scratch: through the
 * command line (`bcf-ledger import-spend`, the whole process timed), and through the API of a
 * running server (upload and check, then confirm). Prints seconds and lines per second for each.
 * Target: under 10 seconds each.
 *
 *   npm run bench:import [-- --lines 40000]
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateTransparencySpend } from '../scripts/transparency-spend.ts';

const { values: options } = parseArgs({
  options: { lines: { type: 'string', default: '40000' } },
});
const lines = Number(options.lines);
const root = join(import.meta.dirname, '..');
const cli = join(root, 'src/cli/bcf-ledger.ts');
const mappingPath = join(root, 'mappings/transparency-code.json');
const file = generateTransparencySpend({ lines, seed: 2017 });
const scratch = mkdtempSync(join(tmpdir(), 'bcf-bench-import-'));
const spendPath = join(scratch, 'spend-2017-18.csv');
writeFileSync(spendPath, file.bytes);

function ledgerWithPlan(name: string): Record<string, string> {
  const env = { ...process.env, LEDGER_DATA_DIR: join(scratch, name), LEDGER_LOG_LEVEL: 'warn' };
  const plan = spawnSync(
    process.execPath,
    [cli, 'import-plan', 'demo/plan', '--pool', 'herts', '--name', 'Herts', '--area', 'Herts'],
    { env, cwd: root, encoding: 'utf8' },
  );
  if (plan.status !== 0) throw new Error(`the demo plan did not import: ${plan.stderr}`);
  return env as Record<string, string>;
}

function report(path: string, seconds: number, detail: string): void {
  console.log(
    `${path.padEnd(4)} ${seconds.toFixed(2).padStart(6)} s   ${Math.round(lines / seconds)
      .toString()
      .padStart(6)} lines/s   ${detail}`,
  );
}

async function throughCli(): Promise<void> {
  const env = ledgerWithPlan('cli');
  const started = process.hrtime.bigint();
  const result = spawnSync(
    process.execPath,
    [
      cli,
      'import-spend',
      spendPath,
      '--pool',
      'herts',
      '--mapping',
      mappingPath,
      '--round-to-pence',
    ],
    { env, cwd: root, encoding: 'utf8' },
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) throw new Error(`import-spend failed: ${result.stdout}${result.stderr}`);
  report('cli', seconds, /recorded .*/.exec(result.stdout)?.[0] ?? '');
}

function startServer(
  env: Record<string, string>,
): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(process.execPath, [join(root, 'src/main.ts')], {
    env: { ...env, LEDGER_PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += String(chunk);
  });
  child.stderr?.on('data', (chunk) => {
    output += String(chunk);
  });
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = setInterval(() => {
      const url = /listening on (http:\/\/\S+)/.exec(output)?.[1];
      if (url !== undefined && /\n {2}bcf_\S+\n/.test(output)) {
        clearInterval(poll);
        resolve({ child, url, output: () => output });
      } else if (Date.now() - started > 30_000) {
        clearInterval(poll);
        reject(new Error(`the server did not start: ${output}`));
      }
    }, 20);
  });
}

async function post(url: string, token: string, path: string, body: unknown, key: string) {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      'idempotency-key': key,
    },
    body: JSON.stringify(body),
  });
  const answer = (await response.json()) as Record<string, unknown>;
  if (response.status >= 300)
    throw new Error(`${path}: ${response.status} ${JSON.stringify(answer)}`);
  return answer;
}

async function throughApi(): Promise<void> {
  const server = await startServer(ledgerWithPlan('api'));
  try {
    const adminToken = /\n {2}(bcf_\S+)\n/.exec(server.output())?.[1] ?? '';
    await post(
      server.url,
      adminToken,
      '/users',
      { userId: 'officer', name: 'Officer', role: 'finance-officer', pools: ['herts'] },
      'u',
    );
    const { token } = (await post(
      server.url,
      adminToken,
      '/users/officer/tokens',
      { label: 'bench' },
      't',
    )) as { token: string };
    const mapping = { ...JSON.parse(readFileSync(mappingPath, 'utf8')), amounts: 'round-to-pence' };
    const started = process.hrtime.bigint();
    const staged = await post(
      server.url,
      token,
      '/pools/herts/spend-imports',
      { fileName: 'spend-2017-18.csv', content: file.bytes.toString('base64'), mapping },
      'upload',
    );
    const checked = Number(process.hrtime.bigint() - started) / 1e9;
    const confirmed = await post(
      server.url,
      token,
      `/pools/herts/spend-imports/${String(staged.importId)}/confirmation`,
      {},
      'confirm',
    );
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const outcome = confirmed.outcome as {
      rowsRecorded: number;
      eventsRecorded: number;
      commits: number;
    };
    report(
      'api',
      seconds,
      `upload and check ${checked.toFixed(2)} s; recorded ${outcome.rowsRecorded} rows (${outcome.eventsRecorded} events in ${outcome.commits} commits)`,
    );
  } finally {
    server.child.kill('SIGTERM');
    await new Promise((resolve) => server.child.on('exit', resolve));
  }
}

try {
  console.log(
    `${lines} transparency-code lines (${file.adultCareRows} of adult care), ${(file.bytes.length / 1_048_576).toFixed(1)} MiB`,
  );
  await throughCli();
  await throughApi();
  console.log('target: under 10 s each');
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
