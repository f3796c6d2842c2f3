import { writeFileSync } from 'node:fs';
import { type Command, Option } from 'commander';
import type { LedgerConfig } from '../../config.ts';
import { isDocumentKind, renderReport, tableSlugs } from '../../documents/report-documents.ts';
import { code, financialYear, type Quarter } from '../../events/catalogue/index.ts';
import { recordedAtString } from '../../events/envelope.ts';
import { checkedBy, print, UsageError, withLedger } from '../cli-kit.ts';

interface ReportOptions {
  pool: string;
  year: string;
  quarter?: Quarter;
  asAt?: string;
  format: 'json' | 'csv' | 'xlsx';
  table?: string;
  out?: string;
}

/** A report of a pool-year, as the API gives it: the same read face, the same documents. */
export function reportCommand(program: Command, config: LedgerConfig): void {
  program
    .command('report')
    .description(
      'a report of a pool-year: balances, the quarterly position, the year-end statement or the NHS England extract',
    )
    .addArgument(
      program
        .createArgument('<kind>', 'balances, quarter, year-end or extract')
        .choices(['balances', 'quarter', 'year-end', 'extract']),
    )
    .requiredOption('--pool <poolId>', 'a pool id', checkedBy(code, 'a pool id'))
    .requiredOption(
      '--year <year>',
      'the financial year, such as 2017-18',
      checkedBy(financialYear, 'a financial year'),
    )
    .addOption(
      new Option('--quarter <quarter>', 'for the quarterly position').choices([
        'Q1',
        'Q2',
        'Q3',
        'Q4',
      ]),
    )
    .option(
      '--as-at <moment>',
      'what the ledger knew at this moment (UTC, with milliseconds)',
      checkedBy(
        recordedAtString,
        'a moment in UTC with milliseconds, such as 2017-07-01T00:00:00.000Z',
      ),
    )
    .addOption(new Option('--format <format>').choices(['json', 'csv', 'xlsx']).default('json'))
    .option(
      '--table <table>',
      'with --format csv, one table of the report, named as its sheet is (such as funding-by-partner)',
    )
    .option('--out <file>', 'write to this file (needed for xlsx)')
    .action((kind: string, options: ReportOptions) => runReport(kind, options, config));
}

async function runReport(kind: string, options: ReportOptions, config: LedgerConfig) {
  if (!isDocumentKind(kind)) throw new UsageError(`no report "${kind}"`);
  if (options.format === 'xlsx' && options.out === undefined)
    throw new UsageError('--out <file> is needed for an xlsx workbook');
  if (options.table !== undefined && options.format !== 'csv')
    throw new UsageError('--table chooses one table of a CSV download: add --format csv');
  if (kind === 'quarter' && options.quarter === undefined)
    throw new UsageError('--quarter Q1 to Q4 is needed for the quarterly position');
  const document = await withLedger(config, async (ledger) => {
    const found = await ledger.readFace.report({
      kind,
      poolId: options.pool,
      year: options.year,
      ...(options.quarter === undefined ? {} : { quarter: options.quarter }),
      ...(options.asAt === undefined ? {} : { asAt: options.asAt }),
    });
    if (!found.found) throw new UsageError(found.detail);
    if (options.format === 'json') return `${JSON.stringify(found.value, null, 2)}\n`;
    const tables = tableSlugs(kind, found.value as never);
    if (options.table !== undefined && !tables.includes(options.table))
      throw new UsageError(
        `the ${kind} report has no table "${options.table}": choose one of ${tables.join(', ')}`,
      );
    return renderReport(kind, found.value as never, options.format, options.table);
  });
  if (options.out === undefined) print(String(document));
  else writeFileSync(options.out, document);
}
