import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { buildApp } from './api/app.ts';
import { ensureFirstAdmin } from './api/first-admin.ts';
import { SqliteIdempotencyRecords } from './api/idempotency.ts';
import { createLedgerService } from './commands/ledger-service.ts';
import { loadConfig } from './config.ts';
import { bcfCatalogue } from './events/catalogue/index.ts';
import { SqliteEventStore } from './events/store/sqlite/sqlite-event-store.ts';
import { ProjectionRunner } from './projections/projection-runner.ts';

/**
 * The composition root: settings, one event store, the read model following it, the API.
 * SIGTERM or SIGINT stops taking connections, lets requests in flight finish, then closes the
 * read model and the store cleanly.
 */
const config = loadConfig();
const logger = pino({
  level: config.logLevel,
  redact: {
    paths: ['req.headers.authorization', 'headers.authorization', '*.token'],
    censor: '[redacted]',
  },
});

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
const clock = () => new Date();

const firstAdmin = await ensureFirstAdmin(service, clock);
const app = await buildApp({ service, store, readModel, idempotency, config, clock }, { logger });
const following = new AbortController();
const follower = readModel
  .follow(following.signal)
  .catch((error: unknown) =>
    logger.error({ err: error }, 'the read model stopped following the log'),
  );

const address = await app.listen({ host: config.host, port: config.port });
process.stdout.write(
  `BCF ledger listening on ${address}  (API reference: ${address}/docs, OpenAPI: ${address}/openapi.json)\n`,
);
if (firstAdmin !== undefined) {
  process.stdout.write(
    `\nFirst run: user "${firstAdmin.userId}" (admin) was created with this token. It is shown only now; keep it safe:\n\n  ${firstAdmin.token}\n\n`,
  );
}

let stopping = false;
async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'stopping: finishing requests in flight');
  await app.close();
  following.abort();
  await follower;
  readModel.close();
  idempotency.close();
  await store.close();
  logger.info('stopped');
}
process.on('SIGTERM', () => void stop('SIGTERM').then(() => process.exit(0)));
process.on('SIGINT', () => void stop('SIGINT').then(() => process.exit(0)));
