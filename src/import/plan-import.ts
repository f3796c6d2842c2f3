import { createHash } from 'node:crypto';
import { z } from 'zod';
import { amountString } from '#money';
import type { CommandOutcome } from '../commands/command-handler.ts';
import type { LedgerCommand } from '../commands/ledger/ledger-commands.ts';
import { ledgerDecider } from '../commands/ledger/ledger-decider.ts';
import type { LedgerCommandInput, LedgerService } from '../commands/ledger-service.ts';
import { type PoolCommand, poolDecider } from '../commands/pool/pool-decider.ts';
import type { Actor } from '../commands/refusals.ts';
import { canonicalJson } from '../events/canonical-json.ts';
import {
  code,
  type LedgerEvent,
  ledgerStreamId,
  name,
  PARTNER_KINDS,
  type PoolEvent,
  percentage,
  poolStreamId,
  type ReferenceData,
  text,
} from '../events/catalogue/index.ts';
import type { EventMetadata } from '../events/envelope.ts';
import { type EventStore, STORE_LIMITS } from '../events/store/port.ts';
import type { PlanTables, Row } from './plan-tables.ts';

/**
 * A plan in the template's shape becomes one batch of commands: partners, financial years,
 * schemes, planned contributions and one allocation per expenditure line and year. Every problem
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
  readonly registration?: { readonly name: string; readonly hwbArea: string };
  readonly actor: Actor;
}

type Planned =
  | { readonly kind: 'pool'; readonly command: PoolCommand; readonly place: string }
  | { readonly kind: 'ledger'; readonly command: LedgerCommandInput; readonly place: string };

export type ImportResult =
  | { readonly ok: true; readonly commands: number; readonly eventsRecorded: number }
  | { readonly ok: false; readonly problems: readonly PlanProblem[] };

export async function importPlan(
  tables: PlanTables,
  options: ImportPlanOptions,
  ledger: { store: EventStore; service: LedgerService; now: () => Date },
): Promise<ImportResult> {
  const { commands, problems } = planCommands(tables, options);
  if (problems.length > 0) return { ok: false, problems };
  const batch = createHash('sha256')
    .update(canonicalJson(commands.map((planned) => planned.command)))
    .digest('hex')
    .slice(0, 32);
  const keyed = commands.map((planned, index) => ({
    planned,
    key: `${options.actor.id}:import:${batch}:${index}`,
  }));
  // Commands of this batch recorded before (an earlier import of the same plan) are not decided
  // again: their effect is in the ledger already.
  const recorded = await Promise.all(keyed.map(({ key }) => ledger.store.findAppend(key)));
  const pending = keyed.filter((_, index) => recorded[index] === undefined);
  const refusals = await dryRun(
    pending.map(({ planned }) => planned),
    options.poolId,
    ledger.store,
  );
  if (refusals.length > 0) return { ok: false, problems: refusals };
  let eventsRecorded = 0;
  for (const { planned, key } of pending) {
    const metadata: EventMetadata = {
      actor: options.actor,
      recordedAt: ledger.now().toISOString(),
      correlationId: `import-${batch}`,
      causationId: `import-${batch}`,
      idempotencyKey: key,
    };
    const outcome: CommandOutcome =
      planned.kind === 'pool'
        ? await ledger.service.pool(planned.command, metadata)
        : await ledger.service.ledger(planned.command, metadata);
    if (!outcome.ok) {
      const message = `${outcome.error.message} (the rows before this one are recorded; import again to finish)`;
      return {
        ok: false,
        problems: [{ place: planned.place, column: outcome.error.field ?? '', message }],
      };
    }
    if (outcome.append !== undefined && !outcome.append.replayed)
      eventsRecorded += outcome.eventCount;
  }
  return { ok: true, commands: commands.length, eventsRecorded };
}

/** The batch of commands the tables describe, and every problem found in their cells. */
export function planCommands(
  tables: PlanTables,
  options: ImportPlanOptions,
): { commands: Planned[]; problems: PlanProblem[] } {
  const problems: PlanProblem[] = [];
  const commands: Planned[] = [];
  const { poolId, actor } = options;
  const check = <Value>(row: Row, column: string, schema: z.ZodType<Value>): Value | undefined => {
    const cell = row.get(column);
    if (cell === undefined) {
      problems.push({
        place: `row ${row.rowNumber}`,
        column,
        message: `the column "${column}" is missing`,
      });
      return undefined;
    }
    if (cell.numberProblem !== undefined) {
      problems.push({ place: cell.place, column, message: cell.numberProblem });
      return undefined;
    }
    const parsed = schema.safeParse(cell.text);
    if (parsed.success) return parsed.data;
    problems.push({
      place: cell.place,
      column,
      message: `"${cell.text.slice(0, 60)}": ${parsed.error.issues[0]?.message ?? 'not valid'}`,
    });
    return undefined;
  };
  const listed = (what: string, names: readonly string[]) =>
    z.string().refine((value) => names.includes(value), {
      message: `not ${what} of the reference lists (${names.join(', ')})`,
    });
  const reference = options.referenceData;
  const fundingStream = listed(
    'a funding stream',
    reference.fundingStreams.map((stream) => stream.name),
  );
  const schemeType = listed(
    'a scheme type',
    reference.schemeTypes.map((type) => type.name),
  );
  const areaOfSpend = listed('an area of spend', reference.areasOfSpend);
  const commissioner = listed('a commissioner', reference.commissioners);
  const provider = listed('a provider', reference.providers);
  const plannedAmount = amountString.refine((value) => !value.startsWith('-'), {
    message: 'a planned amount cannot be below zero',
  });

  const partners = tables.partners.map((row) => ({
    row,
    partnerId: check(row, 'Partner ID', code),
    name: check(row, 'Partner Name', name),
    kind: check(
      row,
      'Kind',
      z.enum(PARTNER_KINDS, { message: `use one of ${PARTNER_KINDS.join(', ')}` }),
    ),
    host: check(row, 'Host', z.enum(['yes', 'no'], { message: 'use yes or no' })) === 'yes',
  }));
  if (options.registration !== undefined) {
    const hosts = partners.filter((partner) => partner.host);
    const host = hosts[0];
    if (hosts.length !== 1 || host === undefined) {
      problems.push({
        place: 'partners',
        column: 'Host',
        message: `exactly one partner must be the host; ${hosts.length} are`,
      });
    } else if (host.partnerId !== undefined && host.name !== undefined && host.kind !== undefined) {
      commands.push({
        kind: 'pool',
        place: placeOf(host.row),
        command: {
          type: 'RegisterPool',
          actor,
          poolId,
          ...options.registration,
          host: { partnerId: host.partnerId, name: host.name, kind: host.kind },
        },
      });
    }
  }
  for (const partner of partners) {
    if (partner.host && options.registration !== undefined) continue;
    if (partner.partnerId === undefined || partner.name === undefined || partner.kind === undefined)
      continue;
    commands.push({
      kind: 'pool',
      place: placeOf(partner.row),
      command: {
        type: 'JoinPartner',
        actor,
        poolId,
        partnerId: partner.partnerId,
        name: partner.name,
        kind: partner.kind,
      },
    });
  }

  const incomeYears = yearColumns(tables.income, /^(\d{4})\/(\d{2}) \(£\)$/);
  const expenditureYears = yearColumns(tables.expenditure, /^(\d{4})\/(\d{2}) Expenditure \(£\)$/);
  for (const year of [
    ...new Set([...incomeYears, ...expenditureYears].map(([, year]) => year)),
  ].sort()) {
    commands.push({
      kind: 'pool',
      place: 'the years of the plan',
      command: {
        type: 'OpenFinancialYear',
        actor,
        poolId,
        year,
        referenceData: options.referenceData,
      },
    });
  }

  const schemes = new Map<string, { columns: string; row: Row }>();
  for (const row of tables.expenditure) {
    const schemeId = check(row, 'Scheme ID', code);
    const nhs = row.get('% NHS (if Joint Commissioner)')?.text ?? '';
    const la = row.get('% LA (if Joint Commissioner)')?.text ?? '';
    const columns = {
      name: check(row, 'Scheme Name', name),
      schemeType: check(row, 'Scheme Type', schemeType),
      description: check(row, 'Description', text),
      areaOfSpend: check(row, 'Area of Spend', areaOfSpend),
      commissioner: check(row, 'Commissioner', commissioner),
      ...(nhs === ''
        ? {}
        : { nhsPercentage: check(row, '% NHS (if Joint Commissioner)', percentage) }),
      ...(la === ''
        ? {}
        : { laPercentage: check(row, '% LA (if Joint Commissioner)', percentage) }),
      provider: check(row, 'Provider', provider),
      newOrExisting: check(
        row,
        'New/Existing Scheme',
        z.enum(['New', 'Existing'], { message: 'use New or Existing' }),
      ),
    };
    const stream = check(row, 'Source of Funding', fundingStream);
    const amounts = expenditureYears.map(([column, year]) => ({
      year,
      amount: check(row, column, plannedAmount),
    }));
    if (
      schemeId === undefined ||
      Object.values(columns).some((value) => value === undefined) ||
      stream === undefined
    )
      continue;
    const earlier = schemes.get(schemeId);
    const registered = canonicalJson(columns);
    if (earlier === undefined) {
      schemes.set(schemeId, { columns: registered, row });
      commands.push({
        kind: 'pool',
        place: placeOf(row),
        command: { type: 'RegisterScheme', actor, poolId, schemeId, columns: columns as never },
      });
    } else if (earlier.columns !== registered) {
      problems.push({
        place: placeOf(row),
        column: 'Scheme ID',
        message: `scheme ${schemeId} is described differently here than on ${placeOf(earlier.row)}`,
      });
    }
    for (const { year, amount } of amounts) {
      if (amount === undefined || /^0(\.0+)?$/.test(amount)) continue;
      const allocationId = `plan-${schemeId}-${stream.replace(/[^A-Za-z0-9]+/g, '-')}-${year}`;
      commands.push({
        kind: 'ledger',
        place: placeOf(row),
        command: {
          type: 'AllocateFunds',
          actor,
          poolId,
          year,
          allocationId,
          schemeId,
          fundingStream: stream,
          amount,
        },
      });
    }
  }

  const contributions: Planned[] = [];
  for (const row of tables.income) {
    const partnerId = check(row, 'Partner ID', code);
    const stream = check(row, 'Source of Funding', fundingStream);
    for (const [column, year] of incomeYears) {
      const amount = check(row, column, plannedAmount);
      if (
        partnerId === undefined ||
        stream === undefined ||
        amount === undefined ||
        /^0(\.0+)?$/.test(amount)
      )
        continue;
      contributions.push({
        kind: 'ledger',
        place: placeOf(row),
        command: {
          type: 'PlanContribution',
          actor,
          poolId,
          year,
          partnerId,
          fundingStream: stream,
          amount,
        },
      });
    }
  }
  // Contributions come before the allocations that draw on them.
  const firstAllocation = commands.findIndex((planned) => planned.kind === 'ledger');
  commands.splice(firstAllocation === -1 ? commands.length : firstAllocation, 0, ...contributions);
  return { commands, problems };
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

/** Decides the whole batch in memory on the ledger as it stands, collecting every refusal. */
async function dryRun(
  commands: readonly Planned[],
  poolId: string,
  store: EventStore,
): Promise<PlanProblem[]> {
  const pool = await fold(store, poolStreamId(poolId), poolDecider.initialState(), (state, event) =>
    poolDecider.evolve(state, event as PoolEvent),
  );
  const ledgers = new Map<string, ReturnType<typeof ledgerDecider.initialState>>();
  const problems: PlanProblem[] = [];
  for (const planned of commands) {
    if (planned.kind === 'pool') {
      const decision = poolDecider.decide(planned.command, pool);
      if (!decision.ok)
        problems.push({
          place: planned.place,
          column: decision.error.field ?? '',
          message: decision.error.message,
        });
      else for (const event of decision.events) poolDecider.evolve(pool, event);
      continue;
    }
    const streamId = ledgerStreamId(poolId, planned.command.year);
    let state = ledgers.get(streamId);
    if (state === undefined) {
      state = await fold(store, streamId, ledgerDecider.initialState(), (folded, event) =>
        ledgerDecider.evolve(folded, event as LedgerEvent),
      );
      ledgers.set(streamId, state);
    }
    const decision = ledgerDecider.decide({ ...planned.command, pool } as LedgerCommand, state);
    if (!decision.ok)
      problems.push({
        place: planned.place,
        column: decision.error.field ?? '',
        message: decision.error.message,
      });
    else for (const event of decision.events) ledgerDecider.evolve(state, event);
  }
  return problems;
}

async function fold<State>(
  store: EventStore,
  streamId: string,
  initial: State,
  evolve: (state: State, event: unknown) => State,
): Promise<State> {
  let state = initial;
  for (let fromVersion = 1; ; ) {
    const events = await store.readStream(streamId, {
      fromVersion,
      limit: STORE_LIMITS.maxPageSize,
    });
    for (const event of events) state = evolve(state, event);
    if (events.length < STORE_LIMITS.maxPageSize) return state;
    fromVersion = (events.at(-1)?.streamVersion ?? fromVersion) + 1;
  }
}
