import { hkdfSync } from 'node:crypto';
import { copyFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { buildApp } from './api/app.ts';
import { ensureFirstAdmin } from './commands/first-admin.ts';
import type { CommandHandlerOptions } from './commands/handler/command-handler.ts';
import { WriteFace } from './commands/write-face.ts';
import { ConfigError, integrityFiles, type LedgerConfig, loadConfig } from './config.ts';
import { bcfCatalogue } from './events/catalogue/index.ts';
import { referenceData as referenceDataSchema } from './events/catalogue/pool-events.ts';
import type { StoredAnswers } from './events/store/answers.ts';
import {
  EventStoreDbEventStore,
  EventStoreDbUnreachableError,
} from './events/store/eventstoredb/eventstoredb-event-store.ts';
import { openChainKey } from './events/store/evidence/chain-key.ts';
import { CheckpointLog } from './events/store/evidence/checkpoint-log.ts';
import { LedgerIntegrity } from './events/store/evidence/ledger-integrity.ts';
import { SigningKeys } from './events/store/evidence/signing-keys.ts';
import type { ChainKey } from './events/store/integrity.ts';
import type { EventStore } from './events/store/port.ts';
import { SqliteCredentials } from './events/store/sqlite/sqlite-credentials.ts';
import { SqliteEventStore } from './events/store/sqlite/sqlite-event-store.ts';
import { SqliteStagedUploads } from './events/store/sqlite/sqlite-staged-uploads.ts';
import { SqliteStoredAnswers } from './events/store/sqlite/sqlite-stored-answers.ts';
import { SpendImports } from './import/spend-imports.ts';
import { parseMapping } from './import/spend-mapping.ts';
import { AccessDirectory } from './projections/access-directory.ts';
import { ProjectionRunner } from './projections/projection-runner.ts';
import { ReadFace } from './projections/read-face.ts';
import type { Library } from './web/page-kit.ts';
import { webPages } from './web/web-app.ts';

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
  /** Tamper evidence: signed checkpoints of the log, and whether the ledger is broken. */
  readonly integrity: LedgerIntegrity;
  readonly writeFace: WriteFace;
  readonly readFace: ReadFace;
  /** Spend files uploaded, checked and confirmed (the API's and the pages' imports). */
  readonly spendImports: SpendImports;
  close(): Promise<void>;
}

/** Opens the ledger's parts on its settings: the chosen event store, and local files beside it. */
export async function openLedger(
  config: LedgerConfig,
  clock = () => new Date(),
  options: { readonly rebuildWhenAltered?: boolean } = {},
): Promise<Ledger> {
  mkdirSync(config.dataDirectory, { recursive: true });
  const chainKey = openChainKey(integrityFiles(config).chainKeyFile);
  const store: EventStore =
    config.store.kind === 'eventstoredb'
      ? await EventStoreDbEventStore.open({
          connectionString: config.store.connectionString,
          catalogue: bcfCatalogue,
          chainKey,
        })
      : SqliteEventStore.open({
          path: join(config.dataDirectory, 'ledger.sqlite'),
          catalogue: bcfCatalogue,
          chainKey,
        });
  return await assembleLedger({
    config,
    store,
    chainKey,
    densePositions: config.store.kind === 'sqlite',
    answers: new SqliteStoredAnswers(join(config.dataDirectory, 'answers.sqlite')),
    readModelPath: join(config.dataDirectory, 'projections.sqlite'),
    clock,
    ...options,
  });
}

/** The ledger's faces on a store already open; tests use it with a store of their own. */
export async function assembleLedger(parts: {
  readonly config: LedgerConfig;
  readonly store: EventStore;
  /** The key the store's hash chain is made with; none for a store of tests with an unkeyed chain. */
  readonly chainKey?: ChainKey;
  readonly densePositions: boolean;
  readonly answers: StoredAnswers;
  readonly readModelPath: string;
  readonly clock: () => Date;
  readonly handlerOptions?: CommandHandlerOptions;
  /** Whether a read model found altered rebuilds itself at once: the server's choice. */
  readonly rebuildWhenAltered?: boolean;
}): Promise<Ledger> {
  const { config, store, densePositions } = parts;
  const files = integrityFiles(config);
  const keys = SigningKeys.open(files);
  const checkpoints = new CheckpointLog(files.checkpointFile, keys);
  const integrity = await LedgerIntegrity.open(store, checkpoints, parts.clock);
  const readModel = ProjectionRunner.open({
    path: parts.readModelPath,
    store,
    sealKey: sealKeyFor(parts.chainKey, keys),
    rebuildWhenAltered: parts.rebuildWhenAltered ?? false,
  });
  const access = new AccessDirectory(store);
  const credentials = new SqliteCredentials(join(config.dataDirectory, 'credentials.sqlite'));
  const readFace = new ReadFace({
    store,
    readModel,
    access,
    checkpoints,
    chainKey: parts.chainKey,
    densePositions,
    credentials,
    clock: parts.clock,
  });
  const writeFace = new WriteFace({
    store,
    answers: parts.answers,
    clock: parts.clock,
    closePositions: readFace,
    integrity,
    credentials,
    ...(parts.handlerOptions === undefined ? {} : { handlerOptions: parts.handlerOptions }),
  });
  const uploads = new SqliteStagedUploads(join(config.dataDirectory, 'uploads.sqlite'));
  return {
    config,
    store,
    densePositions,
    readModel,
    access,
    integrity,
    writeFace,
    readFace,
    spendImports: new SpendImports(writeFace, uploads, parts.clock),
    async close() {
      await integrity.checkpoint();
      readModel.close();
      await parts.answers.close();
      await uploads.close();
      await credentials.close();
      await store.close();
    },
  };
}

/** The read model's seal key, derived from the chain key (which never rotates) where there is one. */
function sealKeyFor(chainKey: ChainKey, keys: SigningKeys): Buffer {
  if (chainKey === undefined) return keys.derivedKey('read-model-seal');
  return Buffer.from(hkdfSync('sha256', chainKey, 'bcf-ledger', 'read-model-seal', 32));
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
  try {
    const head = await ledger.store.headPosition();
    return await ledger.readModel.rebuild((checkpoint) => onBatch(checkpoint, head));
  } finally {
    await ledger.close();
  }
}

/**
 * A new signing key: later checkpoints are signed with it, and its public key joins the trusted
 * ones beside the old (which still verify the checkpoints they signed). Returns the new key's id.
 */
export function rotateSigningKey(config: LedgerConfig): string {
  return SigningKeys.rotate(integrityFiles(config)).keyId;
}

/**
 * Copies the signed checkpoints and the trusted public keys into a directory of the auditor's:
 * with them the log can be checked later by someone who trusts neither the ledger's disk nor its
 * operator. Returns how many checkpoints were copied.
 */
export function exportEvidence(config: LedgerConfig, directory: string): number {
  const files = integrityFiles(config);
  mkdirSync(directory, { recursive: true });
  copyFileSync(files.checkpointFile, join(directory, 'checkpoints.jsonl'));
  copyFileSync(files.publicKeysFile, join(directory, 'public-keys.json'));
  const keys = SigningKeys.open(files);
  return new CheckpointLog(files.checkpointFile, keys).records().length;
}

/**
 * Serves the ledger: the store, the read model following it, and the API. Prints the URL and, on
 * the first run, the first admin's token. SIGTERM or SIGINT stops taking connections, lets
 * requests in flight finish, then closes the read model and the store cleanly.
 */
/**
 * The pages, given the ledger's faces and what the server offers to choose from: the reference
 * lists under `reference-data/` and the spend-file mappings under `mappings/`.
 */
export function pagesOf(ledger: Ledger, config: LedgerConfig) {
  const library = readLibrary(join(import.meta.dirname, '..'));
  return (pages: FastifyInstance) =>
    webPages(pages, {
      readFace: ledger.readFace,
      writeFace: ledger.writeFace,
      spendImports: ledger.spendImports,
      library,
      config,
    });
}

function readLibrary(root: string): Library {
  const jsonIn = (folder: string) =>
    readdirSync(join(root, folder))
      .filter((file) => file.endsWith('.json'))
      .sort()
      .map((file) => ({
        name: file.replace(/\.json$/, ''),
        json: JSON.parse(readFileSync(join(root, folder, file), 'utf8')) as unknown,
      }));
  return {
    referenceData: jsonIn('reference-data').map(({ name, json }) => ({
      name,
      data: referenceDataSchema.parse(json),
    })),
    mappings: jsonIn('mappings').flatMap(({ name, json }) => {
      const parsed = parseMapping(json);
      return parsed.ok ? [{ name, mapping: parsed.mapping }] : [];
    }),
  };
}

export async function serve(config: LedgerConfig): Promise<void> {
  const logger = pino({
    level: config.logLevel,
    redact: {
      paths: ['req.headers.authorization', 'headers.authorization', '*.token'],
      censor: '[redacted]',
    },
  });
  const ledger = await openLedger(config, () => new Date(), { rebuildWhenAltered: true });
  const app = await buildApp(
    {
      writeFace: ledger.writeFace,
      readFace: ledger.readFace,
      spendImports: ledger.spendImports,
      authenticate: (bearer) => ledger.readFace.authenticate(bearer),
      config,
    },
    {
      logger,
      pages: pagesOf(ledger, config),
    },
  );
  const following = new AbortController();
  const followers = [
    ledger.readModel.follow(following.signal),
    ledger.integrity.follow(following.signal),
  ].map((follower) =>
    follower.catch((error: unknown) =>
      logger.error({ err: error }, 'a follower of the log stopped'),
    ),
  );
  // Listening comes before the first admin: if the port is taken, nothing has been created whose
  // token would then never be shown.
  const address = await app.listen({ host: config.host, port: config.port });
  process.stdout.write(
    `BCF ledger listening on ${address}  (API reference: ${address}/docs, OpenAPI: ${address}/openapi.json)\n`,
  );
  const firstAdmin = await ensureFirstAdmin(ledger.writeFace);
  if (firstAdmin !== undefined) {
    process.stdout.write(
      `\nFirst run: user "${firstAdmin.userId}" (admin) was created with this token. It is shown only now; keep it safe:\n\n  ${firstAdmin.token}\n\n`,
    );
  }
  const broken = await ledger.integrity.broken();
  if (broken !== undefined)
    logger.error(
      { broken },
      'the ledger is broken: it records nothing until the break is acknowledged',
    );
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping: finishing requests in flight');
    await app.close();
    following.abort();
    await Promise.all(followers);
    await ledger.close();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

/**
 * The log verified end to end in the background while the ledger serves: a break found stops
 * writes until an operator acknowledges it. Returns when the verification is done.
 */
export function verifyAtStart(ledger: Ledger): Promise<void> {
  return ledger.integrity.verifyInBackground(async () => {
    const verification = await ledger.readFace.verify({ logOnly: true });
    if (verification.ok) return undefined;
    const at = verification.firstBreak;
    return `at position ${at.position}: ${at.problem}`;
  });
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
