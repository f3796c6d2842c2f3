/**
 * The pages on a ledger of about 1,000,000 events: the demo plan, then years of a council's spend
 * imported through the spend import (40,000 lines a file), served as `bcf-ledger serve` serves
 * them. A person signs in, then each page is read over and over by 16 connections for a few
 * seconds (autocannon, the session cookie sent): prints requests per second, p50 and p99 for each.
 * Target: p99 under 50 ms on every page.
 *
 *   npm run bench:pages [-- --events 1000000 --seconds 10]
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { generateTransparencySpend } from '../scripts/transparency-spend.ts';
import { buildApp } from '../src/api/app.ts';
import { loadConfig } from '../src/config.ts';
import { referenceData as referenceDataSchema } from '../src/events/catalogue/pool-events.ts';
import { importPlan } from '../src/import/plan-import.ts';
import { readPlanCsv } from '../src/import/plan-tables.ts';
import { recordSpendImport } from '../src/import/spend-import.ts';
import { parseMapping } from '../src/import/spend-mapping.ts';
import { openLedger, pagesOf } from '../src/main.ts';

const { values: options } = parseArgs({
  options: {
    events: { type: 'string', default: '1000000' },
    seconds: { type: 'string', default: '10' },
  },
});
const target = Number(options.events);
const seconds = Number(options.seconds);
const root = join(import.meta.dirname, '..');
const directory = mkdtempSync(join(tmpdir(), 'bcf-bench-pages-'));
const config = loadConfig({
  LEDGER_DATA_DIR: directory,
  LEDGER_LOG_LEVEL: 'warn',
  // The benchmark reads as fast as it can, from one address: no rate limit may answer for the pages.
  LEDGER_RATE_LIMIT_PER_MINUTE: '1000000',
  LEDGER_ADDRESS_RATE_LIMIT_PER_MINUTE: '10000000',
});
const officer = { id: 'officer', role: 'finance-officer' as const };

async function build() {
  const ledger = await openLedger(config);
  const referenceData = referenceDataSchema.parse(
    JSON.parse(readFileSync(join(root, 'reference-data/bcf-2017-19.json'), 'utf8')),
  );
  await importPlan(
    readPlanCsv(join(root, 'demo/plan')),
    {
      poolId: 'herts',
      referenceData,
      registration: { name: 'Hertfordshire BCF', hwbArea: 'Hertfordshire' },
      caller: officer,
    },
    ledger.writeFace,
  );
  const parsed = parseMapping(
    JSON.parse(readFileSync(join(root, 'mappings/transparency-code.json'), 'utf8')),
  );
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  const mapping = { ...parsed.mapping, amounts: 'round-to-pence' as const };
  for (let file = 0; (await ledger.store.headPosition()) < target; file++) {
    const lines = Math.min(
      40_000,
      Math.ceil((target - (await ledger.store.headPosition())) / 0.99),
    );
    const spend = generateTransparencySpend({
      lines,
      seed: file + 1,
      firstTransaction: 1_000_000 + file * 100_000,
    });
    await recordSpendImport(ledger.writeFace, {
      poolId: 'herts',
      files: [{ fileName: `spend-${file}.csv`, bytes: spend.bytes }],
      mapping,
      caller: officer,
      correlationId: `bench-${file}`,
    });
    process.stderr.write(`\rbuilding: ${await ledger.store.headPosition()} events`);
  }
  await ledger.writeFace.execute({
    caller: { id: 'bench', role: 'system' },
    idempotencyKey: 'user',
    command: { type: 'RegisterUser', userId: 'cfo', name: 'Bench CFO', role: 'cfo', pools: '*' },
  });
  const link = await ledger.writeFace.execute({
    caller: { id: 'bench', role: 'system' },
    idempotencyKey: 'link',
    command: { type: 'IssueSetupLink', userId: 'cfo' },
  });
  if (link.kind !== 'recorded' || link.token === undefined) throw new Error('no set-up link');
  await ledger.writeFace.setPassword(link.token.token, 'bench password for pages');
  process.stderr.write('\n');
  await ledger.close();
}

function measure(url: string, cookie: string): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      { url, connections: 16, duration: seconds, headers: { cookie } },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
    instance.on('error', reject);
  });
}

try {
  const built = process.hrtime.bigint();
  await build();
  console.log(
    `built a ledger of ${target}+ events in ${(Number(process.hrtime.bigint() - built) / 1e9).toFixed(1)} s`,
  );
  const ledger = await openLedger(config);
  const caughtUp = process.hrtime.bigint();
  await ledger.readModel.catchUp();
  console.log(
    `read model caught up in ${(Number(process.hrtime.bigint() - caughtUp) / 1e9).toFixed(1)} s; ${await ledger.store.headPosition()} events`,
  );
  const app = await buildApp(
    {
      writeFace: ledger.writeFace,
      readFace: ledger.readFace,
      spendImports: ledger.spendImports,
      authenticate: (bearer) => ledger.readFace.authenticate(bearer),
      config,
    },
    {
      logger: false,
      pages: pagesOf(ledger, config),
    },
  );
  const origin = await app.listen({ host: '127.0.0.1', port: 0 });
  const signedIn = await ledger.writeFace.signIn('cfo', 'bench password for pages');
  if (!signedIn.ok) throw new Error('could not sign in');
  const cookie = `bcf_session=${signedIn.cookie}`;
  for (const path of [
    '/app',
    '/app/pools/herts/2017-18/Q2',
    '/app/pools/herts/2017-18/Q2/pack',
    '/app/audit',
    '/app/audit?type=SpendRecorded.v1',
  ]) {
    const result = await measure(`${origin}${path}`, cookie);
    console.log(
      `${path.padEnd(36)} requests/s ${result.requests.average.toFixed(0).padStart(6)}   p50 ${result.latency.p50.toFixed(1).padStart(7)} ms   p99 ${result.latency.p99.toFixed(1).padStart(7)} ms   non-2xx ${result.non2xx}`,
    );
  }
  console.log('target: p99 under 50 ms on every page');
  await app.close();
  await ledger.close();
} finally {
  rmSync(directory, { recursive: true, force: true });
}
