import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { readSpendFile } from '../../src/import/spend-file.ts';
import { parseMapping, type SpendMapping } from '../../src/import/spend-mapping.ts';
import { mapSpendRows, ROW_PROBLEM_KINDS } from '../../src/import/spend-rows.ts';

/**
 * A spend file read through a mapping: the shapes real finance systems write (byte-order mark,
 * two date formats, float noise, brackets and minus signs, pound signs and thousands separators,
 * Windows-1252, quoted commas, workbooks), and every problem a row can have, by row and column.
 */
const HEADER =
  'Service Area,Expense Type,Expense Code,Date,Transaction Number,Invoice Number,Supplier Name,Amount,Original Invoice';

function mapping(overrides: Partial<Record<string, unknown>> = {}): SpendMapping {
  const parsed = parseMapping({
    columns: {
      date: 'Date',
      dateFormats: ['YYYY-MM-DD hh:mm:ss', 'DD/MM/YYYY'],
      amount: 'Amount',
      supplier: 'Supplier Name',
      reference: 'Invoice Number',
      transaction: 'Transaction Number',
      description: ['Expense Type'],
      credits: 'Original Invoice',
    },
    include: [{ column: 'Service Area', equals: 'Adults and Health' }],
    rules: [
      {
        column: 'Expense Code',
        equals: '5101',
        schemeId: '1',
        fundingStream: 'Minimum CCG Contribution',
      },
      {
        column: 'Expense Code',
        prefix: '54',
        schemeId: '11',
        fundingStream: 'Additional LA Contribution',
      },
      { column: 'Expense Type', equals: 'Nursing', schemeId: '99', fundingStream: 'iBCF' },
    ],
    ...overrides,
  });
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  return parsed.mapping;
}

async function mapped(text: string | Buffer, map = mapping()) {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  return mapSpendRows(await readSpendFile('spend.csv', bytes), map);
}

const row = (fields: Partial<Record<string, string>>) => {
  const values = {
    'Service Area': 'Adults and Health',
    'Expense Type': 'Home care',
    'Expense Code': '5101',
    Date: '03/04/2017',
    'Transaction Number': 'T1',
    'Invoice Number': 'INV1',
    'Supplier Name': 'Homecare Ltd',
    Amount: '100.00',
    'Original Invoice': '',
    ...fields,
  };
  return Object.values(values)
    .map((value) => (/[,"]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value))
    .join(',');
};

describe('reading a spend file through a mapping', () => {
  it('reads a byte-order mark, both date formats, quoted commas, redacted suppliers and the amounts finance systems write', async () => {
    const file = [
      HEADER,
      row({
        Date: '2017-04-03 00:00:00',
        Amount: '1,234.56',
        'Supplier Name': 'Smith, Jones & Co',
      }),
      row({
        Date: '31/03/2018',
        Amount: '£500.00',
        'Transaction Number': 'T2',
        'Supplier Name': 'REDACTED - personal data',
      }),
      row({
        Amount: '(25.00)',
        'Transaction Number': 'T3',
        'Original Invoice': 'INV1',
        'Expense Code': '5402',
      }),
      row({ Amount: '-10.5', 'Transaction Number': 'T4' }),
      row({ 'Service Area': "Children's Services", 'Transaction Number': 'T5' }),
    ].join('\r\n');
    const result = await mapped(`\ufeff${file}`);
    expect(result).toMatchObject({ read: 5, excluded: 1, problems: [] });
    expect(
      result.candidates.map((each) => [
        each.rowNumber,
        each.kind,
        each.year,
        each.date,
        each.amount.toString(),
        each.amountAsWritten ?? null,
        each.supplier,
        each.schemeId,
        each.credits ?? null,
      ]),
    ).toEqual([
      [2, 'spend', '2017-18', '2017-04-03', '1234.56', '1,234.56', 'Smith, Jones & Co', '1', null],
      [
        3,
        'spend',
        '2017-18',
        '2018-03-31',
        '500.00',
        '£500.00',
        'REDACTED - personal data',
        '1',
        null,
      ],
      [4, 'credit', '2017-18', '2017-04-03', '25.00', '(25.00)', 'Homecare Ltd', '11', 'INV1'],
      [5, 'credit', '2017-18', '2017-04-03', '10.50', null, 'Homecare Ltd', '1', null],
    ]);
  });

  it('reads Windows-1252, as older finance systems write it', async () => {
    const file = Buffer.from(
      `${HEADER}\r\n${row({ Amount: '£12.00', 'Supplier Name': 'Café Care' })}\r\n`,
      'latin1',
    );
    const result = await mapped(file);
    expect(result.candidates.map((each) => [each.supplier, each.amount.toString()])).toEqual([
      ['Café Care', '12.00'],
    ]);
  });

  it('refuses float noise by default, and rounds it to the penny when asked, keeping the text as written', async () => {
    const file = `${HEADER}\r\n${row({ Amount: '73423.70999999999' })}\r\n${row({ Amount: '-499.995', 'Transaction Number': 'T2' })}`;
    const exact = await mapped(file);
    expect(
      exact.problems.map((problem) => [problem.rowNumber, problem.column, problem.kind]),
    ).toEqual([
      [2, 'Amount', 'amount-noise'],
      [3, 'Amount', 'amount-noise'],
    ]);
    const rounded = await mapped(file, { ...mapping(), amounts: 'round-to-pence' });
    expect(
      rounded.candidates.map((each) => [each.kind, each.amount.toString(), each.amountAsWritten]),
    ).toEqual([
      ['spend', '73423.71', '73423.70999999999'],
      ['credit', '500.00', '-499.995'],
    ]);
  });

  it('reports every kind of problem with its row and column', async () => {
    const control = 'Homecare\u0007 Ltd';
    const file = [
      HEADER,
      row({ Date: '31/02/2018' }),
      row({ Date: '2017/04/03' }),
      row({ Amount: '12,34' }),
      row({ Amount: '1e3' }),
      row({ Amount: '0.00' }),
      row({ Amount: '1.234' }),
      row({ 'Supplier Name': control }),
      row({ 'Expense Code': '9999', 'Expense Type': 'Cleaning' }),
    ].join('\r\n');
    const result = await mapped(file);
    expect(
      result.problems.map((problem) => [problem.rowNumber, problem.column, problem.kind]),
    ).toEqual([
      [2, 'Date', 'date-invalid'],
      [3, 'Date', 'date-invalid'],
      [4, 'Amount', 'amount-invalid'],
      [5, 'Amount', 'amount-invalid'],
      [6, 'Amount', 'amount-zero'],
      [7, 'Amount', 'amount-noise'],
      [8, 'Supplier Name', 'text-invalid'],
      [9, 'Expense Code', 'no-rule'],
    ]);
    expect(result.problems.at(-1)?.message).toContain('Expense Code: "9999"');
    const missing = await mapped('Date,Amount\r\n03/04/2017,1.00');
    expect(
      missing.problems.map((problem) => [problem.rowNumber, problem.column, problem.kind]),
    ).toContainEqual([1, 'Supplier Name', 'column-missing']);
    const kinds = new Set([...result.problems, ...missing.problems].map((problem) => problem.kind));
    expect([...kinds].sort()).toEqual(Object.keys(ROW_PROBLEM_KINDS).sort());
  });

  it('sends each row to the first rule it matches: equals, one of several, a prefix', async () => {
    const file = [
      HEADER,
      row({ 'Expense Code': '5401', 'Expense Type': 'Nursing' }),
      row({ 'Expense Code': '5101', 'Expense Type': 'Nursing', 'Transaction Number': 'T2' }),
      row({ 'Expense Code': '7000', 'Expense Type': 'Nursing', 'Transaction Number': 'T3' }),
    ].join('\r\n');
    const result = await mapped(file);
    expect(result.candidates.map((each) => [each.schemeId, each.rule])).toEqual([
      ['11', 2],
      ['1', 1],
      ['99', 3],
    ]);
  });

  it('keys a row by its content: the same in any file, identical rows told apart by their order', async () => {
    const one = row({});
    const first = await mapped(
      [HEADER, one, one, row({ 'Transaction Number': 'T9' })].join('\r\n'),
    );
    const second = await mapped([HEADER, row({ 'Transaction Number': 'T9' }), one].join('\r\n'));
    const [a, b, c] = first.candidates.map((each) => each.key);
    expect(new Set([a, b, c]).size).toBe(3);
    expect(second.candidates.map((each) => each.key)).toEqual([c, a]);
  });

  it('reads a workbook: dates as dates, numbers as the numbers they are', async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('Spend');
    sheet.addRow(HEADER.split(','));
    sheet.addRow([
      'Adults and Health',
      'Home care',
      5101,
      new Date(Date.UTC(2017, 5, 30)),
      'T1',
      'INV1',
      'Homecare Ltd',
      1250.5,
      '',
    ]);
    sheet.addRow([
      'Adults and Health',
      'Home care',
      5101,
      new Date(Date.UTC(2017, 6, 1)),
      'T2',
      'INV2',
      'Homecare Ltd',
      0.1 + 0.2,
      '',
    ]);
    const bytes = Buffer.from(await book.xlsx.writeBuffer());
    const table = await readSpendFile('spend.xlsx', bytes);
    const result = mapSpendRows(
      table,
      mapping({ columns: { ...mapping().columns, dateFormats: ['DD/MM/YYYY'] } }),
    );
    expect(result.candidates.map((each) => [each.date, each.amount.toString()])).toEqual([
      ['2017-06-30', '1250.50'],
    ]);
    expect(
      result.problems.map((problem) => [problem.rowNumber, problem.column, problem.kind]),
    ).toEqual([[3, 'Amount', 'amount-noise']]);
  });

  it('says what is wrong with a mapping, by its path', () => {
    const parsed = parseMapping({
      columns: { date: 'Date' },
      rules: [{ column: 'X', schemeId: '1', fundingStream: 'iBCF' }],
    });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problems).toContain(
      'columns.dateFormats: Invalid input: expected array, received undefined',
    );
    expect(parsed.problems).toContain('rules.0: give either `equals` or `prefix`');
  });
});
