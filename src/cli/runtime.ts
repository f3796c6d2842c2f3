import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteIdempotencyRecords } from '../api/idempotency.ts';
import { createLedgerService, type LedgerService } from '../commands/ledger-service.ts';
import type { LedgerConfig } from '../config.ts';
import { bcfCatalogue } from '../events/catalogue/index.ts';
import { SqliteEventStore } from '../events/store/sqlite/sqlite-event-store.ts';
import { ProjectionRunner } from '../projections/projection-runner.ts';

/**
 * The ledger's parts opened on its data directory: the event store, the read model, the API's
 * answer records and the command service. The only place, with main.ts, that chooses the store.
 */
export interface LedgerRuntime {
  readonly store: SqliteEventStore;
  readonly readModel: ProjectionRunner;
  readonly idempotency: SqliteIdempotencyRecords;
  readonly service: LedgerService;
  close(): Promise<void>;
}

export function openLedger(config: LedgerConfig): LedgerRuntime {
  mkdirSync(config.dataDirectory, { recursive: true });
  const store = SqliteEventStore.open({
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
