import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo } from '../../src/cli/demo/load-demo.ts';
import { loadConfig } from '../../src/config.ts';
import { canonicalJson } from '../../src/events/canonical-json.ts';
import { openLedger } from '../../src/main.ts';
import { poolViewFromStreams } from '../../src/projections/as-at.ts';
import { quarterlyReport } from '../../src/projections/reports/quarterly-position.ts';
import { temporaryDirectory } from '../support/temp-dir.ts';

/**
 * Acceptance: a quarter closed, then more than 1,000 further events including back-dated
 * corrections (the demo's Q2, and the rest of its year); the closed quarter's report as at its
 * close reproduces the signed-off digest byte for byte, and the current report lists the
 * corrections beside the unchanged position.
 */
const directory = temporaryDirectory('as-at-close');
const config = loadConfig({ LEDGER_DATA_DIR: directory.path });
let closedAt = '';
let eventsAfterClose = 0;

beforeAll(async () => {
  await loadDemo(config);
  const ledger = await openLedger(config);
  try {
    // The demo closes Q2, then records the rest of its year: Q3 and Q4 and the year end, with a
    // reversal of a Q2 invoice and an adjustment naming Q2 among them.
    const history = await ledger.store.readStream('ledger-herts-2017-18', { limit: 10_000 });
    const q2Close = history.filter((event) => event.type === 'QuarterClosed.v1')[1];
    closedAt = q2Close?.metadata.recordedAt ?? '';
    eventsAfterClose = history.filter((event) => event.metadata.recordedAt > closedAt).length;
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
      // The demo's late Q1 invoice, keyed in Q2.
      expect(q1.correctionsSinceClose.map((correction) => correction.id)).toEqual(['late-q1-1']);
      expect(q1.digest).toBe(q1.status.closedDigest);
    } finally {
      await ledger.close();
    }
  });
});

function fail(): never {
  throw new Error('expected a value');
}
