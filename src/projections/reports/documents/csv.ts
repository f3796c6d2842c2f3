import type { AuditEntry } from '../../audit-trail.ts';
import type { Balances } from '../balances.ts';

/**
 * Reports as CSV (RFC 4180, CRLF line ends, a header row): amounts stay decimal strings, so a
 * spreadsheet opening the file gets the exact figures the ledger holds.
 */
export function toCsv(
  header: readonly string[],
  rows: readonly (readonly (string | number | boolean | null)[])[],
): string {
  return [header, ...rows]
    .map((row) => row.map(field).join(','))
    .join('\r\n')
    .concat('\r\n');
}

function field(value: string | number | boolean | null): string {
  const text = value === null ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function balancesCsv(balances: Balances): string {
  return toCsv(
    [
      'Scheme ID',
      'Scheme Name',
      'Scheme Type',
      'Funding Stream',
      'Original Budget',
      'Virements In',
      'Virements Out',
      'Current Budget',
      'Q1 Spend',
      'Q2 Spend',
      'Q3 Spend',
      'Q4 Spend',
      'Spent',
      'Remaining',
      'Forecast Outturn',
      'Variance',
      'RAG',
    ],
    balances.lines.map((line) => [
      line.schemeId,
      line.schemeName,
      line.schemeType,
      line.fundingStream,
      line.originalBudget,
      line.virementsIn,
      line.virementsOut,
      line.currentBudget,
      line.spendByQuarter.Q1 ?? '0.00',
      line.spendByQuarter.Q2 ?? '0.00',
      line.spendByQuarter.Q3 ?? '0.00',
      line.spendByQuarter.Q4 ?? '0.00',
      line.spent,
      line.remaining,
      line.forecastOutturn,
      line.variance,
      line.rag,
    ]),
  );
}

export function auditCsv(entries: readonly AuditEntry[]): string {
  return toCsv(
    [
      'Position',
      'Recorded At',
      'Type',
      'Pool',
      'Year',
      'Schemes',
      'Actor',
      'Role',
      'Reason',
      'Stream',
      'Version',
      'Data',
    ],
    entries.map((entry) => [
      entry.position,
      entry.recordedAt,
      entry.type,
      entry.poolId,
      entry.year,
      entry.schemeIds.join(' '),
      entry.actor.id,
      entry.actor.role,
      entry.reason,
      entry.streamId,
      entry.streamVersion,
      JSON.stringify(entry.data),
    ]),
  );
}
