import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Money } from '#money';
import { createLedgerService, type LedgerCommandInput } from '../../src/commands/ledger-service.ts';
import { bcfCatalogue, ledgerStreamId } from '../../src/events/catalogue/index.ts';
import type { NewEvent } from '../../src/events/envelope.ts';
import { WrongExpectedVersionError } from '../../src/events/store/errors.ts';
import type { AppendOptions, EventStore } from '../../src/events/store/port.ts';
import { SqliteEventStore } from '../../src/events/store/sqlite/sqlite-event-store.ts';
import { ProjectionRunner } from '../../src/projections/projection-runner.ts';
import { poolBalances } from '../../src/projections/reports/balances.ts';
import { DEFAULT_RAG_THRESHOLDS } from '../../src/projections/reports/figures.ts';
import {
  cfo,
  MIN_CCG,
  metadataFor,
  officer,
  POOL,
  poolSetUp,
  secondCfo,
  YEAR,
} from '../support/domain.ts';
import { temporaryDirectory } from '../support/temp-dir.ts';

/**
 * Eight writers, each with its own connection and its own command handler (as eight API
 * processes would have), race allocations, virements and spend on one pool and year. Funds are
 * scarce, so the races are about the rules: the unallocated balance may never go negative, and
 * a virement may only be approved from a line that still has the budget.
 */
describe('eight writers racing on one pool and year', () => {
  const directory = temporaryDirectory('concurrency');
  const path = join(directory.path, 'ledger.sqlite');
  const setUpStore = SqliteEventStore.open({ path, catalogue: bcfCatalogue });
  const handles: SqliteEventStore[] = [];
  const accepted: { key: string; command: LedgerCommandInput }[] = [];
  const refused: string[] = [];
  let conflicts = 0;

  /** The real store, counting the appends another writer beat. */
  function counting(store: EventStore): EventStore {
    return {
      append: async (streamId: string, events: readonly NewEvent[], options: AppendOptions) => {
        try {
          return await store.append(streamId, events, options);
        } catch (error) {
          if (error instanceof WrongExpectedVersionError) conflicts += 1;
          throw error;
        }
      },
      appendAll: async (
        streamId: string,
        appends: readonly (readonly NewEvent[])[],
        options: AppendOptions,
      ) => {
        try {
          return await store.appendAll(streamId, appends, options);
        } catch (error) {
          if (error instanceof WrongExpectedVersionError) conflicts += 1;
          throw error;
        }
      },
      readStream: store.readStream.bind(store),
      findAppend: store.findAppend.bind(store),
      streamVersion: store.streamVersion.bind(store),
      readAll: store.readAll.bind(store),
      headPosition: store.headPosition.bind(store),
      subscribe: store.subscribe.bind(store),
      close: store.close.bind(store),
    };
  }

  beforeAll(async () => {
    const poolKey = 'setup-pool';
    await setUpStore.append(
      'pool-herts',
      poolSetUp.map((event) => ({ ...event, metadata: metadataFor(officer, poolKey) })),
      { expectedVersion: 'no-stream' },
    );
    const setUp = createLedgerService(setUpStore);
    await setUp.ledger(
      {
        type: 'PlanContribution',
        actor: officer,
        poolId: POOL,
        year: YEAR,
        partnerId: 'ENHCCG',
        fundingStream: MIN_CCG,
        amount: '1000000.00',
      },
      metadataFor(officer, 'setup-plan'),
    );

    const writers = Array.from({ length: 8 }, () => {
      const handle = SqliteEventStore.open({ path, catalogue: bcfCatalogue, pollIntervalMs: 10 });
      handles.push(handle);
      return createLedgerService(counting(handle));
    });
    await Promise.all(
      writers.map(async (service, writer) => {
        for (let turn = 0; turn < 30; turn++) {
          const command = commandFor(writer, turn);
          const key = `w${writer}-t${turn}`;
          const outcome = await service.ledger(command, metadataFor(command.actor, key));
          if (outcome.ok) accepted.push({ key, command });
          else refused.push(key);
          await new Promise((resolve) => setImmediate(resolve));
        }
      }),
    );
  });

  afterAll(async () => {
    for (const handle of handles) await handle.close();
    await setUpStore.close();
    directory.remove();
  });

  it('raced for real: appends were beaten and retried', () => {
    expect(conflicts).toBeGreaterThan(0);
    expect(accepted.length + refused.length).toBe(240);
  });

  it('never allocated more than was contributed: exactly the 1,000,000.00 went out, no more', async () => {
    const runner = ProjectionRunner.open({
      path: join(directory.path, 'projections.sqlite'),
      store: setUpStore,
    });
    await runner.catchUp();
    const balances =
      poolBalances(runner.poolView(POOL) ?? fail(), YEAR, DEFAULT_RAG_THRESHOLDS) ?? fail();
    runner.close();
    const stream =
      balances.streams.find((candidate) => candidate.fundingStream === MIN_CCG) ?? fail();
    expect(stream.contributions).toBe('1000000.00');
    expect(Money.parse(stream.unallocated).isNegative()).toBe(false);
    expect(stream.allocated).toBe(
      Money.parse(stream.contributions).minus(Money.parse(stream.unallocated)).toString(),
    );
    // 104 allocations of 25,000.00 were attempted against 1,000,000.00: exactly 40 fit.
    expect(accepted.filter(({ command }) => command.type === 'AllocateFunds')).toHaveLength(40);
    for (const line of balances.lines) {
      expect(
        Money.parse(line.currentBudget).equals(
          Money.parse(line.spent).plus(Money.parse(line.remaining)),
        ),
      ).toBe(true);
    }
  });

  it('recorded every accepted command, once, and nothing of a refused one', async () => {
    const events = await setUpStore.readStream(ledgerStreamId(POOL, YEAR), { limit: 10_000 });
    const keys = events.map((event) => event.metadata.idempotencyKey);
    for (const { key } of accepted)
      expect(
        keys.filter((candidate) => candidate === key),
        key,
      ).toHaveLength(1);
    for (const key of refused) expect(keys, key).not.toContain(key);
    expect(new Set(keys).size).toBe(accepted.length + 1);
  });

  it('approved no virement from a line that lacked the budget at approval', async () => {
    const events = await setUpStore.readStream(ledgerStreamId(POOL, YEAR), { limit: 10_000 });
    const unspent = new Map<string, Money>();
    const change = (schemeId: string, amount: Money) =>
      unspent.set(schemeId, (unspent.get(schemeId) ?? Money.zero).plus(amount));
    for (const event of events) {
      const data = event.data as {
        schemeId?: string;
        fromSchemeId?: string;
        toSchemeId?: string;
        amount?: string;
      };
      if (event.type === 'FundsAllocated.v1') change(data.schemeId ?? '', Money.parse(data.amount));
      if (event.type === 'SpendRecorded.v1')
        change(data.schemeId ?? '', Money.parse(data.amount).negated());
      if (event.type === 'VirementApproved.v1') {
        expect(
          Money.parse(data.amount).greaterThan(unspent.get(data.fromSchemeId ?? '') ?? Money.zero),
        ).toBe(false);
        change(data.fromSchemeId ?? '', Money.parse(data.amount).negated());
        change(data.toSchemeId ?? '', Money.parse(data.amount));
      }
    }
    expect(events.some((event) => event.type === 'VirementApproved.v1')).toBe(true);
  });
});

/**
 * Each writer's turn n: mostly allocations of 25,000.00 while funds last, spend, and virements
 * of 30,000.00 requested by an officer and approved by one of two approvers.
 */
function commandFor(writer: number, turn: number): LedgerCommandInput {
  const base = { poolId: POOL, year: YEAR };
  const schemeId = ['1', '3'][(writer + turn) % 2] ?? '1';
  const virementId = `vir-${writer}-${Math.floor(turn / 6)}`;
  switch (turn % 6) {
    case 0:
    case 2:
    case 4:
    case 5:
      if (turn < 20) {
        return {
          ...base,
          type: 'AllocateFunds',
          actor: officer,
          allocationId: `alloc-${writer}-${turn}`,
          schemeId,
          fundingStream: MIN_CCG,
          amount: '25000.00',
        };
      }
      return {
        ...base,
        type: 'RecordSpend',
        actor: officer,
        spendId: `spend-${writer}-${turn}`,
        schemeId,
        fundingStream: MIN_CCG,
        quarter: 'Q1',
        spendDate: '2017-06-01',
        amount: '20000.00',
        supplier: 'Provider Ltd',
        erpReference: `ERP-${writer}-${turn}`,
        description: 'care',
      };
    case 1:
      return {
        ...base,
        type: 'RequestVirement',
        actor: officer,
        virementId,
        fundingStream: MIN_CCG,
        fromSchemeId: schemeId,
        toSchemeId: schemeId === '1' ? '3' : '1',
        amount: '30000.00',
      };
    default:
      return {
        ...base,
        type: 'ApproveVirement',
        actor: writer % 2 === 0 ? cfo : secondCfo,
        virementId,
      };
  }
}

function fail(): never {
  throw new Error('expected a value');
}
