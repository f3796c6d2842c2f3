import type { Command } from 'commander';
import type { LedgerConfig } from '../../config.ts';
import { rebuildReadModel } from '../../main.ts';
import { oneDecimal, print, wholeNumber } from '../cli-kit.ts';
import { Progress } from '../progress.ts';

/**
 * Rebuilds the read model from the first event beside the one in use, and puts it in place only
 * once it is complete: a rebuild that fails leaves the old read model as it was.
 */
export function rebuildCommand(program: Command, config: LedgerConfig): void {
  program
    .command('rebuild')
    .description('rebuild the read model from the first event, and report events per second')
    .action(() => rebuild(config));
}

async function rebuild(config: LedgerConfig) {
  let progress: Progress | undefined;
  const started = process.hrtime.bigint();
  const applied = await rebuildReadModel(config, (checkpoint, head) => {
    progress ??= new Progress('rebuilding', head);
    progress.update(checkpoint);
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  progress?.done(applied);
  print(
    `rebuilt the read model from ${applied} events in ${oneDecimal.format(seconds)} s: ${wholeNumber.format(applied / seconds)} events/s\n`,
  );
}
