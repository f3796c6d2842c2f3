import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteIdempotencyRecords } from '../api/idempotency.ts';
import { createLedgerService, type LedgerService } from '../commands/ledger-service.ts';
import type { LedgerConfig } from '../config.ts';
import { bcfCatalogue } from '../events/catalogue/index.ts';
import { EventStoreDbEventStore } from '../events/store/eventstoredb/eventstoredb-event-store.ts';
import type { EventStore } from '../events/store/port.ts';
import { SqliteEventStore } from '../events/store/sqlite/sqlite-event-store.ts';
import { ProjectionRunner } from '../projections/projection-runner.ts';

/**
 * The ledger's parts opened on its settings: the event store (the embedded SQLite file, or an
 * EventStoreDB server), the read model and the API's answer records (always local SQLite files in
 * the data directory), and the command service. With main.ts, the only place that chooses the
 * event store.
 */
export interface LedgerRuntime {
  readonly store: EventStore;
  /** Whether the store numbers its positions 1, 2, 3... (verification checks for gaps then). */
  readonly densePositions: boolean;
  readonly readModel: ProjectionRunner;
  readonly idempotency: SqliteIdempotencyRecords;
  readonly service: LedgerService;
  close(): Promise<void>;
}

export async function openLedger(config: LedgerConfig): Promise<LedgerRuntime> {
  mkdirSync(config.dataDirectory, { recursive: true });
  const store: EventStore =
    config.store.kind === 'eventstoredb'
      ? await EventStoreDbEventStore.open({
          connectionString: config.store.connectionString,
          catalogue: bcfCatalogue,
        })
      : SqliteEventStore.open({
          path: join(config.dataDirectory, 'ledger.sqlite'),
          catalogue: bcfCatalogue,
        });
  const readModel = ProjectionRunner.open({
    path: join(config.dataDirectory, 'projections.sqlite'),
    store,
  });
  const idempotency = new SqliteIdempotencyRecords(join(config.dataDirectory, 'api.sqlite'));
  const service = createLedgerService(store);
  return {
    store,
    densePositions: config.store.kind === 'sqlite',
    readModel,
    idempotency,
    service,
    async close() {
      readModel.close();
      idempotency.close();
      await store.close();
    },
  };
}
