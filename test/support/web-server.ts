import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/api/app.ts';
import { loadDemo } from '../../src/cli/demo/load-demo.ts';
import { type LedgerConfig, loadConfig } from '../../src/config.ts';
import { type Ledger, openLedger, pagesOf } from '../../src/main.ts';
import { temporaryDirectory } from './temp-dir.ts';

/**
 * The demo ledger served as `bcf-ledger demo` serves it (the API and the pages), on a port of its
 * own, with a clock the test can move on (to age a session past its idle timeout).
 */
export interface WebServer {
  readonly origin: string;
  readonly ledger: Ledger;
  readonly app: FastifyInstance;
  readonly passwords: Readonly<Record<string, string>>;
  readonly tokens: Readonly<Record<string, string>>;
  /** Moves the server's clock on. */
  advance(milliseconds: number): void;
  close(): Promise<void>;
}

export async function startWebServer(settings: Record<string, string> = {}): Promise<WebServer> {
  const directory = temporaryDirectory('web');
  const config: LedgerConfig = loadConfig({ LEDGER_DATA_DIR: directory.path, ...settings });
  const demo = await loadDemo(config);
  let offset = 0;
  const ledger = await openLedger(config, () => new Date(Date.now() + offset));
  await ledger.readModel.catchUp();
  const app = await buildApp(
    {
      writeFace: ledger.writeFace,
      readFace: ledger.readFace,
      spendImports: ledger.spendImports,
      authenticate: (bearer) => ledger.readFace.authenticate(bearer),
      config,
    },
    {
      logger: false,
      pages: pagesOf(ledger, config),
    },
  );
  const origin = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    origin,
    ledger,
    app,
    passwords: demo.passwords,
    tokens: demo.tokens,
    advance: (milliseconds) => {
      offset += milliseconds;
    },
    async close() {
      await app.close();
      await ledger.close();
      directory.remove();
    },
  };
}
