import type { DatabaseSync } from 'node:sqlite';
import { StoreDurabilityError } from '../errors.ts';

export type SynchronousLevel = 'OFF' | 'NORMAL' | 'FULL' | 'EXTRA';

export interface SqliteDurabilityOptions {
  /**
   * FULL (the default) or EXTRA. A weaker level is refused: with WAL and NORMAL, an append that
   * has returned can be lost in a power cut, and a ledger must never lose an acknowledged entry.
   */
  readonly synchronous?: SynchronousLevel;
  /** How long an append waits for another process's write lock before giving up. */
  readonly busyTimeoutMs?: number;
  /** SQLite's page cache per connection. The default 2 MiB is too small for the event indexes. */
  readonly cacheSizeKiB?: number;
}

export const DEFAULT_BUSY_TIMEOUT_MS = 5_000;
export const DEFAULT_CACHE_SIZE_KIB = 65_536;
const SYNCHRONOUS_CODES: Record<SynchronousLevel, number> = {
  OFF: 0,
  NORMAL: 1,
  FULL: 2,
  EXTRA: 3,
};
const MINIMUM_SYNCHRONOUS = SYNCHRONOUS_CODES.FULL;

/**
 * Sets the pragmas the event store depends on and reads each one back, because SQLite ignores
 * what it cannot do (an in-memory database stays out of WAL, for one) without saying so.
 */
export function applyDurablePragmas(
  database: DatabaseSync,
  options: SqliteDurabilityOptions,
): void {
  const synchronous = options.synchronous ?? 'FULL';
  const busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
  if (!Number.isSafeInteger(busyTimeoutMs) || busyTimeoutMs < 0) {
    throw new StoreDurabilityError(
      `busy timeout ${busyTimeoutMs} ms is not a whole number of milliseconds`,
    );
  }
  database.exec(`PRAGMA busy_timeout = ${busyTimeoutMs}`);
  const cacheSizeKiB = options.cacheSizeKiB ?? DEFAULT_CACHE_SIZE_KIB;
  if (!Number.isSafeInteger(cacheSizeKiB) || cacheSizeKiB < 0) {
    throw new StoreDurabilityError(
      `cache size ${cacheSizeKiB} KiB is not a whole number of kibibytes`,
    );
  }
  // A negative cache_size is a size in KiB rather than a number of pages.
  database.exec(`PRAGMA cache_size = -${cacheSizeKiB}`);
  const journalMode = readPragma(database, 'journal_mode = WAL', 'journal_mode');
  if (String(journalMode).toLowerCase() !== 'wal') {
    throw new StoreDurabilityError(
      `the event store needs write-ahead logging, but the database at ${database.location() ?? 'memory'} runs in journal mode "${String(journalMode)}"`,
    );
  }
  database.exec(`PRAGMA synchronous = ${SYNCHRONOUS_CODES[synchronous]}`);
  const synchronousCode = Number(readPragma(database, 'synchronous', 'synchronous'));
  if (synchronousCode < MINIMUM_SYNCHRONOUS) {
    throw new StoreDurabilityError(
      `the event store needs synchronous=FULL or EXTRA so that an acknowledged append survives a crash; it was asked to run with ${synchronous}`,
    );
  }
  database.exec('PRAGMA foreign_keys = ON');
}

function readPragma(database: DatabaseSync, statement: string, column: string): unknown {
  const row = database.prepare(`PRAGMA ${statement}`).get() as Record<string, unknown> | undefined;
  return row?.[column];
}
