import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bcfCatalogue } from '../../src/events/catalogue/index.ts';
import type { EventStore } from '../../src/events/store/port.ts';
import { SqliteEventStore } from '../../src/events/store/sqlite/sqlite-event-store.ts';
import { ProjectionRunner } from '../../src/projections/projection-runner.ts';
import { metadataFor, officer, poolSetUp } from '../support/domain.ts';
import { temporaryDirectory } from '../support/temp-dir.ts';

/**
 * Readiness reports how many events the read model is behind, in events, whatever the store's
 * positions are. Past the allowed lag it counts the events in between (at most one more than
 * allowed) rather than trusting the distance between positions, which on EventStoreDB is bytes.
 */
describe('how far the read model is behind the log', () => {
  const directory = temporaryDirectory('readiness-lag');
  const store = SqliteEventStore.open({
    path: join(directory.path, 'ledger.sqlite'),
    catalogue: bcfCatalogue,
  });
  const readModel = ProjectionRunner.open({
    path: join(directory.path, 'projections.sqlite'),
    store,
  });
  afterAll(async () => {
    readModel.close();
    await store.close();
    directory.remove();
  });

  it('is counted exactly within the limit, capped one past it, and is 0 once caught up', async () => {
    await store.append(
      'pool-herts',
      poolSetUp.map((event) => ({ ...event, metadata: metadataFor(officer, 'setup-pool') })),
      { expectedVersion: 'no-stream' },
    );
    const recorded = poolSetUp.length;
    expect(recorded).toBeGreaterThan(3);

    expect(await readModel.behind(recorded)).toEqual({
      head: recorded,
      checkpoint: 0,
      lag: recorded,
    });
    expect(await readModel.behind(2)).toEqual({ head: recorded, checkpoint: 0, lag: 3 });

    await readModel.catchUp();
    expect(await readModel.behind(0)).toEqual({ head: recorded, checkpoint: recorded, lag: 0 });
  });
});

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
  const hidden = new Set([2, 3]);
  const sparse: EventStore = {
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
        nextPosition:
          page.events.length === 0
            ? page.nextPosition
            : (page.events.at(-1)?.globalPosition ?? 0) + 1,
        events: page.events.filter((event) => !hidden.has(event.globalPosition)),
      };
    },
  };
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
