import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { integrityFiles, type LedgerConfig } from '../../config.ts';
import type { UserRole } from '../../events/catalogue/index.ts';
import { referenceData as referenceDataSchema } from '../../events/catalogue/pool-events.ts';
import { importPlan } from '../../import/plan-import.ts';
import { readPlanCsv } from '../../import/plan-tables.ts';
import { type Ledger, openLedger } from '../../main.ts';
import { POOL, type Run } from './demo-kit.ts';
import { recordYear } from './demo-year.ts';
import { agreeTerms, closeYear, setMetricTargets } from './demo-year-end.ts';

/**
 * A demonstration ledger on a fresh embedded store: the demo plan (Hertfordshire 2017-19, some
 * lines phased), a year of spend on every budget line as its profile goes (thousands of
 * invoices), partners' contributions called and paid (one late), commitments, credit notes, a
 * recode, virements, a reversal, forecasts, savings, the national metrics, every quarter of
 * 2017-18 closed on its digest, and the year end: accruals, outturn, the risk share by the agreed
 * terms, the year closed and its carry-forward brought into 2018-19. Deterministic: the same ledger every time, recorded on a clock that walks through the
 * year. Returns a token for each role.
 */
const root = join(import.meta.dirname, '../../..');

const DEMO_USERS: { userId: string; name: string; role: UserRole }[] = [
  { userId: 'admin', name: 'Ada Admin', role: 'admin' },
  { userId: 'officer', name: 'Fiona Finance', role: 'finance-officer' },
  { userId: 'cfo', name: 'Charles CFO', role: 'cfo' },
  { userId: 'cfo-deputy', name: 'Dana Deputy CFO', role: 'cfo' },
  { userId: 'auditor', name: 'Audrey Auditor', role: 'auditor' },
];

export interface DemoLedger {
  readonly tokens: Readonly<Record<string, string>>;
  /** Each demo user's password for the pages, made up afresh for each demo. */
  readonly passwords: Readonly<Record<string, string>>;
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
  for (const file of [
    'ledger.sqlite',
    'projections.sqlite',
    'answers.sqlite',
    'credentials.sqlite',
    'uploads.sqlite',
  ]) {
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
    const passwords = await choosePasswords(ledger, run);
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
    const startOfYear = Date.parse('2017-04-03T09:00:00.000Z');
    await agreeTerms(run, startOfYear);
    await setMetricTargets(run, startOfYear);
    const spendLines = await recordYear(ledger, run);
    await closeYear(run, Date.parse('2018-04-20T10:00:00.000Z'));
    await ledger.readModel.catchUp();
    return { tokens, passwords, events: await ledger.store.headPosition(), spendLines };
  } finally {
    await ledger.close();
  }
}

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

/** Each demo user chooses a password with a set-up link, as a person would on the pages. */
async function choosePasswords(ledger: Ledger, run: Run): Promise<Record<string, string>> {
  const passwords: Record<string, string> = {};
  for (const user of DEMO_USERS) {
    const issued = await run('system', { type: 'IssueSetupLink', userId: user.userId });
    if (issued.kind !== 'recorded' || issued.token === undefined)
      throw new Error(`the demo could not issue a set-up link for ${user.userId}`);
    const password = `demo-${randomBytes(9).toString('base64url')}`;
    const chosen = await ledger.writeFace.setPassword(issued.token.token, password);
    if (!chosen.ok)
      throw new Error(`the demo could not set ${user.userId}'s password: ${chosen.message}`);
    passwords[user.userId] = password;
  }
  return passwords;
}
