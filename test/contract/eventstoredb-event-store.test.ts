import { randomUUID } from 'node:crypto';
// Only to write below the adapter, as a process that died half-way would have left things.
import { BACKWARDS, END, EventStoreDBClient, jsonEvent } from '@eventstore/db-client';
import { describe, expect, it } from 'vitest';
import {
  EventStoreDbEventStore,
  markerStream,
} from '../../src/events/store/eventstoredb/eventstoredb-event-store.ts';
import {
  eventStoreDbAvailable,
  skipReason,
  useEventStoreDbServer,
} from '../support/eventstoredb-server.ts';
import { itemAdded, testCatalogue } from '../support/test-events.ts';
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

    it('finds an append whose process died after its events, before its result, by its key', async () => {
      const store = await EventStoreDbEventStore.open({
        connectionString: server.url(),
        catalogue: testCatalogue,
      });
      const client = EventStoreDBClient.connectionString(server.url());
      try {
        const streamId = `t${randomUUID().slice(0, 8)}-basket`;
        const key = `${streamId}-first`;
        const events = [itemAdded('tea', '2.50', key), itemAdded('milk', '1.10', key)];
        const first = await store.append(streamId, events, { expectedVersion: 'no-stream' });
        // Leave the marker as the dead process would have: its intent last, no result after it.
        let intent: unknown;
        for await (const resolved of client.readStream(markerStream(key), { maxCount: 1 }))
          intent = resolved.event?.data;
        await client.appendToStream(
          markerStream(key),
          jsonEvent({ type: 'AppendIntended.v1', data: intent as never }),
        );
        for await (const resolved of client.readStream(markerStream(key), {
          direction: BACKWARDS,
          fromRevision: END,
          maxCount: 1,
        }))
          expect(resolved.event?.type).toBe('AppendIntended.v1');

        expect(await store.findAppend(key)).toMatchObject({
          streamId,
          streamVersion: 2,
          eventCount: 2,
          replayed: true,
        });
        // The retry, decided on the state before the append, is answered, not recorded again.
        const retried = await store.append(streamId, events, { expectedVersion: 'no-stream' });
        expect(retried).toMatchObject({ streamVersion: first.streamVersion, replayed: true });
        expect(await store.streamVersion(streamId)).toBe(2);
      } finally {
        await client.dispose();
        await store.close();
      }
    });
  },
);
