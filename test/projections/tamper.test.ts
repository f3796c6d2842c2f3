import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Money } from '#money';
import type { LedgerCommand } from '../../src/commands/ledger/ledger-commands.ts';
import { ledgerDecider } from '../../src/commands/ledger/ledger-decider.ts';
import {
  bcfCatalogue,
  type LedgerEvent,
  ledgerStreamId,
  poolStreamId,
  QUARTERS,
} from '../../src/events/catalogue/index.ts';
import { eventHash, GENESIS_HASH } from '../../src/events/store/integrity.ts';
import { SqliteEventStore } from '../../src/events/store/sqlite/sqlite-event-store.ts';
import { type Verification, verifyLedger } from '../../src/projections/ledger-verification.ts';
import { DEFAULT_RAG_THRESHOLDS } from '../../src/projections/reports/figures.ts';
import { quarterlyReport } from '../../src/projections/reports/quarterly-position.ts';
import { applyToPoolView, emptyPoolView } from '../../src/projections/view/pool-view.ts';
import {
  cfo,
  contributionsPlanned,
  foldPool,
  IBCF,
  type LedgerCommandWithoutContext,
  MIN_CCG,
  metadataFor,
  officer,
  POOL,
  poolSetUp,
  YEAR,
} from '../support/domain.ts';
import { temporaryDirectory } from '../support/temp-dir.ts';

/**
 * Tampering done directly in the SQLite file of a ledger of more than 10,000 events, each kind on
 * its own copy: verification must fail and name the first broken event, and pass on an untouched
 * copy. The ledger has three quarters closed on real digests of their positions.
 */
const directory = temporaryDirectory('tamper');
const original = join(directory.path, 'ledger.sqlite');
let copies = 0;
let head = 0;

beforeAll(async () => {
  const store = SqliteEventStore.open({ path: original, catalogue: bcfCatalogue });
  await store.append(
    poolStreamId(POOL),
    poolSetUp.map((event) => ({ ...event, metadata: metadataFor(officer, 'pool') })),
    { expectedVersion: 'no-stream' },
  );
  let appends = 0;
  for (const batch of ledgerBatches()) {
    const key = `batch-${appends}`;
    const recordedAt = new Date(
      Date.parse('2017-04-01T00:00:00.000Z') + appends * 60_000,
    ).toISOString();
    await store.append(
      ledgerStreamId(POOL, YEAR),
      batch.map((event) => ({ ...event, metadata: metadataFor(officer, key, recordedAt) })),
      { expectedVersion: 'any' },
    );
    appends += 1;
  }
  head = await store.headPosition();
  await store.close();
}, 120_000);
afterAll(() => directory.remove());

/** A copy of the ledger's file, in a data directory of its own, after `tamper` worked on it. */
function tamperedCopy(tamper: (database: DatabaseSync) => void): string {
  const dataDirectory = join(directory.path, `copy-${++copies}`);
  mkdirSync(dataDirectory);
  const copy = join(dataDirectory, 'ledger.sqlite');
  copyFileSync(original, copy);
  const database = new DatabaseSync(copy);
  database.exec(
    'DROP TRIGGER events_refuse_update; DROP TRIGGER events_refuse_delete; DROP TRIGGER appends_refuse_delete;',
  );
  tamper(database);
  database.close();
  return copy;
}

const cli = join(import.meta.dirname, '../../src/cli/bcf-ledger.ts');

/** `bcf-ledger audit verify` on a data directory, as an operator would run it. */
function verifyWithCli(copy: string) {
  return spawnSync(process.execPath, [cli, 'audit', 'verify'], {
    env: { ...process.env, LEDGER_DATA_DIR: join(copy, '..') },
    encoding: 'utf8',
  });
}

/**
 * Verifies a copy of the ledger after `tamper` has worked on its raw file, through the library
 * and through the command, which must agree: exit 0 when nothing broke, else exit 1 naming the
 * same first broken event.
 */
async function verifyTampered(tamper: (database: DatabaseSync) => void): Promise<Verification> {
  const copy = tamperedCopy(tamper);
  const store = SqliteEventStore.open({ path: copy, catalogue: bcfCatalogue });
  let verification: Verification;
  try {
    verification = await verifyLedger(store, {
      ragThresholds: DEFAULT_RAG_THRESHOLDS,
      densePositions: true,
    });
  } finally {
    await store.close();
  }
  const command = verifyWithCli(copy);
  if (verification.ok) {
    expect(command.status, command.stderr).toBe(0);
  } else {
    expect(command.status, command.stderr).toBe(1);
    expect(command.stdout).toContain(`BROKEN at position ${verification.firstBreak.position}`);
    expect(command.stdout).toContain(verification.firstBreak.problem);
  }
  return verification;
}

function firstBreak(verification: Verification) {
  if (verification.ok) throw new Error('the tampering went unnoticed');
  return verification.firstBreak;
}

describe(`verifying a ledger of more than 10,000 events against tampering in its file`, () => {
  it('passes an untouched copy, three quarter closes reproduced', async () => {
    expect(head).toBeGreaterThan(10_000);
    const verification = await verifyTampered(() => {});
    expect(verification).toEqual({ ok: true, events: head, streams: 2, quarterCloses: 3 });
  });

  it('finds an amount edited in place', async () => {
    const broken = firstBreak(
      await verifyTampered((database) =>
        database.exec(
          `UPDATE events SET data = json_set(data, '$.amount', '9999.99') WHERE global_position = 5000`,
        ),
      ),
    );
    expect(broken).toMatchObject({
      position: 5000,
      streamId: 'ledger-herts-2017-18',
      problem: 'its content does not match its hash: it was changed after it was recorded',
    });
  });

  it('finds an event deleted from the middle', async () => {
    const broken = firstBreak(
      await verifyTampered((database) =>
        database.exec('DELETE FROM events WHERE global_position = 4000'),
      ),
    );
    expect(broken.position).toBe(4001);
    expect(broken.problem).toContain('positions 4000 to 4000 are missing');
  });

  it('finds an event inserted at the end, even with a correct hash chain', async () => {
    const broken = firstBreak(
      await verifyTampered((database) => {
        const last = database
          .prepare('SELECT * FROM events ORDER BY global_position DESC LIMIT 1')
          .get() as Record<string, string | number>;
        const data = { ...JSON.parse(String(last.data)), spendId: 'forged', amount: '50000.00' };
        const metadata = { ...JSON.parse(String(last.metadata)), idempotencyKey: 'forged-key' };
        const streamVersion = Number(last.stream_version) + 1;
        const hash = eventHash({
          streamId: String(last.stream_id),
          streamVersion,
          type: String(last.type),
          data,
          metadata,
          previousHash: String(last.hash),
        });
        database
          .prepare(
            'INSERT INTO events (global_position, stream_id, stream_version, event_id, type, data, metadata, previous_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
          )
          .run(
            Number(last.global_position) + 1,
            last.stream_id ?? '',
            streamVersion,
            'forged',
            last.type ?? '',
            JSON.stringify(data),
            JSON.stringify(metadata),
            last.hash ?? '',
            hash,
          );
      }),
    );
    expect(broken).toMatchObject({
      position: head + 1,
      problem: 'no append was recorded under its idempotency key "forged-key": it was inserted',
    });
  });

  it('finds two events swapped between positions', async () => {
    // Position 8 is the pool stream's last event, 9 the ledger's first: each stream's own chain
    // stays whole, only the order of the log changes.
    const broken = firstBreak(
      await verifyTampered((database) =>
        database.exec(`
          UPDATE events SET global_position = -1 WHERE global_position = 8;
          UPDATE events SET global_position = 8 WHERE global_position = 9;
          UPDATE events SET global_position = 9 WHERE global_position = -1;`),
      ),
    );
    expect(broken).toMatchObject({
      position: 8,
      streamId: 'ledger-herts-2017-18',
      streamVersion: 1,
    });
    expect(broken.problem).toContain('the event was moved');
  });

  it('finds a stream cut short at the end of the log', async () => {
    const broken = firstBreak(
      await verifyTampered((database) =>
        database.exec(`DELETE FROM events WHERE global_position > ${head - 25}`),
      ),
    );
    expect(broken.problem).toContain(
      `acknowledged appends up to position ${head}, but the log ends at ${head - 25}`,
    );
  });

  it('is what `bcf-ledger audit verify` runs: exit 0 on an untouched copy, 1 naming the first broken event', () => {
    const verify = verifyWithCli;
    const untouched = verify(tamperedCopy(() => {}));
    expect(untouched.status, untouched.stderr).toBe(0);
    expect(untouched.stdout).toContain(
      `verified ${head} events in 2 streams and 3 quarter closes: no break`,
    );
    const broken = verify(
      tamperedCopy((database) => database.exec('DELETE FROM events WHERE global_position = 777')),
    );
    expect(broken.status).toBe(1);
    expect(broken.stdout).toContain(
      'BROKEN at position 778 (stream "ledger-herts-2017-18", version 770): positions 777 to 777 are missing',
    );
  });

  it('finds a Q1 allocation changed and the whole chain rehashed, by the quarter close it contradicts', async () => {
    const broken = firstBreak(
      await verifyTampered((database) => {
        const rows = database
          .prepare(
            "SELECT * FROM events WHERE stream_id = 'ledger-herts-2017-18' ORDER BY stream_version",
          )
          .all() as Record<string, string | number>[];
        const update = database.prepare(
          'UPDATE events SET data = ?, previous_hash = ?, hash = ? WHERE global_position = ?',
        );
        let previousHash = GENESIS_HASH;
        for (const row of rows) {
          let data = JSON.parse(String(row.data));
          if (row.type === 'FundsAllocated.v1' && data.allocationId === 'a1')
            data = { ...data, amount: '400000.00' };
          const hash = eventHash({
            streamId: String(row.stream_id),
            streamVersion: Number(row.stream_version),
            type: String(row.type),
            data,
            metadata: JSON.parse(String(row.metadata)),
            previousHash,
          });
          update.run(JSON.stringify(data), previousHash, hash, row.global_position ?? 0);
          previousHash = hash;
        }
      }),
    );
    expect(broken.problem).toContain('the Q1 2017-18 report recomputed at ledger version');
    expect(broken.problem).toContain('not the');
  });
});

/**
 * A year of ledger traffic decided by the real decider, in appends of up to 100 events, with Q1
 * to Q3 closed on the digests of their positions as the live view showed them.
 */
function* ledgerBatches(): Generator<LedgerEvent[]> {
  const pool = foldPool(poolSetUp);
  const view = emptyPoolView(POOL);
  for (const event of poolSetUp) applyToPoolView(view, event);
  const state = ledgerDecider.initialState();
  let batch: LedgerEvent[] = [];
  const record = (event: LedgerEvent) => {
    ledgerDecider.evolve(state, event);
    applyToPoolView(view, event);
    batch.push(event);
  };
  const run = (command: LedgerCommandWithoutContext) => {
    const decision = ledgerDecider.decide(
      { poolId: POOL, year: YEAR, ...command, pool } as LedgerCommand,
      state,
    );
    if (!decision.ok) throw new Error(`${command.type}: ${decision.error.message}`);
    for (const event of decision.events) record(event);
  };
  for (const event of contributionsPlanned) record(event);
  run({
    type: 'AllocateFunds',
    actor: officer,
    allocationId: 'a1',
    schemeId: '1',
    fundingStream: MIN_CCG,
    amount: '500000.00',
  });
  run({
    type: 'AllocateFunds',
    actor: officer,
    allocationId: 'a2',
    schemeId: '3',
    fundingStream: IBCF,
    amount: '500000.00',
  });
  for (const quarter of QUARTERS) {
    for (let index = 0; index < 2_600; index++) {
      const ibcf = index % 4 === 0;
      run({
        type: 'RecordSpend',
        actor: officer,
        spendId: `${quarter}-${index}`,
        schemeId: ibcf ? '3' : '1',
        fundingStream: ibcf ? IBCF : MIN_CCG,
        quarter,
        spendDate: { Q1: '2017-05-15', Q2: '2017-08-15', Q3: '2017-11-15', Q4: '2018-02-15' }[
          quarter
        ],
        amount: Money.fromPence(BigInt(100 + ((index * 7919) % 9_000))).toString(),
        supplier: 'Provider Ltd',
        erpReference: `ERP-${quarter}-${index}`,
        description: 'care package',
        ...(ibcf ? { ibcfPurpose: 'adult-social-care-needs' } : {}),
      });
      if (batch.length >= 100) {
        yield batch;
        batch = [];
      }
    }
    if (quarter !== 'Q4') {
      // The digest is taken with the events so far recorded, as a close request would see them.
      if (batch.length > 0) {
        yield batch;
        batch = [];
      }
      const digest = () =>
        quarterlyReport(view, YEAR, quarter, DEFAULT_RAG_THRESHOLDS)?.digest ?? '';
      run({
        type: 'RequestQuarterClose',
        actor: officer,
        quarter,
        reportDigest: digest(),
        ledgerVersion: state.version,
        poolVersion: pool.version,
      });
      run({
        type: 'ApproveQuarterClose',
        actor: cfo,
        quarter,
        reportDigest: digest(),
        ledgerVersion: state.version,
        poolVersion: pool.version,
      });
    }
  }
  if (batch.length > 0) yield batch;
}
