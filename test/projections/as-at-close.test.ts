import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo } from '../../src/cli/demo/load-demo.ts';
import { loadConfig } from '../../src/config.ts';
import { canonicalJson } from '../../src/events/canonical-json.ts';
import { openLedger } from '../../src/main.ts';
import { poolViewFromStreams } from '../../src/projections/as-at.ts';
import { quarterlyReport } from '../../src/projections/reports/quarterly-position.ts';
import { createTestService, type LedgerCommandInput } from '../support/command-service.ts';
import { temporaryDirectory } from '../support/temp-dir.ts';

/**
 * Acceptance: a quarter closed, then more than 1,000 further events including back-dated
 * corrections; the closed quarter's report as at its close reproduces the signed-off digest byte
 * for byte, and the current report lists the corrections beside the unchanged position.
 */
const directory = temporaryDirectory('as-at-close');
const config = loadConfig({ LEDGER_DATA_DIR: directory.path });
let closedAt = '';
let eventsAfterClose = 0;

beforeAll(async () => {
  await loadDemo(config);
  const ledger = await openLedger(config);
  try {
    const closes = await ledger.store.readStream('ledger-herts-2017-18', { limit: 10_000 });
    closedAt =
      closes.filter((event) => event.type === 'QuarterClosed.v1').at(-1)?.metadata.recordedAt ?? '';
    const before = await ledger.store.headPosition();
    let sequence = 0;
    const service = createTestService(ledger.store);
    const run = async (command: Omit<LedgerCommandInput, 'actor' | 'poolId' | 'year'>) => {
      const key = `after-close-${++sequence}`;
      const recordedAt = new Date(
        Date.parse('2017-10-20T09:00:00.000Z') + sequence * 1_000,
      ).toISOString();
      const outcome = await service.ledger(
        {
          ...command,
          actor: { id: 'officer', role: 'finance-officer' },
          poolId: 'herts',
          year: '2017-18',
        } as LedgerCommandInput,
        {
          actor: { id: 'officer', role: 'finance-officer' },
          recordedAt,
          correlationId: key,
          causationId: key,
          idempotencyKey: key,
        },
      );
      if (!outcome.ok) throw new Error(`${command.type}: ${outcome.error.message}`);
    };
    for (let index = 0; index < 1_000; index++) {
      await run({
        type: 'RecordSpend',
        spendId: `q3-${index}`,
        schemeId: '9',
        fundingStream: 'Minimum CCG Contribution',
        quarter: 'Q3',
        spendDate: '2017-10-16',
        amount: '1000.00',
        supplier: 'Provider Ltd',
        erpReference: `Q3-${index}`,
        description: 'reablement',
      } as never);
    }
    // Back-dated corrections of the closed quarters: reversals of Q1 and Q2 spend, and adjustments naming them.
    await run({
      type: 'ReverseSpend',
      reversalId: 'late-reversal-q1',
      spendId: '2-MinimumCCGContribution-Q1-1-3',
      reason: 'credit note received late',
    } as never);
    await run({
      type: 'ReverseSpend',
      reversalId: 'late-reversal-q2',
      spendId: '9-MinimumCCGContribution-Q2-2-1',
      reason: 'charged to the wrong scheme',
    } as never);
    await run({
      type: 'PostPriorPeriodAdjustment',
      adjustmentId: 'ppa-q2',
      closedQuarter: 'Q2',
      schemeId: '10',
      fundingStream: 'Minimum CCG Contribution',
      amount: '12500.00',
      description: 'September invoice missed',
    } as never);
    eventsAfterClose = (await ledger.store.headPosition()) - before;
  } finally {
    await ledger.close();
  }
}, 120_000);
afterAll(() => directory.remove());

describe('a closed quarter after more than a thousand further events', () => {
  it('reproduces, as at its close, the digest signed off', async () => {
    expect(eventsAfterClose).toBeGreaterThan(1_000);
    const ledger = await openLedger(config);
    try {
      const then = (await poolViewFromStreams(ledger.store, 'herts', { asAt: closedAt })) ?? fail();
      const now = (await poolViewFromStreams(ledger.store, 'herts')) ?? fail();
      const asAtClose = quarterlyReport(then, '2017-18', 'Q2') ?? fail();
      const current = quarterlyReport(now, '2017-18', 'Q2') ?? fail();
      expect(asAtClose.digest).toBe(now.years['2017-18']?.quarters.Q2.reportDigest);
      expect(canonicalJson(current.position)).toBe(canonicalJson(asAtClose.position));
      expect(current.digest).toBe(asAtClose.digest);
      expect(asAtClose.correctionsSinceClose).toEqual([]);
      expect(
        current.correctionsSinceClose.map((correction) => [
          correction.id,
          correction.postedIn,
          correction.correcting,
        ]),
      ).toEqual([
        ['late-reversal-q2', 'Q3', 'Q2'],
        ['ppa-q2', 'Q3', 'Q2'],
      ]);
      const q1 = quarterlyReport(now, '2017-18', 'Q1') ?? fail();
      // The demo's own late Q1 invoice, keyed in Q2, and the reversal made here after the close.
      expect(q1.correctionsSinceClose.map((correction) => correction.id)).toEqual([
        'late-q1-1',
        'late-reversal-q1',
      ]);
      expect(q1.digest).toBe(q1.status.closedDigest);
    } finally {
      await ledger.close();
    }
  });
});

function fail(): never {
  throw new Error('expected a value');
}
