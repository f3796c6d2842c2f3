import { dirname } from 'node:path';
import { loadConfig } from '../../src/config.ts';
import { bcfCatalogue } from '../../src/events/catalogue/index.ts';
import { MemoryStoredAnswers } from '../../src/events/store/memory/memory-stored-answers.ts';
import { SqliteEventStore } from '../../src/events/store/sqlite/sqlite-event-store.ts';
import { assembleLedger, type Ledger } from '../../src/main.ts';

/**
 * The whole ledger (write face, read face, read model) on an embedded store at `path`, with the
 * read model beside it and a clock that starts at `start` and ticks a second per reading.
 */
export async function openTestLedger(
  path: string,
  start = '2017-04-01T09:00:00.000Z',
): Promise<Ledger & { readonly store: SqliteEventStore }> {
  let now = Date.parse(start);
  const store = SqliteEventStore.open({ path, catalogue: bcfCatalogue });
  const ledger = await assembleLedger({
    config: loadConfig({
      LEDGER_DATA_DIR: dirname(path),
      LEDGER_CHECKPOINT_FILE: `${path}.checkpoints.jsonl`,
    }),
    store,
    densePositions: true,
    answers: new MemoryStoredAnswers(),
    readModelPath: `${path}.projections`,
    clock: () => {
      now += 1_000;
      return new Date(now);
    },
  });
  return { ...ledger, store };
}
