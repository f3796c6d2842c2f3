import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Money } from '#money';
import type { LedgerCommand } from '../../src/commands/ledger/ledger-commands.ts';
import { ledgerDecider } from '../../src/commands/ledger/ledger-decider.ts';
import type { LedgerState } from '../../src/commands/ledger/ledger-state.ts';
import type { PoolState } from '../../src/commands/pool/pool-decider.ts';
import type { LedgerEvent, PoolEvent } from '../../src/events/catalogue/index.ts';
import { poolBalances } from '../../src/projections/reports/balances.ts';
import { quarterlyReport } from '../../src/projections/reports/quarterly-position.ts';
import {
  applyToPoolView,
  emptyPoolView,
  type PoolView,
} from '../../src/projections/view/pool-view.ts';
import {
  cfo,
  DFG,
  foldPool,
  IBCF,
  type LedgerCommandWithoutContext,
  MIN_CCG,
  officer,
  POOL,
  poolSetUp,
  secondCfo,
  YEAR,
} from '../support/domain.ts';
import { termsForLines, yearEndTermsArbitrary } from '../support/year-end-terms.ts';

/**
 * Random sequences of ledger commands, against the deciders and the projection fold together.
 * After every step: contributions = allocated + unallocated with unallocated >= 0 per stream,
 * the decider's and the projection's figures agree, budget = spent + remaining per line, spend
 * nets every reversal to zero, and every risk share's shares less its carry-forward are its net,
 * under random year-end terms. fast-check prints the seed
 * and path of any failure, so it can be replayed.
 */
const SCHEMES = ['1', '3', '7'];
const STREAMS = [MIN_CCG, IBCF, DFG];
const PARTNERS = ['HCC', 'ENHCCG', 'HVCCG'];
const ids = (prefix: string, count: number) =>
  fc.integer({ min: 0, max: count - 1 }).map((index) => `${prefix}${index}`);
const amount = fc.oneof(
  fc
    .integer({ min: 1, max: 100_000_000 })
    .map((pence) => Money.fromPence(BigInt(pence)).toString()),
  fc.constantFrom('0.01', '250000.00', '1000000.00'),
);
const scheme = fc.constantFrom(...SCHEMES);
const stream = fc.constantFrom(...STREAMS);
const purpose = fc.constantFrom(
  'adult-social-care-needs',
  'reducing-nhs-pressures',
  'stabilising-provider-market',
  undefined,
);
const maker = fc.constantFrom(officer, cfo);
const approver = fc.constantFrom(cfo, secondCfo);

type Step = LedgerCommandWithoutContext | { type: 'CloseNextQuarter' } | { type: 'CloseYear' };

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      type: fc.constant('PlanContribution' as const),
      actor: maker,
      partnerId: fc.constantFrom(...PARTNERS),
      fundingStream: stream,
      amount,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant('RequestContributionVariation' as const),
      actor: maker,
      variationId: ids('var', 4),
      partnerId: fc.constantFrom(...PARTNERS),
      fundingStream: stream,
      change: fc
        .tuple(amount, fc.boolean())
        .map(([value, negative]) => (negative ? `-${value}` : value)),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant('ApproveContributionVariation' as const),
      actor: approver,
      variationId: ids('var', 4),
    }),
  },
  {
    weight: 5,
    arbitrary: fc.record({
      type: fc.constant('AllocateFunds' as const),
      actor: maker,
      allocationId: ids('alloc', 40),
      schemeId: scheme,
      fundingStream: stream,
      amount,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant('ReleaseAllocation' as const),
      actor: maker,
      releaseId: ids('rel', 10),
      schemeId: scheme,
      fundingStream: stream,
      amount,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      type: fc.constant('RequestVirement' as const),
      actor: maker,
      virementId: ids('vir', 6),
      fundingStream: stream,
      fromSchemeId: scheme,
      toSchemeId: scheme,
      amount,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      type: fc.constant('ApproveVirement' as const),
      actor: approver,
      virementId: ids('vir', 6),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant('RejectVirement' as const),
      actor: approver,
      virementId: ids('vir', 6),
    }),
  },
  {
    weight: 6,
    arbitrary: fc
      .record({
        spendId: ids('sp', 30),
        schemeId: scheme,
        fundingStream: stream,
        quarter: fc.constantFrom('Q1', 'Q2', 'Q3', 'Q4' as const),
        amount,
        ibcfPurpose: purpose,
      })
      .map((spend) => ({
        type: 'RecordSpend' as const,
        actor: officer,
        ...spend,
        spendDate: { Q1: '2017-05-01', Q2: '2017-08-01', Q3: '2017-11-01', Q4: '2018-02-01' }[
          spend.quarter
        ],
        supplier: 'supplier',
        erpReference: 'erp',
        description: 'spend',
        ...(spend.ibcfPurpose === undefined ? {} : { ibcfPurpose: spend.ibcfPurpose }),
      })),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      type: fc.constant('ReverseSpend' as const),
      actor: fc.constant(officer),
      reversalId: ids('rev', 30),
      spendId: ids('sp', 30),
      reason: fc.constant('mistake'),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant('PostPriorPeriodAdjustment' as const),
      actor: fc.constant(officer),
      adjustmentId: ids('ppa', 10),
      closedQuarter: fc.constantFrom('Q1', 'Q2', 'Q3' as const),
      schemeId: scheme,
      fundingStream: stream,
      amount: fc
        .tuple(amount, fc.boolean())
        .map(([value, negative]) => (negative ? `-${value}` : value)),
      description: fc.constant('correction'),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant('UpdateForecast' as const),
      actor: fc.constant(officer),
      schemeId: scheme,
      fundingStream: stream,
      quarter: fc.constantFrom('Q1', 'Q2' as const),
      forecastOutturn: amount,
    }),
  },
  { weight: 1, arbitrary: fc.constant({ type: 'CloseNextQuarter' as const }) },
  { weight: 1, arbitrary: fc.constant({ type: 'CloseYear' as const }) },
);

const yearEndTerms = yearEndTermsArbitrary({
  partnerIds: PARTNERS,
  lines: SCHEMES.flatMap((schemeId) =>
    STREAMS.map((fundingStream) => ({ schemeId, fundingStream })),
  ),
  fundingStreams: STREAMS,
});

class Ledger {
  readonly pool: PoolState;
  readonly state: LedgerState = ledgerDecider.initialState();
  readonly view: PoolView = emptyPoolView(POOL);
  readonly events: LedgerEvent[] = [];

  constructor(poolEvents: readonly PoolEvent[]) {
    this.pool = foldPool(poolEvents);
    for (const event of poolEvents) applyToPoolView(this.view, event);
  }

  run(command: LedgerCommandWithoutContext): void {
    const decision = ledgerDecider.decide(
      { poolId: POOL, year: YEAR, ...command, pool: this.pool } as LedgerCommand,
      this.state,
    );
    if (!decision.ok) return;
    for (const event of decision.events) {
      ledgerDecider.evolve(this.state, event);
      applyToPoolView(this.view, event);
      this.events.push(event);
    }
  }

  closeNextQuarter(): void {
    const quarter = (['Q1', 'Q2', 'Q3', 'Q4'] as const)[this.state.closedQuarters];
    if (quarter === undefined) return;
    const digest = () => quarterlyReport(this.view, YEAR, quarter)?.digest ?? '';
    this.run({
      type: 'RequestQuarterClose',
      actor: officer,
      quarter,
      reportDigest: digest(),
      ledgerVersion: this.state.version,
      poolVersion: this.pool.version,
    });
    this.run({
      type: 'ApproveQuarterClose',
      actor: cfo,
      quarter,
      reportDigest: digest(),
      ledgerVersion: this.state.version,
      poolVersion: this.pool.version,
    });
  }
}

function checkInvariants(ledger: Ledger): void {
  const balances = poolBalances(ledger.view, YEAR);
  for (const stream of balances?.streams ?? []) {
    const contributions = Money.parse(stream.contributions);
    expect(
      contributions.equals(Money.parse(stream.allocated).plus(Money.parse(stream.unallocated))),
      stream.fundingStream,
    ).toBe(true);
    expect(
      Money.parse(stream.unallocated).isNegative(),
      `${stream.fundingStream} unallocated ${stream.unallocated}`,
    ).toBe(false);
    const decided = ledger.state.streams.get(stream.fundingStream);
    expect(stream.contributions).toBe(decided?.contributions.toString() ?? '0.00');
    expect(stream.allocated).toBe(decided?.allocated.toString() ?? '0.00');
  }
  const spendOf = new Map<string, Money>();
  const add = (schemeId: string, fundingStream: string, value: Money) => {
    const key = `${schemeId}/${fundingStream}`;
    spendOf.set(key, (spendOf.get(key) ?? Money.zero).plus(value));
  };
  const reversed = new Set<string>();
  const spends = new Map<string, Money>();
  for (const event of ledger.events) {
    if (event.type === 'SpendRecorded.v1')
      spends.set(event.data.spendId, Money.parse(event.data.amount));
    if (event.type === 'SpendReversed.v1') {
      reversed.add(event.data.spendId);
      expect(
        Money.parse(event.data.amount).equals(spends.get(event.data.spendId) ?? Money.zero),
      ).toBe(true);
    }
    if (event.type === 'PriorPeriodAdjustmentPosted.v1')
      add(event.data.schemeId, event.data.fundingStream, Money.parse(event.data.amount));
    if (event.type === 'RiskShareApplied.v1') {
      // Rule 13: the net is the partners' shares less what is carried forward, to the penny.
      const shares = Money.sum(
        event.data.allocations.map((allocation) => Money.parse(allocation.amount)),
      );
      const carried = Money.sum(event.data.carryForward.map((entry) => Money.parse(entry.amount)));
      expect(shares.plus(carried).toString()).toBe(event.data.net);
      expect(event.data.net).toBe(ledger.state.outturnNet?.toString());
    }
  }
  for (const event of ledger.events) {
    if (event.type === 'SpendRecorded.v1' && !reversed.has(event.data.spendId))
      add(event.data.schemeId, event.data.fundingStream, Money.parse(event.data.amount));
  }
  for (const line of balances?.lines ?? []) {
    expect(
      Money.parse(line.currentBudget).equals(
        Money.parse(line.spent).plus(Money.parse(line.remaining)),
      ),
    ).toBe(true);
    // Reversals net to zero: what remains is the unreversed spend plus the adjustments.
    expect(line.spent, `${line.schemeId} ${line.fundingStream}`).toBe(
      (spendOf.get(`${line.schemeId}/${line.fundingStream}`) ?? Money.zero).toString(),
    );
  }
}

describe('ledger invariants under random command sequences', () => {
  it('hold after every step of 1,000 sequences', () => {
    let riskSharesApplied = 0;
    let eventsRecorded = 0;
    fc.assert(
      fc.property(yearEndTerms, fc.array(step, { minLength: 5, maxLength: 60 }), (terms, steps) => {
        const ledger = new Ledger(poolSetUp);
        for (const next of steps) {
          if (next.type === 'CloseNextQuarter') ledger.closeNextQuarter();
          else if (next.type === 'CloseYear') {
            for (let quarter = 0; quarter < 4; quarter++) ledger.closeNextQuarter();
            ledger.run({ type: 'DetermineYearEndOutturn', actor: cfo });
            ledger.run({
              type: 'ProposeYearEndTerms',
              actor: cfo,
              terms: termsForLines(terms, ledger.state.lines),
            });
            ledger.run({ type: 'ApproveYearEndTerms', actor: secondCfo });
            ledger.run({ type: 'ApplyRiskShare', actor: cfo });
          } else ledger.run(next);
          checkInvariants(ledger);
        }
        riskSharesApplied += ledger.state.riskShareApplied ? 1 : 0;
        eventsRecorded += ledger.events.length;
      }),
      { numRuns: 1_000 },
    );
    // The generator must reach the interesting states, or the property proves little.
    expect(riskSharesApplied).toBeGreaterThan(50);
    expect(eventsRecorded).toBeGreaterThan(4_000);
  });
});
