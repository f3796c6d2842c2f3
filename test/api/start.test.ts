import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { temporaryDirectory } from '../support/temp-dir.ts';

/**
 * `npm start`'s entry point as a real process: it serves the API, prints its URL and, on the
 * first run, the first admin's token; SIGTERM lets requests in flight finish and exits cleanly.
 */
const main = join(import.meta.dirname, '../../src/main.ts');
let child: ChildProcess | undefined;
let directory: ReturnType<typeof temporaryDirectory> | undefined;

afterEach(() => {
  child?.kill('SIGKILL');
  directory?.remove();
});

function start(
  dataDirectory: string,
): Promise<{ url: string; output: () => string; exited: Promise<number | null> }> {
  child = spawn(process.execPath, [main], {
    env: {
      ...process.env,
      LEDGER_DATA_DIR: dataDirectory,
      LEDGER_PORT: '0',
      LEDGER_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += String(chunk);
  });
  child.stderr?.on('data', (chunk) => {
    output += String(chunk);
  });
  const exited = new Promise<number | null>((resolve) =>
    child?.on('exit', (code) => resolve(code)),
  );
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = setInterval(() => {
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1] !== undefined) {
        clearInterval(poll);
        resolve({ url: match[1], output: () => output, exited });
      } else if (Date.now() - started > 30_000) {
        clearInterval(poll);
        reject(new Error(`the ledger did not start: ${output}`));
      }
    }, 50);
  });
}

/** The value once `read` gives one, looking every 50 ms for up to 10 s. */
async function eventually<Value>(read: () => Value | undefined): Promise<Value | undefined> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const value = read();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return undefined;
}

describe('npm start', () => {
  it('serves the OpenAPI document, the reference and health, prints the first token once, and stops cleanly on SIGTERM', async () => {
    directory = temporaryDirectory('start');
    const first = await start(directory.path);
    // The first admin is made once the server listens, so its token follows the address.
    const token = await eventually(
      () => /\n {2}(bcf_[0-9a-f]{16}_[A-Za-z0-9_-]{43})\n/.exec(first.output())?.[1],
    );
    expect(token).toBeDefined();
    expect((await fetch(`${first.url}/openapi.json`)).status).toBe(200);
    expect((await fetch(`${first.url}/docs/`)).status).toBe(200);
    expect(await (await fetch(`${first.url}/health/ready`)).json()).toMatchObject({
      status: 'ready',
    });
    const pools = await fetch(`${first.url}/pools`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(await pools.json()).toEqual({ pools: [] });
    // A request whose body is still arriving when SIGTERM comes: it is in flight, and finishes.
    const body = JSON.stringify({
      poolId: 'herts',
      name: 'Hertfordshire BCF',
      hwbArea: 'Hertfordshire',
      host: { partnerId: 'HCC', name: 'Hertfordshire County Council', kind: 'Local Authority' },
    });
    const answer = slowPost(
      `${first.url}/pools`,
      body,
      { authorization: `Bearer ${token}`, 'idempotency-key': 'first-pool' },
      () => child?.kill('SIGTERM'),
    );
    expect(await answer).toBe(201);
    expect(await first.exited).toBe(0);

    // The second run on the same data keeps the admin and the pool, and prints no new token.
    const second = await start(directory.path);
    expect(second.output()).not.toContain('First run');
    const pool = await fetch(`${second.url}/pools/herts`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(pool.status).toBe(200);
    child?.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  });
});

/** POSTs the body in two halves, calling `between` after the first half has reached the server. */
function slowPost(
  url: string,
  body: string,
  headers: Record<string, string>,
  between: () => void,
): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, {
      method: 'POST',
      agent: false,
      headers: {
        ...headers,
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(body)),
      },
    });
    request.on('response', (response) => {
      response.resume();
      resolve(response.statusCode);
    });
    request.on('error', reject);
    request.write(body.slice(0, 20));
    setTimeout(() => {
      between();
      setTimeout(() => request.end(body.slice(20)), 200);
    }, 200);
  });
}

describe('npm start on EventStoreDB with no server there', () => {
  it('fails at once with one line naming the connection string it tried, not a stack trace or a hang', () => {
    directory = temporaryDirectory('start-esdb');
    const started = Date.now();
    const result = spawnSync(process.execPath, [main], {
      env: {
        ...process.env,
        LEDGER_DATA_DIR: directory.path,
        LEDGER_STORE: 'eventstoredb',
        LEDGER_EVENTSTOREDB_URL: 'esdb://127.0.0.1:1?tls=false',
      },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.status).toBe(3);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(result.stderr).toContain(
      'bcf-ledger: could not reach EventStoreDB at esdb://127.0.0.1:1?tls=false',
    );
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
