import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Money } from '#money';
import type { LedgerCommand } from '../src/commands/ledger/ledger-commands.ts';
import { ledgerDecider } from '../src/commands/ledger/ledger-decider.ts';
import { poolDecider } from '../src/commands/pool/pool-decider.ts';
import { integrityFiles, loadConfig } from '../src/config.ts';
import {
  bcfCatalogue,
  type LedgerEvent,
  ledgerStreamId,
  type PoolEvent,
  poolStreamId,
  QUARTERS,
} from '../src/events/catalogue/index.ts';
import { referenceData as referenceDataSchema } from '../src/events/catalogue/pool-events.ts';
import type { EventMetadata } from '../src/events/envelope.ts';
import { openChainKey } from '../src/events/store/evidence/chain-key.ts';
import { SqliteEventStore } from '../src/events/store/sqlite/sqlite-event-store.ts';

/**
 * A ledger of about `target` events for the benchmarks, written straight to the embedded store:
 * pool "herts" with two schemes, a year 2017-18 funded and allocated, then invoices decided by the
 * real deciders, spread over the four quarters, appended 1,000 events at a time.
 */
const root = join(import.meta.dirname, '..');
const referenceData = referenceDataSchema.parse(
  JSON.parse(readFileSync(join(root, 'reference-data/bcf-2017-19.json'), 'utf8')),
);
const actor = { id: 'officer', role: 'finance-officer' as const };
const year = '2017-18';
const scheme = (schemeId: string, name: string, schemeType: string): PoolEvent => ({
  type: 'SchemeRegistered.v1',
  data: {
    poolId: 'herts',
    schemeId,
    name,
    schemeType,
    description: '',
    areaOfSpend: 'Social Care',
    commissioner: 'Local Authority',
    provider: 'Local Authority',
    newOrExisting: 'Existing',
  },
});
const poolEvents: PoolEvent[] = [
  {
    type: 'PoolRegistered.v1',
    data: {
      poolId: 'herts',
      name: 'Hertfordshire BCF',
      hwbArea: 'Hertfordshire',
      currency: 'GBP',
      hostPartnerId: 'HCC',
    },
  },
  {
    type: 'PartnerJoined.v1',
    data: {
      poolId: 'herts',
      partnerId: 'HCC',
      name: 'Hertfordshire County Council',
      kind: 'Local Authority',
    },
  },
  { type: 'FinancialYearOpened.v1', data: { poolId: 'herts', year, referenceData } },
  scheme('1', 'Specialist Care at Home', 'Personalised support/care at home'),
  scheme('9', 'Reablement', 'Reablement services'),
];

function metadata(key: string, recordedAt: string): EventMetadata {
  return { actor, recordedAt, correlationId: key, causationId: key, idempotencyKey: key };
}

export async function buildLedger(directory: string, target: number): Promise<number> {
  // With the data directory's chain key, as the ledger itself will open the store.
  const config = loadConfig({ LEDGER_DATA_DIR: directory });
  const store = SqliteEventStore.open({
    path: join(directory, 'ledger.sqlite'),
    catalogue: bcfCatalogue,
    chainKey: openChainKey(integrityFiles(config).chainKeyFile),
  });
  await store.append(
    poolStreamId('herts'),
    poolEvents.map((event) => ({
      ...event,
      metadata: metadata('pool', '2017-04-01T00:00:00.000Z'),
    })),
    { expectedVersion: 'no-stream' },
  );
  const pool = poolEvents.reduce(
    (state, event) => poolDecider.evolve(state, event),
    poolDecider.initialState(),
  );
  const state = ledgerDecider.initialState();
  let batch: LedgerEvent[] = [];
  let appends = 0;
  let written = poolEvents.length;
  const flush = async () => {
    const key = `load-${appends}`;
    const recordedAt = new Date(
      Date.parse('2017-04-01T00:00:00.000Z') + appends * 1_000,
    ).toISOString();
    await store.append(
      ledgerStreamId('herts', year),
      batch.map((event) => ({ ...event, metadata: metadata(key, recordedAt) })),
      { expectedVersion: 'any' },
    );
    written += batch.length;
    appends += 1;
    batch = [];
  };
  const run = (command: object) => {
    const decision = ledgerDecider.decide(
      { poolId: 'herts', year, actor, pool, ...command } as LedgerCommand,
      state,
    );
    if (!decision.ok) throw new Error(decision.error.message);
    for (const event of decision.events) {
      ledgerDecider.evolve(state, event);
      batch.push(event);
    }
  };
  run({
    type: 'PlanContribution',
    partnerId: 'HCC',
    fundingStream: 'Additional LA Contribution',
    amount: '500000000.00',
  });
  run({
    type: 'AllocateFunds',
    allocationId: 'a1',
    schemeId: '1',
    fundingStream: 'Additional LA Contribution',
    amount: '250000000.00',
  });
  run({
    type: 'AllocateFunds',
    allocationId: 'a2',
    schemeId: '9',
    fundingStream: 'Additional LA Contribution',
    amount: '250000000.00',
  });
  const started = process.hrtime.bigint();
  for (let index = 0; written + batch.length < target; index++) {
    const quarter =
      QUARTERS[Math.min(3, Math.floor(((written + batch.length) / target) * 4))] ?? 'Q4';
    run({
      type: 'RecordSpend',
      spendId: `s${index}`,
      schemeId: index % 2 === 0 ? '1' : '9',
      fundingStream: 'Additional LA Contribution',
      quarter,
      spendDate: { Q1: '2017-05-15', Q2: '2017-08-15', Q3: '2017-11-15', Q4: '2018-02-15' }[
        quarter
      ],
      amount: Money.fromPence(BigInt(100 + ((index * 7919) % 90_000))).toString(),
      supplier: `Supplier ${index % 40}`,
      erpReference: `ERP-${index}`,
      description: 'care package',
    });
    if (batch.length >= 1_000) await flush();
  }
  if (batch.length > 0) await flush();
  await store.close();
  console.log(
    `built a ledger of ${written} events in ${(Number(process.hrtime.bigint() - started) / 1e9).toFixed(1)} s`,
  );
  return written;
}
