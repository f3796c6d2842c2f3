import type { Command } from 'commander';
import type { LedgerConfig } from '../../config.ts';
import { poolScope, userRole } from '../../events/catalogue/index.ts';
import { OPERATOR, print, UsageError, withLedger } from '../cli-kit.ts';

/** Users and their tokens, for the operator: add (with a token), list, revoke. */
export function usersCommand(program: Command, config: LedgerConfig): void {
  const users = program.command('users').description('users and their tokens');
  users
    .command('add')
    .description('register a user and print a token for them (shown once)')
    .argument('<userId>')
    .requiredOption('--name <name>')
    .requiredOption('--role <role>', 'finance-officer, cfo, auditor or admin')
    .option('--pools <pools>', 'comma-separated pool ids, or * for every pool', '*')
    .action((userId: string, options: { name: string; role: string; pools: string }) =>
      addUser(userId, options, config),
    );
  users
    .command('list')
    .description('users, roles, scopes and token ids')
    .action(() => listUsers(config));
  users
    .command('revoke')
    .description('revoke a token')
    .argument('<userId>')
    .argument('<tokenId>')
    .action((userId: string, tokenId: string) => revokeToken(userId, tokenId, config));
}

async function addUser(
  userId: string,
  options: { name: string; role: string; pools: string },
  config: LedgerConfig,
) {
  const role = userRole.parse(options.role);
  const pools = poolScope.parse(options.pools === '*' ? '*' : options.pools.split(','));
  await withLedger(config, async (ledger) => {
    const run = crypto.randomUUID();
    const registered = await ledger.writeFace.execute({
      caller: OPERATOR,
      idempotencyKey: `users-add:${run}:user`,
      command: { type: 'RegisterUser', userId, name: options.name, role, pools },
    });
    if (registered.kind === 'refused') throw new UsageError(registered.error.message);
    const issued = await ledger.writeFace.execute({
      caller: OPERATOR,
      idempotencyKey: `users-add:${run}:token`,
      command: { type: 'IssueToken', userId, label: 'cli' },
    });
    if (issued.kind === 'refused') throw new UsageError(issued.error.message);
    if (issued.kind !== 'recorded' || issued.token === undefined)
      throw new Error(`the token was not issued (${issued.kind})`);
    print(`${issued.token.token}\n`);
  });
}

async function listUsers(config: LedgerConfig) {
  const state = await withLedger(config, (ledger) => ledger.readFace.users());
  for (const user of state.users.values()) {
    const tokens = [...user.tokens]
      .map(([tokenId, token]) => `${tokenId}${token.revoked ? ' (revoked)' : ''}`)
      .join(', ');
    const scope = user.pools === '*' ? '*' : user.pools.join(',');
    print(
      `${user.userId}\t${user.role}\t${scope}\t${user.active ? 'active' : 'deactivated'}\t${tokens}\n`,
    );
  }
}

async function revokeToken(userId: string, tokenId: string, config: LedgerConfig) {
  const outcome = await withLedger(config, (ledger) =>
    ledger.writeFace.execute({
      caller: OPERATOR,
      idempotencyKey: `revoke:${userId}:${tokenId}`,
      command: { type: 'RevokeToken', userId, tokenId },
    }),
  );
  if (outcome.kind === 'refused') throw new UsageError(outcome.error.message);
  print(`revoked ${tokenId} of ${userId}\n`);
}
