/**
 * The embedded store's cost over raw node:sqlite, in one run with the same pragmas:
 *   (a) durable single-event appends per second through the command handler,
 *   (b) raw single-row commits per second, and the ratio a/b;
 *   (d) events per second read through readAll with schema validation,
 *   (e) rows per second read raw with JSON.parse, and the ratio d/e;
 * and the process's peak resident memory. Targets: a/b >= 0.5, d/e >= 0.5, peak RSS < 1 GiB.
 *
 *   npm run bench:store [-- --appends 3000 --events 1000000]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { amountString } from '#money';
import { accept, type Decider } from '../src/commands/decider.ts';
import { BatchingCommandHandler } from '../src/commands/handler/batching-command-handler.ts';
import { EventCatalogue } from '../src/events/catalogue.ts';
import type { EventMetadata, NewEvent } from '../src/events/envelope.ts';
import { STORE_LIMITS } from '../src/events/store/port.ts';
import { applyDurablePragmas } from '../src/events/store/sqlite/pragmas.ts';
import { SqliteEventStore } from '../src/events/store/sqlite/sqlite-event-store.ts';

const { values: options } = parseArgs({
  options: {
    appends: { type: 'string', default: '3000' },
    rounds: { type: 'string', default: '5' },
    events: { type: 'string', default: '1000000' },
  },
});
const appendCount = Number(options.appends);
const rounds = Number(options.rounds);
const readEventCount = Number(options.events);

/** An event shaped like a spend line: the commonest event in a ledger. */
const benchCatalogue = new EventCatalogue({
  'BenchSpendRecorded.v1': z.strictObject({
    spendId: z.string().min(1).max(100),
    schemeId: z.string().min(1).max(50),
    fundingStream: z.string().min(1).max(100),
    quarter: z.enum(['Q1', 'Q2', 'Q3', 'Q4']),
    amount: amountString,
    spendDate: z.iso.date(),
    reference: z.string().max(100),
    description: z.string().max(500),
  }),
});

function spendData(index: number) {
  return {
    spendId: `spend-${index}`,
    schemeId: `scheme-${index % 18}`,
    fundingStream: 'Minimum CCG Contribution',
    quarter: (['Q1', 'Q2', 'Q3', 'Q4'] as const)[index % 4],
    amount: `${(index % 100_000) + 1}.${String(index % 100).padStart(2, '0')}`,
    spendDate: '2017-07-14',
    reference: `ERP-${1_000_000 + index}`,
    description: 'Homecare packages, weekly invoice run',
  };
}

function metadata(key: string): EventMetadata {
  return {
    actor: { id: 'officer-1', role: 'finance-officer' },
    recordedAt: new Date().toISOString(),
    correlationId: key,
    causationId: key,
    idempotencyKey: key,
  };
}

type BenchCommand = { index: number };
type BenchEvent = { type: 'BenchSpendRecorded.v1'; data: ReturnType<typeof spendData> };
const benchDecider: Decider<BenchCommand, number, BenchEvent> = {
  initialState: () => 0,
  evolve: (count) => count + 1,
  decide: (command) => accept({ type: 'BenchSpendRecorded.v1', data: spendData(command.index) }),
};

function secondsSince(started: bigint): number {
  return Number(process.hrtime.bigint() - started) / 1e9;
}

const directory = mkdtempSync(join(tmpdir(), 'bcf-bench-store-'));
try {
  const appendStore = SqliteEventStore.open({
    path: join(directory, 'appends.sqlite'),
    catalogue: benchCatalogue,
  });
  const handler = new BatchingCommandHandler(appendStore, benchDecider);
  const raw = new DatabaseSync(join(directory, 'raw.sqlite'));
  applyDurablePragmas(raw, {});
  raw.exec('CREATE TABLE raw_rows (id INTEGER PRIMARY KEY, payload TEXT NOT NULL) STRICT');
  const rawInsert = raw.prepare('INSERT INTO raw_rows (payload) VALUES (?)');

  // Rounds alternate between the two so that a slow patch of disk time hits both alike.
  let handlerSeconds = 0;
  let rawSeconds = 0;
  const perRound = Math.ceil(appendCount / rounds);
  let index = 0;
  for (let round = 0; round < rounds; round++) {
    let started = process.hrtime.bigint();
    for (let step = 0; step < perRound; step++, index++) {
      const outcome = await handler.handle('ledger-bench', { index }, metadata(`append-${index}`));
      if (!outcome.ok) throw new Error(outcome.error.message);
    }
    handlerSeconds += secondsSince(started);
    started = process.hrtime.bigint();
    for (let step = 0; step < perRound; step++) {
      raw.exec('BEGIN IMMEDIATE');
      rawInsert.run(JSON.stringify(spendData(step)));
      raw.exec('COMMIT');
    }
    rawSeconds += secondsSince(started);
  }
  const total = perRound * rounds;
  const handlerRate = total / handlerSeconds;
  const rawRate = total / rawSeconds;
  await appendStore.close();
  raw.close();

  console.log(`appends: ${total} single-event appends each way, WAL, synchronous=FULL`);
  console.log(`(a) command handler appends/s:       ${handlerRate.toFixed(0)}`);
  console.log(`(b) raw node:sqlite commits/s:       ${rawRate.toFixed(0)}`);
  console.log(
    `(c) ratio a/b:                       ${(handlerRate / rawRate).toFixed(2)}  (target >= 0.5)`,
  );

  const readPath = join(directory, 'read.sqlite');
  const loadSeconds = await loadEvents(readPath, readEventCount);
  console.log(`\nloaded ${readEventCount} events in ${loadSeconds.toFixed(1)} s`);

  // The load is closed first, so both readers find the events checkpointed into the database
  // file rather than in the write-ahead log. The readers take turns, three times each, and each
  // side's best run counts: on a shared machine the best run is the one least disturbed.
  let validatedSeconds = Number.POSITIVE_INFINITY;
  let rawReadSeconds = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 3; round++) {
    validatedSeconds = Math.min(validatedSeconds, await readThroughStore(readPath, readEventCount));
    rawReadSeconds = Math.min(rawReadSeconds, readRawRows(readPath, readEventCount));
  }
  const validatedRate = readEventCount / validatedSeconds;
  const rawReadRate = readEventCount / rawReadSeconds;
  console.log(`(d) readAll with validation events/s: ${validatedRate.toFixed(0)}`);
  console.log(`(e) raw rows + JSON.parse rows/s:     ${rawReadRate.toFixed(0)}`);
  console.log(
    `(f) ratio d/e:                        ${(validatedRate / rawReadRate).toFixed(2)}  (target >= 0.5)`,
  );
  const peakRssMiB = process.resourceUsage().maxRSS / 1024;
  console.log(
    `peak RSS:                             ${peakRssMiB.toFixed(0)} MiB  (target < 1024 MiB)`,
  );
} finally {
  rmSync(directory, { recursive: true, force: true });
}

async function loadEvents(path: string, count: number): Promise<number> {
  const store = SqliteEventStore.open({ path, catalogue: benchCatalogue });
  const started = process.hrtime.bigint();
  const batchSize = 1_000;
  for (let first = 0; first < count; first += batchSize) {
    const key = `load-${first}`;
    const events: NewEvent[] = [];
    for (let offset = 0; offset < batchSize && first + offset < count; offset++) {
      events.push({
        type: 'BenchSpendRecorded.v1',
        data: spendData(first + offset),
        metadata: metadata(key),
      });
    }
    store.appendNow(`ledger-${(first / batchSize) % 150}`, events, { expectedVersion: 'any' });
  }
  const seconds = secondsSince(started);
  await store.close();
  return seconds;
}

/** Seconds to read every event through the store's readAll, which validates each one. */
async function readThroughStore(path: string, expected: number): Promise<number> {
  const store = SqliteEventStore.open({ path, catalogue: benchCatalogue });
  const started = process.hrtime.bigint();
  let position = 1;
  let read = 0;
  for (;;) {
    const page = await store.readAll(position, { limit: STORE_LIMITS.defaultPageSize });
    read += page.events.length;
    position = page.nextPosition;
    if (page.endOfLog) break;
  }
  const seconds = secondsSince(started);
  await store.close();
  if (read !== expected) throw new Error(`readAll gave ${read} events of ${expected}`);
  return seconds;
}

/** Seconds to read every row with the same query and page size, parsing data and metadata only. */
function readRawRows(path: string, expected: number): number {
  const database = new DatabaseSync(path);
  applyDurablePragmas(database, {});
  const page = database.prepare(
    'SELECT global_position, stream_id, stream_version, event_id, type, data, metadata, previous_hash, hash FROM events WHERE global_position >= ? ORDER BY global_position LIMIT ?',
  );
  // Rows as arrays, as the store reads them: the baseline gets the same fast path.
  page.setReturnArrays(true);
  const started = process.hrtime.bigint();
  let read = 0;
  let checksum = 0;
  for (let from = 1; ; ) {
    const rows = page.all(from, STORE_LIMITS.defaultPageSize) as unknown as [number, ...string[]][];
    for (const row of rows) {
      const data = JSON.parse(row[5] ?? '') as { amount: string };
      const meta = JSON.parse(row[6] ?? '') as { actor: { id: string } };
      checksum += data.amount.length + meta.actor.id.length;
    }
    read += rows.length;
    if (rows.length < STORE_LIMITS.defaultPageSize) break;
    from = (rows.at(-1)?.[0] ?? from) + 1;
  }
  const seconds = secondsSince(started);
  database.close();
  if (read !== expected || checksum === 0)
    throw new Error(`raw read gave ${read} rows of ${expected}`);
  return seconds;
}
