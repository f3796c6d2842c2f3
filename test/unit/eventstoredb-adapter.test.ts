import { jsonEvent, NO_STREAM } from '@eventstore/db-client';
import { describe, expect, it } from 'vitest';
import {
  EventStoreDbEventStore,
  markerStream,
} from '../../src/events/store/eventstoredb/eventstoredb-event-store.ts';
import { deriveEventId, validateAppend } from '../../src/events/store/integrity.ts';
import { ServerLikeClient } from '../support/server-like-client.ts';
import { itemAdded, testCatalogue } from '../support/test-events.ts';

/**
 * The adapter's handling of what the server's source says it does, on a client that answers the
 * same way (test/support/server-like-client.ts): where each append's events are, reading `$all`
 * from an event's own position, and an earlier attempt under a key landing while a retry is made.
 * Not evidence about a server: `npm run test:eventstoredb` runs the contract suite against one.
 */
function storeOn(client: ServerLikeClient): EventStoreDbEventStore {
  // The adapter's constructor is private to the module: `open` connects to a real server.
  return Reflect.construct(EventStoreDbEventStore, [
    client,
    { connectionString: 'esdb://unused', catalogue: testCatalogue },
  ]) as EventStoreDbEventStore;
}

describe('the EventStoreDB adapter, on a client that answers as the server’s source says', () => {
  it('gives each append of a group commit the positions of its own events', async () => {
    const client = new ServerLikeClient();
    const store = storeOn(client);
    const results = await store.appendAll(
      'ledger-x',
      [
        [itemAdded('a', '1.00', 'key-a')],
        [itemAdded('b', '2.00', 'key-b'), itemAdded('c', '3.00', 'key-b')],
      ],
      { expectedVersion: 'no-stream' },
    );
    const positions = client.stream('ledger-x').map((event) => Number(event.position.prepare));
    expect(positions).toHaveLength(3);
    expect(results.map(({ firstPosition, lastPosition }) => [firstPosition, lastPosition])).toEqual(
      [
        [positions[0], positions[0]],
        [positions[1], positions[2]],
      ],
    );
    // The same positions, replayed from the keys' markers.
    expect(await store.findAppend('key-b')).toMatchObject({
      firstPosition: positions[1],
      lastPosition: positions[2],
      replayed: true,
    });
  });

  it('reads one event by its own position, and a page after another page', async () => {
    const client = new ServerLikeClient();
    const store = storeOn(client);
    for (const item of ['a', 'b', 'c'])
      await store.append('ledger-x', [itemAdded(item, '1.00', `key-${item}`)], {
        expectedVersion: 'any',
      });
    const all = await store.readAll(1, { limit: 1_000 });
    const second = all.events[1];
    expect(second?.data).toEqual({ item: 'b', amount: '1.00' });
    const position = second?.globalPosition ?? 0;
    // An event's own position: reading from just before it is inside the record before.
    const one = await store.readAll(position, { limit: 1 });
    expect(one.events.map((event) => event.globalPosition)).toEqual([position]);
    // A page's next position: from just before it, the last event read again and passed over.
    const rest = await store.readAll(position + 1, { limit: 1_000 });
    expect(rest.events.map((event) => event.data)).toEqual([{ item: 'c', amount: '1.00' }]);
    // Pages of one after it move on, past the append markers $all also holds, to the next event.
    let from = position + 1;
    const found: unknown[] = [];
    for (let pages = 0; pages < 10 && found.length === 0; pages++) {
      const page = await store.readAll(from, { limit: 1 });
      expect(page.nextPosition).toBeGreaterThan(from);
      found.push(...page.events.map((event) => event.data));
      from = page.nextPosition;
    }
    expect(found).toEqual([{ item: 'c', amount: '1.00' }]);
    await expect(store.readAll(0)).rejects.toThrow('not a log position');
    await expect(store.readAll(1, { limit: 100_000 })).rejects.toThrow('a page holds');
  });

  it('never records twice when an earlier attempt under the key lands while a retry is made', async () => {
    const client = new ServerLikeClient();
    const store = storeOn(client);
    await store.append('ledger-x', [itemAdded('a', '1.00', 'key-a')], {
      expectedVersion: 'no-stream',
    });
    // An earlier attempt under key-b (another instance) wrote its intent for version 1 -> 2...
    const retried = [itemAdded('b', '2.00', 'key-b')];
    const digest = validateAppend(testCatalogue, 'ledger-x', retried, {
      expectedVersion: 'any',
    }).digest;
    await client.appendToStream(
      markerStream('key-b'),
      jsonEvent({
        type: 'AppendIntended.v1',
        data: { streamId: 'ledger-x', fromVersion: 1, eventCount: 1, digest },
      }),
      { expectedRevision: NO_STREAM },
    );
    // ...and its event lands after the retry found nothing there, before the retry reads the tip.
    client.beforeTipRead = {
      streamId: 'ledger-x',
      run: () =>
        void client.appendToStream(
          'ledger-x',
          jsonEvent({
            id: deriveEventId('key-b', 0),
            type: 'ItemAdded.v1',
            data: { item: 'b', amount: '2.00' },
            metadata: { hash: 'h', previousHash: 'p' } as never,
          }),
          { expectedRevision: 0n },
        ),
    };
    const result = await store.append('ledger-x', retried, { expectedVersion: 'any' });
    expect(result).toMatchObject({ replayed: true, streamVersion: 2, eventCount: 1 });
    expect(client.stream('ledger-x').map((event) => event.id)).toEqual([
      deriveEventId('key-a', 0),
      deriveEventId('key-b', 0),
    ]);
  });
});
