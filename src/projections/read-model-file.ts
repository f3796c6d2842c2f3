import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { canonicalJson } from '../events/canonical-json.ts';
import { AUDIT_SCHEMA, type AuditFilter, type AuditPage, queryAuditTrail } from './audit-trail.ts';
import { parseView } from './view/amounts.ts';
import type { PoolView } from './view/pool-view.ts';

/**
 * The read model's SQLite file: the pool views, the audit trail and the checkpoint, each row
 * sealed with an HMAC under a key kept outside the file, so that a row changed by someone with
 * the file is found when it is read, and never served (the read model is then rebuilt from the
 * log). Derived data: it need not pay for a sync per commit.
 */
export const READ_MODEL_SCHEMA_VERSION = 2;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS projection_checkpoint (
  name TEXT PRIMARY KEY, position INTEGER NOT NULL, seal TEXT NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS pool_views (
  pool_id TEXT PRIMARY KEY, document TEXT NOT NULL, seal TEXT NOT NULL
) STRICT;
${AUDIT_SCHEMA}
`;

/** The read model holds something it did not write: a row altered, or a file of another version. */
export class ReadModelAlteredError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReadModelAlteredError';
  }
}

export class ReadModelFile {
  readonly #database: DatabaseSync;
  readonly #sealKey: KeyObject;
  readonly #statements: Record<'saveView' | 'saveCheckpoint' | 'insertAudit', StatementSync>;

  constructor(path: string, sealKey: Buffer) {
    this.#database = new DatabaseSync(path);
    // A KeyObject made once: given raw bytes, every HMAC would prepare the key again.
    this.#sealKey = createSecretKey(sealKey);
    this.#database.exec(
      'PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;',
    );
    const { user_version: version } = this.#database.prepare('PRAGMA user_version').get() as {
      user_version: number;
    };
    const empty =
      this.#database.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get()
        ?.n === 0;
    if (!empty && version !== READ_MODEL_SCHEMA_VERSION) {
      this.#database.close();
      throw new ReadModelAlteredError(
        `the read model at ${path} is of version ${version}, not ${READ_MODEL_SCHEMA_VERSION}: rebuild it`,
      );
    }
    this.#database.exec(SCHEMA);
    this.#database.exec(`PRAGMA user_version = ${READ_MODEL_SCHEMA_VERSION}`);
    this.#statements = {
      saveView: this.#database.prepare(
        'INSERT INTO pool_views (pool_id, document, seal) VALUES (?, ?, ?) ON CONFLICT (pool_id) DO UPDATE SET document = excluded.document, seal = excluded.seal',
      ),
      saveCheckpoint: this.#database.prepare(
        "INSERT INTO projection_checkpoint (name, position, seal) VALUES ('ledger', ?, ?) ON CONFLICT (name) DO UPDATE SET position = excluded.position, seal = excluded.seal",
      ),
      insertAudit: this.#database.prepare(
        'INSERT INTO audit_trail (position, stream_id, stream_version, event_id, type, pool_id, year, scheme_ids, actor_id, actor_role, credential_id, recorded_at, reason, correlation_id, causation_id, idempotency_key, data, seal) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
    };
  }

  /** The checkpoint, checked against its seal; 0 for a new read model. */
  checkpoint(): number {
    const row = this.#database
      .prepare("SELECT position, seal FROM projection_checkpoint WHERE name = 'ledger'")
      .get() as { position: number; seal: string } | undefined;
    if (row === undefined) return 0;
    this.#checkSeal(`checkpoint\n${row.position}`, row.seal, 'the checkpoint');
    return row.position;
  }

  /** Every pool view, each checked against its seal. */
  views(): Map<string, PoolView> {
    const views = new Map<string, PoolView>();
    const rows = this.#database.prepare('SELECT pool_id, document, seal FROM pool_views').all() as {
      pool_id: string;
      document: string;
      seal: string;
    }[];
    for (const row of rows) {
      this.#checkSeal(`view\n${row.pool_id}\n${row.document}`, row.seal, `pool "${row.pool_id}"`);
      views.set(row.pool_id, parseView<PoolView>(row.document));
    }
    return views;
  }

  /** Writes a batch: the views it touched, its audit rows and the checkpoint after it, at once. */
  saveBatch(
    views: readonly [string, PoolView][],
    auditRows: readonly AuditRowValues[],
    last: number,
  ) {
    this.#database.exec('BEGIN IMMEDIATE');
    try {
      for (const [poolId, view] of views) {
        const document = JSON.stringify(view);
        this.#statements.saveView.run(poolId, document, this.#seal(`view\n${poolId}\n${document}`));
      }
      for (const row of auditRows)
        this.#statements.insertAudit.run(...row, this.#seal(auditSealText(row)));
      this.#statements.saveCheckpoint.run(last, this.#seal(`checkpoint\n${last}`));
      this.#database.exec('COMMIT');
    } catch (error) {
      this.#database.exec('ROLLBACK');
      throw error;
    }
  }

  /** A page of the audit trail, every row checked against its seal before it is handed out. */
  auditTrail(filter: AuditFilter): AuditPage {
    return queryAuditTrail(this.#database, filter, (row) =>
      this.#checkSeal(auditSealText(row.values), row.seal, `audit entry ${row.values[0]}`),
    );
  }

  /** Every audit row in order, for a digest of the whole read model. */
  *auditRows(): Iterable<Record<string, unknown>> {
    for (const row of this.#database
      .prepare('SELECT * FROM audit_trail ORDER BY position')
      .iterate())
      yield { ...row };
  }

  close(): void {
    this.#database.close();
  }

  #seal(text: string): string {
    return createHmac('sha256', this.#sealKey).update(text).digest('hex');
  }

  #checkSeal(text: string, seal: string, what: string): void {
    if (this.#seal(text) !== seal)
      throw new ReadModelAlteredError(
        `${what} in the read model does not match its seal: it was changed outside the ledger`,
      );
  }
}

/** An audit row's values, in the insert statement's column order (without the seal). */
export type AuditRowValues = (string | number | null)[];

function auditSealText(values: readonly (string | number | null)[]): string {
  return `audit\n${canonicalJson(values)}`;
}
