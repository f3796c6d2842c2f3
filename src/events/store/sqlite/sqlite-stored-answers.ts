import { DatabaseSync, type StatementSync } from 'node:sqlite';
import type { StoredAnswer, StoredAnswers } from '../answers.ts';

/**
 * Stored answers in a SQLite file of their own beside the event store. Commits are not synced one
 * by one: an answer lost in a power cut was a refusal or a no-op, which a retry decides afresh;
 * what the ledger acknowledged (its events) is never at stake.
 */
export class SqliteStoredAnswers implements StoredAnswers {
  readonly #database: DatabaseSync;
  readonly #find: StatementSync;
  readonly #save: StatementSync;

  constructor(path: string) {
    this.#database = new DatabaseSync(path);
    this.#database.exec(
      'PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;',
    );
    this.#database.exec(`CREATE TABLE IF NOT EXISTS stored_answers (
      scoped_key TEXT PRIMARY KEY,
      request_digest TEXT NOT NULL,
      outcome TEXT NOT NULL
    ) STRICT`);
    this.#find = this.#database.prepare(
      'SELECT request_digest, outcome FROM stored_answers WHERE scoped_key = ?',
    );
    this.#save = this.#database.prepare(
      'INSERT OR IGNORE INTO stored_answers (scoped_key, request_digest, outcome) VALUES (?, ?, ?)',
    );
  }

  async find(scopedKey: string): Promise<StoredAnswer | undefined> {
    const row = this.#find.get(scopedKey) as
      | { request_digest: string; outcome: string }
      | undefined;
    if (row === undefined) return undefined;
    return { scopedKey, requestDigest: row.request_digest, outcome: JSON.parse(row.outcome) };
  }

  async save(answer: StoredAnswer): Promise<void> {
    this.#save.run(answer.scopedKey, answer.requestDigest, JSON.stringify(answer.outcome));
  }

  async close(): Promise<void> {
    this.#database.close();
  }
}
