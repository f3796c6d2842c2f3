import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Money } from '#money';
import { bcfCatalogue, ledgerStreamId } from '../../src/events/catalogue/index.ts';
import { SqliteEventStore } from '../../src/events/store/sqlite/sqlite-event-store.ts';
import { ProjectionRunner } from '../../src/projections/projection-runner.ts';
import { poolBalances } from '../../src/projections/reports/balances.ts';
import { createTestService as createLedgerService } from '../support/command-service.ts';
import { MIN_CCG, metadataFor, officer, POOL, poolSetUp, YEAR } from '../support/domain.ts';
import { temporaryDirectory } from '../support/temp-dir.ts';

/**
 * Eight writers, each a process of its own with its own connection and command handler (as eight
 * API instances would be), race allocations, virements and spend on one pool and year. Funds are
 * scarce, so the races are about the rules: the unallocated balance may never go negative, and a
 * virement may only be approved from a line that still has the budget.
 */
const writerScript = join(import.meta.dirname, '../support/ledger-writer-process.ts');

function runWriter(path: string, writer: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [writerScript, path, String(writer)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let errors = '';
    child.stdout.on('data', (chunk) => {
      output += String(chunk);
    });
    child.stderr.on('data', (chunk) => {
      errors += String(chunk);
    });
    child.on('exit', (code) =>
      code === 0
        ? resolve(output.trim().split('\n'))
        : reject(new Error(`writer ${writer} failed: ${errors}`)),
    );
  });
}

describe('eight writer processes racing on one pool and year', () => {
  const directory = temporaryDirectory('concurrency');
  const path = join(directory.path, 'ledger.sqlite');
  const setUpStore = SqliteEventStore.open({ path, catalogue: bcfCatalogue });
  const accepted: { key: string; type: string }[] = [];
  const refused: string[] = [];
  let conflicts = 0;

  beforeAll(async () => {
    await setUpStore.append(
      'pool-herts',
      poolSetUp.map((event) => ({ ...event, metadata: metadataFor(officer, 'setup-pool') })),
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
    const outputs = await Promise.all(
      Array.from({ length: 8 }, (_, writer) => runWriter(path, writer)),
    );
    for (const line of outputs.flat()) {
      const entry = JSON.parse(line) as {
        key?: string;
        type?: string;
        ok?: boolean;
        conflicts?: number;
      };
      if (entry.conflicts !== undefined) conflicts += entry.conflicts;
      else if (entry.ok) accepted.push({ key: entry.key ?? '', type: entry.type ?? '' });
      else refused.push(entry.key ?? '');
    }
  }, 120_000);

  afterAll(async () => {
    await setUpStore.close();
    directory.remove();
  });

  it('raced for real: appends were beaten and retried', () => {
    expect(conflicts).toBeGreaterThan(0);
    expect(accepted.length + refused.length).toBe(240);
    expect(accepted.length).toBeGreaterThan(100);
  });

  it('never allocated more than was contributed: exactly the 1,000,000.00 went out, no more', async () => {
    const runner = ProjectionRunner.open({
      path: join(directory.path, 'projections.sqlite'),
      store: setUpStore,
    });
    await runner.catchUp();
    const balances = poolBalances(runner.poolView(POOL) ?? fail(), YEAR) ?? fail();
    runner.close();
    const stream =
      balances.streams.find((candidate) => candidate.fundingStream === MIN_CCG) ?? fail();
    expect(stream.contributions).toBe('1000000.00');
    expect(Money.parse(stream.unallocated).isNegative()).toBe(false);
    expect(stream.allocated).toBe(
      Money.parse(stream.contributions).minus(Money.parse(stream.unallocated)).toString(),
    );
    // 104 allocations of 25,000.00 were attempted against 1,000,000.00: exactly 40 fit.
    expect(accepted.filter(({ type }) => type === 'AllocateFunds')).toHaveLength(40);
    for (const line of balances.lines) {
      expect(
        Money.parse(line.currentBudget).equals(
          Money.parse(line.spent)
            .plus(Money.parse(line.committed))
            .plus(Money.parse(line.remaining)),
        ),
      ).toBe(true);
    }
  });

  it('recorded every accepted command, once, and nothing of a refused one', async () => {
    const events = await setUpStore.readStream(ledgerStreamId(POOL, YEAR), { limit: 10_000 });
    // A scheme's first allocation of the year also records its classification for the year,
    // under the same key, in the same append: count each command's own event.
    const keys = events
      .filter((event) => event.type !== 'SchemeClassified.v1')
      .map((event) => event.metadata.idempotencyKey);
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

function fail(): never {
  throw new Error('expected a value');
}
