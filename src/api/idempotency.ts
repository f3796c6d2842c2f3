import { createHash } from 'node:crypto';
import { DatabaseSync } from 'node:sqlite';
import { canonicalJson } from '../events/canonical-json.ts';

/**
 * Idempotent POSTs. The key is scoped to the caller. A request that changed the ledger is found
 * again through the event store (its events carry the key and the request's digest), so it is
 * never lost; the response of every decided request, refusals included, is also kept in a small
 * table, so a retry gets the original status and body even when deciding again would differ.
 */
export interface IdempotencyRecord {
  readonly scopedKey: string;
  readonly requestDigest: string;
  readonly status: number;
  readonly body: unknown;
}

export interface IdempotencyRecords {
  find(scopedKey: string): IdempotencyRecord | undefined;
  save(record: IdempotencyRecord): void;
  close(): void;
}

export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,200}$/;

export function scopedKey(userId: string, key: string): string {
  return `${userId}:${key}`;
}

/** The digest of what a request asks: method, route with its parameters, and body. */
export function requestDigest(method: string, path: string, body: unknown): string {
  return createHash('sha256')
    .update(canonicalJson({ method, path, body: body ?? null }))
    .digest('hex');
}

/**
 * The records in a SQLite file of the API's own. Commits are not synced one by one: a record lost
 * in a power cut is either found again from the event store (the request took effect) or was a
 * refusal, which a retry decides afresh; what the ledger acknowledged is never at stake.
 */
export class SqliteIdempotencyRecords implements IdempotencyRecords {
  readonly #database: DatabaseSync;
  readonly #find;
  readonly #save;

  constructor(path: string) {
    this.#database = new DatabaseSync(path);
    this.#database.exec(
      'PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;',
    );
    this.#database.exec(`CREATE TABLE IF NOT EXISTS idempotency_records (
      scoped_key TEXT PRIMARY KEY,
      request_digest TEXT NOT NULL,
      status INTEGER NOT NULL,
      body TEXT NOT NULL
    ) STRICT`);
    this.#find = this.#database.prepare(
      'SELECT request_digest, status, body FROM idempotency_records WHERE scoped_key = ?',
    );
    this.#save = this.#database.prepare(
      'INSERT OR IGNORE INTO idempotency_records (scoped_key, request_digest, status, body) VALUES (?, ?, ?, ?)',
    );
  }

  find(key: string): IdempotencyRecord | undefined {
    const row = this.#find.get(key) as
      | { request_digest: string; status: number; body: string }
      | undefined;
    if (row === undefined) return undefined;
    return {
      scopedKey: key,
      requestDigest: row.request_digest,
      status: row.status,
      body: JSON.parse(row.body),
    };
  }

  save(record: IdempotencyRecord): void {
    this.#save.run(
      record.scopedKey,
      record.requestDigest,
      record.status,
      JSON.stringify(record.body),
    );
  }

  close(): void {
    this.#database.close();
  }
}
