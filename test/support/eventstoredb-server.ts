import { existsSync } from 'node:fs';
import { afterAll, beforeAll } from 'vitest';

/**
 * An EventStoreDB server for the tests that need one: the one named by
 * LEDGER_TEST_EVENTSTOREDB_URL, or one started with testcontainers where a Docker engine runs.
 * Where neither is, those tests are reported skipped, with `skipReason` in their names.
 */
const configured = process.env.LEDGER_TEST_EVENTSTOREDB_URL;
const dockerAvailable = process.env.DOCKER_HOST !== undefined || existsSync('/var/run/docker.sock');

export const eventStoreDbAvailable = configured !== undefined || dockerAvailable;
export const skipReason =
  'no EventStoreDB server: set LEDGER_TEST_EVENTSTOREDB_URL, or run where a Docker engine is available';

/** Registers hooks that find or start the server; `url()` gives its connection string. */
export function useEventStoreDbServer(): { url: () => string } {
  let url = configured ?? '';
  let stopContainer: (() => Promise<unknown>) | undefined;
  beforeAll(async () => {
    if (configured !== undefined) return;
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
  return { url: () => url };
}
