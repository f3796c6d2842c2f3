import { join } from 'node:path';
import type { Command } from 'commander';
import type { LedgerConfig } from '../../config.ts';
import { serve } from '../../main.ts';
import { print } from '../cli-kit.ts';
import { loadDemo } from '../demo/load-demo.ts';
import { Progress } from '../progress.ts';

export function demoCommand(program: Command, config: LedgerConfig): void {
  program
    .command('demo')
    .description(
      'load a demonstration ledger (the demo plan, a year of spend closed at its year end) into a fresh store and serve it',
    )
    .option('--no-serve', 'load the demonstration ledger and stop')
    .action(async (options: { serve: boolean }) => {
      const demoConfig = { ...config, dataDirectory: join(config.dataDirectory, 'demo') };
      const progress = new Progress('loading the demo ledger', 1);
      const demo = await loadDemo(demoConfig);
      progress.done(1);
      const base = `http://${config.host}:${config.port}`;
      print(
        [
          `Demo ledger in ${demoConfig.dataDirectory}: ${demo.events} events, ${demo.spendLines} spend lines, 2017-18 closed and its carry-forward brought into 2018-19.`,
          'Tokens, one per role (shown only now):',
          ...Object.entries(demo.tokens).map(([user, token]) => `  ${user.padEnd(11)} ${token}`),
          `Sign in to the pages at ${base}/app as one of (user name, password):`,
          ...Object.entries(demo.passwords).map(
            ([user, password]) => `  ${user.padEnd(11)} ${password}`,
          ),
          'Open:',
          `  ${base}/app                                    the pages (the CFO group's dashboard, the audit trail)`,
          `  ${base}/docs                                   the API reference`,
          `  ${base}/pools/herts/years/2017-18/balances     balances (with a token)`,
          `  ${base}/pools/herts/years/2017-18/quarters/Q2  the closed Q2 position`,
          `  ${base}/pools/herts/years/2017-18/year-end-statement  the year-end statement`,
          '',
        ].join('\n'),
      );
      if (options.serve) await serve(demoConfig);
    });
}
