import { Money } from '#money';
import { QUARTERS, type Quarter, quarterDates } from '../../events/catalogue/index.ts';
import type { Ledger } from '../../main.ts';
import { quarterDecisions, quarterOpening } from './demo-decisions.ts';
import { POOL, type Run, YEAR } from './demo-kit.ts';

/**
 * The demo's year: invoices on every budget line month by month, each quarter's share of the
 * line's budget as its profile goes, at the line's own pace (some over, some under), then the
 * decisions of the quarter.
 */
export async function recordYear(ledger: Ledger, run: Run): Promise<number> {
  const next = seededRandom(20_170_401);
  const phased = (await phasedBudgets(ledger)).map((line) => ({
    ...line,
    pace: PACES[`${line.schemeId}/${line.fundingStream}`] ?? 0.96 + next() * 0.07,
  }));
  let spendLines = 0;
  for (const quarter of QUARTERS) {
    const { first } = quarterDates(YEAR, quarter);
    await quarterOpening(quarter, run);
    for (let month = 0; month < 3; month++) {
      const monthStart = new Date(`${first}T00:00:00.000Z`);
      monthStart.setUTCMonth(monthStart.getUTCMonth() + month);
      for (const line of phased) {
        const monthly = (line.byQuarter.get(quarter) ?? 0n) / 3n;
        spendLines += await invoicesOfMonth(run, line, quarter, month, monthStart, monthly, {
          next,
          numbered: spendLines,
        });
      }
    }
    await quarterDecisions(quarter, run);
  }
  return spendLines;
}

/**
 * How fast a line spends against its budget, where the demo's story needs it: residential
 * placements (scheme 11) running over, the DFG adaptations under (capital carried forward).
 * Every other line draws its pace between 0.96 and 1.03.
 */
const PACES: Readonly<Record<string, number>> = {
  '11/Additional LA Contribution': 1.01,
  '7/DFG': 0.9,
};

interface PhasedLine {
  readonly schemeId: string;
  readonly schemeName: string;
  readonly fundingStream: string;
  /** The line's budget due in each quarter, in pence, by its profile. */
  readonly byQuarter: ReadonlyMap<Quarter, bigint>;
}

/** Each line's budget per quarter, read from the quarterly positions' budget to date. */
async function phasedBudgets(ledger: Ledger): Promise<PhasedLine[]> {
  const toDate = new Map<string, bigint[]>();
  const lines = new Map<string, Omit<PhasedLine, 'byQuarter'>>();
  for (const quarter of QUARTERS) {
    const report = await ledger.readFace.report({
      kind: 'quarter',
      poolId: POOL,
      year: YEAR,
      quarter,
    });
    if (!report.found) throw new Error(`the demo ledger has no ${YEAR} ${quarter} position`);
    for (const line of report.value.position.lines) {
      const key = `${line.schemeId}\u0000${line.fundingStream}`;
      lines.set(key, line);
      toDate.set(key, [...(toDate.get(key) ?? []), Money.parse(line.budgetToDate).toPence()]);
    }
  }
  return [...lines.entries()].flatMap(([key, line]) => {
    const cumulative = toDate.get(key) ?? [];
    if ((cumulative.at(-1) ?? 0n) <= 0n) return [];
    const byQuarter = new Map(
      QUARTERS.map((quarter, index) => [
        quarter,
        (cumulative[index] ?? 0n) - (index === 0 ? 0n : (cumulative[index - 1] ?? 0n)),
      ]),
    );
    return [{ ...line, byQuarter }];
  });
}

/** 15 to 25 invoices a month, each a share of the month's budget at the line's pace, give or take. */
async function invoicesOfMonth(
  run: Run,
  line: PhasedLine & { readonly pace: number },
  quarter: Quarter,
  month: number,
  monthStart: Date,
  monthly: bigint,
  counter: { next: () => number; numbered: number },
): Promise<number> {
  const { next } = counter;
  const invoices = 15 + Math.floor(next() * 11);
  for (let invoice = 0; invoice < invoices; invoice++) {
    const share = BigInt(Math.floor(line.pace * (0.85 + next() * 0.3) * 1_000_000));
    const pence = (monthly * share) / (BigInt(invoices) * 1_000_000n);
    const day = 1 + Math.floor(next() * 28);
    const spendDate = `${monthStart.toISOString().slice(0, 8)}${String(day).padStart(2, '0')}`;
    const number = counter.numbered + invoice + 1;
    await run(
      'officer',
      {
        type: 'RecordSpend',
        poolId: POOL,
        year: YEAR,
        spendId: `${line.schemeId}-${line.fundingStream.replace(/[^A-Za-z]+/g, '')}-${quarter}-${month}-${invoice}`,
        schemeId: line.schemeId,
        fundingStream: line.fundingStream,
        spendDate,
        amount: Money.fromPence(pence > 0n ? pence : 1n).toString(),
        supplier: `Supplier ${1 + Math.floor(next() * 40)}`,
        erpReference: `INV-${100_000 + number}`,
        description: `${line.schemeName}, ${spendDate.slice(0, 7)}`,
        ...(line.fundingStream === 'iBCF' ? { ibcfPurpose: IBCF_PURPOSE_CYCLE[invoice % 3] } : {}),
      },
      { at: Date.parse(`${spendDate}T10:00:00.000Z`) },
    );
  }
  return invoices;
}

const IBCF_PURPOSE_CYCLE = [
  'adult-social-care-needs',
  'reducing-nhs-pressures',
  'stabilising-provider-market',
] as const;

/** A small linear congruential generator: the same invoices on every run. */
function seededRandom(seed: number): () => number {
  let random = seed;
  return () => {
    random = (random * 1_103_515_245 + 12_345) % 2_147_483_648;
    return random / 2_147_483_648;
  };
}
