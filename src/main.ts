import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { buildApp } from './api/app.ts';
import { ensureFirstAdmin } from './commands/first-admin.ts';
import type { CommandHandlerOptions } from './commands/handler/command-handler.ts';
import { WriteFace } from './commands/write-face.ts';
import { ConfigError, type LedgerConfig, loadConfig } from './config.ts';
import { bcfCatalogue } from './events/catalogue/index.ts';
import type { StoredAnswers } from './events/store/answers.ts';
import {
  EventStoreDbEventStore,
  EventStoreDbUnreachableError,
} from './events/store/eventstoredb/eventstoredb-event-store.ts';
import type { EventStore } from './events/store/port.ts';
import { SqliteEventStore } from './events/store/sqlite/sqlite-event-store.ts';
import { SqliteStoredAnswers } from './events/store/sqlite/sqlite-stored-answers.ts';
import { AccessDirectory } from './projections/access-directory.ts';
import { ProjectionRunner } from './projections/projection-runner.ts';
import { ReadFace } from './projections/read-face.ts';

/**
 * The composition root: settings, one event store, the read model, the write and read faces, the
 * edges. The only module that chooses an adapter; everything else is given the ports.
 */
export interface Ledger {
  readonly config: LedgerConfig;
  readonly store: EventStore;
  /** Whether the store numbers its positions 1, 2, 3... (verification checks for gaps then). */
  readonly densePositions: boolean;
  readonly readModel: ProjectionRunner;
  readonly access: AccessDirectory;
  readonly writeFace: WriteFace;
  readonly readFace: ReadFace;
  close(): Promise<void>;
}

/** Opens the ledger's parts on its settings: the chosen event store, and local files beside it. */
export async function openLedger(config: LedgerConfig, clock = () => new Date()): Promise<Ledger> {
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
  return assembleLedger({
    config,
    store,
    densePositions: config.store.kind === 'sqlite',
    answers: new SqliteStoredAnswers(join(config.dataDirectory, 'answers.sqlite')),
    readModelPath: join(config.dataDirectory, 'projections.sqlite'),
    clock,
  });
}

/** The ledger's faces on a store already open; tests use it with a store of their own. */
export function assembleLedger(parts: {
  readonly config: LedgerConfig;
  readonly store: EventStore;
  readonly densePositions: boolean;
  readonly answers: StoredAnswers;
  readonly readModelPath: string;
  readonly clock: () => Date;
  readonly handlerOptions?: CommandHandlerOptions;
}): Ledger {
  const { config, store, densePositions } = parts;
  const readModel = ProjectionRunner.open({ path: parts.readModelPath, store });
  const access = new AccessDirectory(store);
  const readFace = new ReadFace({
    store,
    readModel,
    access,
    ragThresholds: config.ragThresholds,
    densePositions,
  });
  const writeFace = new WriteFace({
    store,
    answers: parts.answers,
    clock: parts.clock,
    closePositions: readFace,
    ...(parts.handlerOptions === undefined ? {} : { handlerOptions: parts.handlerOptions }),
  });
  return {
    config,
    store,
    densePositions,
    readModel,
    access,
    writeFace,
    readFace,
    async close() {
      readModel.close();
      await parts.answers.close();
      await store.close();
    },
  };
}

/**
 * Rebuilds the read model from the first event beside the one in use, and puts it in place only
 * once it is complete: a rebuild that fails leaves the old read model as it was. Reports each
 * batch's checkpoint as it goes; returns how many events were applied.
 */
export async function rebuildReadModel(
  config: LedgerConfig,
  onBatch: (checkpoint: number, head: number) => void,
): Promise<number> {
  const ledger = await openLedger(config);
  const path = join(config.dataDirectory, 'projections.sqlite');
  const beside = `${path}.rebuilding`;
  removeDatabase(beside);
  try {
    const head = await ledger.store.headPosition();
    const rebuilt = ProjectionRunner.open({ path: beside, store: ledger.store });
    try {
      const applied = await rebuilt.catchUp((checkpoint) => onBatch(checkpoint, head));
      rebuilt.close();
      return applied;
    } catch (error) {
      rebuilt.close();
      removeDatabase(beside);
      throw error;
    }
  } finally {
    await ledger.close();
    // Closed, the rebuilt database is whole in its one file (SQLite folds the write-ahead log in).
    if (existsSync(beside)) {
      removeDatabase(path);
      renameSync(beside, path);
    }
  }
}

function removeDatabase(path: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
}

/**
 * Serves the ledger: the store, the read model following it, and the API. Prints the URL and, on
 * the first run, the first admin's token. SIGTERM or SIGINT stops taking connections, lets
 * requests in flight finish, then closes the read model and the store cleanly.
 */
export async function serve(config: LedgerConfig): Promise<void> {
  const logger = pino({
    level: config.logLevel,
    redact: {
      paths: ['req.headers.authorization', 'headers.authorization', '*.token'],
      censor: '[redacted]',
    },
  });
  const ledger = await openLedger(config);
  const firstAdmin = await ensureFirstAdmin(ledger.writeFace);
  const app = await buildApp(
    {
      writeFace: ledger.writeFace,
      readFace: ledger.readFace,
      authenticate: (bearer) => ledger.access.authenticate(bearer),
      config,
    },
    { logger },
  );
  const following = new AbortController();
  const follower = ledger.readModel
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
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping: finishing requests in flight');
    await app.close();
    following.abort();
    await follower;
    await ledger.close();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

/**
 * `npm start`: the ledger on the settings of the environment (src/config.ts). Settings that do not
 * parse, or an event store that cannot be reached, stop it at once with one line saying so.
 */
if (import.meta.main) {
  try {
    await serve(loadConfig());
  } catch (error) {
    if (!(error instanceof ConfigError || error instanceof EventStoreDbUnreachableError))
      throw error;
    process.stderr.write(`bcf-ledger: ${error.message}\n`);
    process.exit(3);
  }
}
