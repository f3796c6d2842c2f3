import { type Command, Option } from 'commander';
import { z } from 'zod';
import type { LedgerConfig } from '../../config.ts';
import { code, factId, name, USER_ROLES, type UserRole } from '../../events/catalogue/index.ts';
import { checkedBy, OPERATOR, print, UsageError, withLedger } from '../cli-kit.ts';

const poolList = z.union([
  z.literal('*'),
  z
    .string()
    .transform((text) => text.split(','))
    .pipe(z.array(code).min(1)),
]);

/** Users and their tokens, for the operator: add (with a token), list, set-up links, revoke. */
export function usersCommand(program: Command, config: LedgerConfig): void {
  const users = program.command('users').description('users and their tokens');
  users
    .command('add')
    .description('register a user and print a token for them (shown once)')
    .argument('<userId>', 'the new user’s id', checkedBy(factId, 'a user id'))
    .requiredOption('--name <name>', 'the user’s name', checkedBy(name, 'a name'))
    .addOption(
      new Option('--role <role>', 'the user’s role').choices(USER_ROLES).makeOptionMandatory(),
    )
    .option(
      '--pools <pools>',
      'comma-separated pool ids, or * for every pool',
      checkedBy(poolList, 'a list of pool ids or *'),
      '*',
    )
    .action((userId: string, options: { name: string; role: UserRole; pools: '*' | string[] }) =>
      addUser(userId, options, config),
    );
  users
    .command('list')
    .description('users, roles, scopes and token ids')
    .action(() => listUsers(config));
  users
    .command('setup-link')
    .description(
      'issue a one-time link for a person to choose their password for the pages (shown once)',
    )
    .argument('<userId>', 'the user’s id', checkedBy(factId, 'a user id'))
    .action((userId: string) => setupLink(userId, config));
  users
    .command('revoke')
    .description('revoke a token')
    .argument('<userId>', 'the user’s id', checkedBy(factId, 'a user id'))
    .argument(
      '<tokenId>',
      'the token’s id',
      checkedBy(z.string().regex(/^[0-9a-f]{16}$/, 'sixteen hex digits'), 'a token id'),
    )
    .action((userId: string, tokenId: string) => revokeToken(userId, tokenId, config));
}

async function addUser(
  userId: string,
  options: { name: string; role: UserRole; pools: '*' | string[] },
  config: LedgerConfig,
) {
  const { role, pools } = options;
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

async function setupLink(userId: string, config: LedgerConfig) {
  const outcome = await withLedger(config, (ledger) =>
    ledger.writeFace.execute({
      caller: OPERATOR,
      idempotencyKey: `setup-link:${userId}:${crypto.randomUUID()}`,
      command: { type: 'IssueSetupLink', userId },
    }),
  );
  if (outcome.kind === 'refused') throw new UsageError(outcome.error.message);
  if (outcome.kind !== 'recorded' || outcome.token === undefined)
    throw new Error(`the link was not issued (${outcome.kind})`);
  const base = `http://${config.host}:${config.port}`;
  print(
    `${base}/app/set-up/${outcome.token.token}\n(good once, until ${outcome.token.expiresAt ?? ''})\n`,
  );
}
