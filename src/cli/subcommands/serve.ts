import type { Command } from 'commander';
import type { LedgerConfig } from '../../config.ts';
import { serve } from '../../main.ts';

export function serveCommand(program: Command, config: LedgerConfig): void {
  program
    .command('serve')
    .description('serve the API (as npm start)')
    .action(() => serve(config));
}
