import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/events/canonical-json.ts';
import { type ImportPlanOptions, importPlan } from '../../src/import/plan-import.ts';
import { parseCsv, readPlanCsv, readPlanXlsx } from '../../src/import/plan-tables.ts';
import type { Ledger } from '../../src/main.ts';
import { poolViewFromStreams } from '../../src/projections/as-at.ts';
import { poolBalances } from '../../src/projections/reports/balances.ts';
import { officer, referenceData } from '../support/domain.ts';
import { temporaryDirectory } from '../support/temp-dir.ts';
import { openTestLedger } from '../support/test-ledger.ts';

/** Acceptance: the demo plan imports from CSV and from a workbook to identical ledgers; errors are all reported. */
const fixtures = join(import.meta.dirname, '../../demo/plan');
const directory = temporaryDirectory('import');
afterAll(() => directory.remove());
const options: ImportPlanOptions = {
  poolId: 'herts',
  referenceData,
  registration: { name: 'Hertfordshire BCF', hwbArea: 'Hertfordshire' },
  caller: officer,
};

async function withLedger<Result>(name: string, work: (ledger: Ledger) => Promise<Result>) {
  const ledger = await openTestLedger(join(directory.path, `${name}.sqlite`));
  try {
    return await work(ledger);
  } finally {
    await ledger.close();
  }
}

/** The demo plan as a workbook with the template's sheets, amounts as numeric cells. */
async function demoWorkbook(path: string): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  for (const [file, sheetName] of [
    ['partners.csv', 'Partners'],
    ['income.csv', 'Income'],
    ['expenditure.csv', 'Expenditure'],
  ] as const) {
    const sheet = workbook.addWorksheet(sheetName);
    const [header = [], ...rows] = parseCsv(readFileSync(join(fixtures, file), 'utf8')).filter(
      (row) => row.some((cell) => cell !== ''),
    );
    sheet.addRow(header);
    for (const row of rows)
      sheet.addRow(
        row.map((cell, index) =>
          /\(£\)$/.test(header[index] ?? '') && cell !== '' ? Number(cell) : cell,
        ),
      );
  }
  await workbook.xlsx.writeFile(path);
}

describe('importing the plan', () => {
  it('imports the demo plan from CSV: the template’s totals, fully allocated; importing again changes nothing', async () => {
    await withLedger('csv', async (ledger) => {
      const first = await importPlan(readPlanCsv(fixtures), options, ledger.writeFace);
      expect(first).toMatchObject({ ok: true });
      const head = await ledger.store.headPosition();
      const view = (await poolViewFromStreams(ledger.store, 'herts')) ?? fail();
      expect(poolBalances(view, '2017-18')?.totals).toMatchObject({
        contributions: '280000000.00',
        unallocated: '0.00',
      });
      expect(poolBalances(view, '2018-19')?.totals).toMatchObject({
        contributions: '289505000.00',
        unallocated: '0.00',
      });
      expect(await importPlan(readPlanCsv(fixtures), options, ledger.writeFace)).toMatchObject({
        ok: true,
        eventsRecorded: 0,
      });
      expect(await ledger.store.headPosition()).toBe(head);
    });
  });

  it('imports the same plan from a workbook to an identical ledger', async () => {
    const workbook = join(directory.path, 'demo-plan.xlsx');
    await demoWorkbook(workbook);
    const fromCsv = await withLedger('csv-beside-xlsx', async (ledger) => {
      expect(await importPlan(readPlanCsv(fixtures), options, ledger.writeFace)).toMatchObject({
        ok: true,
      });
      return canonicalJson(await poolViewFromStreams(ledger.store, 'herts'));
    });
    const fromXlsx = await withLedger('xlsx', async (ledger) => {
      expect(
        await importPlan(await readPlanXlsx(workbook), options, ledger.writeFace),
      ).toMatchObject({
        ok: true,
      });
      return canonicalJson(await poolViewFromStreams(ledger.store, 'herts'));
    });
    expect(fromXlsx).toBe(fromCsv);
  });

  it('reports every one of ten deliberate errors with its row and column, and records nothing', async () => {
    const broken = join(directory.path, 'broken');
    cpSync(fixtures, broken, { recursive: true });
    const edit = (file: string, row: number, column: number, value: string) => {
      const rows = parseCsv(readFileSync(join(broken, file), 'utf8'));
      const target = rows[row - 1];
      if (target === undefined) throw new Error(`no row ${row}`);
      target[column - 1] = value;
      writeFileSync(join(broken, file), rows.map((cells) => cells.join(',')).join('\n'));
    };
    edit('income.csv', 2, 3, '44650000.001');
    edit('income.csv', 3, 4, '1e6');
    edit('income.csv', 4, 2, 'Lottery');
    edit('income.csv', 5, 1, 'HCC Ltd!');
    edit('expenditure.csv', 2, 3, 'Bingo');
    edit('expenditure.csv', 3, 11, '-5.00');
    edit('expenditure.csv', 4, 13, 'Maybe');
    edit('expenditure.csv', 5, 6, 'The Council');
    edit('expenditure.csv', 6, 10, 'Lottery');
    edit('expenditure.csv', 7, 12, 'twelve');
    await withLedger('broken', async (ledger) => {
      const result = await importPlan(readPlanCsv(broken), options, ledger.writeFace);
      if (result.ok) throw new Error('a broken plan was imported');
      expect(result.problems.map((problem) => problem.place)).toEqual([
        'expenditure.csv row 2 column 3',
        'expenditure.csv row 3 column 11',
        'expenditure.csv row 4 column 13',
        'expenditure.csv row 5 column 6',
        'expenditure.csv row 6 column 10',
        'expenditure.csv row 7 column 12',
        'income.csv row 2 column 3',
        'income.csv row 3 column 4',
        'income.csv row 4 column 2',
        'income.csv row 5 column 1',
      ]);
      for (const problem of result.problems) expect(problem.column.length).toBeGreaterThan(0);
      expect(await ledger.store.headPosition()).toBe(0);
    });
  });
});

function fail(): never {
  throw new Error('expected a value');
}
