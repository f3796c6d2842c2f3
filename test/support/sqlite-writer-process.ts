import { WrongExpectedVersionError } from '../../src/events/store/errors.ts';
import { SqliteEventStore } from '../../src/events/store/sqlite/sqlite-event-store.ts';
import { itemAdded, testCatalogue } from './test-events.ts';

/**
 * A separate process that appends to one stream of a SQLite store, for tests that need real
 * concurrency or a real crash. Each append holds `batchSize` events; after each append returns,
 * it prints "ack <streamVersion> <key>" so the parent knows what was acknowledged.
 *
 * Arguments: <database path> <stream id> <writer name> <appends> <batch size>
 */
const [path, streamId, writer, appendsText, batchSizeText] = process.argv.slice(2);
if (path === undefined || streamId === undefined || writer === undefined)
  throw new Error('usage: <path> <stream> <writer> <appends> <batch size>');
const appends = Number(appendsText ?? '100');
const batchSize = Number(batchSizeText ?? '1');

const store = SqliteEventStore.open({ path, catalogue: testCatalogue, busyTimeoutMs: 30_000 });

for (let done = 0; done < appends; ) {
  const key = `${writer}-${done}`;
  const events = Array.from({ length: batchSize }, (_, index) =>
    itemAdded(`${key}-${index}`, '1.00', key),
  );
  try {
    const version = await store.streamVersion(streamId);
    const result = await store.append(streamId, events, { expectedVersion: version });
    process.stdout.write(`ack ${result.streamVersion} ${key}\n`);
    done += 1;
  } catch (error) {
    if (!(error instanceof WrongExpectedVersionError)) throw error;
  }
}
await store.close();
