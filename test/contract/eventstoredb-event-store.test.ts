import { randomUUID } from 'node:crypto';
import { describe } from 'vitest';
import { EventStoreDbEventStore } from '../../src/events/store/eventstoredb/eventstoredb-event-store.ts';
import {
  eventStoreDbAvailable,
  skipReason,
  useEventStoreDbServer,
} from '../support/eventstoredb-server.ts';
import { testCatalogue } from '../support/test-events.ts';
import { type ContractSubject, eventStoreContract } from './event-store-contract.ts';

/**
 * The same contract suite against EventStoreDB, when a server is there (test/support/
 * eventstoredb-server.ts says how one is found). Where none is, the suite is reported skipped,
 * with the reason in its name.
 */
describe.skipIf(!eventStoreDbAvailable)(
  eventStoreDbAvailable ? 'EventStoreDB' : `EventStoreDB (skipped: ${skipReason})`,
  () => {
    const server = useEventStoreDbServer();

    async function createSubject(): Promise<ContractSubject> {
      const open = () =>
        EventStoreDbEventStore.open({ connectionString: server.url(), catalogue: testCatalogue });
      const store = await open();
      const others: EventStoreDbEventStore[] = [];
      return {
        store,
        namePrefix: `t${randomUUID().slice(0, 8)}-`,
        densePositions: false,
        async openAnother() {
          const another = await open();
          others.push(another);
          return another;
        },
        async dispose() {
          for (const another of others) await another.close();
          await store.close();
        },
      };
    }

    eventStoreContract('EventStoreDB', createSubject);
  },
);
