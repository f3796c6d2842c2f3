import type { Command } from 'commander';
import type { LedgerConfig } from '../../config.ts';
import { rotateSigningKey } from '../../main.ts';
import { print } from '../cli-kit.ts';

/** The signing key of the checkpoints: rotated on the operator's word. */
export function keysCommand(program: Command, config: LedgerConfig): void {
  const keys = program.command('keys').description('the key that signs the checkpoints of the log');
  keys
    .command('rotate')
    .description(
      'make a new signing key; checkpoints signed with the old one still verify (its public key stays trusted)',
    )
    .action(() => {
      const keyId = rotateSigningKey(config);
      print(`later checkpoints are signed with key ${keyId}; restart a running ledger to use it\n`);
    });
}
