import { ACCESS_STREAM_ID, ledgerStreamId, poolStreamId } from '../events/catalogue/index.ts';
import type { EventMetadata } from '../events/envelope.ts';
import type { EventStore } from '../events/store/port.ts';
import { type AccessCommand, accessDecider } from './access/access-decider.ts';
import {
  type CommandHandlerOptions,
  type CommandOutcome,
  createCommandHandler,
  DEFAULT_COMMAND_HANDLER_OPTIONS,
} from './command-handler.ts';
import type { LedgerCommand } from './ledger/ledger-commands.ts';
import { ledgerDecider } from './ledger/ledger-decider.ts';
import { type PoolCommand, poolDecider } from './pool/pool-decider.ts';

/** A ledger command as a caller writes it: the service adds the pool as it stands. */
export type LedgerCommandInput = LedgerCommand extends infer Command
  ? Command extends LedgerCommand
    ? Omit<Command, 'pool'>
    : never
  : never;

/**
 * The one entry point for the domain's commands: pool commands go to the pool's stream; ledger
 * commands go to the pool-year's ledger stream, each carrying the pool's state as it stands when
 * the command is taken up; access commands (users, tokens) go to the access stream. An
 * `expectedVersion` makes a command apply only to the stream version the caller has seen.
 */
export function createLedgerService(
  store: EventStore,
  options: CommandHandlerOptions = DEFAULT_COMMAND_HANDLER_OPTIONS,
) {
  const pools = createCommandHandler(store, poolDecider, options);
  const ledgers = createCommandHandler(store, ledgerDecider, options);
  const access = createCommandHandler(store, accessDecider, options);

  return {
    pool(
      command: PoolCommand,
      metadata: EventMetadata,
      expectedVersion?: number,
    ): Promise<CommandOutcome> {
      return pools.handle(poolStreamId(command.poolId), command, metadata, expectedVersion);
    },

    async ledger(
      command: LedgerCommandInput,
      metadata: EventMetadata,
      expectedVersion?: number,
    ): Promise<CommandOutcome> {
      const pool = await pools.currentState(poolStreamId(command.poolId));
      // A reversal's reason is the "why" of the audit trail: it travels in the metadata too.
      const reason = 'reason' in command ? command.reason : undefined;
      const withReason =
        reason !== undefined && metadata.reason === undefined ? { ...metadata, reason } : metadata;
      return ledgers.handle(
        ledgerStreamId(command.poolId, command.year),
        { ...command, pool: pool.state } as LedgerCommand,
        withReason,
        expectedVersion,
      );
    },

    access(command: AccessCommand, metadata: EventMetadata): Promise<CommandOutcome> {
      return access.handle(ACCESS_STREAM_ID, command, metadata);
    },

    poolState(poolId: string) {
      return pools.currentState(poolStreamId(poolId));
    },

    ledgerState(poolId: string, year: string) {
      return ledgers.currentState(ledgerStreamId(poolId, year));
    },

    accessState() {
      return access.currentState(ACCESS_STREAM_ID);
    },
  };
}

export type LedgerService = ReturnType<typeof createLedgerService>;
