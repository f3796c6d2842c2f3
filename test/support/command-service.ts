import type { AccessCommand } from '../../src/commands/access/access-decider.ts';
import { createCommandRouter, type LedgerCommandInput } from '../../src/commands/command-router.ts';
import type { CommandHandlerOptions } from '../../src/commands/handler/command-handler.ts';
import type { PoolCommand } from '../../src/commands/pool/pool-decider.ts';
import type { EventMetadata } from '../../src/events/envelope.ts';
import type { EventStore } from '../../src/events/store/port.ts';

export type { LedgerCommandInput } from '../../src/commands/command-router.ts';

/**
 * Domain commands straight to their streams, with metadata the test chooses (actors, recorded
 * times): for tests of the domain and the projections below the write face. Edges and their tests
 * go through the write face.
 */
export function createTestService(store: EventStore, options?: CommandHandlerOptions) {
  const router = createCommandRouter(store, options);
  return {
    pool: (command: PoolCommand, metadata: EventMetadata, expectedVersion?: number) =>
      router.route(command, metadata, expectedVersion),
    ledger: (command: LedgerCommandInput, metadata: EventMetadata, expectedVersion?: number) =>
      router.route(command, metadata, expectedVersion),
    access: (command: AccessCommand, metadata: EventMetadata) => router.route(command, metadata),
    poolState: router.poolState,
    ledgerState: router.ledgerState,
    accessState: router.accessState,
  };
}

export type TestService = ReturnType<typeof createTestService>;
