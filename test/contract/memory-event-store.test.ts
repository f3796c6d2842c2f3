import { MemoryEventStore, MemoryLog } from '../../src/events/store/memory/memory-event-store.ts';
import { testCatalogue } from '../support/test-events.ts';
import { type ContractSubject, eventStoreContract } from './event-store-contract.ts';

/**
 * The in-memory adapter: stores sharing one log stand for several processes sharing a file, and
 * the log's rows are the way underneath it (its own write path refuses changes, as the embedded
 * store's triggers do).
 */
async function createMemorySubject(): Promise<ContractSubject> {
  const log = new MemoryLog();
  const store = new MemoryEventStore(testCatalogue, log);
  const rowAt = (position: number) => {
    const row = log.rows[position - 1];
    if (row === undefined) throw new Error(`no row at ${position}`);
    return row;
  };
  return {
    store,
    namePrefix: '',
    densePositions: true,
    openAnother: async () => new MemoryEventStore(testCatalogue, log),
    dispose: () => store.close(),
    underneath: {
      tryUpdateEventData: async (position) => log.update(position),
      tryDeleteEvent: async (position) => log.delete(position),
      forceEventData: async (position, data) => {
        rowAt(position).data = data;
      },
    },
  };
}

eventStoreContract('in memory', createMemorySubject);
