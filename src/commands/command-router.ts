import { ACCESS_STREAM_ID, ledgerStreamId, poolStreamId } from '../events/catalogue/index.ts';
import type { EventMetadata } from '../events/envelope.ts';
import type { EventStore } from '../events/store/port.ts';
import { type AccessCommand, accessDecider } from './access/access-decider.ts';
import { BatchingCommandHandler } from './handler/batching-command-handler.ts';
import {
  type CommandHandlerOptions,
  type CommandOutcome,
  DEFAULT_COMMAND_HANDLER_OPTIONS,
} from './handler/command-handler.ts';
import type { LedgerCommand } from './ledger/ledger-commands.ts';
import { ledgerDecider } from './ledger/ledger-decider.ts';
import { type PoolCommand, poolDecider } from './pool/pool-decider.ts';

/** A ledger command as a caller writes it: the router adds the pool as it stands. */
export type LedgerCommandInput = LedgerCommand extends infer Command
  ? Command extends LedgerCommand
    ? Omit<Command, 'pool'>
    : never
  : never;

/** Every command of the domain, with its actor, before it is routed to its stream. */
export type DomainCommand = PoolCommand | LedgerCommandInput | AccessCommand;

export type Aggregate = 'pool' | 'ledger' | 'access';

const POOL_COMMANDS: ReadonlySet<string> = new Set<PoolCommand['type']>([
  'RegisterPool',
  'JoinPartner',
  'OpenFinancialYear',
  'RegisterScheme',
  'AmendScheme',
  'WithdrawScheme',
]);
const ACCESS_COMMANDS: ReadonlySet<string> = new Set<AccessCommand['type']>([
  'RegisterUser',
  'DeactivateUser',
  'IssueToken',
  'RevokeToken',
  'IssueSetupLink',
  'SetPassword',
  'RecordSignIn',
  'RecordSignOut',
]);

/** Which aggregate (and so which stream) a command belongs to, by its type. */
export function aggregateOf(command: { readonly type: string }): Aggregate {
  if (POOL_COMMANDS.has(command.type)) return 'pool';
  if (ACCESS_COMMANDS.has(command.type)) return 'access';
  return 'ledger';
}

/**
 * Routes each command to its stream and handler: pool commands to the pool's stream; ledger
 * commands to the pool-year's ledger stream, each carrying the pool's state as it stands when the
 * command is taken up (docs/decisions/0003); access commands (users, tokens) to the access stream.
 */
export function createCommandRouter(
  store: EventStore,
  options: CommandHandlerOptions = DEFAULT_COMMAND_HANDLER_OPTIONS,
) {
  const pools = new BatchingCommandHandler(store, poolDecider, options);
  const ledgers = new BatchingCommandHandler(store, ledgerDecider, options);
  const access = new BatchingCommandHandler(store, accessDecider, options);

  async function route(
    command: DomainCommand,
    metadata: EventMetadata,
    expectedVersion?: number,
  ): Promise<CommandOutcome> {
    switch (aggregateOf(command)) {
      case 'pool': {
        const poolCommand = command as PoolCommand;
        return pools.handle(
          poolStreamId(poolCommand.poolId),
          poolCommand,
          metadata,
          expectedVersion,
        );
      }
      case 'access':
        return access.handle(ACCESS_STREAM_ID, command as AccessCommand, metadata);
      case 'ledger': {
        const ledgerCommand = command as LedgerCommandInput;
        const pool = await pools.currentState(poolStreamId(ledgerCommand.poolId));
        // A reversal's reason is the "why" of the audit trail: it travels in the metadata too.
        const reason = 'reason' in ledgerCommand ? ledgerCommand.reason : undefined;
        return ledgers.handle(
          ledgerStreamId(ledgerCommand.poolId, ledgerCommand.year),
          { ...ledgerCommand, pool: pool.state } as LedgerCommand,
          reason !== undefined && metadata.reason === undefined
            ? { ...metadata, reason }
            : metadata,
          expectedVersion,
        );
      }
    }
  }

  return {
    route,
    poolState: (poolId: string) => pools.currentState(poolStreamId(poolId)),
    ledgerState: (poolId: string, year: string) =>
      ledgers.currentState(ledgerStreamId(poolId, year)),
    accessState: () => access.currentState(ACCESS_STREAM_ID),
  };
}

export type CommandRouter = ReturnType<typeof createCommandRouter>;
