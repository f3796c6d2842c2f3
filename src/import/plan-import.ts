import { createHash } from 'node:crypto';
import { z } from 'zod';
import { amountString } from '#money';
import type { BatchRequest, Caller, WriteFace } from '../commands/write-face.ts';
import { canonicalJson } from '../events/canonical-json.ts';
import {
  code,
  name,
  PARTNER_KINDS,
  percentage,
  type ReferenceData,
  type SchemeColumns,
  text,
} from '../events/catalogue/index.ts';
import { quarterProfile } from '../events/catalogue/ledger-events.ts';
import type { PlanTables, Row } from './plan-tables.ts';

/**
 * A plan in the template's shape becomes one batch of commands: partners, financial years,
 * schemes (registered with the pool once, and classified for each year of the plan, so that a new
 * plan cycle may reclassify a continuing scheme without touching earlier years), planned
 * contributions, one allocation per expenditure line and year, and the line's budget profile where
 * the plan gives one (`Q1 Profile (%)` to `Q4 Profile (%)`). Every problem
 * is found before anything is recorded, cell by cell and then by deciding the whole batch on the
 * ledger as it stands; the batch is recorded only if there is none. Each command's idempotency key
 * derives from the batch's content, so importing the same plan again (from CSV or a workbook)
 * changes nothing.
 */
export interface PlanProblem {
  readonly place: string;
  readonly column: string;
  readonly message: string;
}

export interface ImportPlanOptions {
  readonly poolId: string;
  readonly referenceData: ReferenceData;
  /** Registers the pool first when given; the host is the partner marked `Host` yes. */
  readonly registration?: {
    readonly name: string;
    readonly hwbArea: string;
    /** The NHS England region the area is in, for the national roll-up. */
    readonly region?: string;
  };
  /** Who is recorded as importing. */
  readonly caller: Caller;
}

/** Whether the command registers a scheme the pool already has with other columns. */
function registeredOtherwise(
  command: BatchRequest['command'],
  schemes: ReadonlyMap<string, SchemeColumns & { withdrawn: boolean }>,
): boolean {
  if (command.type !== 'RegisterScheme') return false;
  const existing = schemes.get(command.schemeId);
  if (existing === undefined) return false;
  const { withdrawn: _withdrawn, ...columns } = existing;
  return canonicalJson(columns) !== canonicalJson(command.columns);
}

interface Planned {
  readonly kind: 'pool' | 'ledger';
  readonly command: BatchRequest['command'];
  readonly place: string;
}

export type ImportResult =
  | { readonly ok: true; readonly commands: number; readonly eventsRecorded: number }
  | { readonly ok: false; readonly problems: readonly PlanProblem[] };

export async function importPlan(
  tables: PlanTables,
  options: ImportPlanOptions,
  writeFace: WriteFace,
): Promise<ImportResult> {
  const { commands: planned, problems } = planCommands(tables, options);
  if (problems.length > 0) return { ok: false, problems };
  const batch = createHash('sha256')
    .update(canonicalJson(planned.map((each) => each.command)))
    .digest('hex')
    .slice(0, 32);
  // A scheme the pool has with other columns (a plan of a new cycle) is not registered again: the
  // plan classifies it for its own years. Keys keep each command's place in the whole batch.
  const registered = (await writeFace.poolState(options.poolId)).state.schemes;
  const kept = planned
    .map((each, index) => ({ ...each, idempotencyKey: `import:${batch}:${index}` }))
    .filter((each) => !registeredOtherwise(each.command, registered));
  const requests = kept.map(({ idempotencyKey, command }) => ({ idempotencyKey, command }));
  // The whole batch is decided on the ledger as it stands before anything is recorded; commands
  // of this batch recorded before (an earlier import of the same plan) are passed over.
  const refusals = await writeFace.check(options.caller, requests);
  if (refusals.length > 0) {
    return {
      ok: false,
      problems: refusals.map((refusal) => ({
        place: kept[refusal.index]?.place ?? '',
        column: refusal.error.field ?? '',
        message: refusal.error.message,
      })),
    };
  }
  let eventsRecorded = 0;
  for (const [index, request] of requests.entries()) {
    const outcome = await writeFace.execute({
      caller: options.caller,
      ...request,
      correlationId: `import-${batch}`,
    });
    if (outcome.kind === 'recorded' && !outcome.replayed) eventsRecorded += outcome.eventCount;
    if (
      outcome.kind === 'refused' ||
      outcome.kind === 'key-reused' ||
      outcome.kind === 'in-flight'
    ) {
      const message = `${outcome.kind === 'refused' ? outcome.error.message : `the request was ${outcome.kind}`} (the rows before this one are recorded; import again to finish)`;
      const column = outcome.kind === 'refused' ? (outcome.error.field ?? '') : '';
      return { ok: false, problems: [{ place: kept[index]?.place ?? '', column, message }] };
    }
  }
  return { ok: true, commands: kept.length, eventsRecorded };
}

/** The batch of commands the tables describe, and every problem found in their cells. */
export function planCommands(
  tables: PlanTables,
  options: ImportPlanOptions,
): { commands: Planned[]; problems: PlanProblem[] } {
  const cells = new CellReader(options.referenceData);
  const commands = [...partnerCommands(tables, options, cells), ...yearCommands(tables, options)];
  const spending = schemeCommands(tables, options, cells);
  const contributions = contributionCommands(tables, options, cells);
  // Contributions come before the allocations that draw on them.
  commands.push(...spending.filter((planned) => planned.kind === 'pool'), ...contributions);
  commands.push(...spending.filter((planned) => planned.kind === 'ledger'));
  return { commands, problems: cells.problems };
}

/**
 * Reads cells through schemas, collecting a problem with its place for every cell that does not
 * fit, so that one pass reports every problem of the file.
 */
class CellReader {
  readonly problems: PlanProblem[] = [];
  readonly fundingStream;
  readonly schemeType;
  readonly areaOfSpend;
  readonly commissioner;
  readonly provider;
  readonly plannedAmount = amountString.refine((value) => !value.startsWith('-'), {
    message: 'a planned amount cannot be below zero',
  });

  constructor(reference: ReferenceData) {
    this.fundingStream = listed(
      'a funding stream',
      reference.fundingStreams.map((stream) => stream.name),
    );
    this.schemeType = listed(
      'a scheme type',
      reference.schemeTypes.map((type) => type.name),
    );
    this.areaOfSpend = listed('an area of spend', reference.areasOfSpend);
    this.commissioner = listed('a commissioner', reference.commissioners);
    this.provider = listed('a provider', reference.providers);
  }

  read<Value>(row: Row, column: string, schema: z.ZodType<Value>): Value | undefined {
    const cell = row.get(column);
    if (cell === undefined) {
      this.problems.push({
        place: `row ${row.rowNumber}`,
        column,
        message: `the column "${column}" is missing`,
      });
      return undefined;
    }
    if (cell.numberProblem !== undefined) {
      this.problems.push({ place: cell.place, column, message: cell.numberProblem });
      return undefined;
    }
    const parsed = schema.safeParse(cell.text);
    if (parsed.success) return parsed.data;
    this.problems.push({
      place: cell.place,
      column,
      message: `"${cell.text.slice(0, 60)}": ${parsed.error.issues[0]?.message ?? 'not valid'}`,
    });
    return undefined;
  }
}

function listed(what: string, names: readonly string[]) {
  return z.string().refine((value) => names.includes(value), {
    message: `not ${what} of the reference lists (${names.join(', ')})`,
  });
}

/** The host registers the pool (when asked to); every other partner joins it. */
function partnerCommands(tables: PlanTables, options: ImportPlanOptions, cells: CellReader) {
  const { poolId } = options;
  const commands: Planned[] = [];
  const partners = tables.partners.map((row) => ({
    row,
    partnerId: cells.read(row, 'Partner ID', code),
    name: cells.read(row, 'Partner Name', name),
    kind: cells.read(
      row,
      'Kind',
      z.enum(PARTNER_KINDS, { message: `use one of ${PARTNER_KINDS.join(', ')}` }),
    ),
    host: cells.read(row, 'Host', z.enum(['yes', 'no'], { message: 'use yes or no' })) === 'yes',
  }));
  if (options.registration !== undefined) {
    const hosts = partners.filter((partner) => partner.host);
    const host = hosts[0];
    if (hosts.length !== 1 || host === undefined) {
      cells.problems.push({
        place: 'partners',
        column: 'Host',
        message: `exactly one partner must be the host; ${hosts.length} are`,
      });
    } else if (host.partnerId !== undefined && host.name !== undefined && host.kind !== undefined) {
      const hostPartner = { partnerId: host.partnerId, name: host.name, kind: host.kind };
      commands.push({
        kind: 'pool',
        place: placeOf(host.row),
        command: { type: 'RegisterPool', poolId, ...options.registration, host: hostPartner },
      });
    }
  }
  for (const partner of partners) {
    if (partner.host && options.registration !== undefined) continue;
    const { partnerId, name: partnerName, kind } = partner;
    if (partnerId === undefined || partnerName === undefined || kind === undefined) continue;
    commands.push({
      kind: 'pool',
      place: placeOf(partner.row),
      command: { type: 'JoinPartner', poolId, partnerId, name: partnerName, kind },
    });
  }
  return commands;
}

const INCOME_YEAR = /^(\d{4})\/(\d{2}) \(£\)$/;
const EXPENDITURE_YEAR = /^(\d{4})\/(\d{2}) Expenditure \(£\)$/;

/** Every year the income or expenditure columns name is opened with the plan cycle's lists. */
function yearCommands(tables: PlanTables, options: ImportPlanOptions): Planned[] {
  const years = [
    ...yearColumns(tables.income, INCOME_YEAR),
    ...yearColumns(tables.expenditure, EXPENDITURE_YEAR),
  ].map(([, year]) => year);
  return [...new Set(years)].sort().map((year) => ({
    kind: 'pool',
    place: 'the years of the plan',
    command: {
      type: 'OpenFinancialYear',
      poolId: options.poolId,
      year,
      referenceData: options.referenceData,
    },
  }));
}

/**
 * Each expenditure row registers its scheme with the pool (once), classifies
 * it for each year of the plan, allocates its amount for each year, and phases it where the plan
 * gives a profile.
 */
function schemeCommands(tables: PlanTables, options: ImportPlanOptions, cells: CellReader) {
  const { poolId } = options;
  const commands: Planned[] = [];
  const schemes = new Map<string, { columns: string; row: Row }>();
  const years = yearColumns(tables.expenditure, EXPENDITURE_YEAR);
  for (const row of tables.expenditure) {
    const schemeId = cells.read(row, 'Scheme ID', code);
    const columns = schemeColumnsOf(row, cells);
    const stream = cells.read(row, 'Source of Funding', cells.fundingStream);
    const profile = profileOf(row, cells);
    const amounts = years.map(([column, year]) => ({
      year,
      amount: cells.read(row, column, cells.plannedAmount),
    }));
    if (schemeId === undefined || columns === undefined || stream === undefined) continue;
    const earlier = schemes.get(schemeId);
    if (earlier === undefined) {
      schemes.set(schemeId, { columns: canonicalJson(columns), row });
      commands.push({
        kind: 'pool',
        place: placeOf(row),
        command: { type: 'RegisterScheme', poolId, schemeId, columns },
      });
      for (const [, year] of years)
        commands.push({
          kind: 'ledger',
          place: placeOf(row),
          command: { type: 'ClassifyScheme', poolId, year, schemeId, columns },
        });
    } else if (earlier.columns !== canonicalJson(columns)) {
      cells.problems.push({
        place: placeOf(row),
        column: 'Scheme ID',
        message: `scheme ${schemeId} is described differently here than on ${placeOf(earlier.row)}`,
      });
    }
    for (const { year, amount } of amounts) {
      if (amount === undefined || isZero(amount)) continue;
      const allocationId = `plan-${schemeId}-${stream.replace(/[^A-Za-z0-9]+/g, '-')}-${year}`;
      const line = { poolId, year, schemeId, fundingStream: stream };
      commands.push({
        kind: 'ledger',
        place: placeOf(row),
        command: { type: 'AllocateFunds', ...line, allocationId, amount, basis: 'original' },
      });
      if (profile !== undefined)
        commands.push({
          kind: 'ledger',
          place: placeOf(row),
          command: { type: 'PhaseBudget', ...line, profile },
        });
    }
  }
  return commands;
}

const PROFILE_COLUMNS = ['Q1', 'Q2', 'Q3', 'Q4'].map((quarter) => `${quarter} Profile (%)`);

/** The row's budget profile, where the plan has the four profile columns filled in. */
function profileOf(row: Row, cells: CellReader) {
  if (PROFILE_COLUMNS.every((column) => (row.get(column)?.text ?? '') === '')) return undefined;
  const [Q1, Q2, Q3, Q4] = PROFILE_COLUMNS.map((column) => cells.read(row, column, percentage));
  if (Q1 === undefined || Q2 === undefined || Q3 === undefined || Q4 === undefined)
    return undefined;
  const profile = quarterProfile.safeParse({ Q1, Q2, Q3, Q4 });
  if (profile.success) return profile.data;
  cells.problems.push({
    place: placeOf(row),
    column: 'Q1 Profile (%)',
    message: `the profile ${Q1} / ${Q2} / ${Q3} / ${Q4} does not sum to 100`,
  });
  return undefined;
}

type SchemeColumnsRead = Extract<BatchRequest['command'], { type: 'RegisterScheme' }>['columns'];

function schemeColumnsOf(row: Row, cells: CellReader): SchemeColumnsRead | undefined {
  const nhs = row.get('% NHS (if Joint Commissioner)')?.text ?? '';
  const la = row.get('% LA (if Joint Commissioner)')?.text ?? '';
  const columns = {
    name: cells.read(row, 'Scheme Name', name),
    schemeType: cells.read(row, 'Scheme Type', cells.schemeType),
    description: cells.read(row, 'Description', text),
    areaOfSpend: cells.read(row, 'Area of Spend', cells.areaOfSpend),
    commissioner: cells.read(row, 'Commissioner', cells.commissioner),
    ...(nhs === ''
      ? {}
      : { nhsPercentage: cells.read(row, '% NHS (if Joint Commissioner)', percentage) }),
    ...(la === ''
      ? {}
      : { laPercentage: cells.read(row, '% LA (if Joint Commissioner)', percentage) }),
    provider: cells.read(row, 'Provider', cells.provider),
    newOrExisting: cells.read(
      row,
      'New/Existing Scheme',
      z.enum(['New', 'Existing'], { message: 'use New or Existing' }),
    ),
  };
  return Object.values(columns).some((value) => value === undefined)
    ? undefined
    : (columns as SchemeColumnsRead);
}

/** Each income row plans its partner's contribution to its stream for each year. */
function contributionCommands(tables: PlanTables, options: ImportPlanOptions, cells: CellReader) {
  const commands: Planned[] = [];
  const years = yearColumns(tables.income, INCOME_YEAR);
  for (const row of tables.income) {
    const partnerId = cells.read(row, 'Partner ID', code);
    const stream = cells.read(row, 'Source of Funding', cells.fundingStream);
    for (const [column, year] of years) {
      const amount = cells.read(row, column, cells.plannedAmount);
      if (partnerId === undefined || stream === undefined || amount === undefined || isZero(amount))
        continue;
      commands.push({
        kind: 'ledger',
        place: placeOf(row),
        command: {
          type: 'PlanContribution',
          poolId: options.poolId,
          year,
          partnerId,
          fundingStream: stream,
          amount,
        },
      });
    }
  }
  return commands;
}

function isZero(amount: string): boolean {
  return /^0(\.0+)?$/.test(amount);
}

function placeOf(row: Row): string {
  const [first] = row.values();
  return first === undefined
    ? `row ${row.rowNumber}`
    : first.place.replace(/ column \d+$/, '').replace(/^([A-Za-z]+)!([A-Z]+)(\d+)$/, '$1 row $3');
}

function yearColumns(rows: readonly Row[], pattern: RegExp): [string, string][] {
  const columns = [...(rows[0]?.keys() ?? [])];
  return columns.flatMap((column): [string, string][] => {
    const match = pattern.exec(column);
    return match === null ? [] : [[column, `${match[1]}-${match[2]}`]];
  });
}
