import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe } from 'vitest';
import { EventStoreDbEventStore } from '../../src/events/store/eventstoredb/eventstoredb-event-store.ts';
import { testCatalogue } from '../support/test-events.ts';
import { type ContractSubject, eventStoreContract } from './event-store-contract.ts';

/**
 * The same contract suite against EventStoreDB, when a server is there: one named by
 * LEDGER_TEST_EVENTSTOREDB_URL, or one started with testcontainers where a Docker engine runs.
 * Where neither is, the suite is reported skipped, with the reason in its name.
 */
const connectionString = process.env.LEDGER_TEST_EVENTSTOREDB_URL;
const dockerAvailable = process.env.DOCKER_HOST !== undefined || existsSync('/var/run/docker.sock');
const serverAvailable = connectionString !== undefined || dockerAvailable;
const reason =
  'no EventStoreDB server: set LEDGER_TEST_EVENTSTOREDB_URL, or run where a Docker engine is available';

describe.skipIf(!serverAvailable)(
  serverAvailable ? 'EventStoreDB' : `EventStoreDB (skipped: ${reason})`,
  () => {
    let url = connectionString ?? '';
    let stopContainer: (() => Promise<unknown>) | undefined;

    beforeAll(async () => {
      if (connectionString !== undefined) return;
      const { GenericContainer, Wait } = await import('testcontainers');
      const container = await new GenericContainer('eventstore/eventstore:24.10')
        .withEnvironment({
          EVENTSTORE_INSECURE: 'true',
          EVENTSTORE_RUN_PROJECTIONS: 'None',
          EVENTSTORE_MEM_DB: 'true',
        })
        .withExposedPorts(2113)
        .withWaitStrategy(Wait.forHttp('/health/live', 2113).forStatusCode(204))
        .start();
      url = `esdb://${container.getHost()}:${container.getMappedPort(2113)}?tls=false`;
      stopContainer = () => container.stop();
    }, 300_000);
    afterAll(async () => {
      await stopContainer?.();
    });

    async function createSubject(): Promise<ContractSubject> {
      const open = () =>
        EventStoreDbEventStore.open({ connectionString: url, catalogue: testCatalogue });
      const store = await open();
      const others: EventStoreDbEventStore[] = [];
      return {
        store,
        namePrefix: `t${randomUUID().slice(0, 8)}-`,
        densePositions: false,
        async openAnother() {
          const another = await open();
          others.push(another);
          return another;
        },
        async dispose() {
          for (const another of others) await another.close();
          await store.close();
        },
      };
    }

    eventStoreContract('EventStoreDB', createSubject);
  },
);
