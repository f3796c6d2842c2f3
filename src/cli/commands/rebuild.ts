import { renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { LedgerConfig } from '../../config.ts';
import { ProjectionRunner } from '../../projections/projection-runner.ts';
import { oneDecimal, print, wholeNumber, withLedger } from '../cli-kit.ts';
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
  const path = join(config.dataDirectory, 'projections.sqlite');
  const beside = `${path}.rebuilding`;
  removeDatabase(beside);
  await withLedger(config, async (ledger) => {
    const head = await ledger.store.headPosition();
    const rebuilt = ProjectionRunner.open({ path: beside, store: ledger.store });
    try {
      const progress = new Progress('rebuilding', head);
      const started = process.hrtime.bigint();
      const applied = await rebuilt.catchUp((checkpoint) => progress.update(checkpoint));
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      progress.done(applied);
      print(
        `rebuilt the read model from ${applied} events in ${oneDecimal.format(seconds)} s: ${wholeNumber.format(applied / seconds)} events/s\n`,
      );
    } catch (error) {
      rebuilt.close();
      removeDatabase(beside);
      throw error;
    }
    rebuilt.close();
  });
  // Closed, the rebuilt database is whole in its one file (SQLite folds the write-ahead log in).
  removeDatabase(path);
  renameSync(beside, path);
}

function removeDatabase(path: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
}
