import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { ledgerSettingNames, loadConfig } from '../../src/config.ts';

/**
 * docker-compose.yml and the Dockerfile cannot be run here (no Docker engine), so they are
 * checked for what would make `docker compose up` fail or misbehave: the YAML parses, has the
 * shape Compose reads, every reference (volumes, dependencies, the connection string's host)
 * resolves, the ledger's settings load with the product's own configuration code, and the image
 * installs only from the Node.js base image and the npm registry. Where a docker CLI is on the
 * PATH, `docker compose config` checks the file as well.
 */
const root = join(import.meta.dirname, '../..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');

const healthcheck = z.strictObject({
  test: z.array(z.string()).min(2),
  interval: z.string(),
  timeout: z.string(),
  retries: z.number().int().positive(),
  start_period: z.string().optional(),
});
const service = z.strictObject({
  image: z.string().optional(),
  build: z.strictObject({ context: z.string(), dockerfile: z.string() }).optional(),
  environment: z.record(z.string(), z.string()).optional(),
  ports: z.array(z.string().regex(/^\d+:\d+$/)).optional(),
  volumes: z.array(z.string().regex(/^[a-z-]+:\/[\w/]+$/)).optional(),
  healthcheck: healthcheck.optional(),
  depends_on: z
    .record(z.string(), z.strictObject({ condition: z.literal('service_healthy') }))
    .optional(),
  restart: z.enum(['no', 'always', 'on-failure', 'unless-stopped']).optional(),
});
const composeFile = z.strictObject({
  name: z.string(),
  services: z.record(z.string(), service),
  volumes: z.record(z.string(), z.null()),
});

function loadCompose() {
  const document = parseDocument(read('docker-compose.yml'), { strict: true, uniqueKeys: true });
  expect(document.errors.map(String)).toEqual([]);
  expect(document.warnings.map(String)).toEqual([]);
  return composeFile.parse(document.toJS());
}

describe('docker-compose.yml', () => {
  const compose = loadCompose();
  const eventStore = compose.services.eventstoredb;
  const ledger = compose.services.ledger;

  it('runs an EventStoreDB node in insecure development mode, with a health check and a volume', () => {
    expect(eventStore?.image).toMatch(/^eventstore\/eventstore:\d+\.\d+$/);
    expect(eventStore?.environment?.EVENTSTORE_INSECURE).toBe('true');
    expect(eventStore?.healthcheck?.test.join(' ')).toContain('/health/live');
    expect(eventStore?.volumes).toContain('eventstoredb-data:/var/lib/eventstore');
  });

  it('builds the ledger from the Dockerfile, on EventStoreDB, once the node is healthy', () => {
    expect(ledger?.build).toEqual({ context: '.', dockerfile: 'Dockerfile' });
    expect(ledger?.depends_on).toEqual({ eventstoredb: { condition: 'service_healthy' } });
    const config = loadConfig(ledger?.environment ?? {});
    expect(config.store).toEqual({
      kind: 'eventstoredb',
      connectionString: 'esdb://eventstoredb:2113?tls=false',
    });
    expect(config.host).toBe('0.0.0.0');
  });

  it('sets only settings the ledger reads, so a misspelt one cannot be silently ignored', () => {
    const unknown = Object.keys(ledger?.environment ?? {}).filter(
      (name) => !ledgerSettingNames.includes(name),
    );
    expect(unknown).toEqual([]);
  });

  it('resolves every reference: volumes declared, dependencies and the store host are services', () => {
    for (const [name, each] of Object.entries(compose.services)) {
      for (const mount of each.volumes ?? []) {
        expect(Object.keys(compose.volumes), `${name} mounts ${mount}`).toContain(
          mount.split(':')[0],
        );
      }
      for (const dependency of Object.keys(each.depends_on ?? {})) {
        expect(
          compose.services[dependency]?.healthcheck,
          `${name} waits on ${dependency}`,
        ).toBeDefined();
      }
    }
    const storeHost = new URL(
      (ledger?.environment?.LEDGER_EVENTSTOREDB_URL ?? '').replace(/^esdb:/, 'http:'),
    );
    expect(Object.keys(compose.services)).toContain(storeHost.hostname);
    expect(eventStore?.environment?.EVENTSTORE_NODE_PORT).toBe(storeHost.port);
    const published = (ledger?.ports ?? []).map((mapping) => mapping.split(':')[1]);
    expect(published).toContain(ledger?.environment?.LEDGER_PORT);
  });

  const docker = spawnSync('docker', ['compose', 'version'], { encoding: 'utf8' });
  it.skipIf(docker.status !== 0)(
    docker.status === 0
      ? 'passes `docker compose config`'
      : 'passes `docker compose config` (skipped: no docker CLI with the compose plugin here)',
    () => {
      const result = spawnSync('docker', ['compose', 'config', '--quiet'], {
        cwd: root,
        encoding: 'utf8',
      });
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
    },
  );
});

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  const instructions = dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('#'));
  const ignored = read('.dockerignore').split('\n').filter(Boolean);

  it('starts from the Node.js 24 image and installs from the lockfile alone', () => {
    const from = instructions.filter((line) => line.startsWith('FROM '));
    expect(from).toEqual(['FROM node:24-bookworm-slim']);
    const runs = instructions.filter((line) => line.startsWith('RUN '));
    expect(runs.some((line) => line.includes('npm ci --omit=dev'))).toBe(true);
    for (const line of runs) {
      expect(line, 'nothing fetched from outside the registries').not.toMatch(
        /curl|wget|https?:\/\/|git clone|apt-get|npm install/,
      );
    }
  });

  it('copies only files that exist and that .dockerignore leaves in the build context', () => {
    const sources = instructions
      .filter((line) => line.startsWith('COPY '))
      .flatMap((line) => line.split(/\s+/).slice(1, -1));
    expect(sources).toContain('package-lock.json');
    expect(sources).toContain('src');
    for (const source of sources) {
      expect(existsSync(join(root, source)), source).toBe(true);
      expect(ignored, `${source} is excluded from the build context`).not.toContain(source);
    }
  });

  it('runs the same entry point as npm start, as an unprivileged user', () => {
    const start = JSON.parse(read('package.json')).scripts.start as string;
    expect(instructions).toContain('CMD ["node", "src/main.ts"]');
    expect(start).toBe('node src/main.ts');
    expect(instructions).toContain('USER node');
  });
});
