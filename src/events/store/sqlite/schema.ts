import type { DatabaseSync } from 'node:sqlite';
import { StoreIntegrityError } from '../errors.ts';

/** The schema version this code reads and writes, kept in PRAGMA user_version. */
export const SCHEMA_VERSION = 1;

/**
 * events: the log, one row per event, append-only. global_position is assigned by the append as
 * the last position plus one inside the write transaction, so a rolled-back append leaves no gap.
 * appends: one row per append, keyed by its idempotency key, so a retry finds the original.
 * Triggers make both tables refuse UPDATE and DELETE: history is corrected by new events only.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  global_position INTEGER PRIMARY KEY,
  stream_id TEXT NOT NULL,
  stream_version INTEGER NOT NULL CHECK (stream_version >= 1),
  event_id TEXT NOT NULL,
  type TEXT NOT NULL,
  data TEXT NOT NULL,
  metadata TEXT NOT NULL,
  previous_hash TEXT NOT NULL,
  hash TEXT NOT NULL,
  UNIQUE (stream_id, stream_version)
) STRICT;

CREATE TABLE IF NOT EXISTS appends (
  idempotency_key TEXT PRIMARY KEY,
  stream_id TEXT NOT NULL,
  digest TEXT NOT NULL,
  stream_version INTEGER NOT NULL,
  first_position INTEGER NOT NULL,
  last_position INTEGER NOT NULL,
  event_count INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TRIGGER IF NOT EXISTS events_refuse_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are immutable: record a correcting event instead'); END;
CREATE TRIGGER IF NOT EXISTS events_refuse_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events are immutable: record a correcting event instead'); END;
CREATE TRIGGER IF NOT EXISTS appends_refuse_update BEFORE UPDATE ON appends
BEGIN SELECT RAISE(ABORT, 'appends are immutable'); END;
CREATE TRIGGER IF NOT EXISTS appends_refuse_delete BEFORE DELETE ON appends
BEGIN SELECT RAISE(ABORT, 'appends are immutable'); END;
`;

export function createSchema(database: DatabaseSync): void {
  const row = database.prepare('PRAGMA user_version').get() as { user_version: number };
  if (row.user_version > SCHEMA_VERSION) {
    throw new StoreIntegrityError(
      `the event store file has schema version ${row.user_version}, newer than this ledger's ${SCHEMA_VERSION}: upgrade the ledger`,
    );
  }
  database.exec('BEGIN IMMEDIATE');
  try {
    database.exec(SCHEMA);
    database.exec(`PRAGMA user_version = ${SCHEMA_VERSION}`);
    database.exec('COMMIT');
  } catch (error) {
    database.exec('ROLLBACK');
    throw error;
  }
}
