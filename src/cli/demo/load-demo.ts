import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Money } from '#money';
import type { CommandInput, WriteOutcome } from '../../commands/write-face.ts';
import { integrityFiles, type LedgerConfig } from '../../config.ts';
import {
  QUARTERS,
  type Quarter,
  quarterDates,
  type UserRole,
} from '../../events/catalogue/index.ts';
import { referenceData as referenceDataSchema } from '../../events/catalogue/pool-events.ts';
import { importPlan } from '../../import/plan-import.ts';
import { readPlanCsv } from '../../import/plan-tables.ts';
import { type Ledger, openLedger } from '../../main.ts';

/**
 * A demonstration ledger on a fresh embedded store: the demo plan (Hertfordshire 2017-19), a
 * year of spend on every budget line (thousands of invoices), virements, a reversal, forecasts,
 * savings, and Q1 and Q2 of 2017-18 closed on their digests. Deterministic: the same ledger
 * every time, recorded on a clock that walks through the year. Returns a token for each role.
 */
const root = join(import.meta.dirname, '../../..');
const POOL = 'herts';
const YEAR = '2017-18';
const DEMO_USERS: { userId: string; name: string; role: UserRole }[] = [
  { userId: 'admin', name: 'Ada Admin', role: 'admin' },
  { userId: 'officer', name: 'Fiona Finance', role: 'finance-officer' },
  { userId: 'cfo', name: 'Charles CFO', role: 'cfo' },
  { userId: 'cfo-deputy', name: 'Dana Deputy CFO', role: 'cfo' },
  { userId: 'auditor', name: 'Audrey Auditor', role: 'auditor' },
];

export interface DemoLedger {
  readonly tokens: Readonly<Record<string, string>>;
  readonly events: number;
  readonly spendLines: number;
}

/** The demo's clock: each reading is a second after the last, or after a moment set ahead. */
class DemoClock {
  #now = Date.parse('2017-04-03T08:00:00.000Z');
  readonly read = () => {
    this.#now += 1_000;
    return new Date(this.#now);
  };
  tick(atLeast?: number): void {
    this.#now = Math.max(this.#now, atLeast ?? 0);
  }
}

export async function loadDemo(config: LedgerConfig): Promise<DemoLedger> {
  for (const file of ['ledger.sqlite', 'projections.sqlite', 'answers.sqlite']) {
    for (const suffix of ['', '-wal', '-shm'])
      rmSync(join(config.dataDirectory, `${file}${suffix}`), { force: true });
  }
  // A fresh ledger: the checkpoints of an earlier demo's log, and its chain key, go with it.
  const files = integrityFiles(config);
  rmSync(files.checkpointFile, { force: true });
  rmSync(files.chainKeyFile, { force: true });
  const clock = new DemoClock();
  const ledger = await openLedger(config, clock.read);
  try {
    const run = runner(ledger, clock);
    const tokens = await registerUsers(run);
    const referenceData = referenceDataSchema.parse(
      JSON.parse(readFileSync(join(root, 'reference-data/bcf-2017-19.json'), 'utf8')),
    );
    const imported = await importPlan(
      readPlanCsv(join(root, 'demo/plan')),
      {
        poolId: POOL,
        referenceData,
        registration: { name: 'Hertfordshire Better Care Fund', hwbArea: 'Hertfordshire' },
        caller: { id: 'officer', role: 'finance-officer' },
      },
      ledger.writeFace,
    );
    if (!imported.ok)
      throw new Error(`the demo plan did not import: ${imported.problems[0]?.message}`);
    await run('cfo', {
      type: 'AgreeRiskShareTerms',
      poolId: POOL,
      basis: 'proportional-to-contributions',
      fixedShares: [],
    });
    const spendLines = await recordYear(ledger, run);
    await ledger.readModel.catchUp();
    return { tokens, events: await ledger.store.headPosition(), spendLines };
  } finally {
    await ledger.close();
  }
}

type Run = (
  userId: string,
  command: CommandInput,
  options?: { at?: number; reason?: string },
) => Promise<WriteOutcome>;

let keys = 0;

/** Runs a command as a demo user, on the demo's clock; a refusal stops the demo. */
function runner(ledger: Ledger, clock: DemoClock): Run {
  return async (userId, command, options = {}) => {
    clock.tick(options.at);
    const user = DEMO_USERS.find((candidate) => candidate.userId === userId);
    const outcome = await ledger.writeFace.execute({
      caller: { id: userId, role: user?.role ?? 'system' },
      idempotencyKey: `demo:${command.type}:${++keys}`,
      command,
      ...(options.reason === undefined ? {} : { reason: options.reason }),
    });
    if (outcome.kind === 'refused')
      throw new Error(`demo ${command.type}: ${outcome.error.message}`);
    return outcome;
  };
}

async function registerUsers(run: Run): Promise<Record<string, string>> {
  const tokens: Record<string, string> = {};
  for (const user of DEMO_USERS) {
    const pools = user.role === 'admin' || user.role === 'auditor' ? '*' : [POOL];
    await run('system', {
      type: 'RegisterUser',
      userId: user.userId,
      name: user.name,
      role: user.role,
      pools,
    });
    const issued = await run('system', { type: 'IssueToken', userId: user.userId, label: 'demo' });
    if (issued.kind !== 'recorded' || issued.token === undefined)
      throw new Error(`the demo could not issue a token for ${user.userId}`);
    tokens[user.userId] = issued.token.token;
  }
  return tokens;
}

/** Spend on every line month by month, with the CFO group's decisions between quarters. */
async function recordYear(ledger: Ledger, run: Run): Promise<number> {
  const planned = await ledger.readFace.report({ kind: 'balances', poolId: POOL, year: YEAR });
  if (!planned.found) throw new Error(`the demo ledger has no ${YEAR} balances`);
  const lines = planned.value.lines.filter((line) => Money.parse(line.currentBudget).isPositive());
  let spendLines = 0;
  const next = seededRandom(20_170_401);
  for (const quarter of QUARTERS) {
    const { first } = quarterDates(YEAR, quarter);
    for (let month = 0; month < 3; month++) {
      const monthStart = new Date(`${first}T00:00:00.000Z`);
      monthStart.setUTCMonth(monthStart.getUTCMonth() + month);
      for (const line of lines) {
        // About a twelfth of the line's budget a month, in 15 to 25 invoices, a little over or under.
        const invoices = 15 + Math.floor(next() * 11);
        const monthly = Money.parse(line.currentBudget).toPence() / 12n;
        for (let invoice = 0; invoice < invoices; invoice++) {
          const share = BigInt(Math.floor((0.85 + next() * 0.35) * 1_000_000));
          const pence = (monthly * share) / (BigInt(invoices) * 1_000_000n);
          const day = 1 + Math.floor(next() * 28);
          const spendDate = `${monthStart.toISOString().slice(0, 8)}${String(day).padStart(2, '0')}`;
          spendLines += 1;
          await run(
            'officer',
            {
              type: 'RecordSpend',
              poolId: POOL,
              year: YEAR,
              spendId: `${line.schemeId}-${line.fundingStream.replace(/[^A-Za-z]+/g, '')}-${quarter}-${month}-${invoice}`,
              schemeId: line.schemeId,
              fundingStream: line.fundingStream,
              quarter,
              spendDate,
              amount: Money.fromPence(pence > 0n ? pence : 1n).toString(),
              supplier: `Supplier ${1 + Math.floor(next() * 40)}`,
              erpReference: `INV-${100_000 + spendLines}`,
              description: `${line.schemeName}, ${spendDate.slice(0, 7)}`,
              ...(line.fundingStream === 'iBCF'
                ? { ibcfPurpose: IBCF_PURPOSE_CYCLE[invoice % 3] }
                : {}),
            },
            { at: Date.parse(`${spendDate}T10:00:00.000Z`) },
          );
        }
      }
    }
    await quarterDecisions(quarter, run);
  }
  return spendLines;
}

const IBCF_PURPOSE_CYCLE = [
  'adult-social-care-needs',
  'reducing-nhs-pressures',
  'stabilising-provider-market',
] as const;

/** A small linear congruential generator: the same invoices on every run. */
function seededRandom(seed: number): () => number {
  let random = seed;
  return () => {
    random = (random * 1_103_515_245 + 12_345) % 2_147_483_648;
    return random / 2_147_483_648;
  };
}

/** What the CFO group does at each quarter's end: forecasts, virements, savings, closes. */
async function quarterDecisions(quarter: Quarter, run: Run): Promise<void> {
  const at = Date.parse(`${quarterDates(YEAR, quarter).last}T16:00:00.000Z`);
  const inYear = { poolId: POOL, year: YEAR };
  await run(
    'officer',
    {
      type: 'UpdateForecast',
      ...inYear,
      schemeId: '11',
      fundingStream: 'Additional LA Contribution',
      quarter,
      forecastOutturn: '89250000.00',
    },
    { at },
  );
  if (quarter === 'Q1') await firstQuarterDecisions(run, at);
  if (quarter === 'Q2') await secondQuarterDecisions(run, at);
  if (quarter === 'Q1' || quarter === 'Q2') {
    await run(
      'officer',
      { type: 'RequestQuarterClose', ...inYear, quarter },
      { at: at + 3_600_000 },
    );
    await run('cfo', { type: 'ApproveQuarterClose', ...inYear, quarter }, { at: at + 3_600_000 });
  }
}

async function firstQuarterDecisions(run: Run, at: number): Promise<void> {
  const inYear = { poolId: POOL, year: YEAR };
  await run(
    'officer',
    {
      type: 'PlanSaving',
      ...inYear,
      savingId: 'falls-2017',
      schemeId: '6',
      amount: '800000.00',
      cashable: true,
      description: 'Falls liaison: 7% fewer admissions',
    },
    { at },
  );
  await run(
    'officer',
    {
      type: 'ReverseSpend',
      ...inYear,
      reversalId: 'reversal-1',
      spendId: '1-MinimumCCGContribution-Q1-0-0',
      reason: 'invoice entered twice',
    },
    { at },
  );
  await run(
    'officer',
    {
      type: 'RequestVirement',
      ...inYear,
      virementId: 'vir-2017-1',
      fundingStream: 'Minimum CCG Contribution',
      fromSchemeId: '14',
      toSchemeId: '9',
      amount: '150000.00',
    },
    { at, reason: 'reablement demand up' },
  );
  await run('cfo', { type: 'ApproveVirement', ...inYear, virementId: 'vir-2017-1' }, { at });
}

async function secondQuarterDecisions(run: Run, at: number): Promise<void> {
  const inYear = { poolId: POOL, year: YEAR };
  await run(
    'officer',
    {
      type: 'RecordRealisedSaving',
      ...inYear,
      realisationId: 'falls-2017-q2',
      schemeId: '6',
      savingId: 'falls-2017',
      quarter: 'Q2',
      amount: '350000.00',
      evidence: 'SUS admissions extract, September',
    },
    { at },
  );
  await run(
    'officer',
    {
      type: 'RequestVirement',
      ...inYear,
      virementId: 'vir-2017-2',
      fundingStream: 'iBCF',
      fromSchemeId: '4',
      toSchemeId: '3',
      amount: '250000.00',
    },
    { at, reason: 'discharge to assess expansion' },
  );
  await run('cfo-deputy', { type: 'ApproveVirement', ...inYear, virementId: 'vir-2017-2' }, { at });
}
