import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bcfCatalogue } from '../../src/events/catalogue/index.ts';
import type { EventStore } from '../../src/events/store/port.ts';
import { SqliteEventStore } from '../../src/events/store/sqlite/sqlite-event-store.ts';
import { verifyLedger } from '../../src/projections/ledger-verification.ts';
import { ProjectionRunner } from '../../src/projections/projection-runner.ts';
import { metadataFor, officer, poolSetUp } from '../support/domain.ts';
import { temporaryDirectory } from '../support/temp-dir.ts';

/** A real SQLite log whose pages leave out the entries at the given positions. */
function withEntriesLeftOut(sqlite: SqliteEventStore, hidden: ReadonlySet<number>): EventStore {
  return {
    append: sqlite.append.bind(sqlite),
    appendAll: sqlite.appendAll.bind(sqlite),
    readStream: sqlite.readStream.bind(sqlite),
    streamVersion: sqlite.streamVersion.bind(sqlite),
    headPosition: sqlite.headPosition.bind(sqlite),
    appendedThrough: sqlite.appendedThrough.bind(sqlite),
    subscribe: sqlite.subscribe.bind(sqlite),
    findAppend: sqlite.findAppend.bind(sqlite),
    close: sqlite.close.bind(sqlite),
    async readAll(fromPosition, options) {
      const page = await sqlite.readAll(fromPosition, options);
      return {
        ...page,
        events: page.events.filter((event) => !hidden.has(event.globalPosition)),
      };
    },
  };
}

/**
 * On EventStoreDB a page of `$all` can hold entries that are not the ledger's events (the append
 * markers), so a page may come back with fewer events than asked for, or none, before the end of
 * the log. The port allows that; the read model must step over such pages, never stop or spin on
 * them. Here the entries at positions 2 and 3 are left out of every page, as markers would be.
 */
describe('a log whose pages may hold none of the ledger events', () => {
  const directory = temporaryDirectory('sparse-pages');
  const sqlite = SqliteEventStore.open({
    path: join(directory.path, 'ledger.sqlite'),
    catalogue: bcfCatalogue,
  });
  const sparse = withEntriesLeftOut(sqlite, new Set([2, 3]));
  const readModel = ProjectionRunner.open({
    path: join(directory.path, 'projections.sqlite'),
    store: sparse,
    batchSize: 1,
  });
  afterAll(async () => {
    readModel.close();
    await sqlite.close();
    directory.remove();
  });

  it('catches up past empty pages, and counts only the events that are there', async () => {
    await sqlite.append(
      'pool-herts',
      poolSetUp.map((event) => ({ ...event, metadata: metadataFor(officer, 'setup-pool') })),
      { expectedVersion: 'no-stream' },
    );
    const head = poolSetUp.length;
    // Positions 1..head with 2 and 3 left out: head - 2 events are there to count.
    expect(await readModel.behind(1)).toEqual({ head, checkpoint: 0, lag: 2 });
    expect(await readModel.behind(head)).toEqual({ head, checkpoint: 0, lag: head });
    expect(await readModel.catchUp()).toBe(head - 2);
    expect(readModel.checkpoint).toBe(head);
    expect(readModel.poolView('herts')?.registration?.name).toBe('Hertfordshire BCF');
  });
});

describe('verifying a log whose pages may hold none of the ledger events', () => {
  it('steps over them and checks every event that is there', async () => {
    const directory = temporaryDirectory('sparse-verify');
    const sqlite = SqliteEventStore.open({
      path: join(directory.path, 'ledger.sqlite'),
      catalogue: bcfCatalogue,
    });
    try {
      // Another pool's events first, left out of every page as foreign entries would be.
      await sqlite.append(
        'pool-kent',
        poolSetUp.map((event) => ({
          ...event,
          data: { ...event.data, poolId: 'kent' },
          metadata: metadataFor(officer, 'setup-kent'),
        })) as never,
        { expectedVersion: 'no-stream' },
      );
      await sqlite.append(
        'pool-herts',
        poolSetUp.map((event) => ({ ...event, metadata: metadataFor(officer, 'setup-herts') })),
        { expectedVersion: 'no-stream' },
      );
      const foreign = new Set(poolSetUp.map((_, index) => index + 1));
      const verification = await verifyLedger(withEntriesLeftOut(sqlite, foreign), {
        densePositions: false,
        pageSize: 3,
      });
      expect(verification).toEqual({
        ok: true,
        events: poolSetUp.length,
        streams: 1,
        quarterCloses: 0,
        checkpoints: 0,
      });
    } finally {
      await sqlite.close();
      directory.remove();
    }
  });
});
