import { ledgerStreamId, poolStreamId } from '../events/catalogue/index.ts';
import type { EventStore } from '../events/store/port.ts';
import { aggregateOf, type LedgerCommandInput } from './command-router.ts';
import type { DomainError } from './decider.ts';
import { emptyFold, foldStream } from './handler/command-handler.ts';
import type { LedgerCommand } from './ledger/ledger-commands.ts';
import { ledgerDecider } from './ledger/ledger-decider.ts';
import type { LedgerState } from './ledger/ledger-state.ts';
import { type PoolCommand, poolDecider } from './pool/pool-decider.ts';

/** A refusal of one command of a batch, by its place in the batch. */
export interface BatchRefusal {
  readonly index: number;
  readonly error: DomainError;
}

/**
 * Decides a batch of pool and ledger commands in memory, in order, each on the state the earlier
 * ones leave, on the ledger as it stands now: every refusal, and nothing recorded. An import checks
 * its whole file this way before it records anything. The states are folded afresh here, never
 * the command handlers' cached ones, which must not see events that were only imagined.
 */
export async function decideInMemory(
  store: EventStore,
  commands: readonly (PoolCommand | LedgerCommandInput)[],
): Promise<BatchRefusal[]> {
  const pools = new Map<string, ReturnType<typeof poolDecider.initialState>>();
  const ledgers = new Map<string, LedgerState>();
  const poolOf = async (poolId: string) => {
    const streamId = poolStreamId(poolId);
    const state =
      pools.get(streamId) ??
      (await foldStream(store, poolDecider, streamId, emptyFold(poolDecider))).state;
    pools.set(streamId, state);
    return state;
  };
  const refusals: BatchRefusal[] = [];
  for (const [index, command] of commands.entries()) {
    if (aggregateOf(command) === 'pool') {
      const decision = poolDecider.decide(command as PoolCommand, await poolOf(command.poolId));
      if (!decision.ok) refusals.push({ index, error: decision.error });
      else
        for (const event of decision.events)
          poolDecider.evolve(await poolOf(command.poolId), event);
      continue;
    }
    const ledgerCommand = command as LedgerCommandInput;
    const streamId = ledgerStreamId(ledgerCommand.poolId, ledgerCommand.year);
    const state =
      ledgers.get(streamId) ??
      (await foldStream(store, ledgerDecider, streamId, emptyFold(ledgerDecider))).state;
    ledgers.set(streamId, state);
    const pool = await poolOf(ledgerCommand.poolId);
    const decision = ledgerDecider.decide({ ...ledgerCommand, pool } as LedgerCommand, state);
    if (!decision.ok) refusals.push({ index, error: decision.error });
    else for (const event of decision.events) ledgerDecider.evolve(state, event);
  }
  return refusals;
}
