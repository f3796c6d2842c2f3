import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { SqliteEventStore } from '../../src/events/store/sqlite/sqlite-event-store.ts';
import { temporaryDirectory } from '../support/temp-dir.ts';
import { testCatalogue } from '../support/test-events.ts';
import { type ContractSubject, eventStoreContract } from './event-store-contract.ts';

/** The SQLite adapter on a real file, with the raw database file as the way underneath it. */
async function createSqliteSubject(): Promise<ContractSubject> {
  const directory = temporaryDirectory('contract');
  const path = join(directory.path, 'ledger.sqlite');
  const open = () => SqliteEventStore.open({ path, catalogue: testCatalogue, pollIntervalMs: 20 });
  const store = open();
  const others: SqliteEventStore[] = [];
  const withRawFile = async (work: (database: DatabaseSync) => void) => {
    const database = new DatabaseSync(path);
    try {
      work(database);
    } finally {
      database.close();
    }
  };
  return {
    store,
    namePrefix: '',
    densePositions: true,
    async openAnother() {
      const another = open();
      others.push(another);
      return another;
    },
    async dispose() {
      for (const another of others) await another.close();
      await store.close();
      directory.remove();
    },
    underneath: {
      tryUpdateEventData: (position, data) =>
        withRawFile((database) =>
          database
            .prepare('UPDATE events SET data = ? WHERE global_position = ?')
            .run(data, position),
        ),
      tryDeleteEvent: (position) =>
        withRawFile((database) =>
          database.prepare('DELETE FROM events WHERE global_position = ?').run(position),
        ),
      forceEventData: (position, data) =>
        withRawFile((database) => {
          database.exec('DROP TRIGGER IF EXISTS events_refuse_update');
          database
            .prepare('UPDATE events SET data = ? WHERE global_position = ?')
            .run(data, position);
        }),
    },
    openWithWeakDurability: async () =>
      SqliteEventStore.open({ path, catalogue: testCatalogue, synchronous: 'NORMAL' }),
  };
}

eventStoreContract('SQLite (file)', createSqliteSubject);
