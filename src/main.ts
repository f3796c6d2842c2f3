import { serve } from './cli/serve.ts';
import { loadConfig } from './config.ts';

/** `npm start`: the ledger on the settings of the environment (src/config.ts). */
await serve(loadConfig());
