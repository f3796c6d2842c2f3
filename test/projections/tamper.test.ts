import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { referenceData as referenceDataSchema } from '../../src/events/catalogue/pool-events.ts';
import { eventHash } from '../../src/events/store/integrity.ts';
import { importPlan } from '../../src/import/plan-import.ts';
import { readPlanCsv } from '../../src/import/plan-tables.ts';
import { type Ledger, openLedger, verifyAtStart } from '../../src/main.ts';
import { ReadModelHaltedError } from '../../src/projections/read-face.ts';
import { temporaryDirectory } from '../support/temp-dir.ts';

/**
 * Tampering done directly in the files of a ledger written as the server writes it (a keyed hash
 * chain, signed checkpoints, a sealed read model), each kind on its own copy: `bcf-ledger audit
 * verify` must exit 1 naming the first break, the library must agree, a ledger opened on an
 * altered log must refuse writes, an altered read model must be rebuilt and never served, and an
 * untouched copy must pass. The tampering is what an insider with the files but without the
 * ledger's keys can do: where a chain is "recomputed" it is with the unkeyed algorithm.
 */
const root = join(import.meta.dirname, '../..');
const directory = temporaryDirectory('tamper');
const original = join(directory.path, 'original');
const cli = join(root, 'src/cli/bcf-ledger.ts');
const STREAM = 'ledger-herts-2017-18';
let copies = 0;
let head = 0;

beforeAll(async () => {
  let clock = Date.parse('2017-04-03T09:00:00.000Z');
  const ledger = await openLedger(loadConfig({ LEDGER_DATA_DIR: original }), () => {
    clock += 1_000;
    return new Date(clock);
  });
  try {
    await recordAYear(ledger);
    await ledger.readModel.catchUp();
    head = await ledger.store.headPosition();
  } finally {
    await ledger.close();
  }
}, 120_000);
afterAll(() => directory.remove());

let keys = 0;
async function run(ledger: Ledger, userId: 'officer' | 'cfo', command: object): Promise<void> {
  const role = userId === 'cfo' ? 'cfo' : 'finance-officer';
  const outcome = await ledger.writeFace.execute({
    caller: { id: userId, role, credentialId: `token:${'0'.repeat(16)}` },
    idempotencyKey: `tamper-${++keys}`,
    command: { poolId: 'herts', year: '2017-18', ...command } as never,
  });
  if (outcome.kind !== 'recorded' && outcome.kind !== 'unchanged')
    throw new Error(`${JSON.stringify(command)}: ${JSON.stringify(outcome)}`);
}

/** The demo plan, 2,400 invoices, a virement approved, Q1 and Q2 closed, spend in Q3. */
async function recordAYear(ledger: Ledger): Promise<void> {
  const referenceData = referenceDataSchema.parse(
    JSON.parse(readFileSync(join(root, 'reference-data/bcf-2017-19.json'), 'utf8')),
  );
  const imported = await importPlan(
    readPlanCsv(join(root, 'demo/plan')),
    {
      poolId: 'herts',
      referenceData,
      registration: { name: 'Hertfordshire BCF', hwbArea: 'Hertfordshire' },
      caller: { id: 'officer', role: 'finance-officer' },
    },
    ledger.writeFace,
  );
  if (!imported.ok) throw new Error(imported.problems[0]?.message);
  const quarters = [
    ['Q1', '2017-05-'],
    ['Q2', '2017-08-'],
    ['Q3', '2017-11-'],
  ] as const;
  for (const [quarter, month] of quarters) {
    for (let index = 0; index < 800; index++) {
      await run(ledger, 'officer', {
        type: 'RecordSpend',
        spendId: `${quarter}-${index}`,
        schemeId: '1',
        fundingStream: 'Minimum CCG Contribution',
        quarter,
        spendDate: `${month}${String(1 + (index % 28)).padStart(2, '0')}`,
        amount: `${100 + (index % 900)}.${String(index % 100).padStart(2, '0')}`,
        supplier: `Supplier ${index % 40}`,
        erpReference: `INV-${quarter}-${index}`,
        description: 'homecare',
      });
    }
    if (quarter === 'Q3') break;
    if (quarter === 'Q1') {
      await run(ledger, 'officer', {
        type: 'RequestVirement',
        virementId: 'vir-1',
        fundingStream: 'Minimum CCG Contribution',
        fromSchemeId: '14',
        toSchemeId: '9',
        amount: '150000.00',
      });
      await run(ledger, 'cfo', { type: 'ApproveVirement', virementId: 'vir-1' });
    }
    await run(ledger, 'officer', { type: 'RequestQuarterClose', quarter });
    await run(ledger, 'cfo', { type: 'ApproveQuarterClose', quarter });
  }
}

/** A copy of the ledger's data directory, with `tamper` done to its event store's file. */
function tamperedCopy(tamper: (database: DatabaseSync) => void, file = 'ledger.sqlite'): string {
  const copy = join(directory.path, `copy-${++copies}`);
  cpSync(original, copy, { recursive: true });
  const database = new DatabaseSync(join(copy, file));
  database.exec(`
    DROP TRIGGER IF EXISTS events_refuse_update; DROP TRIGGER IF EXISTS events_refuse_delete;
    DROP TRIGGER IF EXISTS appends_refuse_update; DROP TRIGGER IF EXISTS appends_refuse_delete;`);
  tamper(database);
  database.close();
  return copy;
}

function verifyWithCli(copy: string) {
  return spawnSync(process.execPath, [cli, 'audit', 'verify'], {
    env: { ...process.env, LEDGER_DATA_DIR: copy },
    encoding: 'utf8',
  });
}

/**
 * Verifies an altered copy through the command and the library, which must agree on the first
 * break; then opens it as the server does and expects every write refused once the log is checked.
 */
async function detected(copy: string, refusesWrites = true) {
  const command = verifyWithCli(copy);
  expect(command.status, command.stdout + command.stderr).toBe(1);
  const ledger = await openLedger(loadConfig({ LEDGER_DATA_DIR: copy }));
  try {
    const verification = await ledger.readFace.verify();
    if (verification.ok) throw new Error('the tampering went unnoticed');
    const at = verification.firstBreak;
    expect(command.stdout).toContain(`BROKEN at position ${at.position}`);
    expect(command.stdout).toContain(at.problem);
    if (refusesWrites) {
      await verifyAtStart(ledger);
      const write = await ledger.writeFace.execute({
        caller: { id: 'officer', role: 'finance-officer' },
        idempotencyKey: 'after-tampering',
        command: {
          type: 'UpdateForecast',
          poolId: 'herts',
          year: '2017-18',
          schemeId: '1',
          fundingStream: 'Minimum CCG Contribution',
          quarter: 'Q3',
          forecastOutturn: '1.00',
        },
      });
      expect(write.kind).toBe('ledger-broken');
    }
    return at;
  } finally {
    await ledger.close();
  }
}

type Row = Record<string, string | number>;

/** The stream's events from a version on, hashed again in order with the unkeyed algorithm. */
function rehashFrom(database: DatabaseSync, fromVersion: number): void {
  const rows = database
    .prepare(
      'SELECT * FROM events WHERE stream_id = ? AND stream_version >= ? ORDER BY stream_version',
    )
    .all(STREAM, fromVersion - 1) as Row[];
  let previous = String(rows[0]?.hash);
  for (const row of rows.slice(fromVersion === 1 ? 0 : 1)) {
    const hash = eventHash({
      streamId: STREAM,
      streamVersion: Number(row.stream_version),
      type: String(row.type),
      data: JSON.parse(String(row.data)),
      metadata: JSON.parse(String(row.metadata)),
      previousHash: previous,
    });
    database
      .prepare('UPDATE events SET previous_hash = ?, hash = ? WHERE global_position = ?')
      .run(previous, hash, row.global_position ?? 0);
    previous = hash;
  }
}

function eventWhere(database: DatabaseSync, condition: string): Row {
  const row = database
    .prepare(`SELECT * FROM events WHERE ${condition} ORDER BY global_position LIMIT 1`)
    .get() as Row | undefined;
  if (row === undefined) throw new Error(`no event where ${condition}`);
  return row;
}

describe('tampering with the files of a ledger, each kind caught', () => {
  it('passes an untouched copy, and a ledger opened on it records', async () => {
    const copy = tamperedCopy(() => {});
    const command = verifyWithCli(copy);
    expect(command.status, command.stdout + command.stderr).toBe(0);
    expect(command.stdout).toContain(`verified ${head} events`);
    expect(command.stdout).toMatch(/and \d+ signed checkpoints: no break/);
    const ledger = await openLedger(loadConfig({ LEDGER_DATA_DIR: copy }));
    try {
      await verifyAtStart(ledger);
      expect(await ledger.integrity.broken()).toBeUndefined();
    } finally {
      await ledger.close();
    }
  });

  it('1. an event edited in place', async () => {
    let position = 0;
    const copy = tamperedCopy((database) => {
      position = Number(eventWhere(database, "type = 'SpendRecorded.v1'").global_position) + 500;
      database.exec(
        `UPDATE events SET data = json_set(data, '$.amount', '9999.99') WHERE global_position = ${position}`,
      );
    });
    const at = await detected(copy);
    expect(at).toMatchObject({
      position,
      problem: 'its content does not match its hash: it was changed after it was recorded',
    });
  });

  it('2. the last event deleted, with the record of its append', async () => {
    const copy = tamperedCopy((database) => {
      const last = eventWhere(database, `global_position = ${head}`);
      database
        .prepare('DELETE FROM appends WHERE idempotency_key = ?')
        .run(JSON.parse(String(last.metadata)).idempotencyKey);
      database.exec(`DELETE FROM events WHERE global_position = ${head}`);
    });
    const at = await detected(copy);
    expect(at.position).toBe(head);
    expect(at.problem).toContain(`the log ends at position ${head - 1}`);
  });

  it('3. an event deleted from the middle', async () => {
    const copy = tamperedCopy((database) =>
      database.exec('DELETE FROM events WHERE global_position = 1000'),
    );
    const at = await detected(copy);
    expect(at).toMatchObject({
      position: 1001,
      problem: 'positions 1000 to 1000 are missing: events were removed',
    });
  });

  it('4. an event inserted at the end with its chain recomputed and an append recorded for it', async () => {
    const copy = tamperedCopy((database) => {
      const last = eventWhere(database, `global_position = ${head}`);
      const data = { ...JSON.parse(String(last.data)), spendId: 'forged', amount: '50000.00' };
      const metadata = { ...JSON.parse(String(last.metadata)), idempotencyKey: 'forged-key' };
      const streamVersion = Number(last.stream_version) + 1;
      const hash = eventHash({
        streamId: STREAM,
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
          head + 1,
          STREAM,
          streamVersion,
          'forged',
          String(last.type),
          JSON.stringify(data),
          JSON.stringify(metadata),
          String(last.hash),
          hash,
        );
      database
        .prepare(
          'INSERT INTO appends (idempotency_key, stream_id, digest, stream_version, first_position, last_position, event_count) VALUES (?, ?, ?, ?, ?, ?, 1)',
        )
        .run('forged-key', STREAM, '0'.repeat(64), streamVersion, head + 1, head + 1);
    });
    const at = await detected(copy);
    expect(at).toMatchObject({
      position: head + 1,
      problem: 'its content does not match its hash: it was changed after it was recorded',
    });
  });

  it('5. two events swapped, their chains recomputed and their appends’ records moved with them', async () => {
    let position = 0;
    const copy = tamperedCopy((database) => {
      const first = eventWhere(database, "type = 'SpendRecorded.v1'");
      position = Number(first.global_position) + 300;
      const a = eventWhere(database, `global_position = ${position}`);
      const b = eventWhere(database, `global_position = ${position + 1}`);
      const swap = database.prepare(
        'UPDATE events SET data = ?, metadata = ? WHERE global_position = ?',
      );
      swap.run(String(b.data), String(b.metadata), position);
      swap.run(String(a.data), String(a.metadata), position + 1);
      const move = database.prepare(
        'UPDATE appends SET stream_version = ?, first_position = ?, last_position = ? WHERE idempotency_key = ?',
      );
      move.run(
        Number(a.stream_version),
        position,
        position,
        JSON.parse(String(b.metadata)).idempotencyKey,
      );
      move.run(
        Number(b.stream_version),
        position + 1,
        position + 1,
        JSON.parse(String(a.metadata)).idempotencyKey,
      );
      rehashFrom(database, Number(a.stream_version));
    });
    const at = await detected(copy);
    expect(at).toMatchObject({
      position,
      problem: 'its content does not match its hash: it was changed after it was recorded',
    });
  });

  it('6. an amount in the open quarter changed and the chain recomputed after it', async () => {
    let position = 0;
    const copy = tamperedCopy((database) => {
      const row = eventWhere(
        database,
        "type = 'SpendRecorded.v1' AND json_extract(data, '$.quarter') = 'Q3'",
      );
      position = Number(row.global_position);
      database.exec(
        `UPDATE events SET data = json_set(data, '$.amount', '1.00') WHERE global_position = ${position}`,
      );
      rehashFrom(database, Number(row.stream_version));
    });
    const at = await detected(copy);
    expect(at).toMatchObject({
      position,
      problem: 'its content does not match its hash: it was changed after it was recorded',
    });
  });

  it('7. an approval’s actor changed to its requester, the chain recomputed', async () => {
    let position = 0;
    const copy = tamperedCopy((database) => {
      const row = eventWhere(database, "type = 'VirementApproved.v1'");
      position = Number(row.global_position);
      database.exec(
        `UPDATE events SET metadata = json_set(metadata, '$.actor.id', 'officer') WHERE global_position = ${position}`,
      );
      rehashFrom(database, Number(row.stream_version));
    });
    const at = await detected(copy);
    expect(at).toMatchObject({
      position,
      problem: 'its content does not match its hash: it was changed after it was recorded',
    });
  });

  it('8. the record of an append edited', async () => {
    let position = 0;
    const copy = tamperedCopy((database) => {
      const row = eventWhere(database, "type = 'SpendRecorded.v1'");
      position = Number(row.global_position) + 10;
      const key = JSON.parse(
        String(eventWhere(database, `global_position = ${position}`).metadata),
      ).idempotencyKey;
      database
        .prepare('UPDATE appends SET digest = ? WHERE idempotency_key = ?')
        .run('f'.repeat(64), key);
    });
    const at = await detected(copy);
    expect(at.position).toBe(position);
    expect(at.problem).toContain('does not hold the digest of the events it recorded');
  });

  it('9. the read model edited: verification says so, and a server rebuilds it rather than serve it', async () => {
    const copy = tamperedCopy(
      (database) =>
        database.exec(
          `UPDATE pool_views SET document = replace(document, '"Hertfordshire BCF"', '"Forged BCF"')`,
        ),
      'projections.sqlite',
    );
    const at = await detected(copy, false);
    expect(at.problem).toContain('does not match its seal');
    const config = loadConfig({ LEDGER_DATA_DIR: copy });
    const ledger = await openLedger(config, () => new Date(), { rebuildWhenAltered: true });
    try {
      await expect(
        ledger.readFace.report({ kind: 'balances', poolId: 'herts', year: '2017-18' }),
      ).rejects.toBeInstanceOf(ReadModelHaltedError);
      let found: Awaited<ReturnType<typeof ledger.readFace.report>> | undefined;
      for (let attempt = 0; attempt < 100 && found === undefined; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        found = await ledger.readFace
          .report({ kind: 'balances', poolId: 'herts', year: '2017-18' })
          .catch(() => undefined);
      }
      expect(found?.found && (found.value as { poolName: string }).poolName).toBe(
        'Hertfordshire BCF',
      );
    } finally {
      await ledger.close();
    }
  });

  it('10. a posting into a closed quarter appended past the rules: the quarter no longer reads as signed', async () => {
    const copy = tamperedCopy(() => {});
    const config = loadConfig({ LEDGER_DATA_DIR: copy });
    const ledger = await openLedger(config);
    try {
      // An insider with the keys appends through the store itself, skipping the deciders: the
      // chain and the checkpoints are whole, but the signed-off Q1 no longer reads as signed.
      const version = (await ledger.store.readStream(STREAM, { limit: 10_000 })).length;
      await ledger.store.append(
        STREAM,
        [
          {
            type: 'SpendRecorded.v1',
            data: {
              poolId: 'herts',
              year: '2017-18',
              spendId: 'slipped-in',
              schemeId: '1',
              fundingStream: 'Minimum CCG Contribution',
              quarter: 'Q1',
              spendDate: '2017-05-02',
              amount: '5000.00',
              supplier: '',
              erpReference: '',
              description: '',
            },
            metadata: {
              actor: { id: 'officer', role: 'finance-officer' },
              recordedAt: new Date().toISOString(),
              correlationId: 'slipped-in',
              causationId: 'slipped-in',
              idempotencyKey: 'slipped-in',
            },
          },
        ],
        { expectedVersion: version },
      );
    } finally {
      await ledger.close();
    }
    const at = await detected(copy);
    expect(at.problem).toMatch(
      /^the Q1 2017-18 report as the ledger reads it now has digest [0-9a-f]{64}, not the [0-9a-f]{64} signed off/,
    );
  });
});
