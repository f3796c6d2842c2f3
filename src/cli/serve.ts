import pino from 'pino';
import { buildApp } from '../api/app.ts';
import { ensureFirstAdmin } from '../api/first-admin.ts';
import type { LedgerConfig } from '../config.ts';
import { openLedger } from './runtime.ts';

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
  const { store, readModel, idempotency, service } = ledger;
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
