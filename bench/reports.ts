/**
 * Reading reports on a ledger of 1,000,000 events: the quarterly position, the balances and the
 * year-end statement, each read over and over by 16 connections (autocannon), and in the same run
 * the same bytes served by a bare fastify route. Then the first read after a change (a POST of
 * spend) and a live read while an `asAt` replay runs. Prints requests/s, p50, p99 and the ratios.
 * Targets (issue 17): repeated GET >= 0.5 x the bare route, p99 < 5 ms.
 *
 *   npm run bench:reports [-- --events 1000000 --seconds 10]
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { buildLedger } from './ledger-builder.ts';
import { adminTokenOf, call, startProcess } from './processes.ts';

const { values: options } = parseArgs({
  options: {
    events: { type: 'string', default: '1000000' },
    seconds: { type: 'string', default: '10' },
  },
});
const seconds = Number(options.seconds);
const base = '/pools/herts/years/2017-18';
const REPORTS = [`${base}/quarters/Q4`, `${base}/balances`, `${base}/year-end-statement`];

function hammer(url: string, path: string, token: string): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: `${url}${path}`,
        connections: 16,
        duration: seconds,
        headers: { authorization: `Bearer ${token}` },
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
    instance.on('error', reject);
  });
}

const line = (name: string, result: autocannon.Result) =>
  `${name.padEnd(34)} requests/s ${result.requests.average.toFixed(0).padStart(7)}   p50 ${result.latency.p50.toFixed(1).padStart(7)} ms   p99 ${result.latency.p99.toFixed(1).padStart(7)} ms   non-2xx ${result.non2xx}`;

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = process.hrtime.bigint();
  const value = await work();
  return [value, Number(process.hrtime.bigint() - started) / 1e6];
}

const directory = mkdtempSync(join(tmpdir(), 'bcf-bench-reports-'));
const children: ChildProcess[] = [];
try {
  const written = await buildLedger(directory, Number(options.events));
  const [ledger, startMs] = await timed(() =>
    startProcess('src/main.ts', {
      LEDGER_DATA_DIR: directory,
      LEDGER_PORT: '0',
      LEDGER_LOG_LEVEL: 'warn',
      LEDGER_RATE_LIMIT_PER_MINUTE: '1000000',
      LEDGER_ADDRESS_RATE_LIMIT_PER_MINUTE: '10000000',
    }),
  );
  children.push(ledger.child);
  console.log(
    `ledger of ${written} events; the server listened after ${(startMs / 1000).toFixed(1)} s`,
  );
  const admin = adminTokenOf(ledger);
  await call(ledger.url, admin, '/users', {
    userId: 'cfo',
    name: 'Bench CFO',
    role: 'cfo',
    pools: ['herts'],
  });
  const token = (
    JSON.parse(await call(ledger.url, admin, '/users/cfo/tokens', { label: 'bench' })) as {
      token: string;
    }
  ).token;
  for (const path of REPORTS) {
    const [body, firstMs] = await timed(() => call(ledger.url, token, path));
    const file = join(directory, 'body.json');
    writeFileSync(file, body);
    const bare = await startProcess('bench/bare-bytes-server.ts', { BENCH_BODY_FILE: file });
    children.push(bare.child);
    const ours = await hammer(ledger.url, path, token);
    const theirs = await hammer(bare.url, '/report', '');
    bare.child.kill('SIGTERM');
    console.log(
      `GET ${path} (${(body.length / 1024).toFixed(0)} KiB; first read ${firstMs.toFixed(0)} ms), 16 connections, ${seconds} s each`,
    );
    console.log(line('  ledger', ours));
    console.log(line('  bare route, same bytes', theirs));
    console.log(
      `  ratio ledger/bare: ${(ours.requests.average / theirs.requests.average).toFixed(3)}  (target >= 0.5, p99 < 5 ms)`,
    );
  }
  const [, firstPostMs] = await timed(() =>
    call(ledger.url, token, `${base}/spend`, {
      spendId: 'after-change',
      schemeId: '1',
      fundingStream: 'Additional LA Contribution',
      spendDate: '2018-02-20',
      amount: '12.34',
      supplier: 'Bench',
      erpReference: 'B-1',
      description: 'after',
    }),
  );
  console.log(`first POST of spend after the start: ${firstPostMs.toFixed(0)} ms`);
  const [, afterChangeMs] = await timed(() => call(ledger.url, token, REPORTS[0] ?? ''));
  console.log(`first GET of the quarter after a change: ${afterChangeMs.toFixed(0)} ms`);
  const asAt = '2017-09-01T00:00:00.000Z';
  const replay = timed(() => call(ledger.url, token, `${REPORTS[0]}?asAt=${asAt}`));
  await new Promise((resolve) => setTimeout(resolve, 50));
  const [, liveMs] = await timed(() => call(ledger.url, token, REPORTS[1] ?? ''));
  const [, replayMs] = await replay;
  console.log(
    `asAt replay of the quarter: ${replayMs.toFixed(0)} ms; a live GET of the balances sent during it answered in ${liveMs.toFixed(0)} ms`,
  );
  const status = readFileSync(`/proc/${ledger.child.pid}/status`, 'utf8');
  const kib = (field: string) => new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? '?';
  console.log(`server RSS after all this: ${kib('VmRSS')} kB (peak ${kib('VmHWM')} kB)`);
} finally {
  for (const child of children) child.kill('SIGTERM');
  await new Promise((resolve) => setTimeout(resolve, 500));
  rmSync(directory, { recursive: true, force: true });
}
