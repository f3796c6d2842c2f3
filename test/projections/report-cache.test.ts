import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo } from '../../src/cli/demo/load-demo.ts';
import { loadConfig } from '../../src/config.ts';
import { canonicalJson } from '../../src/events/canonical-json.ts';
import { type Ledger, openLedger } from '../../src/main.ts';
import { poolViewFromStreams } from '../../src/projections/as-at.ts';
import type { ReportQuery } from '../../src/projections/read-face.ts';
import { poolBalances } from '../../src/projections/reports/balances.ts';
import { quarterlyReport } from '../../src/projections/reports/quarterly-position.ts';
import { yearEndStatement } from '../../src/projections/reports/year-end.ts';
import { temporaryDirectory } from '../support/temp-dir.ts';

/**
 * Live reports are given again without computing them while the ledger has not moved. What must
 * hold: a repeated read is the same answer; after any change (to a year's ledger, to another
 * year's, to the pool's own stream) the answer is what a fresh fold of the streams gives.
 */
const directory = temporaryDirectory('report-cache');
const config = loadConfig({ LEDGER_DATA_DIR: directory.path });
let ledger: Ledger;

beforeAll(async () => {
  await loadDemo(config);
  ledger = await openLedger(config);
}, 120_000);
afterAll(async () => {
  await ledger?.close();
  directory.remove();
});

const QUERIES: ReportQuery[] = [
  { kind: 'quarter', poolId: 'herts', year: '2018-19', quarter: 'Q1' },
  { kind: 'balances', poolId: 'herts', year: '2018-19' },
  { kind: 'year-end', poolId: 'herts', year: '2017-18' },
  { kind: 'year-end', poolId: 'herts', year: '2018-19' },
];

/** Each report as a fresh fold of the streams gives it, with no read model and no cache. */
async function fresh(query: ReportQuery): Promise<string> {
  const view = await poolViewFromStreams(ledger.store, 'herts');
  if (view === undefined) throw new Error('no pool herts');
  const report =
    query.kind === 'quarter'
      ? quarterlyReport(view, query.year, query.quarter ?? 'Q1')
      : query.kind === 'balances'
        ? poolBalances(view, query.year)
        : yearEndStatement(view, query.year);
  return canonicalJson(report);
}

async function live(query: ReportQuery): Promise<unknown> {
  const found = await ledger.readFace.report(query);
  if (!found.found) throw new Error(found.detail);
  return found.value;
}

const officer = { id: 'officer', role: 'finance-officer' as const };

describe('live reports given again while the ledger has not moved', () => {
  it('answers a repeated read with the same report, and a changed ledger with a fresh one', async () => {
    const changes = [
      // The year's own ledger.
      {
        type: 'RecordSpend',
        poolId: 'herts',
        year: '2018-19',
        spendId: 'cache-1',
        schemeId: '9',
        fundingStream: 'Minimum CCG Contribution',
        spendDate: '2018-05-02',
        amount: '1234.56',
        supplier: 'Cache Care',
        erpReference: 'C-1',
        description: 'reablement',
      },
      // The pool's own stream: a scheme's name, which every report shows.
      {
        type: 'AmendScheme',
        poolId: 'herts',
        schemeId: '9',
        changes: { name: 'Reablement (renamed)' },
      },
    ] as const;
    for (const [index, command] of changes.entries()) {
      const before = await Promise.all(QUERIES.map(live));
      const again = await Promise.all(QUERIES.map(live));
      for (const [at, report] of again.entries()) expect(report).toBe(before[at]);
      const outcome = await ledger.writeFace.execute({
        caller: officer,
        idempotencyKey: `cache-change-${index}`,
        command: command as never,
      });
      expect(outcome.kind).toBe('recorded');
      for (const [at, query] of QUERIES.entries()) {
        const after = await live(query);
        // Computed afresh for the new versions, and what a fold of the streams gives.
        expect(after).not.toBe(before[at]);
        expect(canonicalJson(after), `${query.kind} ${query.year}`).toBe(await fresh(query));
      }
    }
  });
});
