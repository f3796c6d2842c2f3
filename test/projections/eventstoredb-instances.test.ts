import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Money } from '#money';
import { CommandContentionError } from '../../src/commands/handler/command-handler.ts';
import { bcfCatalogue, ledgerStreamId } from '../../src/events/catalogue/index.ts';
import { EventStoreDbEventStore } from '../../src/events/store/eventstoredb/eventstoredb-event-store.ts';
import { ProjectionRunner } from '../../src/projections/projection-runner.ts';
import { poolBalances } from '../../src/projections/reports/balances.ts';
import {
  createTestService as createLedgerService,
  type TestService as LedgerService,
} from '../support/command-service.ts';
import { MIN_CCG, metadataFor, officer, poolSetUp, YEAR } from '../support/domain.ts';
import {
  eventStoreDbAvailable,
  skipReason,
  useEventStoreDbServer,
} from '../support/eventstoredb-server.ts';
import { temporaryDirectory } from '../support/temp-dir.ts';

/**
 * Two API instances on one EventStoreDB: each has its own connection and its own command handler
 * with its own cached state. They race allocations on one pool and year; the rules must hold as
 * if there were one, and a read model following $all must agree with what was accepted.
 */
describe.skipIf(!eventStoreDbAvailable)(
  eventStoreDbAvailable
    ? 'two ledger instances on one EventStoreDB'
    : `two ledger instances on one EventStoreDB (skipped: ${skipReason})`,
  () => {
    const server = useEventStoreDbServer();
    const pool = `herts-${randomUUID().slice(0, 8)}`;
    const directory = temporaryDirectory('eventstoredb-instances');
    const stores: EventStoreDbEventStore[] = [];
    const services: LedgerService[] = [];
    const accepted: string[] = [];

    beforeAll(async () => {
      for (let instance = 0; instance < 2; instance++) {
        const store = await EventStoreDbEventStore.open({
          connectionString: server.url(),
          catalogue: bcfCatalogue,
        });
        stores.push(store);
        services.push(createLedgerService(store));
      }
      const [first] = stores;
      await first?.append(
        `pool-${pool}`,
        poolSetUp.map((event) => ({
          ...event,
          data: { ...event.data, poolId: pool },
          metadata: metadataFor(officer, `${pool}-setup`),
        })) as never,
        { expectedVersion: 'no-stream' },
      );
      const planned = await services[0]?.ledger(
        {
          type: 'PlanContribution',
          actor: officer,
          poolId: pool,
          year: YEAR,
          partnerId: 'ENHCCG',
          fundingStream: MIN_CCG,
          amount: '1000000.00',
        },
        metadataFor(officer, `${pool}-plan`),
      );
      expect(planned?.ok, JSON.stringify(planned)).toBe(true);
      // 2 x 30 allocations of 25,000.00 against 1,000,000.00: exactly 40 can be accepted.
      await Promise.all(
        services.map(async (service, instance) => {
          for (let turn = 0; turn < 30; turn++) {
            const key = `${pool}-i${instance}-t${turn}`;
            const outcome = await service
              .ledger(
                {
                  type: 'AllocateFunds',
                  actor: officer,
                  poolId: pool,
                  year: YEAR,
                  allocationId: `alloc-${instance}-${turn}`,
                  schemeId: turn % 2 === 0 ? '1' : '3',
                  fundingStream: MIN_CCG,
                  amount: '25000.00',
                },
                metadataFor(officer, key),
              )
              .catch((error: unknown) => {
                if (error instanceof CommandContentionError) return { ok: false as const };
                throw error;
              });
            if (outcome.ok) accepted.push(key);
          }
        }),
      );
    }, 300_000);

    afterAll(async () => {
      for (const store of stores) await store.close();
      directory.remove();
    });

    it('never allocated more than was contributed, whichever instance decided', async () => {
      expect(accepted).toHaveLength(40);
      const events = await stores[1]?.readStream(ledgerStreamId(pool, YEAR), { limit: 1_000 });
      const keys = (events ?? []).map((event) => event.metadata.idempotencyKey);
      expect(keys.filter((key) => accepted.includes(key)).sort()).toEqual([...accepted].sort());
      expect(new Set(keys).size).toBe(keys.length);
    });

    it('a read model following $all from SQLite shows the same balances', async () => {
      const store = stores[0];
      if (store === undefined) throw new Error('no store');
      const readModel = ProjectionRunner.open({
        path: join(directory.path, 'projections.sqlite'),
        store,
      });
      const controller = new AbortController();
      const following = readModel.follow(controller.signal);
      try {
        const deadline = Date.now() + 60_000;
        while ((await readModel.behind(0)).lag > 0 && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        expect((await readModel.behind(0)).lag).toBe(0);
        const view = readModel.poolView(pool);
        if (view === undefined) throw new Error(`the read model has no pool ${pool}`);
        const balances = poolBalances(view, YEAR);
        const stream = balances?.streams.find((each) => each.fundingStream === MIN_CCG);
        expect(stream?.contributions).toBe('1000000.00');
        expect(stream?.unallocated).toBe('0.00');
        expect(Money.parse(stream?.allocated ?? '').equals(Money.parse('1000000.00'))).toBe(true);
      } finally {
        controller.abort();
        await following.catch(() => undefined);
        readModel.close();
      }
    });
  },
);
