import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LedgerCommand } from '../../src/commands/ledger/ledger-commands.ts';
import { ledgerDecider } from '../../src/commands/ledger/ledger-decider.ts';
import type { LedgerState } from '../../src/commands/ledger/ledger-state.ts';
import {
  type PoolCommand,
  type PoolState,
  poolDecider,
} from '../../src/commands/pool/pool-decider.ts';
import { canonicalJson } from '../../src/events/canonical-json.ts';
import {
  type BcfEvent,
  type LedgerEvent,
  type PoolEvent,
  QUARTERS,
  type YearEndTerms,
} from '../../src/events/catalogue/index.ts';
import { quarterlyReport } from '../../src/projections/reports/quarterly-position.ts';
import { yearEndDigest, yearEndStatement } from '../../src/projections/reports/year-end.ts';
import { parseView } from '../../src/projections/view/amounts.ts';
import {
  applyToPoolView,
  emptyPoolView,
  type PoolView,
} from '../../src/projections/view/pool-view.ts';
import {
  admin,
  cfo,
  DFG,
  foldPool,
  IBCF,
  MIN_CCG,
  officer,
  POOL,
  poolSetUp,
  secondCfo,
  YEAR,
} from '../support/domain.ts';
import { termsForLines, yearEndTermsArbitrary } from '../support/year-end-terms.ts';

/**
 * Rule 9, as a property: random histories of every kind of command (money in and out, corrections,
 * commitments, phasing, classifications, thresholds, amendments of the pool's own facts, partners
 * joining) with quarter closes, the outturn, the risk share and the year close among them. After
 * every step, every closed quarter's live report hashes to the digest it was signed off with, and
 * a closed year's statement to its. After every history, the view rebuilt from the events (the
 * pool's stream first, then the ledger's, through the read model's stored form) is the live one.
 */
const HISTORIES = 1_000;
const SEED = Number(process.env.PROPERTY_SEED ?? Date.now() % 1_000_000);

const SCHEMES = ['1', '3', '7'];
const STREAMS = [MIN_CCG, IBCF, DFG, 'Additional LA Contribution'];
const PARTNERS = ['HCC', 'ENHCCG', 'HVCCG', 'NEWP'];
const ids = (prefix: string, count: number) =>
  fc.integer({ min: 0, max: count - 1 }).map((index) => `${prefix}${index}`);
const amount = fc.constantFrom('0.01', '10.00', '1250.50', '40000.00', '250000.00');
const signed = fc
  .tuple(amount, fc.boolean())
  .map(([value, negative]) => (negative ? `-${value}` : value));
/** Dates in every quarter of 2017-18, and two outside it. */
const date = fc.constantFrom(
  '2017-04-03',
  '2017-06-30',
  '2017-07-01',
  '2017-09-15',
  '2017-12-31',
  '2018-01-10',
  '2018-03-31',
  '2018-04-01',
  '2017-03-31',
);
const scheme = fc.constantFrom(...SCHEMES);
const stream = fc.constantFrom(...STREAMS);
const partner = fc.constantFrom(...PARTNERS);
const purpose = fc.constantFrom('reducing-nhs-pressures', undefined);
const maker = fc.constantFrom(officer, cfo);
const approver = fc.constantFrom(cfo, secondCfo);

type LedgerStep = Omit<LedgerCommand, 'pool' | 'poolId' | 'year'>;
type Step =
  | { readonly kind: 'ledger'; readonly command: LedgerStep }
  | { readonly kind: 'pool'; readonly command: PoolCommand }
  | { readonly kind: 'close-quarter' }
  | { readonly kind: 'close-year' }
  | { readonly kind: 'agree-terms'; readonly terms: YearEndTerms };

const ledger = <Fields extends Record<string, unknown>>(
  type: LedgerCommand['type'],
  fields: { [Key in keyof Fields]: fc.Arbitrary<Fields[Key]> },
  actor: fc.Arbitrary<typeof officer> = maker,
): fc.Arbitrary<Step> =>
  fc
    .record({ actor, ...fields } as never)
    .map((record) => ({ kind: 'ledger', command: { type, ...(record as object) } as never }));

const moneyIn: fc.Arbitrary<Step>[] = [
  ledger('PlanContribution', { partnerId: partner, fundingStream: stream, amount }),
  ledger('RequestContributionVariation', {
    variationId: ids('var', 4),
    partnerId: partner,
    fundingStream: stream,
    change: signed,
  }),
  ledger('ApproveContributionVariation', { variationId: ids('var', 4) }, approver),
  ledger('RejectContributionVariation', { variationId: ids('var', 4) }, approver),
  ledger('RecordContributionDue', {
    dueId: ids('due', 20),
    partnerId: partner,
    fundingStream: stream,
    amount,
    dueOn: date,
    reference: fc.constant('INV-P'),
  }),
  ledger('RecordContributionReceived', {
    receiptId: ids('rec', 20),
    partnerId: partner,
    fundingStream: stream,
    amount,
    receivedOn: date,
    reference: fc.constant('BACS'),
  }),
  ledger('RecordGrantAward', {
    grantId: ids('g', 2),
    fundingStream: stream,
    amount,
    awardedOn: date,
    determinationReference: fc.constant('DCLG'),
  }),
  ledger('RecordGrantInstalment', {
    instalmentId: ids('i', 10),
    grantId: ids('g', 2),
    amount,
    receivedOn: date,
    reference: fc.constant('BACS'),
  }),
];

const budget: fc.Arbitrary<Step>[] = [
  ledger('AllocateFunds', {
    allocationId: ids('alloc', 40),
    schemeId: scheme,
    fundingStream: stream,
    amount,
    basis: fc.constantFrom('original', 'supplementary', undefined),
  }),
  ledger('ReleaseAllocation', {
    releaseId: ids('rel', 10),
    schemeId: scheme,
    fundingStream: stream,
    amount,
  }),
  ledger('RequestVirement', {
    virementId: ids('vir', 6),
    fundingStream: stream,
    fromSchemeId: scheme,
    toSchemeId: scheme,
    amount,
  }),
  ledger('ApproveVirement', { virementId: ids('vir', 6) }, approver),
  ledger('RejectVirement', { virementId: ids('vir', 6) }, approver),
  ledger('ClassifyScheme', {
    schemeId: scheme,
    columns: fc.record({
      name: fc.constantFrom('Care at home', 'Discharge', 'Adaptations'),
      schemeType: fc.constantFrom('Other', 'DFG - Adaptations', 'Reablement services'),
      description: fc.constantFrom('', 'described'),
      areaOfSpend: fc.constant('Social Care'),
      commissioner: fc.constant('Local Authority'),
      provider: fc.constant('Local Authority'),
      newOrExisting: fc.constantFrom('New' as const, 'Existing' as const),
    }),
  }),
  ledger('PhaseBudget', {
    schemeId: scheme,
    fundingStream: stream,
    profile: fc.constantFrom(
      { Q1: '25', Q2: '25', Q3: '25', Q4: '25' },
      { Q1: '0', Q2: '40', Q3: '30', Q4: '30' },
      { Q1: '10.5', Q2: '20', Q3: '30', Q4: '39.5' },
    ),
  }),
  ledger('SetRagThresholds', {
    thresholds: fc.constantFrom(
      {
        amberAbovePercent: '1.00',
        redAbovePercent: '10.00',
        amberBelowPercent: '5.00',
        redBelowPercent: '50.00',
      },
      {
        amberAbovePercent: '0.00',
        redAbovePercent: '0.00',
        amberBelowPercent: '0.00',
        redBelowPercent: '0.00',
      },
    ),
  }),
];

const moneyOut: fc.Arbitrary<Step>[] = [
  ledger(
    'RecordSpend',
    {
      spendId: ids('sp', 30),
      schemeId: scheme,
      fundingStream: stream,
      spendDate: date,
      amount,
      supplier: fc.constant('Acme'),
      erpReference: fc.constant('ERP'),
      description: fc.constant(''),
      ibcfPurpose: purpose,
      commitmentId: fc.constantFrom(undefined, 'c0', 'c1'),
    },
    fc.constant(officer),
  ),
  ledger('RecordCreditNote', {
    creditId: ids('cn', 20),
    creditsSpendId: fc.constantFrom(undefined, 'sp0', 'sp1', 'sp2'),
    schemeId: fc.constantFrom(undefined, ...SCHEMES),
    fundingStream: fc.constantFrom(undefined, ...STREAMS),
    creditDate: date,
    amount,
    supplier: fc.constant('Acme'),
    reference: fc.constant('CN'),
    description: fc.constant(''),
    refundsPriorYear: fc.constantFrom(undefined, '2016-17 INV-1'),
    ibcfPurpose: purpose,
  }),
  ledger('ReverseSpend', {
    reversalId: ids('rev', 30),
    spendId: ids('sp', 30),
    reason: fc.constant('mistake'),
  }),
  ledger('RecodeSpend', {
    recodeId: ids('rc', 20),
    spendId: ids('sp', 30),
    toSchemeId: scheme,
    toFundingStream: stream,
    amount: fc.constantFrom(undefined, '0.01', '10.00'),
    reason: fc.constant('mis-coded'),
    ibcfPurpose: purpose,
  }),
  ledger('RaiseCommitment', {
    commitmentId: ids('c', 3),
    schemeId: scheme,
    fundingStream: stream,
    raisedOn: date,
    amount,
    supplier: fc.constant('Acme'),
    reference: fc.constant('PO'),
    description: fc.constant(''),
  }),
  ledger('ReleaseCommitment', {
    commitmentId: ids('c', 3),
    amount: fc.constantFrom(undefined, '0.01'),
    reason: fc.constant('done'),
  }),
  ledger('PostAccrual', {
    accrualId: ids('acc', 10),
    schemeId: scheme,
    fundingStream: stream,
    amount: signed,
    description: fc.constant('year end'),
  }),
  ledger('PostPriorPeriodAdjustment', {
    adjustmentId: ids('ppa', 10),
    closedQuarter: fc.constantFrom('Q1', 'Q2', 'Q3'),
    schemeId: scheme,
    fundingStream: stream,
    amount: signed,
    description: fc.constant('correction'),
    ibcfPurpose: purpose,
  }),
  ledger('UpdateForecast', {
    schemeId: scheme,
    fundingStream: stream,
    quarter: fc.constantFrom('Q1', 'Q2', 'Q3', 'Q4'),
    forecastOutturn: amount,
  }),
  ledger('PlanSaving', {
    savingId: ids('sv', 5),
    schemeId: scheme,
    amount,
    cashable: fc.boolean(),
    description: fc.constant(''),
  }),
  ledger('RecordRealisedSaving', {
    realisationId: ids('rs', 10),
    schemeId: scheme,
    realisedOn: date,
    amount,
    evidence: fc.constant('extract'),
  }),
];

/** The pool's own facts change too, between and after closes. */
const poolChanges: fc.Arbitrary<Step>[] = [
  fc.constant<Step>({
    kind: 'pool',
    command: {
      type: 'JoinPartner',
      actor: admin,
      poolId: POOL,
      partnerId: 'NEWP',
      name: 'A district council',
      kind: 'Local Authority',
    },
  }),
  fc.constantFrom('Renamed at home', 'Specialist Care at Home').map(
    (name): Step => ({
      kind: 'pool',
      command: {
        type: 'AmendScheme',
        actor: officer,
        poolId: POOL,
        schemeId: '1',
        changes: { name },
      },
    }),
  ),
];

const control: fc.Arbitrary<Step>[] = [
  fc.constant<Step>({ kind: 'close-quarter' }),
  yearEndTermsArbitrary({
    partnerIds: PARTNERS,
    lines: SCHEMES.flatMap((schemeId) =>
      STREAMS.map((fundingStream) => ({ schemeId, fundingStream })),
    ),
    fundingStreams: STREAMS,
  }).map((terms): Step => ({ kind: 'agree-terms', terms })),
  ledger('DetermineYearEndOutturn', {}, fc.constant(cfo)),
  ledger('ApplyRiskShare', {}, fc.constant(cfo)),
  fc.constant<Step>({ kind: 'close-year' }),
];

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: fc.oneof(...moneyIn) },
  { weight: 8, arbitrary: fc.oneof(...budget) },
  { weight: 10, arbitrary: fc.oneof(...moneyOut) },
  { weight: 1, arbitrary: fc.oneof(...poolChanges) },
  { weight: 6, arbitrary: fc.oneof(...control) },
);

/** Terms any ledger can apply: the host bears what is left, everything else carried forward. */
const SIMPLE_TERMS: YearEndTerms = {
  steps: ['share-overspend'],
  defaultProfile: { kind: 'host' },
  lineProfiles: [],
  defaultUnderspend: 'carry-forward',
  underspend: [],
  unallocated: 'carry-forward',
};

/** A pool-year driven through its deciders, with the view folded as the read model folds it. */
class Pool {
  readonly poolEvents: PoolEvent[] = [...poolSetUp];
  pool: PoolState = foldPool(poolSetUp);
  readonly state: LedgerState = ledgerDecider.initialState();
  readonly ledgerEvents: LedgerEvent[] = [];
  readonly view: PoolView = emptyPoolView(POOL);

  constructor() {
    for (const [index, event] of poolSetUp.entries())
      applyToPoolView(this.view, versioned(event, index + 1));
  }

  take(step: Step): void {
    if (step.kind === 'close-quarter') this.closeQuarter();
    else if (step.kind === 'close-year') this.closeYear();
    else if (step.kind === 'agree-terms') this.agreeTerms(step.terms);
    else if (step.kind === 'pool') this.poolCommand(step.command);
    else this.ledgerCommand(step.command);
  }

  ledgerCommand(command: LedgerStep): void {
    const decision = ledgerDecider.decide(
      { poolId: POOL, year: YEAR, ...command, pool: this.pool } as LedgerCommand,
      this.state,
    );
    if (!decision.ok) return;
    for (const event of decision.events) {
      ledgerDecider.evolve(this.state, event);
      this.ledgerEvents.push(event);
      applyToPoolView(this.view, versioned(event, this.ledgerEvents.length));
    }
  }

  poolCommand(command: PoolCommand): void {
    const decision = poolDecider.decide(command, this.pool);
    if (!decision.ok) return;
    for (const event of decision.events) {
      this.pool = poolDecider.evolve(this.pool, event);
      this.poolEvents.push(event);
      applyToPoolView(this.view, versioned(event, this.poolEvents.length));
    }
  }

  closeQuarter(): void {
    const quarter = QUARTERS[this.state.closedQuarters];
    if (quarter === undefined) return;
    for (const [type, actor] of [
      ['RequestQuarterClose', officer],
      ['ApproveQuarterClose', cfo],
    ] as const) {
      const digest = quarterlyReport(this.view, YEAR, quarter)?.digest ?? '';
      this.ledgerCommand({
        type,
        actor,
        quarter,
        reportDigest: digest,
        ...this.versions(),
      } as never);
    }
  }

  /** One CFO proposes the terms (kept to the lines there are), another agrees them. */
  agreeTerms(terms: YearEndTerms): void {
    this.ledgerCommand({
      type: 'ProposeYearEndTerms',
      actor: cfo,
      terms: termsForLines(terms, this.state.lines),
    } as LedgerStep);
    this.ledgerCommand({ type: 'ApproveYearEndTerms', actor: secondCfo });
  }

  /** The year end in one go: the quarters left closed, the outturn, terms if none, the share. */
  closeYear(): void {
    for (const _quarter of QUARTERS) this.closeQuarter();
    this.ledgerCommand({ type: 'DetermineYearEndOutturn', actor: cfo } as LedgerStep);
    if (this.state.agreedTerms === undefined) this.agreeTerms(SIMPLE_TERMS);
    this.ledgerCommand({ type: 'ApplyRiskShare', actor: cfo } as LedgerStep);
    for (const [type, actor] of [
      ['RequestYearClose', officer],
      ['ApproveYearClose', cfo],
    ] as const) {
      const statement = yearEndStatement(this.view, YEAR);
      const digest = statement === undefined ? '' : yearEndDigest(statement);
      this.ledgerCommand({ type, actor, reportDigest: digest, ...this.versions() } as never);
    }
  }

  versions() {
    return { ledgerVersion: this.state.version, poolVersion: this.pool.version };
  }
}

function versioned(event: BcfEvent, streamVersion: number) {
  return { ...event, streamVersion } as BcfEvent & { readonly streamVersion: number };
}

/** Every closed quarter, and a closed year, as the view reads them now, against their digests. */
function closesAsSigned(view: PoolView): string[] {
  const year = view.years[YEAR];
  if (year === undefined) return [];
  const drifted = QUARTERS.filter((quarter) => year.quarters[quarter].closedBy !== null)
    .filter(
      (quarter) =>
        quarterlyReport(view, YEAR, quarter)?.digest !== year.quarters[quarter].reportDigest,
    )
    .map((quarter) => `${quarter} no longer reads as signed off`);
  const statement = yearEndStatement(view, YEAR);
  if (year.yearClose.closedBy !== null && statement !== undefined)
    if (yearEndDigest(statement) !== year.yearClose.reportDigest)
      drifted.push(`${YEAR} no longer reads as closed`);
  return drifted;
}

/** The view folded again, the pool's stream first and then the ledger's, through its stored form. */
function rebuilt(pool: Pool): PoolView {
  const view = emptyPoolView(POOL);
  for (const [index, event] of pool.poolEvents.entries())
    applyToPoolView(view, versioned(event, index + 1));
  for (const [index, event] of pool.ledgerEvents.entries())
    applyToPoolView(view, versioned(event, index + 1));
  return parseView<PoolView>(JSON.stringify(view));
}

describe(`closed quarters stay as signed off (${HISTORIES} histories, seed ${SEED})`, () => {
  const reached = { quarterCloses: 0, yearCloses: 0, steps: 0, postingsAfterACose: 0 };

  it('keeps every closed quarter’s and year’s report on its digest after every step, and rebuilds to the live view', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 10, maxLength: 60, size: 'max' }), (steps) => {
        const pool = new Pool();
        for (const each of steps) {
          const before = pool.ledgerEvents.length;
          pool.take(each);
          reached.steps += 1;
          if (pool.state.closedQuarters > 0 && pool.ledgerEvents.length > before)
            reached.postingsAfterACose += 1;
          expect(closesAsSigned(pool.view), JSON.stringify(each)).toEqual([]);
        }
        reached.quarterCloses += pool.state.closedQuarters;
        reached.yearCloses += pool.state.yearClosed ? 1 : 0;
        expect(canonicalJson(rebuilt(pool))).toBe(canonicalJson(pool.view));
      }),
      { numRuns: HISTORIES, seed: SEED },
    );
    // The property was tested where it matters: closes happened, and postings came after them.
    expect(reached.quarterCloses).toBeGreaterThan(HISTORIES);
    expect(reached.postingsAfterACose).toBeGreaterThan(HISTORIES);
    expect(reached.yearCloses).toBeGreaterThan(0);
  }, 300_000);
});
