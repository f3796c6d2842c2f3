import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Money } from '#money';
import { bcfCatalogue } from '../../src/events/catalogue/index.ts';
import { SqliteEventStore } from '../../src/events/store/sqlite/sqlite-event-store.ts';
import { poolViewFromStreams } from '../../src/projections/as-at.ts';
import { ProjectionRunner } from '../../src/projections/projection-runner.ts';
import { poolBalances } from '../../src/projections/reports/balances.ts';
import { createTestService as createLedgerService } from '../support/command-service.ts';
import {
  DEMO_POOL,
  DEMO_YEARS,
  demoLedgerCommands,
  demoPoolCommands,
  readCsv,
} from '../support/demo-plan.ts';
import { metadataFor } from '../support/domain.ts';
import { temporaryDirectory } from '../support/temp-dir.ts';

/** Acceptance: the demo plan, replayed through the commands, gives the template's totals. */
describe('replaying the demo plan', () => {
  const directory = temporaryDirectory('demo-plan');
  const store = SqliteEventStore.open({
    path: join(directory.path, 'ledger.sqlite'),
    catalogue: bcfCatalogue,
  });
  const runner = ProjectionRunner.open({ path: join(directory.path, 'projections.sqlite'), store });

  beforeAll(async () => {
    const service = createLedgerService(store);
    let sequence = 0;
    for (const command of demoPoolCommands()) {
      const outcome = await service.pool(command, metadataFor(command.actor, `demo-${++sequence}`));
      expect(outcome, JSON.stringify(command)).toMatchObject({ ok: true });
    }
    for (const command of demoLedgerCommands()) {
      const outcome = await service.ledger(
        command,
        metadataFor(command.actor, `demo-${++sequence}`),
      );
      expect(outcome, JSON.stringify(command)).toMatchObject({ ok: true });
    }
    await runner.catchUp();
  });
  afterAll(async () => {
    runner.close();
    await store.close();
    directory.remove();
  });

  it.each([
    ['2017-18', '280000000.00'],
    ['2018-19', '289505000.00'],
  ])('gives %s a pool of %s, fully allocated', (year, total) => {
    const balances = poolBalances(runner.poolView(DEMO_POOL) ?? fail(), year);
    expect(balances?.totals).toEqual({
      contributions: total,
      due: '0.00',
      received: '0.00',
      allocated: total,
      unallocated: '0.00',
      spent: '0.00',
      committed: '0.00',
      remaining: total,
    });
    for (const stream of balances?.streams ?? [])
      expect(stream.unallocated, stream.fundingStream).toBe('0.00');
  });

  it('matches the income tab stream by stream, and the expenditure plan line by line', () => {
    const view = runner.poolView(DEMO_POOL) ?? fail();
    for (const { year, incomeColumn, expenditureColumn } of DEMO_YEARS) {
      const balances = poolBalances(view, year) ?? fail();
      const income = new Map<string, Money>();
      for (const row of readCsv('income.csv')) {
        const stream = row['Source of Funding'] ?? '';
        income.set(stream, (income.get(stream) ?? Money.zero).plus(Money.parse(row[incomeColumn])));
      }
      expect(
        Object.fromEntries(
          balances.streams.map((stream) => [stream.fundingStream, stream.contributions]),
        ),
      ).toEqual(
        Object.fromEntries([...income].map(([stream, amount]) => [stream, amount.toString()])),
      );
      for (const row of readCsv('expenditure.csv')) {
        const line = balances.lines.find(
          (candidate) =>
            candidate.schemeId === row['Scheme ID'] &&
            candidate.fundingStream === row['Source of Funding'],
        );
        expect(line?.currentBudget, `${row['Scheme ID']} ${row['Source of Funding']} ${year}`).toBe(
          row[expenditureColumn],
        );
      }
    }
  });

  it('folds to the same view straight from the streams as through the live read model', async () => {
    expect(await poolViewFromStreams(store, DEMO_POOL)).toEqual(runner.poolView(DEMO_POOL));
  });
});

function fail(): never {
  throw new Error('expected a value');
}
