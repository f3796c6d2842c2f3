import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTransparencySpend } from '../../scripts/transparency-spend.ts';
import { referenceData as referenceDataSchema } from '../../src/events/catalogue/pool-events.ts';
import { importPlan } from '../../src/import/plan-import.ts';
import { readPlanCsv } from '../../src/import/plan-tables.ts';
import { recordSpendImport } from '../../src/import/spend-import.ts';
import { parseMapping, type SpendMapping } from '../../src/import/spend-mapping.ts';
import type { Ledger } from '../../src/main.ts';
import { temporaryDirectory } from '../support/temp-dir.ts';
import { openTestLedger } from '../support/test-ledger.ts';

/**
 * A year of a council's spend in the transparency-code layout imported through the sample
 * mapping onto the demo plan: the balances' spend per line and quarter equals the file's own sum,
 * worked out here from the file's text in whole pence (not with the ledger's code); importing it
 * again records nothing; a file that overlaps it records only its new rows; the ledger's refusals
 * come back as problems on their rows.
 */
const root = join(import.meta.dirname, '../..');
const directory = temporaryDirectory('spend-import');
const caller = { id: 'ann', role: 'finance-officer' as const };
let ledger: Ledger;
let mapping: SpendMapping;

beforeAll(async () => {
  ledger = await openTestLedger(join(directory.path, 'ledger.sqlite'));
  const referenceData = referenceDataSchema.parse(
    JSON.parse(readFileSync(join(root, 'reference-data/bcf-2017-19.json'), 'utf8')),
  );
  const imported = await importPlan(
    readPlanCsv(join(root, 'demo/plan')),
    { poolId: 'herts', referenceData, registration: { name: 'Herts', hwbArea: 'Herts' }, caller },
    ledger.writeFace,
  );
  expect(imported).toMatchObject({ ok: true });
  const parsed = parseMapping(
    JSON.parse(readFileSync(join(root, 'mappings/transparency-code.json'), 'utf8')),
  );
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  mapping = { ...parsed.mapping, amounts: 'round-to-pence' };
});
afterAll(async () => {
  await ledger.close();
  directory.remove();
});

const file = generateTransparencySpend({ lines: 3_000, seed: 11 });

function importFiles(bytes: Buffer, fileName = 'spend.csv') {
  return recordSpendImport(ledger.writeFace, {
    poolId: 'herts',
    files: [{ fileName, bytes }],
    mapping,
    caller,
    correlationId: `test:${fileName}`,
  });
}

/** The file's adult care rows summed per line and quarter, in pence, from its text alone. */
function independentTotals(bytes: Buffer): Map<string, bigint> {
  const rows = parse(bytes, { bom: true, columns: true }) as Record<string, string>[];
  const totals = new Map<string, bigint>();
  for (const row of rows) {
    if (row['Service Area'] !== 'Adults and Health') continue;
    const code = row['Expense Code'] ?? '';
    const rule = mapping.rules.find((candidate) =>
      candidate.prefix !== undefined
        ? code.startsWith(candidate.prefix)
        : candidate.equals === code,
    );
    const key = `${rule?.schemeId}/${rule?.fundingStream}/${quarterOf(row.Date ?? '')}`;
    totals.set(key, (totals.get(key) ?? 0n) + pence(row.Amount ?? ''));
  }
  return totals;
}

/** Whole pence from "-499.9999999999999" or "1250.50": rounded half away from zero, by hand. */
function pence(text: string): bigint {
  const negative = text.startsWith('-');
  const [whole = '0', fraction = ''] = text.replace('-', '').split('.');
  const padded = `${fraction}000`;
  let value = BigInt(whole) * 100n + BigInt(padded.slice(0, 2));
  if (Number(padded[2]) >= 5) value += 1n;
  return negative ? -value : value;
}

function quarterOf(date: string): string {
  const month = date.includes('/') ? Number(date.slice(3, 5)) : Number(date.slice(5, 7));
  return ['Q4', 'Q4', 'Q4', 'Q1', 'Q1', 'Q1', 'Q2', 'Q2', 'Q2', 'Q3', 'Q3', 'Q3'][month - 1] ?? '';
}

async function ledgerTotals(): Promise<Map<string, bigint>> {
  await ledger.readModel.catchUp();
  const found = await ledger.readFace.report({
    kind: 'balances',
    poolId: 'herts',
    year: '2017-18',
  });
  if (!found.found) throw new Error(found.detail);
  const totals = new Map<string, bigint>();
  for (const line of found.value.lines)
    for (const quarter of ['Q1', 'Q2', 'Q3', 'Q4'] as const) {
      const spent = line.spendByQuarter[quarter];
      if (spent !== '0.00')
        totals.set(`${line.schemeId}/${line.fundingStream}/${quarter}`, pence(spent));
    }
  return totals;
}

describe('a year of spend imported from the finance system', () => {
  it('records every adult care row, and the balances per line and quarter equal the file’s own sums', async () => {
    const outcome = await importFiles(file.bytes);
    expect(outcome.report.problems).toEqual([]);
    expect(outcome).toMatchObject({ recorded: true, rowsRecorded: file.adultCareRows });
    expect(outcome.report.credits).toBeGreaterThan(20);
    expect(outcome.commits).toBe(Math.ceil(file.adultCareRows / 2_000));
    expect(await ledgerTotals()).toEqual(independentTotals(file.bytes));
  });

  it('records nothing when the same file is imported again', async () => {
    const head = await ledger.store.headPosition();
    const again = await importFiles(file.bytes);
    expect(again).toMatchObject({ rowsRecorded: 0, eventsRecorded: 0 });
    expect(again.report.alreadyRecorded).toBe(file.adultCareRows);
    expect(await ledger.store.headPosition()).toBe(head);
  });

  it('records only the new rows of a file that overlaps the last one', async () => {
    const lines = file.bytes.toString('utf8').split('\r\n');
    const later = generateTransparencySpend({ lines: 400, seed: 12, firstTransaction: 5_000_000 });
    const [, ...laterRows] = later.bytes.toString('utf8').split('\r\n');
    const overlap = Buffer.from(
      [...lines.slice(0, 1), ...lines.slice(2_001), ...laterRows].join('\r\n'),
    );
    const outcome = await importFiles(overlap, 'overlap.csv');
    expect(outcome.report.problems).toEqual([]);
    expect(outcome.rowsRecorded).toBe(later.adultCareRows);
    const expected = independentTotals(file.bytes);
    for (const [key, value] of independentTotals(later.bytes))
      expected.set(key, (expected.get(key) ?? 0n) + value);
    expect(await ledgerTotals()).toEqual(expected);
  });

  it('gives the ledger’s refusals back as problems on their rows, and records nothing', async () => {
    const header =
      'Service Area,Expense Type,Expense Code,Date,Transaction Number,Invoice Number,Supplier Name,Supplier ID,Amount,Original Invoice';
    const problemFile = Buffer.from(
      [
        header,
        'Adults and Health,Carers Services,5301,2019-05-01 00:00:00,T1,INV-A,Carers Ltd,1,120.00,',
        'Adults and Health,Home Care - Specialist,5101,03/04/2017,T2,INV-B,Care Ltd,1,100.00,',
        'Adults and Health,Home Care - Specialist,5101,04/04/2017,T3,INV-C,Care Ltd,1,-150.00,INV-B',
      ].join('\r\n'),
    );
    const head = await ledger.store.headPosition();
    const outcome = await recordSpendImport(ledger.writeFace, {
      poolId: 'herts',
      files: [{ fileName: 'problems.csv', bytes: problemFile }],
      mapping: {
        ...mapping,
        rules: [
          ...mapping.rules.filter((rule) => rule.equals !== '5101'),
          { column: 'Expense Code', equals: '5101', schemeId: '1', fundingStream: 'iBCF' },
        ],
      },
      caller,
      correlationId: 'test:problems',
    });
    expect(outcome.recorded).toBe(false);
    expect(
      outcome.report.problems.map((problem) => [problem.rowNumber, problem.column, problem.kind]),
    ).toEqual([
      [2, 'Date', 'year-not-open'],
      [3, 'Expense Code', 'ibcf-purpose-required'],
      [4, 'Original Invoice', 'spend-unknown'],
    ]);
    expect(await ledger.store.headPosition()).toBe(head);
  });
});
