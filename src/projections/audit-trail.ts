import type { DatabaseSync, SQLInputValue } from 'node:sqlite';
import { canonicalJson } from '../events/canonical-json.ts';
import type { RecordedEvent } from '../events/envelope.ts';

/**
 * The audit trail: every event with who, what, when and why, filterable by pool, scheme, actor,
 * event type and time, in pages. One row per event, written with the pool views.
 */
export const AUDIT_SCHEMA = `
CREATE TABLE IF NOT EXISTS audit_trail (
  position INTEGER PRIMARY KEY,
  stream_id TEXT NOT NULL,
  stream_version INTEGER NOT NULL,
  event_id TEXT NOT NULL,
  type TEXT NOT NULL,
  pool_id TEXT,
  year TEXT,
  scheme_ids TEXT NOT NULL,
  actor_id TEXT NOT NULL,
  actor_role TEXT NOT NULL,
  credential_id TEXT,
  recorded_at TEXT NOT NULL,
  reason TEXT,
  correlation_id TEXT NOT NULL,
  causation_id TEXT NOT NULL,
  idempotency_key TEXT NOT NULL,
  data TEXT NOT NULL,
  seal TEXT NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS audit_by_pool ON audit_trail (pool_id, position);
CREATE INDEX IF NOT EXISTS audit_by_actor ON audit_trail (actor_id, position);
CREATE INDEX IF NOT EXISTS audit_by_credential ON audit_trail (credential_id, position);
CREATE INDEX IF NOT EXISTS audit_by_time ON audit_trail (recorded_at);
`;

export const AUDIT_PAGE_LIMITS = { defaultSize: 100, maxSize: 500 } as const;

export interface AuditFilter {
  readonly poolId?: string;
  readonly schemeId?: string;
  readonly actorId?: string;
  /** The token or session the events were recorded with. */
  readonly credentialId?: string;
  readonly type?: string;
  /** Recorded at or after this moment (ISO 8601, UTC). */
  readonly from?: string;
  /** Recorded at or before this moment: what the ledger knew then. */
  readonly to?: string;
  /** Keyset pagination: entries after this log position. */
  readonly afterPosition?: number;
  readonly limit?: number;
}

export interface AuditEntry {
  position: number;
  streamId: string;
  streamVersion: number;
  eventId: string;
  type: string;
  poolId: string | null;
  year: string | null;
  schemeIds: string[];
  actor: { id: string; role: string };
  /** The token or session the event was recorded with; null for the system's own and older events. */
  credentialId: string | null;
  recordedAt: string;
  reason: string | null;
  correlationId: string;
  causationId: string;
  idempotencyKey: string;
  data: unknown;
}

export interface AuditPage {
  entries: AuditEntry[];
  /** Pass as afterPosition for the next page; null on the last page. */
  nextAfterPosition: number | null;
}

/**
 * The audit row of an event, in the column order of the insert statement. What only the access
 * stream's own fold may see (a token's secret hash) is left out of the data shown.
 */
export function auditRow(event: RecordedEvent): (string | number | null)[] {
  const data = shownData(event);
  const schemeIds = [data.schemeId, data.fromSchemeId, data.toSchemeId].filter(
    (id): id is string => typeof id === 'string',
  );
  return [
    event.globalPosition,
    event.streamId,
    event.streamVersion,
    event.eventId,
    event.type,
    typeof data.poolId === 'string' ? data.poolId : null,
    typeof data.year === 'string' ? data.year : null,
    JSON.stringify(schemeIds),
    event.metadata.actor.id,
    event.metadata.actor.role,
    event.metadata.credentialId ?? null,
    event.metadata.recordedAt,
    event.metadata.reason ?? null,
    event.metadata.correlationId,
    event.metadata.causationId,
    event.metadata.idempotencyKey,
    canonicalJson(data),
  ];
}

function shownData(event: RecordedEvent): Record<string, unknown> {
  const data = event.data as Record<string, unknown>;
  if (event.type !== 'TokenIssued.v1') return data;
  const { secretHash: _hidden, ...shown } = data;
  return shown;
}

/** A stored row as read: its values in column order, and its seal. */
export interface StoredAuditRow {
  readonly values: (string | number | null)[];
  readonly seal: string;
}

export function queryAuditTrail(
  database: DatabaseSync,
  filter: AuditFilter,
  checkRow: (row: StoredAuditRow) => void,
): AuditPage {
  const limit = filter.limit ?? AUDIT_PAGE_LIMITS.defaultSize;
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > AUDIT_PAGE_LIMITS.maxSize) {
    throw new RangeError(
      `a page of the audit trail holds 1 to ${AUDIT_PAGE_LIMITS.maxSize} entries, not ${limit}`,
    );
  }
  const conditions: string[] = ['position > ?'];
  const parameters: SQLInputValue[] = [filter.afterPosition ?? 0];
  const add = (condition: string, value: string | undefined) => {
    if (value === undefined) return;
    conditions.push(condition);
    parameters.push(value);
  };
  add('pool_id = ?', filter.poolId);
  add('EXISTS (SELECT 1 FROM json_each(scheme_ids) WHERE value = ?)', filter.schemeId);
  add('actor_id = ?', filter.actorId);
  add('credential_id = ?', filter.credentialId);
  add('type = ?', filter.type);
  add('recorded_at >= ?', filter.from);
  add('recorded_at <= ?', filter.to);
  const rows = database
    .prepare(
      `SELECT * FROM audit_trail WHERE ${conditions.join(' AND ')} ORDER BY position LIMIT ?`,
    )
    .all(...parameters, limit + 1) as Record<string, string | number | null>[];
  const entries = rows.slice(0, limit).map((row) => {
    const { seal, ...columns } = row;
    checkRow({ values: Object.values(columns), seal: String(seal) });
    return toEntry(row);
  });
  return {
    entries,
    nextAfterPosition: rows.length > limit ? (entries.at(-1)?.position ?? null) : null,
  };
}

function toEntry(row: Record<string, string | number | null>): AuditEntry {
  return {
    position: Number(row.position),
    streamId: String(row.stream_id),
    streamVersion: Number(row.stream_version),
    eventId: String(row.event_id),
    type: String(row.type),
    poolId: row.pool_id === null ? null : String(row.pool_id),
    year: row.year === null ? null : String(row.year),
    schemeIds: JSON.parse(String(row.scheme_ids)) as string[],
    actor: { id: String(row.actor_id), role: String(row.actor_role) },
    credentialId: row.credential_id === null ? null : String(row.credential_id),
    recordedAt: String(row.recorded_at),
    reason: row.reason === null ? null : String(row.reason),
    correlationId: String(row.correlation_id),
    causationId: String(row.causation_id),
    idempotencyKey: String(row.idempotency_key),
    data: JSON.parse(String(row.data)),
  };
}
