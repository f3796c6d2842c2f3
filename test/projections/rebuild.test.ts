import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Money } from '#money';
import type { LedgerCommand } from '../../src/commands/ledger/ledger-commands.ts';
import { ledgerDecider } from '../../src/commands/ledger/ledger-decider.ts';
import { canonicalJson } from '../../src/events/canonical-json.ts';
import {
  bcfCatalogue,
  type LedgerEvent,
  ledgerStreamId,
  poolStreamId,
  QUARTERS,
} from '../../src/events/catalogue/index.ts';
import { SqliteEventStore } from '../../src/events/store/sqlite/sqlite-event-store.ts';
import { poolViewFromStreams } from '../../src/projections/as-at.ts';
import { ProjectionRunner } from '../../src/projections/projection-runner.ts';
import {
  cfo,
  contributionsPlanned,
  foldPool,
  IBCF,
  type LedgerCommandWithoutContext,
  MIN_CCG,
  metadataFor,
  officer,
  POOL,
  poolSetUp,
  YEAR,
} from '../support/domain.ts';
import { temporaryDirectory } from '../support/temp-dir.ts';

/**
 * Acceptance: a read model kept live while 100,000+ events were recorded, in many small batches,
 * is byte for byte the read model rebuilt from position 1 in one pass.
 */
const TARGET_EVENTS = 100_000;

describe(`rebuilding the projections from a log of ${TARGET_EVENTS.toLocaleString('en-GB')} events`, () => {
  const directory = temporaryDirectory('rebuild');
  const store = SqliteEventStore.open({
    path: join(directory.path, 'ledger.sqlite'),
    catalogue: bcfCatalogue,
  });
  const live = ProjectionRunner.open({
    path: join(directory.path, 'live.sqlite'),
    store,
    batchSize: 97,
  });
  let rebuilt: ProjectionRunner | undefined;

  beforeAll(async () => {
    await store.append(
      poolStreamId(POOL),
      poolSetUp.map((event) => ({ ...event, metadata: metadataFor(officer, 'pool') })),
      { expectedVersion: 'no-stream' },
    );
    let appends = 0;
    for (const batch of ledgerBatches()) {
      const key = `batch-${appends}`;
      const recordedAt = new Date(
        Date.parse('2017-04-01T00:00:00.000Z') + appends * 60_000,
      ).toISOString();
      await store.append(
        ledgerStreamId(POOL, YEAR),
        batch.map((event) => ({ ...event, metadata: metadataFor(officer, key, recordedAt) })),
        { expectedVersion: 'any' },
      );
      appends += 1;
      // The live read model follows along, a few appends at a time.
      if (appends % 7 === 0) await live.catchUp();
    }
    await live.catchUp();
    rebuilt = ProjectionRunner.open({ path: join(directory.path, 'rebuilt.sqlite'), store });
    await rebuilt.catchUp();
  }, 300_000);

  afterAll(async () => {
    live.close();
    rebuilt?.close();
    await store.close();
    directory.remove();
  });

  it('has recorded the whole log', async () => {
    expect(await store.headPosition()).toBeGreaterThanOrEqual(TARGET_EVENTS);
    expect(live.checkpoint).toBe(await store.headPosition());
    expect(rebuilt?.checkpoint).toBe(live.checkpoint);
  });

  it('gives the same bytes rebuilt as live: pool views, audit trail and checkpoint', () => {
    expect(rebuilt?.digest()).toBe(live.digest());
    expect(canonicalJson(rebuilt?.poolView(POOL))).toBe(canonicalJson(live.poolView(POOL)));
  });

  it('gives the same view folded stream by stream, as the as-at reports do', async () => {
    expect(canonicalJson(await poolViewFromStreams(store, POOL))).toBe(
      canonicalJson(live.poolView(POOL)),
    );
  });
});

/**
 * A year of ledger traffic decided by the real decider, in appends of up to 500 events: spend
 * across four schemes lines and quarters, with reversals, forecasts, virements and quarter closes.
 */
function* ledgerBatches(): Generator<LedgerEvent[]> {
  const pool = foldPool(poolSetUp);
  const state = ledgerDecider.initialState();
  let produced = 0;
  let batch: LedgerEvent[] = [];
  const run = (command: LedgerCommandWithoutContext) => {
    const decision = ledgerDecider.decide(
      { poolId: POOL, year: YEAR, ...command, pool } as LedgerCommand,
      state,
    );
    if (!decision.ok) throw new Error(`${command.type}: ${decision.error.message}`);
    for (const event of decision.events) ledgerDecider.evolve(state, event);
    batch.push(...decision.events);
    produced += decision.events.length;
  };
  for (const event of contributionsPlanned) {
    ledgerDecider.evolve(state, event);
    batch.push(event);
  }
  run({
    type: 'AllocateFunds',
    actor: officer,
    allocationId: 'a1',
    schemeId: '1',
    fundingStream: MIN_CCG,
    amount: '500000.00',
  });
  run({
    type: 'AllocateFunds',
    actor: officer,
    allocationId: 'a2',
    schemeId: '3',
    fundingStream: MIN_CCG,
    amount: '500000.00',
  });
  run({
    type: 'AllocateFunds',
    actor: officer,
    allocationId: 'a3',
    schemeId: '3',
    fundingStream: IBCF,
    amount: '500000.00',
  });
  const perQuarter = Math.ceil(TARGET_EVENTS / 4);
  for (const quarter of QUARTERS) {
    for (let index = 0; produced < perQuarter * (QUARTERS.indexOf(quarter) + 1); index++) {
      const spendId = `${quarter}-${index}`;
      const ibcf = index % 5 === 0;
      run({
        type: 'RecordSpend',
        actor: officer,
        spendId,
        schemeId: ibcf || index % 2 === 0 ? '3' : '1',
        fundingStream: ibcf ? IBCF : MIN_CCG,
        quarter,
        spendDate: { Q1: '2017-05-15', Q2: '2017-08-15', Q3: '2017-11-15', Q4: '2018-02-15' }[
          quarter
        ],
        amount: Money.fromPence(BigInt(1 + ((index * 7919) % 1_000))).toString(),
        supplier: `Supplier ${index % 40}`,
        erpReference: `ERP-${spendId}`,
        description: 'care package',
        ...(ibcf ? { ibcfPurpose: 'reducing-nhs-pressures' } : {}),
      });
      if (index % 97 === 1)
        run({
          type: 'ReverseSpend',
          actor: officer,
          reversalId: `rev-${spendId}`,
          spendId,
          reason: 'duplicate',
        });
      if (index % 1000 === 3)
        run({
          type: 'UpdateForecast',
          actor: officer,
          schemeId: '1',
          fundingStream: MIN_CCG,
          quarter,
          forecastOutturn: `${600000 + index}.00`,
        });
      if (index % 2500 === 5) {
        run({
          type: 'RequestVirement',
          actor: officer,
          virementId: `vir-${spendId}`,
          fundingStream: MIN_CCG,
          fromSchemeId: '3',
          toSchemeId: '1',
          amount: '1.00',
        });
        run({ type: 'ApproveVirement', actor: cfo, virementId: `vir-${spendId}` });
      }
      if (batch.length >= 500) {
        yield batch;
        batch = [];
      }
    }
    if (quarter !== 'Q4') {
      const versions = { ledgerVersion: state.version, poolVersion: pool.version };
      run({
        type: 'RequestQuarterClose',
        actor: officer,
        quarter,
        reportDigest: 'e'.repeat(64),
        ...versions,
      });
      run({
        type: 'ApproveQuarterClose',
        actor: cfo,
        quarter,
        reportDigest: 'e'.repeat(64),
        ledgerVersion: state.version,
        poolVersion: pool.version,
      });
    }
  }
  if (batch.length > 0) yield batch;
}
