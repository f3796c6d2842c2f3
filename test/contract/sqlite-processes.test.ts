import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StoreDurabilityError } from '../../src/events/store/errors.ts';
import { verifyStreamChain } from '../../src/events/store/integrity.ts';
import { SqliteEventStore } from '../../src/events/store/sqlite/sqlite-event-store.ts';
import { temporaryDirectory } from '../support/temp-dir.ts';
import { itemAdded, testCatalogue } from '../support/test-events.ts';

/**
 * What only the SQLite adapter can show: several operating-system processes writing one file,
 * a process killed mid-append, a failure inside the write transaction, and the durability checks.
 */
const writerScript = join(import.meta.dirname, '../support/sqlite-writer-process.ts');

function startWriter(
  path: string,
  streamId: string,
  writer: string,
  appends: number,
  batchSize: number,
) {
  const child = spawn(
    process.execPath,
    [writerScript, path, streamId, writer, String(appends), String(batchSize)],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const acknowledged: { version: number; key: string }[] = [];
  let buffered = '';
  let errors = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      const [, version, key] = line.split(' ');
      acknowledged.push({ version: Number(version), key: key ?? '' });
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    errors += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, acknowledged, exited, errors: () => errors };
}

function waitUntil(condition: () => boolean, timeoutMs: number): Promise<void> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const check = () => {
      if (condition()) resolve();
      else if (Date.now() - started > timeoutMs) reject(new Error('timed out waiting'));
      else setTimeout(check, 5);
    };
    check();
  });
}

describe('SQLite event store across processes', () => {
  let directory: ReturnType<typeof temporaryDirectory>;
  let path: string;
  const children: ChildProcess[] = [];

  beforeEach(() => {
    directory = temporaryDirectory('processes');
    path = join(directory.path, 'ledger.sqlite');
  });
  afterEach(() => {
    for (const child of children) child.kill('SIGKILL');
    directory.remove();
  });

  it('lets four processes race on one stream: every acknowledged append is stored once, versions dense', async () => {
    SqliteEventStore.open({ path, catalogue: testCatalogue }).close();
    const writers = ['p1', 'p2', 'p3', 'p4'].map((name) =>
      startWriter(path, 'pool-race', name, 60, 2),
    );
    children.push(...writers.map((writer) => writer.child));
    const codes = await Promise.all(writers.map((writer) => writer.exited));
    expect(codes, writers.map((writer) => writer.errors()).join('\n')).toEqual([0, 0, 0, 0]);

    const store = SqliteEventStore.open({ path, catalogue: testCatalogue });
    const events = await store.readStream('pool-race', { limit: 10_000 });
    await store.close();
    expect(events).toHaveLength(4 * 60 * 2);
    expect(verifyStreamChain(events)).toEqual({ ok: true, eventCount: 480 });
    const acknowledgedVersions = writers.flatMap((writer) =>
      writer.acknowledged.map((ack) => ack.version),
    );
    expect(acknowledgedVersions.sort((a, b) => a - b)).toEqual(
      Array.from({ length: 240 }, (_, index) => (index + 1) * 2),
    );
    for (const writer of writers) {
      for (const ack of writer.acknowledged) {
        const stored = events[ack.version - 1];
        expect(stored?.metadata.idempotencyKey).toBe(ack.key);
      }
    }
  });

  it('loses no acknowledged append and keeps no partial one when the writer is killed with SIGKILL', async () => {
    SqliteEventStore.open({ path, catalogue: testCatalogue }).close();
    const writer = startWriter(path, 'pool-killed', 'k', 1_000_000, 3);
    children.push(writer.child);
    await waitUntil(() => writer.acknowledged.length >= 150, 30_000);
    writer.child.kill('SIGKILL');
    await writer.exited;

    const store = SqliteEventStore.open({ path, catalogue: testCatalogue });
    const events = await store.readStream('pool-killed', { limit: 10_000 });
    await store.close();
    const lastAcknowledged = writer.acknowledged.at(-1)?.version ?? 0;
    expect(lastAcknowledged).toBeGreaterThanOrEqual(450);
    // Every acknowledged append is there; the one in flight at the kill may be there whole or not at all.
    expect(events.length).toBeGreaterThanOrEqual(lastAcknowledged);
    expect(events.length % 3).toBe(0);
    expect(events.length - lastAcknowledged).toBeLessThanOrEqual(3);
    expect(verifyStreamChain(events).ok).toBe(true);
    for (const ack of writer.acknowledged)
      expect(events[ack.version - 1]?.metadata.idempotencyKey).toBe(ack.key);
  });
});

describe('SQLite event store write transaction', () => {
  let directory: ReturnType<typeof temporaryDirectory>;
  beforeEach(() => {
    directory = temporaryDirectory('transaction');
  });
  afterEach(() => directory.remove());

  it('rolls back every event of an append when the database fails part-way through it', async () => {
    const path = join(directory.path, 'ledger.sqlite');
    const store = SqliteEventStore.open({ path, catalogue: testCatalogue });
    await store.append('pool-a', [itemAdded('a', '1.00', 'k0')], { expectedVersion: 'no-stream' });
    const saboteur = new DatabaseSync(path);
    saboteur.exec(`CREATE TRIGGER fail_third BEFORE INSERT ON events WHEN NEW.stream_version = 4
      BEGIN SELECT RAISE(ABORT, 'disk trouble on the third event'); END`);
    const events = ['b', 'c', 'd'].map((item) => itemAdded(item, '1.00', 'k1'));
    await expect(store.append('pool-a', events, { expectedVersion: 1 })).rejects.toThrow(
      'disk trouble',
    );
    expect(await store.streamVersion('pool-a')).toBe(1);
    expect(await store.headPosition()).toBe(1);
    expect(await store.findAppend('k1')).toBeUndefined();
    saboteur.exec('DROP TRIGGER fail_third');
    saboteur.close();
    const retried = await store.append('pool-a', events, { expectedVersion: 1 });
    expect(retried).toMatchObject({
      firstPosition: 2,
      lastPosition: 4,
      streamVersion: 4,
      replayed: false,
    });
    await store.close();
  });

  it('refuses an in-memory database, which cannot be durable', () => {
    expect(() => SqliteEventStore.open({ path: ':memory:', catalogue: testCatalogue })).toThrow(
      StoreDurabilityError,
    );
  });

  it('runs with WAL and synchronous=FULL, as the file itself reports', async () => {
    const path = join(directory.path, 'ledger.sqlite');
    const store = SqliteEventStore.open({ path, catalogue: testCatalogue });
    const probe = new DatabaseSync(path);
    expect(probe.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
    probe.close();
    await store.close();
    expect(() =>
      SqliteEventStore.open({ path, catalogue: testCatalogue, synchronous: 'OFF' }),
    ).toThrow('synchronous=FULL or EXTRA');
  });
});
