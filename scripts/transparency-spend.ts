import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { stringify } from 'csv-stringify/sync';

/**
 * Synthetic "spend over £500" files in the Local Government Transparency Code layout, for tests
 * and benchmarks: made up by a seeded generator, copied from no council. They have what real files
 * have (domain brief, section 6): a byte-order mark; dates written `2017-04-03 00:00:00` and
 * `03/04/2017`; amounts with a spreadsheet's float noise (`499.9999999999999`); credit notes as
 * negative lines, some naming the invoice they credit; suppliers redacted for personal data;
 * names with commas, quoted; rows of other directorates that a mapping leaves out.
 *
 *   node scripts/transparency-spend.ts --lines 40000 --out spend-2017-18.csv [--seed 7] [--clean]
 *
 * `--clean` leaves out the float noise (a file a mapping reads without rounding).
 */
export const TRANSPARENCY_COLUMNS = [
  'Body Name',
  'Body',
  'Service Area',
  'Expense Type',
  'Expense Code',
  'Date',
  'Transaction Number',
  'Invoice Number',
  'Supplier Name',
  'Supplier ID',
  'Amount',
  'Original Invoice',
] as const;

/** The adult care expense types the sample mapping sends to the demo plan's lines. */
export const EXPENSE_TYPES = [
  ['Home Care - Specialist', '5101'],
  ['Home Care - Hospital Discharge', '5102'],
  ['Discharge to Assess', '5110'],
  ['Social Work Agency Staff', '5120'],
  ['Homecare Provider Uplift', '5130'],
  ['Adaptations - Grants', '5201'],
  ['Carers Services', '5301'],
  ['Reablement Services', '5310'],
  ['Intermediate Care Beds', '5320'],
  ['Dementia Services', '5330'],
  ['Telecare Equipment', '5340'],
  ['Residential Care - Older People', '5401'],
  ['Nursing Care - Older People', '5402'],
  ['Community Equipment', '5501'],
  ['Day Care Services', '5601'],
] as const;

const SUPPLIERS = [
  'Herts Homecare Ltd',
  'Smith, Jones & Partners Ltd',
  'Valley Care Homes Ltd',
  'Careline Technology plc',
  'Oakfield Nursing, Residential and Respite',
  'Community Equipment Services Ltd',
  'Hertfordshire Partnership NHS FT',
  'Agency Social Workers Ltd',
  'Sunrise Day Centres',
  'Home Improvement Agency',
];

export interface GeneratedSpend {
  /** The file's bytes: UTF-8 with a byte-order mark, CRLF line ends. */
  readonly bytes: Buffer;
  /** Rows of the adult care directorate (the rest are another directorate's). */
  readonly adultCareRows: number;
}

export interface SpendFileOptions {
  readonly lines: number;
  readonly seed?: number;
  /** The financial year's first calendar year: 2017 for 2017-18. */
  readonly startYear?: number;
  /** No float noise in any amount. */
  readonly clean?: boolean;
  /** Transaction numbers start here: two files with different starts share no row. */
  readonly firstTransaction?: number;
}

export function generateTransparencySpend(options: SpendFileOptions): GeneratedSpend {
  const next = seeded(options.seed ?? 7);
  const startYear = options.startYear ?? 2017;
  const rows: string[][] = [];
  // What is left of each invoice to credit: a credit note never takes more than that.
  const invoices: { reference: string; type: number; left: number }[] = [];
  let adultCareRows = 0;
  for (let index = 0; index < options.lines; index++) {
    const transaction = (options.firstTransaction ?? 1_000_000) + index;
    const otherDirectorate = next() < 0.01;
    const type = Math.floor(next() * EXPENSE_TYPES.length);
    const [expenseType, expenseCode] = otherDirectorate
      ? (['School Transport', '6101'] as const)
      : (EXPENSE_TYPES[type] ?? EXPENSE_TYPES[0]);
    const day = Math.floor(next() * 365);
    const candidate =
      !otherDirectorate && invoices.length > 10 && next() < 0.02
        ? invoices[Math.floor(next() * invoices.length)]
        : undefined;
    const earlier = candidate !== undefined && candidate.left >= 1_000 ? candidate : undefined;
    const credit = earlier !== undefined;
    const pence = earlier
      ? -Math.max(100, Math.floor(earlier.left * (0.1 + next() * 0.4)))
      : 50_000 + Math.floor(next() * next() * 5_000_000);
    if (earlier !== undefined) earlier.left += pence;
    const reference = `INV${String(transaction).padStart(8, '0')}`;
    if (!credit && !otherDirectorate) invoices.push({ reference, type, left: pence });
    if (!otherDirectorate) adultCareRows += 1;
    rows.push([
      'Hertfordshire County Council',
      'E10000015',
      otherDirectorate ? "Children's Services" : 'Adults and Health',
      credit && earlier !== undefined
        ? (EXPENSE_TYPES[earlier.type]?.[0] ?? expenseType)
        : expenseType,
      credit && earlier !== undefined
        ? (EXPENSE_TYPES[earlier.type]?.[1] ?? expenseCode)
        : expenseCode,
      dateText(startYear, day, next() < 0.5),
      `T${transaction}`,
      reference,
      next() < 0.05
        ? 'REDACTED - personal data'
        : (SUPPLIERS[Math.floor(next() * SUPPLIERS.length)] ?? ''),
      String(10_000 + Math.floor(next() * 900)),
      amountText(pence, options.clean !== true && next() < 0.03),
      credit && earlier !== undefined && next() < 0.5 ? earlier.reference : '',
    ]);
  }
  const csv = stringify([[...TRANSPARENCY_COLUMNS], ...rows], { record_delimiter: '\r\n' });
  return {
    bytes: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csv, 'utf8')]),
    adultCareRows,
  };
}

function dateText(startYear: number, dayOfYear: number, iso: boolean): string {
  const date = new Date(Date.UTC(startYear, 3, 1 + dayOfYear));
  const [year, month, day] = date.toISOString().slice(0, 10).split('-');
  return iso ? `${year}-${month}-${day} 00:00:00` : `${day}/${month}/${year}`;
}

/** Pounds and pence; or, with noise, the float a spreadsheet would write a hair below it. */
function amountText(pence: number, noisy: boolean): string {
  const sign = pence < 0 ? '-' : '';
  const whole = Math.abs(pence);
  if (!noisy) return `${sign}${Math.floor(whole / 100)}.${String(whole % 100).padStart(2, '0')}`;
  const below = whole - 1;
  return `${sign}${Math.floor(below / 100)}.${String(below % 100).padStart(2, '0')}9999999999999`;
}

function seeded(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 4_294_967_296;
  };
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      lines: { type: 'string', default: '40000' },
      out: { type: 'string' },
      seed: { type: 'string', default: '7' },
      clean: { type: 'boolean', default: false },
    },
  });
  if (values.out === undefined) {
    process.stderr.write('usage: node scripts/transparency-spend.ts --lines 40000 --out FILE\n');
    process.exit(2);
  }
  const generated = generateTransparencySpend({
    lines: Number(values.lines),
    seed: Number(values.seed),
    clean: values.clean,
  });
  writeFileSync(values.out, generated.bytes);
  process.stdout.write(
    `${values.lines} lines (${generated.adultCareRows} of adult care) in ${values.out}\n`,
  );
}
