import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { settingsTable } from '../src/config.ts';

/** Writes docs/settings.md afresh from the settings schema (npm run docs:settings). */
writeFileSync(join(import.meta.dirname, '../docs/settings.md'), settingsTable());
