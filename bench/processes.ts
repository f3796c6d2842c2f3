import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

/**
 * What the HTTP benchmarks share: a server started in its own process (the ledger, or a bare
 * baseline), ready once it says where it listens (and, for the ledger, once it has printed the
 * first administrator's token); and a JSON call to it with a bearer token.
 */
const root = join(import.meta.dirname, '..');

export interface Started {
  readonly child: ChildProcess;
  readonly url: string;
  readonly output: () => string;
}

export function startProcess(
  script: string,
  environment: Record<string, string>,
  timeoutMs = 600_000,
): Promise<Started> {
  const child = spawn(process.execPath, [join(root, script)], {
    env: { ...process.env, ...environment },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += String(chunk);
  });
  child.stderr?.on('data', (chunk) => {
    output += String(chunk);
  });
  return new Promise((resolve, reject) => {
    const started = Date.now();
    child.on('exit', (code) => reject(new Error(`${script} exited (${code}): ${output}`)));
    const poll = setInterval(() => {
      const url = /listening on (http:\/\/\S+)/.exec(output)?.[1];
      // The ledger prints the first administrator's token just after it listens.
      const ready = script !== 'src/main.ts' || /\n {2}bcf_\S+\n/.test(output);
      if (url !== undefined && ready) {
        clearInterval(poll);
        resolve({ child, url, output: () => output });
      } else if (Date.now() - started > timeoutMs) {
        clearInterval(poll);
        reject(new Error(`${script} did not start: ${output}`));
      }
    }, 50);
  });
}

/** The first administrator's token, as the ledger printed it on its first start. */
export function adminTokenOf(started: Started): string {
  return /\n {2}(bcf_\S+)\n/.exec(started.output())?.[1] ?? '';
}

/** A GET (no body) or a POST of JSON with a fresh idempotency key; its text, or an error. */
export async function call(url: string, token: string, path: string, body?: unknown) {
  const response = await fetch(`${url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      'idempotency-key': `bench-${path}-${Math.random()}`,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (response.status >= 300)
    throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return response.text();
}
