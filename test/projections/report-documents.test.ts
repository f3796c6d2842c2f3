import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Money } from '#money';
import { loadDemo } from '../../src/cli/demo/load-demo.ts';
import { loadConfig } from '../../src/config.ts';
import { renderReport, reportTables, tableSlugs } from '../../src/documents/report-documents.ts';
import type { Table } from '../../src/documents/table.ts';
import { CURRENCY_FORMAT, workbook } from '../../src/documents/workbook.ts';
import { QUARTERS } from '../../src/events/catalogue/index.ts';
import { openLedger } from '../../src/main.ts';
import { poolViewFromStreams } from '../../src/projections/as-at.ts';
import { poolBalances } from '../../src/projections/reports/balances.ts';
import { nhsEnglandExtract } from '../../src/projections/reports/nhs-england-extract.ts';
import { quarterlyReport } from '../../src/projections/reports/quarterly-position.ts';
import { yearEndStatement } from '../../src/projections/reports/year-end.ts';
import type { PoolView } from '../../src/projections/view/pool-view.ts';
import { temporaryDirectory } from '../support/temp-dir.ts';

/**
 * The reports of the demo ledger (deterministic: the same every run) against golden files, CSV
 * byte for byte; the workbooks read back and compared cell by cell with the figures. Set
 * UPDATE_GOLDEN=1 to write the golden files afresh after a deliberate change, and review the diff.
 */
const golden = join(import.meta.dirname, '../golden');
const directory = temporaryDirectory('reports');
let view: PoolView;

beforeAll(async () => {
  const config = loadConfig({ LEDGER_DATA_DIR: directory.path });
  await loadDemo(config);
  const ledger = await openLedger(config);
  view = (await poolViewFromStreams(ledger.store, 'herts')) ?? fail();
  await ledger.close();
}, 120_000);
afterAll(() => directory.remove());

function matchesGolden(name: string, text: string): void {
  const path = join(golden, name);
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  }
  if (!existsSync(path))
    throw new Error(`no golden file ${name}: run with UPDATE_GOLDEN=1 to write it, then review it`);
  expect(text).toBe(readFileSync(path, 'utf8'));
}

describe('the demo ledger as README.md describes it', () => {
  it('has scheme 11 red in the balances, amber in the Q2 position, and HVCCG owing at Q1’s end', () => {
    const line = poolBalances(view, '2017-18')?.lines.find((each) => each.schemeId === '11');
    expect(line).toMatchObject({
      rag: 'red',
      spent: '89185532.52',
      accrued: '412500.00',
      currentBudget: '88000000.00',
    });
    const q2 = quarterlyReport(view, '2017-18', 'Q2') ?? fail();
    const q2Line = q2.position.lines.find((each) => each.schemeId === '11') ?? fail();
    expect(q2Line).toMatchObject({ rag: 'amber', forecastOutturn: '89250000.00' });
    // 44,426,052.30 spent to date against 44,000,000.00 due: 0.97% ahead; 1.42% forecast over.
    expect(q2Line).toMatchObject({ spendYearToDate: '44426052.30', budgetToDate: '44000000.00' });
    for (const quarter of QUARTERS) {
      const report = quarterlyReport(view, '2017-18', quarter) ?? fail();
      expect(report.digest, quarter).toBe(report.status.closedDigest);
    }
    const q1 = quarterlyReport(view, '2017-18', 'Q1') ?? fail();
    expect(q1.position.partners.find((each) => each.partnerId === 'HVCCG')).toMatchObject({
      outstanding: '12112500.00',
    });
    expect(q1.correctionsSinceClose.map((each) => each.id)).toEqual(['late-q1-1']);
  });

  it('shows the four metrics each quarter, Q1’s admissions meeting target when it closed and not once final', () => {
    for (const [index, quarter] of QUARTERS.entries()) {
      const metrics = quarterlyReport(view, '2017-18', quarter)?.position.metrics ?? fail();
      expect(metrics.map((metric) => metric.metricId)).toEqual([
        'non-elective-admissions',
        'residential-admissions',
        'reablement',
        'delayed-transfers',
      ]);
      for (const metric of metrics) {
        expect(metric.quarters).toHaveLength(index + 1);
        expect(metric.quarters.at(-1)?.status, `${metric.metricId} ${quarter}`).toBe('provisional');
        expect(metric.quarters.every((each) => each.meeting !== 'no data')).toBe(true);
      }
    }
    const admissions = (quarter: 'Q1' | 'Q2') =>
      quarterlyReport(view, '2017-18', quarter)?.position.metrics[0]?.quarters[0];
    expect(admissions('Q1')).toEqual({
      quarter: 'Q1',
      target: '27401',
      actual: '27390',
      status: 'provisional',
      meeting: 'meeting target',
    });
    expect(admissions('Q2')).toEqual({
      quarter: 'Q1',
      target: '27401',
      actual: '27427',
      status: 'final',
      meeting: 'not meeting target',
    });
  });

  it('closes 2017-18 with a statement that reconciles on its face, the DFG underspend brought into 2018-19', () => {
    const statement = yearEndStatement(view, '2017-18') ?? fail();
    expect(statement).toMatchObject({ basis: 'outturn', closed: true });
    expect(statement.net).toEqual({
      funding: '280000000.00',
      expenditure: '280912132.85',
      net: '-912132.85',
    });
    expect(statement.riskShare.status).toBe('applied');
    expect(statement.riskShare.reconciliation).toEqual({
      net: '-912132.85',
      shares: '-1212290.65',
      carryForward: '300157.80',
      reconciles: true,
    });
    expect(statement.riskShare.carryForward).toEqual([
      { fundingStream: 'DFG', amount: '300157.80' },
    ]);
    // Capital apart: the DFG underspend met no revenue overspend.
    expect(statement.riskShare.offsets.map((offset) => offset.kind)).toEqual(['revenue']);
    expect(statement.expenditure.capitalAndRevenue).toEqual([
      {
        kind: 'revenue',
        funding: '272500000.00',
        expenditure: '273712290.65',
        net: '-1212290.65',
      },
      { kind: 'capital', funding: '7500000.00', expenditure: '7199842.20', net: '300157.80' },
    ]);
    const next = poolBalances(view, '2018-19') ?? fail();
    expect(next.streams.find((stream) => stream.fundingStream === 'DFG')).toMatchObject({
      broughtForward: '300157.80',
    });
    expect(yearEndStatement(view, '2018-19')?.priorYear).toEqual({
      year: '2017-18',
      funding: '280000000.00',
      expenditure: '280912132.85',
      net: '-912132.85',
      carriedForward: '300157.80',
    });
  });
});

/** Every table of each demo report, as CSV, against its golden file (one directory per report). */
const DEMO_REPORTS = [
  ['balances', 'balances-2017-18', () => poolBalances(view, '2017-18')],
  ['quarter', 'quarter-Q2-2017-18', () => quarterlyReport(view, '2017-18', 'Q2')],
  ['year-end', 'year-end-2017-18', () => yearEndStatement(view, '2017-18')],
  ['extract', 'extract-2017-18', () => nhsEnglandExtract(view, '2017-18')],
] as const;

describe('reports of the demo ledger', () => {
  it('gives balances whose totals are the plan’s', () => {
    const balances = poolBalances(view, '2017-18') ?? fail();
    expect(balances.totals.contributions).toBe('280000000.00');
    expect(balances.totals.allocated).toBe('280000000.00');
  });

  it('gives each report’s CSV, and every table of it on its own, matching their golden files', async () => {
    let tables = 0;
    for (const [kind, directoryName, report] of DEMO_REPORTS) {
      const value = report() ?? fail();
      matchesGolden(
        `${directoryName}.csv`,
        String(await renderReport(kind, value as never, 'csv')),
      );
      for (const slug of tableSlugs(kind, value as never)) {
        const csv = String(await renderReport(kind, value as never, 'csv', slug));
        matchesGolden(join(directoryName, `${slug}.csv`), csv);
        tables += 1;
      }
    }
    expect(tables).toBeGreaterThan(25);
  });

  it('gives the year-end statement and the NHS England extract that add up', () => {
    const statement = yearEndStatement(view, '2017-18') ?? fail();
    const streamNets = Money.sum(
      statement.expenditure.byStream.map((stream) => Money.parse(stream.net)),
    );
    expect(statement.net.net).toBe(
      Money.parse(statement.net.funding).minus(Money.parse(statement.net.expenditure)).toString(),
    );
    expect(streamNets.toString()).toBe(statement.net.net);
    const extract = nhsEnglandExtract(view, '2017-18') ?? fail();
    expect(extract.checks.map((check) => check.status)).toEqual(['passed', 'passed', 'passed']);
  });

  it('writes every report as a workbook a finance officer would accept: typed amounts, currency format, frozen header, totals that match', async () => {
    const balances = poolBalances(view, '2017-18') ?? fail();
    const documents: [string, Table[]][] = [
      ['balances', reportTables('balances', balances)],
      ['quarter', reportTables('quarter', quarterlyReport(view, '2017-18', 'Q2') ?? fail())],
      ['year-end', reportTables('year-end', yearEndStatement(view, '2017-18') ?? fail())],
      ['extract', reportTables('extract', nhsEnglandExtract(view, '2017-18') ?? fail())],
    ];
    let cells = 0;
    for (const [name, sheets] of documents) {
      const book = new ExcelJS.Workbook();
      await book.xlsx.load((await workbook(sheets)) as unknown as ArrayBuffer);
      for (const spec of sheets) {
        const sheet = book.getWorksheet(spec.name) ?? fail();
        expect(sheet.views[0], `${name} ${spec.name}`).toMatchObject({
          state: 'frozen',
          ySplit: 1,
        });
        expect(sheet.getRow(1).values).toEqual([
          undefined,
          ...spec.columns.map((column) => column.header),
        ]);
        for (const [index, column] of spec.columns.entries())
          expect(sheet.getColumn(index + 1).width).toBe(column.width);
        for (const [rowIndex, row] of spec.rows.entries()) {
          for (const [columnIndex, column] of spec.columns.entries()) {
            const cell = sheet.getRow(rowIndex + 2).getCell(columnIndex + 1);
            cells += 1;
            if (column.money === true) {
              expect(typeof cell.value, `${name} ${spec.name} ${cell.address}`).toBe('number');
              expect(String(Money.fromSpreadsheetNumber(cell.value as number))).toBe(
                String(row[columnIndex]),
              );
              expect(cell.numFmt).toBe(CURRENCY_FORMAT);
            } else {
              expect(cell.value ?? '', `${name} ${spec.name} ${cell.address}`).toBe(
                row[columnIndex] ?? '',
              );
            }
          }
        }
        const totals = sheet.getRow(spec.rows.length + 2);
        if (spec.totals !== true) {
          // A table whose rows do not add up (a reconciliation, a list of checks) has no totals.
          expect(totals.cellCount, `${name} ${spec.name}`).toBe(0);
          continue;
        }
        expect(totals.getCell(1).value).toBe('Total');
        for (const [columnIndex, column] of spec.columns.entries()) {
          if (column.money !== true) continue;
          const expected = Money.sum(spec.rows.map((row) => Money.parse(String(row[columnIndex]))));
          expect(
            String(Money.fromSpreadsheetNumber(totals.getCell(columnIndex + 1).value as number)),
          ).toBe(expected.toString());
        }
      }
    }
    expect(cells).toBeGreaterThan(500);
  });
});

function fail(): never {
  throw new Error('expected a value');
}

describe('bcf-ledger report, as an operator would run it on the demo ledger', () => {
  const cli = join(import.meta.dirname, '../../src/cli/bcf-ledger.ts');
  const run = (...args: string[]) =>
    spawnSync(process.execPath, [cli, 'report', ...args, '--pool', 'herts', '--year', '2017-18'], {
      env: { ...process.env, LEDGER_DATA_DIR: directory.path },
      encoding: 'utf8',
    });

  it('prints the same CSV as the golden files, and writes a workbook of every table', async () => {
    for (const [kind, file, extra] of [
      ['balances', 'balances-2017-18.csv', []],
      ['quarter', 'quarter-Q2-2017-18.csv', ['--quarter', 'Q2']],
      ['year-end', 'year-end-2017-18.csv', []],
      ['extract', 'extract-2017-18.csv', []],
    ] as const) {
      const result = run(kind, '--format', 'csv', ...extra);
      expect(result.status, result.stderr).toBe(0);
      expect(result.stdout, kind).toBe(readFileSync(join(golden, file), 'utf8'));
    }
    const out = join(directory.path, 'balances.xlsx');
    const written = run('balances', '--format', 'xlsx', '--out', out);
    expect(written.status, written.stderr).toBe(0);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(readFileSync(out) as unknown as ArrayBuffer);
    expect(book.worksheets.map((sheet) => sheet.name)).toEqual(
      reportTables('balances', poolBalances(view, '2017-18') ?? fail()).map((sheet) => sheet.name),
    );
    const table = run('year-end', '--format', 'csv', '--table', 'partner-shares');
    expect(table.status, table.stderr).toBe(0);
    expect(table.stdout).toBe(
      readFileSync(join(golden, 'year-end-2017-18', 'partner-shares.csv'), 'utf8'),
    );
    const unknownTable = run('year-end', '--format', 'csv', '--table', 'by-postcode');
    expect(unknownTable.status).toBe(2);
    expect(unknownTable.stderr).toContain('choose one of funding-by-partner');
    const refused = run('quarter', '--format', 'csv');
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('--quarter Q1 to Q4');
  });
});
