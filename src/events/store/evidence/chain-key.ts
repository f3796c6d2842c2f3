import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ChainKey } from '../integrity.ts';

/**
 * The secret the events' hash chain is keyed with (HMAC-SHA256), kept in a file of its own outside
 * the databases and readable only by the ledger: someone who can rewrite the event store's file but
 * cannot read this one cannot make a rewritten event look as if the ledger wrote it. It also seals
 * the read model's rows. It is made once and never rotated: every event's hash depends on it, so a
 * new key would leave the history unverifiable. (The checkpoints' signing key is what rotates.)
 */
export function openChainKey(path: string): Exclude<ChainKey, undefined> {
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true });
    const temporary = `${path}.${process.pid}.tmp`;
    writeFileSync(temporary, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
    renameSync(temporary, path);
  }
  const text = readFileSync(path, 'utf8').trim();
  if (!/^[0-9a-f]{64}$/.test(text))
    throw new Error(`the chain key file ${path} does not hold a 32-byte key in hex`);
  return Buffer.from(text, 'hex');
}
