import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Money } from '#money';
import { newToken } from '../api/tokens.ts';
import type { CommandOutcome } from '../commands/command-handler.ts';
import type { LedgerCommandInput, LedgerService } from '../commands/ledger-service.ts';
import type { Actor } from '../commands/refusals.ts';
import type { LedgerConfig } from '../config.ts';
import { QUARTERS, type Quarter, quarterDates, type UserRole } from '../events/catalogue/index.ts';
import { referenceData as referenceDataSchema } from '../events/catalogue/pool-events.ts';
import type { EventMetadata } from '../events/envelope.ts';
import { importPlan } from '../import/plan-import.ts';
import { readPlanCsv } from '../import/plan-tables.ts';
import { poolViewFromStreams, quarterlyReportAtVersions } from '../projections/as-at.ts';
import { poolBalances } from '../projections/reports/balances.ts';
import { type LedgerRuntime, openLedger } from './runtime.ts';

/**
 * A demonstration ledger on a fresh embedded store: the demo plan (Hertfordshire 2017-19), a
 * year of spend on every budget line (thousands of invoices), virements, a reversal, forecasts,
 * savings, and Q1 and Q2 of 2017-18 closed on their digests. Deterministic: the same ledger
 * every time. Returns a token for each role.
 */
const root = join(import.meta.dirname, '../..');
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

export async function loadDemo(config: LedgerConfig): Promise<DemoLedger> {
  for (const file of ['ledger.sqlite', 'projections.sqlite', 'api.sqlite']) {
    for (const suffix of ['', '-wal', '-shm'])
      rmSync(join(config.dataDirectory, `${file}${suffix}`), { force: true });
  }
  const ledger = await openLedger(config);
  try {
    let clock = Date.parse('2017-04-03T08:00:00.000Z');
    const now = () => {
      clock += 1_000;
      return new Date(clock);
    };
    const tokens = await registerUsers(ledger.service, now);
    const referenceData = referenceDataSchema.parse(
      JSON.parse(readFileSync(join(root, 'reference-data/bcf-2017-19.json'), 'utf8')),
    );
    const imported = await importPlan(
      readPlanCsv(join(root, 'demo/plan')),
      {
        poolId: POOL,
        referenceData,
        registration: { name: 'Hertfordshire Better Care Fund', hwbArea: 'Hertfordshire' },
        actor: actorOf('officer'),
      },
      { store: ledger.store, service: ledger.service, now },
    );
    if (!imported.ok)
      throw new Error(`the demo plan did not import: ${imported.problems[0]?.message}`);
    await ledger.service.pool(
      {
        type: 'AgreeRiskShareTerms',
        actor: actorOf('cfo'),
        poolId: POOL,
        basis: 'proportional-to-contributions',
        fixedShares: [],
      },
      metadata('cfo', 'terms', now),
    );
    const spendLines = await recordYear(ledger, config, (moment) => {
      clock = Math.max(clock, moment);
      return now();
    });
    await ledger.readModel.catchUp();
    return { tokens, events: await ledger.store.headPosition(), spendLines };
  } finally {
    await ledger.close();
  }
}

function actorOf(userId: string): Actor {
  const user = DEMO_USERS.find((candidate) => candidate.userId === userId);
  return { id: userId, role: user?.role ?? 'finance-officer' };
}

let keys = 0;
function metadata(userId: string, step: string, now: () => Date, reason?: string): EventMetadata {
  const key = `${userId}:demo:${step}:${++keys}`;
  return {
    actor: actorOf(userId),
    recordedAt: now().toISOString(),
    correlationId: key,
    causationId: key,
    idempotencyKey: key,
    ...(reason === undefined ? {} : { reason }),
  };
}

async function registerUsers(
  service: LedgerService,
  now: () => Date,
): Promise<Record<string, string>> {
  const tokens: Record<string, string> = {};
  const system = { id: 'system', role: 'system' as const };
  for (const user of DEMO_USERS) {
    const token = newToken();
    const meta = (step: string) => ({ ...metadata('system', step, now), actor: system });
    await service.access(
      {
        type: 'RegisterUser',
        actor: system,
        userId: user.userId,
        name: user.name,
        role: user.role,
        pools: user.role === 'admin' || user.role === 'auditor' ? '*' : [POOL],
      },
      meta(`user-${user.userId}`),
    );
    await service.access(
      {
        type: 'IssueToken',
        actor: system,
        userId: user.userId,
        tokenId: token.tokenId,
        secretHash: token.secretHash,
        label: 'demo',
      },
      meta(`token-${user.userId}`),
    );
    tokens[user.userId] = token.token;
  }
  return tokens;
}

/** Spend on every line month by month, with the CFO group's decisions between quarters. */
async function recordYear(
  ledger: LedgerRuntime,
  config: LedgerConfig,
  at: (moment: number) => Date,
): Promise<number> {
  const run = async (
    userId: string,
    command: Omit<LedgerCommandInput, 'actor' | 'poolId' | 'year'>,
    when: number,
    reason?: string,
  ): Promise<CommandOutcome> => {
    const outcome = await ledger.service.ledger(
      { ...command, actor: actorOf(userId), poolId: POOL, year: YEAR } as LedgerCommandInput,
      metadata(userId, command.type, () => at(when), reason),
    );
    if (!outcome.ok) throw new Error(`demo ${command.type}: ${outcome.error.message}`);
    return outcome;
  };
  const planned =
    poolBalances(
      (await poolViewFromStreams(ledger.store, POOL)) ?? failure(),
      YEAR,
      config.ragThresholds,
    ) ?? failure();
  const lines = planned.lines.filter((line) => Money.parse(line.currentBudget).isPositive());
  let spendLines = 0;
  let random = 20_170_401;
  const next = () => {
    random = (random * 1_103_515_245 + 12_345) % 2_147_483_648;
    return random / 2_147_483_648;
  };
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
                ? {
                    ibcfPurpose: (
                      [
                        'adult-social-care-needs',
                        'reducing-nhs-pressures',
                        'stabilising-provider-market',
                      ] as const
                    )[invoice % 3],
                  }
                : {}),
            } as never,
            Date.parse(`${spendDate}T10:00:00.000Z`),
          );
        }
      }
    }
    await quarterDecisions(quarter, run, ledger, config);
  }
  return spendLines;
}

type Run = (
  userId: string,
  command: Omit<LedgerCommandInput, 'actor' | 'poolId' | 'year'>,
  when: number,
  reason?: string,
) => Promise<CommandOutcome>;

/** What the CFO group does at each quarter's end: forecasts, virements, savings, closes. */
async function quarterDecisions(
  quarter: Quarter,
  run: Run,
  ledger: LedgerRuntime,
  config: LedgerConfig,
): Promise<void> {
  const end = Date.parse(`${quarterDates(YEAR, quarter).last}T16:00:00.000Z`);
  await run(
    'officer',
    {
      type: 'UpdateForecast',
      schemeId: '11',
      fundingStream: 'Additional LA Contribution',
      quarter,
      forecastOutturn: '89250000.00',
    } as never,
    end,
  );
  if (quarter === 'Q1') {
    await run(
      'officer',
      {
        type: 'PlanSaving',
        savingId: 'falls-2017',
        schemeId: '6',
        amount: '800000.00',
        cashable: true,
        description: 'Falls liaison: 7% fewer admissions',
      } as never,
      end,
    );
    await run(
      'officer',
      {
        type: 'ReverseSpend',
        reversalId: 'reversal-1',
        spendId: '1-MinimumCCGContribution-Q1-0-0',
        reason: 'invoice entered twice',
      } as never,
      end,
    );
    await run(
      'officer',
      {
        type: 'RequestVirement',
        virementId: 'vir-2017-1',
        fundingStream: 'Minimum CCG Contribution',
        fromSchemeId: '14',
        toSchemeId: '9',
        amount: '150000.00',
      } as never,
      end,
      'reablement demand up',
    );
    await run('cfo', { type: 'ApproveVirement', virementId: 'vir-2017-1' } as never, end);
  }
  if (quarter === 'Q2') {
    await run(
      'officer',
      {
        type: 'RecordRealisedSaving',
        realisationId: 'falls-2017-q2',
        schemeId: '6',
        savingId: 'falls-2017',
        quarter,
        amount: '350000.00',
        evidence: 'SUS admissions extract, September',
      } as never,
      end,
    );
    await run(
      'officer',
      {
        type: 'RequestVirement',
        virementId: 'vir-2017-2',
        fundingStream: 'iBCF',
        fromSchemeId: '4',
        toSchemeId: '3',
        amount: '250000.00',
      } as never,
      end,
      'discharge to assess expansion',
    );
    await run('cfo-deputy', { type: 'ApproveVirement', virementId: 'vir-2017-2' } as never, end);
  }
  if (quarter === 'Q1' || quarter === 'Q2') {
    for (const [userId, type] of [
      ['officer', 'RequestQuarterClose'],
      ['cfo', 'ApproveQuarterClose'],
    ] as const) {
      const versions = {
        poolVersion: (await ledger.service.poolState(POOL)).version,
        ledgerVersion: (await ledger.service.ledgerState(POOL, YEAR)).version,
      };
      const report = await quarterlyReportAtVersions(
        ledger.store,
        POOL,
        YEAR,
        quarter,
        versions,
        config.ragThresholds,
      );
      await run(
        userId,
        { type, quarter, reportDigest: report?.digest ?? '', ...versions } as never,
        end + 3_600_000,
      );
    }
  }
}

function failure(): never {
  throw new Error('the demo ledger has no 2017-18 balances');
}
