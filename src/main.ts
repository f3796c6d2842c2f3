import { serve } from './cli/serve.ts';
import { ConfigError, loadConfig } from './config.ts';
import { EventStoreDbUnreachableError } from './events/store/eventstoredb/eventstoredb-event-store.ts';

/**
 * `npm start`: the ledger on the settings of the environment (src/config.ts). Settings that do not
 * parse, or an event store that cannot be reached, stop it at once with one line saying so.
 */
try {
  await serve(loadConfig());
} catch (error) {
  if (!(error instanceof ConfigError || error instanceof EventStoreDbUnreachableError)) throw error;
  process.stderr.write(`bcf-ledger: ${error.message}\n`);
  process.exit(3);
}
