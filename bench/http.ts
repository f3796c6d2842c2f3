/**
 * The API's cost over a bare fastify route: POST spend with 32 connections against the ledger on
 * the embedded store (durable appends, authentication, idempotency, validation), and in the same
 * run the same body against a bare route. Each server runs in its own process; this one drives
 * them with autocannon. Prints requests/s, p50 and p99 latency for both and the ratio.
 * Targets: ledger/bare >= 0.25, ledger p99 < 50 ms.
 *
 *   npm run bench:http [-- --seconds 15]
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { adminTokenOf, call, startProcess } from './processes.ts';

const { values: options } = parseArgs({
  options: {
    seconds: { type: 'string', default: '15' },
    connections: { type: 'string', default: '32' },
  },
});
const seconds = Number(options.seconds);
const connections = Number(options.connections);
const root = join(import.meta.dirname, '..');
const referenceData = JSON.parse(
  readFileSync(join(root, 'reference-data/bcf-2017-19.json'), 'utf8'),
);

/** A pool with one budget line, and a finance officer's token, through the API itself. */
async function setUp(url: string, adminToken: string): Promise<string> {
  await call(url, adminToken, '/pools', {
    poolId: 'herts',
    name: 'Hertfordshire BCF',
    hwbArea: 'Hertfordshire',
    host: { partnerId: 'HCC', name: 'Hertfordshire County Council', kind: 'Local Authority' },
  });
  await call(url, adminToken, '/pools/herts/years', { year: '2017-18', referenceData });
  await call(url, adminToken, '/users', {
    userId: 'officer',
    name: 'Bench officer',
    role: 'finance-officer',
    pools: ['herts'],
  });
  const { token } = JSON.parse(
    await call(url, adminToken, '/users/officer/tokens', { label: 'bench' }),
  ) as { token: string };
  await call(url, token, '/pools/herts/schemes', {
    schemeId: '1',
    name: 'Specialist Care at Home',
    schemeType: 'Personalised support/care at home',
    description: '',
    areaOfSpend: 'Social Care',
    commissioner: 'Local Authority',
    provider: 'Local Authority',
    newOrExisting: 'Existing',
  });
  await call(url, token, '/pools/herts/years/2017-18/contributions', {
    partnerId: 'HCC',
    fundingStream: 'Additional LA Contribution',
    amount: '100000000.00',
  });
  await call(url, token, '/pools/herts/years/2017-18/allocations', {
    allocationId: 'a1',
    schemeId: '1',
    fundingStream: 'Additional LA Contribution',
    amount: '100000000.00',
  });
  return token;
}

function run(url: string, path: string, token: string): Promise<autocannon.Result> {
  let sequence = 0;
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections,
        duration: seconds,
        requests: [
          {
            method: 'POST',
            path,
            setupRequest: (request) => {
              sequence += 1;
              return {
                ...request,
                headers: {
                  authorization: `Bearer ${token}`,
                  'content-type': 'application/json',
                  'idempotency-key': `bench-${sequence}`,
                },
                body: JSON.stringify({
                  spendId: `s${sequence}`,
                  schemeId: '1',
                  fundingStream: 'Additional LA Contribution',
                  quarter: 'Q1',
                  spendDate: '2017-05-15',
                  amount: `${(sequence % 5000) + 1}.25`,
                  supplier: 'Acme Care Ltd',
                  erpReference: `INV-${sequence}`,
                  description: 'homecare package',
                }),
              };
            },
          },
        ],
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
    instance.on('error', reject);
  });
}

const dataDirectory = mkdtempSync(join(tmpdir(), 'bcf-bench-http-'));
const children: ChildProcess[] = [];
try {
  const ledger = await startProcess('src/main.ts', {
    LEDGER_DATA_DIR: dataDirectory,
    LEDGER_PORT: '0',
    LEDGER_LOG_LEVEL: 'warn',
    LEDGER_RATE_LIMIT_PER_MINUTE: '1000000',
    // Every request comes from one address here: that limit must not answer for the ledger.
    LEDGER_ADDRESS_RATE_LIMIT_PER_MINUTE: '10000000',
  });
  children.push(ledger.child);
  const adminToken = adminTokenOf(ledger);
  const officerToken = await setUp(ledger.url, adminToken);
  const bare = await startProcess('bench/bare-server.ts', {});
  children.push(bare.child);

  const ledgerResult = await run(ledger.url, '/pools/herts/years/2017-18/spend', officerToken);
  const bareResult = await run(bare.url, '/spend', '');
  const line = (name: string, result: autocannon.Result) =>
    `${name.padEnd(8)} requests/s ${result.requests.average.toFixed(0).padStart(7)}   p50 ${result.latency.p50.toFixed(1).padStart(6)} ms   p99 ${result.latency.p99.toFixed(1).padStart(6)} ms   non-2xx ${result.non2xx}   errors ${result.errors}`;
  console.log(`POST spend, ${connections} connections, ${seconds} s each`);
  console.log(line('ledger', ledgerResult));
  console.log(line('bare', bareResult));
  console.log(
    `ratio ledger/bare: ${(ledgerResult.requests.average / bareResult.requests.average).toFixed(2)}  (target >= 0.25; ledger p99 target < 50 ms)`,
  );
} finally {
  for (const child of children) child.kill('SIGTERM');
  await new Promise((resolve) => setTimeout(resolve, 500));
  rmSync(dataDirectory, { recursive: true, force: true });
}
