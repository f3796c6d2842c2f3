import { DatabaseSync, type StatementSync } from 'node:sqlite';
import type { StagedUpload, StagedUploads } from '../uploads.ts';

/**
 * Staged uploads in a SQLite file of their own beside the event store. Not synced commit by
 * commit: an upload lost in a power cut is uploaded again; nothing acknowledged is at stake.
 */
export class SqliteStagedUploads implements StagedUploads {
  readonly #database: DatabaseSync;
  readonly #insert: StatementSync;
  readonly #find: StatementSync;
  readonly #settle: StatementSync;
  readonly #purge: StatementSync;

  constructor(path: string) {
    this.#database = new DatabaseSync(path);
    this.#database.exec(
      'PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;',
    );
    this.#database.exec(`CREATE TABLE IF NOT EXISTS staged_uploads (
      upload_id TEXT PRIMARY KEY,
      pool_id TEXT NOT NULL,
      caller_id TEXT NOT NULL,
      staged_at TEXT NOT NULL,
      file_name TEXT NOT NULL,
      content_digest TEXT NOT NULL,
      bytes BLOB NOT NULL,
      mapping TEXT NOT NULL,
      report TEXT NOT NULL,
      outcome TEXT
    ) STRICT`);
    this.#insert = this.#database.prepare(
      `INSERT OR IGNORE INTO staged_uploads
        (upload_id, pool_id, caller_id, staged_at, file_name, content_digest, bytes, mapping, report)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.#find = this.#database.prepare('SELECT * FROM staged_uploads WHERE upload_id = ?');
    this.#settle = this.#database.prepare(
      'UPDATE staged_uploads SET outcome = ? WHERE upload_id = ? AND outcome IS NULL',
    );
    this.#purge = this.#database.prepare('DELETE FROM staged_uploads WHERE staged_at < ?');
  }

  async stage(upload: StagedUpload): Promise<void> {
    this.#insert.run(
      upload.uploadId,
      upload.poolId,
      upload.callerId,
      upload.stagedAt,
      upload.fileName,
      upload.contentDigest,
      upload.bytes,
      JSON.stringify(upload.mapping),
      JSON.stringify(upload.report),
    );
  }

  async find(uploadId: string): Promise<StagedUpload | undefined> {
    const row = this.#find.get(uploadId) as UploadRow | undefined;
    if (row === undefined) return undefined;
    return {
      uploadId: row.upload_id,
      poolId: row.pool_id,
      callerId: row.caller_id,
      stagedAt: row.staged_at,
      fileName: row.file_name,
      contentDigest: row.content_digest,
      bytes: row.bytes,
      mapping: JSON.parse(row.mapping),
      report: JSON.parse(row.report),
      ...(row.outcome === null ? {} : { outcome: JSON.parse(row.outcome) }),
    };
  }

  async settle(uploadId: string, outcome: unknown): Promise<void> {
    this.#settle.run(JSON.stringify(outcome), uploadId);
  }

  async purgeBefore(moment: string): Promise<number> {
    return Number(this.#purge.run(moment).changes);
  }

  async close(): Promise<void> {
    this.#database.close();
  }
}

interface UploadRow {
  upload_id: string;
  pool_id: string;
  caller_id: string;
  staged_at: string;
  file_name: string;
  content_digest: string;
  bytes: Uint8Array;
  mapping: string;
  report: string;
  outcome: string | null;
}
