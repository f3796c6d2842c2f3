import { DatabaseSync, type StatementSync } from 'node:sqlite';
import type { CredentialStore, PersonSession } from '../credentials.ts';

/**
 * Password hashes and sessions in a SQLite file of their own beside the event store, synced on
 * every commit: a password set must survive a power cut as surely as the event saying it was.
 */
export class SqliteCredentials implements CredentialStore {
  readonly #database: DatabaseSync;
  readonly #statements: Record<
    'password' | 'setPassword' | 'start' | 'session' | 'touch' | 'end',
    StatementSync
  >;

  constructor(path: string) {
    this.#database = new DatabaseSync(path);
    this.#database.exec(
      'PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000;',
    );
    this.#database.exec(`
      CREATE TABLE IF NOT EXISTS passwords (user_id TEXT PRIMARY KEY, hash TEXT NOT NULL) STRICT;
      CREATE TABLE IF NOT EXISTS sessions (
        session_id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL,
        secret_hash TEXT NOT NULL,
        created_at TEXT NOT NULL,
        last_seen_at TEXT NOT NULL
      ) STRICT;`);
    const prepare = (sql: string) => this.#database.prepare(sql);
    this.#statements = {
      password: prepare('SELECT hash FROM passwords WHERE user_id = ?'),
      setPassword: prepare(
        'INSERT INTO passwords (user_id, hash) VALUES (?, ?) ON CONFLICT (user_id) DO UPDATE SET hash = excluded.hash',
      ),
      start: prepare(
        'INSERT INTO sessions (session_id, user_id, secret_hash, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?)',
      ),
      session: prepare('SELECT * FROM sessions WHERE session_id = ?'),
      touch: prepare('UPDATE sessions SET last_seen_at = ? WHERE session_id = ?'),
      end: prepare('DELETE FROM sessions WHERE session_id = ?'),
    };
  }

  async passwordHash(userId: string): Promise<string | undefined> {
    const row = this.#statements.password.get(userId) as { hash: string } | undefined;
    return row?.hash;
  }

  async setPasswordHash(userId: string, hash: string): Promise<void> {
    this.#statements.setPassword.run(userId, hash);
  }

  async startSession(session: PersonSession): Promise<void> {
    this.#statements.start.run(
      session.sessionId,
      session.userId,
      session.secretHash,
      session.createdAt,
      session.lastSeenAt,
    );
  }

  async session(sessionId: string): Promise<PersonSession | undefined> {
    const row = this.#statements.session.get(sessionId) as SessionRow | undefined;
    if (row === undefined) return undefined;
    return {
      sessionId: row.session_id,
      userId: row.user_id,
      secretHash: row.secret_hash,
      createdAt: row.created_at,
      lastSeenAt: row.last_seen_at,
    };
  }

  async touchSession(sessionId: string, at: string): Promise<void> {
    this.#statements.touch.run(at, sessionId);
  }

  async endSession(sessionId: string): Promise<void> {
    this.#statements.end.run(sessionId);
  }

  async close(): Promise<void> {
    this.#database.close();
  }
}

interface SessionRow {
  session_id: string;
  user_id: string;
  secret_hash: string;
  created_at: string;
  last_seen_at: string;
}
