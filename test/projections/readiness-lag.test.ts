import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bcfCatalogue } from '../../src/events/catalogue/index.ts';
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
