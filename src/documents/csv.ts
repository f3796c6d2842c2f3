import { stringify } from 'csv-stringify/sync';
import { Money } from '#money';
import type { Table } from './table.ts';

/**
 * A table as CSV (RFC 4180, CRLF line ends, a header row). Amounts are written exactly as the
 * ledger holds them ("-1250.00"), so a spreadsheet opening the file gets the exact figures. Text
 * that a spreadsheet would take for a formula (starting with =, +, -, @, a tab or a carriage
 * return) is written with a leading apostrophe, OWASP's rule for CSV injection, so a scheme named
 * "=HYPERLINK(...)" stays text; amounts are not text and keep their sign.
 */
export function tableCsv(table: Table): string {
  const moneyColumns = table.columns.map((column) => column.money === true);
  const rows = table.rows.map((row) =>
    row.map((cell, index) =>
      // Amounts travel as whole pence (a bigint: exact, and numeric to the CSV writer, so never
      // escaped) and are written back as pounds and pence by `cast.bigint`.
      moneyColumns[index] === true && typeof cell === 'string'
        ? Money.parseTotal(cell).toPence()
        : cell,
    ),
  );
  return stringify([table.columns.map((column) => column.header), ...rows], {
    record_delimiter: 'windows',
    escape_formulas: true,
    quoted_match: /[\r\n]/,
    cast: {
      bigint: (pence) => Money.fromPence(pence).toString(),
      boolean: (value) => String(value),
    },
  });
}
