import { describe, expect, it } from 'vitest';
import {
  cfo,
  contributionsPlanned,
  DFG,
  decideLedger,
  IBCF,
  ledgerEvent,
  linesAllocated,
  MIN_CCG,
  officer,
  poolSetUp,
  secondCfo,
  secondOfficer,
} from '../support/domain.ts';

/**
 * Given past events, when a command, then these events, this exact refusal, or nothing: one
 * block per rule of the domain brief's section 4.
 */

const spend = (overrides: Record<string, unknown> = {}) => ({
  type: 'RecordSpend' as const,
  actor: officer,
  spendId: 's1',
  schemeId: '1',
  fundingStream: MIN_CCG,
  quarter: 'Q1' as const,
  spendDate: '2017-05-14',
  amount: '1250.50',
  supplier: 'Acme Homecare Ltd',
  erpReference: 'INV-0001',
  description: 'Homecare, April',
  ...overrides,
});

const closedQ1 = [
  ledgerEvent('QuarterCloseRequested.v1', {
    quarter: 'Q1',
    reportDigest: 'a'.repeat(64),
    ledgerVersion: 6,
    poolVersion: 8,
    requestedBy: officer.id,
  }),
  ledgerEvent('QuarterClosed.v1', {
    quarter: 'Q1',
    reportDigest: 'a'.repeat(64),
    ledgerVersion: 6,
    poolVersion: 8,
    requestedBy: officer.id,
    approvedBy: cfo.id,
  }),
];

describe('rule 1: money is exact, in pounds and pence, positive where the rule says so', () => {
  it('accepts an exact amount and records it in canonical form', () => {
    const decision = decideLedger(
      { ledger: contributionsPlanned },
      {
        type: 'AllocateFunds',
        actor: officer,
        allocationId: 'a1',
        schemeId: '1',
        fundingStream: MIN_CCG,
        amount: '1000',
      },
    );
    expect(decision).toEqual({
      ok: true,
      events: [
        ledgerEvent('FundsAllocated.v1', {
          allocationId: 'a1',
          schemeId: '1',
          fundingStream: MIN_CCG,
          amount: '1000.00',
          quarter: 'Q1',
        }),
      ],
    });
  });

  it.each([
    ['12.345', 'has more than two decimal places'],
    ['1e3', 'is not an amount'],
    ['0.00', 'must be more than 0.00'],
    ['-5.00', 'must be more than 0.00'],
    ['NaN', 'is not an amount'],
  ])('refuses %s, naming the field and the value', (amount, message) => {
    const decision = decideLedger(
      { ledger: contributionsPlanned },
      {
        type: 'AllocateFunds',
        actor: officer,
        allocationId: 'a1',
        schemeId: '1',
        fundingStream: MIN_CCG,
        amount,
      },
    );
    expect(decision).toMatchObject({
      ok: false,
      error: { code: 'amount-invalid', field: 'amount', value: amount },
    });
    expect(decision.ok ? '' : decision.error.message).toContain(message);
  });
});

describe('rule 2: a financial year is opened before anything is posted to it', () => {
  it('refuses a posting to a year that is not open, naming the year', () => {
    const decision = decideLedger(
      {},
      {
        type: 'PlanContribution',
        actor: officer,
        year: '2018-19',
        partnerId: 'HCC',
        fundingStream: IBCF,
        amount: '10.00',
      },
    );
    expect(decision).toEqual({
      ok: false,
      error: {
        code: 'year-not-open',
        message: 'financial year 2018-19 has not been opened for pool "herts"',
        field: 'year',
        value: '2018-19',
      },
    });
  });

  it('refuses spend dated outside its quarter', () => {
    const decision = decideLedger({ ledger: linesAllocated }, spend({ spendDate: '2017-07-01' }));
    expect(decision).toMatchObject({
      ok: false,
      error: { code: 'date-outside-quarter', field: 'spendDate', value: '2017-07-01' },
    });
  });

  it('plans a contribution in the open quarter, and planning the same amount again changes nothing', () => {
    const plan = {
      type: 'PlanContribution' as const,
      actor: officer,
      partnerId: 'HCC',
      fundingStream: IBCF,
      amount: '500000.00',
    };
    expect(decideLedger({ ledger: [] }, plan)).toEqual({
      ok: true,
      events: [contributionsPlanned[2]],
    });
    expect(decideLedger({ ledger: contributionsPlanned }, plan)).toEqual({ ok: true, events: [] });
    expect(
      decideLedger({ ledger: contributionsPlanned }, { ...plan, amount: '1.00' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'contribution-already-planned', field: 'partnerId', value: 'HCC' },
    });
  });
});

describe('rule 3: allocations never exceed contributions for a year and stream', () => {
  const allocate = (amount: string) =>
    decideLedger(
      { ledger: linesAllocated },
      {
        type: 'AllocateFunds',
        actor: officer,
        allocationId: 'a9',
        schemeId: '1',
        fundingStream: MIN_CCG,
        amount,
      },
    );

  it('allocates up to exactly the unallocated balance', () => {
    expect(allocate('300000.00')).toMatchObject({
      ok: true,
      events: [{ type: 'FundsAllocated.v1' }],
    });
  });

  it('refuses a penny more, saying how much is left', () => {
    expect(allocate('300000.01')).toEqual({
      ok: false,
      error: {
        code: 'insufficient-unallocated-funds',
        message:
          'amount 300000.01 is more than the 300000.00 of Minimum CCG Contribution left unallocated in 2017-18',
        field: 'amount',
        value: '300000.01',
      },
    });
  });

  it('refuses a contribution reduction that would leave allocations uncovered', () => {
    const requested = ledgerEvent('ContributionVariationRequested.v1', {
      variationId: 'v1',
      partnerId: 'ENHCCG',
      fundingStream: MIN_CCG,
      change: '-300000.01',
      requestedBy: officer.id,
    });
    const decision = decideLedger(
      { ledger: [...linesAllocated, requested] },
      { type: 'ApproveContributionVariation', actor: cfo, variationId: 'v1' },
    );
    expect(decision).toMatchObject({
      ok: false,
      error: { code: 'insufficient-unallocated-funds', field: 'change', value: '-300000.01' },
    });
  });

  it('releases unspent budget back to the stream, but not spent budget', () => {
    const release = (amount: string) =>
      decideLedger(
        { ledger: [...linesAllocated, spendEvent('s1', '650000.00')] },
        {
          type: 'ReleaseAllocation',
          actor: officer,
          releaseId: 'r1',
          schemeId: '1',
          fundingStream: MIN_CCG,
          amount,
        },
      );
    expect(release('50000.00')).toMatchObject({
      ok: true,
      events: [{ type: 'AllocationReleased.v1', data: { amount: '50000.00', quarter: 'Q1' } }],
    });
    expect(release('50000.01')).toMatchObject({
      ok: false,
      error: { code: 'insufficient-line-budget', field: 'amount', value: '50000.01' },
    });
  });
});

describe('rule 4: virements between lines of one stream need a different approver', () => {
  const second = ledgerEvent('FundsAllocated.v1', {
    allocationId: 'a3',
    schemeId: '3',
    fundingStream: MIN_CCG,
    amount: '100000.00',
    quarter: 'Q1',
  });
  const requested = ledgerEvent('VirementRequested.v1', {
    virementId: 'vir1',
    fundingStream: MIN_CCG,
    fromSchemeId: '1',
    toSchemeId: '3',
    amount: '200000.00',
    requestedBy: officer.id,
  });

  it('records a request, refusing one between a line and itself', () => {
    const request = {
      type: 'RequestVirement' as const,
      actor: officer,
      virementId: 'vir1',
      fundingStream: MIN_CCG,
      fromSchemeId: '1',
      toSchemeId: '3',
      amount: '200000.00',
    };
    expect(decideLedger({ ledger: [...linesAllocated, second] }, request)).toEqual({
      ok: true,
      events: [requested],
    });
    expect(decideLedger({ ledger: linesAllocated }, { ...request, toSchemeId: '1' })).toMatchObject(
      { ok: false, error: { code: 'virement-same-line' } },
    );
  });

  it('moves the budget when a different approver approves', () => {
    const decision = decideLedger(
      { ledger: [...linesAllocated, second, requested] },
      { type: 'ApproveVirement', actor: cfo, virementId: 'vir1' },
    );
    expect(decision).toEqual({
      ok: true,
      events: [
        ledgerEvent('VirementApproved.v1', {
          virementId: 'vir1',
          fundingStream: MIN_CCG,
          fromSchemeId: '1',
          toSchemeId: '3',
          amount: '200000.00',
          requestedBy: officer.id,
          approvedBy: cfo.id,
          quarter: 'Q1',
        }),
      ],
    });
  });

  it('refuses approval by the requester, even one holding the approver role', () => {
    const byCfo = {
      ...requested,
      data: { ...requested.data, requestedBy: cfo.id },
    } as typeof requested;
    expect(
      decideLedger(
        { ledger: [...linesAllocated, second, byCfo] },
        { type: 'ApproveVirement', actor: cfo, virementId: 'vir1' },
      ),
    ).toMatchObject({
      ok: false,
      error: { code: 'same-person-approval', field: 'actor', value: cfo.id },
    });
  });

  it('refuses approval without the approver role', () => {
    expect(
      decideLedger(
        { ledger: [...linesAllocated, second, requested] },
        { type: 'ApproveVirement', actor: secondOfficer, virementId: 'vir1' },
      ),
    ).toMatchObject({
      ok: false,
      error: { code: 'approver-role-required' },
    });
  });

  it('refuses approval when the source line no longer has the amount unspent', () => {
    const decision = decideLedger(
      { ledger: [...linesAllocated, second, requested, spendEvent('s1', '500000.01')] },
      { type: 'ApproveVirement', actor: cfo, virementId: 'vir1' },
    );
    expect(decision).toMatchObject({
      ok: false,
      error: { code: 'insufficient-line-budget', value: '200000.00' },
    });
  });

  it('does nothing when a rejected virement is rejected again, and refuses to approve it', () => {
    const rejected = ledgerEvent('VirementRejected.v1', {
      virementId: 'vir1',
      rejectedBy: secondCfo.id,
    });
    const given = { ledger: [...linesAllocated, second, requested, rejected] };
    expect(decideLedger(given, { type: 'RejectVirement', actor: cfo, virementId: 'vir1' })).toEqual(
      { ok: true, events: [] },
    );
    expect(
      decideLedger(given, { type: 'ApproveVirement', actor: cfo, virementId: 'vir1' }),
    ).toMatchObject({ ok: false, error: { code: 'not-pending' } });
  });
});

describe('rule 5: iBCF spend names its purpose; DFG capital stays capital', () => {
  it('refuses iBCF spend without a purpose, and other spend with one', () => {
    expect(
      decideLedger({ ledger: linesAllocated }, spend({ schemeId: '3', fundingStream: IBCF })),
    ).toMatchObject({
      ok: false,
      error: { code: 'ibcf-purpose-required', field: 'ibcfPurpose' },
    });
    expect(
      decideLedger({ ledger: linesAllocated }, spend({ ibcfPurpose: 'reducing-nhs-pressures' })),
    ).toMatchObject({
      ok: false,
      error: {
        code: 'ibcf-purpose-not-applicable',
        field: 'ibcfPurpose',
        value: 'reducing-nhs-pressures',
      },
    });
  });

  it('records iBCF spend with its purpose', () => {
    const decision = decideLedger(
      { ledger: linesAllocated },
      spend({ schemeId: '3', fundingStream: IBCF, ibcfPurpose: 'reducing-nhs-pressures' }),
    );
    expect(decision).toMatchObject({
      ok: true,
      events: [
        {
          type: 'SpendRecorded.v1',
          data: { ibcfPurpose: 'reducing-nhs-pressures', amount: '1250.50' },
        },
      ],
    });
  });

  it('refuses DFG for a revenue scheme and allows it for a capital one', () => {
    const allocate = (schemeId: string) =>
      decideLedger(
        { ledger: contributionsPlanned },
        {
          type: 'AllocateFunds',
          actor: officer,
          allocationId: 'd1',
          schemeId,
          fundingStream: DFG,
          amount: '100.00',
        },
      );
    expect(allocate('1')).toMatchObject({
      ok: false,
      error: { code: 'capital-to-revenue', field: 'schemeId', value: '1' },
    });
    expect(allocate('7')).toMatchObject({ ok: true, events: [{ type: 'FundsAllocated.v1' }] });
  });
});

describe('rule 6: spend goes against an existing scheme line; overspend is recorded', () => {
  it('refuses spend on a line with no allocation', () => {
    expect(decideLedger({ ledger: contributionsPlanned }, spend())).toMatchObject({
      ok: false,
      error: { code: 'scheme-line-unknown', field: 'schemeId', value: '1' },
    });
  });

  it('records spend beyond the budget rather than refusing it', () => {
    expect(decideLedger({ ledger: linesAllocated }, spend({ amount: '900000.00' }))).toMatchObject({
      ok: true,
      events: [{ data: { amount: '900000.00' } }],
    });
  });

  it('refuses a spend id used before', () => {
    expect(
      decideLedger({ ledger: [...linesAllocated, spendEvent('s1', '10.00')] }, spend()),
    ).toMatchObject({
      ok: false,
      error: { code: 'duplicate-id', field: 'spendId', value: 's1' },
    });
  });
});

describe('rule 7: corrections by reversal, with a reason, once', () => {
  const reverse = {
    type: 'ReverseSpend' as const,
    actor: officer,
    reversalId: 'rev1',
    spendId: 's1',
    reason: 'duplicate invoice',
  };

  it('reverses a spend in its own open quarter', () => {
    expect(
      decideLedger({ ledger: [...linesAllocated, spendEvent('s1', '10.00')] }, reverse),
    ).toEqual({
      ok: true,
      events: [
        ledgerEvent('SpendReversed.v1', {
          reversalId: 'rev1',
          spendId: 's1',
          schemeId: '1',
          fundingStream: MIN_CCG,
          amount: '10.00',
          quarter: 'Q1',
        }),
      ],
    });
  });

  it('refuses a second reversal, a missing reason and an unknown spend', () => {
    const reversed = ledgerEvent('SpendReversed.v1', {
      reversalId: 'rev0',
      spendId: 's1',
      schemeId: '1',
      fundingStream: MIN_CCG,
      amount: '10.00',
      quarter: 'Q1',
    });
    expect(
      decideLedger({ ledger: [...linesAllocated, spendEvent('s1', '10.00'), reversed] }, reverse),
    ).toMatchObject({
      ok: false,
      error: { code: 'already-reversed', field: 'spendId', value: 's1' },
    });
    expect(
      decideLedger(
        { ledger: [...linesAllocated, spendEvent('s1', '10.00')] },
        { ...reverse, reason: ' ' },
      ),
    ).toMatchObject({ ok: false, error: { code: 'reason-required' } });
    expect(decideLedger({ ledger: linesAllocated }, reverse)).toMatchObject({
      ok: false,
      error: { code: 'spend-unknown', value: 's1' },
    });
  });
});

describe('rule 8: closed quarters take no postings; corrections go to an open quarter', () => {
  const q1Spend = spendEvent('s1', '10.00');

  it('refuses spend, forecasts and savings in a closed quarter', () => {
    const given = { ledger: [...linesAllocated, ...closedQ1] };
    expect(decideLedger(given, spend())).toMatchObject({
      ok: false,
      error: { code: 'quarter-closed', field: 'quarter', value: 'Q1' },
    });
    expect(
      decideLedger(given, {
        type: 'UpdateForecast',
        actor: officer,
        schemeId: '1',
        fundingStream: MIN_CCG,
        quarter: 'Q1',
        forecastOutturn: '1.00',
      }),
    ).toMatchObject({ ok: false, error: { code: 'quarter-closed' } });
  });

  it('posts the reversal of a closed quarter’s spend in the open quarter, naming the closed one', () => {
    const decision = decideLedger(
      { ledger: [...linesAllocated, q1Spend, ...closedQ1] },
      {
        type: 'ReverseSpend',
        actor: officer,
        reversalId: 'rev1',
        spendId: 's1',
        reason: 'wrong scheme',
      },
    );
    expect(decision).toMatchObject({
      ok: true,
      events: [{ type: 'SpendReversed.v1', data: { quarter: 'Q2', priorPeriodOf: 'Q1' } }],
    });
  });

  it('posts a prior-period adjustment into the open quarter, and refuses one naming an open quarter', () => {
    const adjust = {
      type: 'PostPriorPeriodAdjustment' as const,
      actor: officer,
      adjustmentId: 'ppa1',
      closedQuarter: 'Q1' as const,
      schemeId: '1',
      fundingStream: MIN_CCG,
      amount: '-99.99',
      description: 'credit note for April',
    };
    expect(decideLedger({ ledger: [...linesAllocated, ...closedQ1] }, adjust)).toMatchObject({
      ok: true,
      events: [
        {
          type: 'PriorPeriodAdjustmentPosted.v1',
          data: { closedQuarter: 'Q1', quarter: 'Q2', amount: '-99.99' },
        },
      ],
    });
    expect(decideLedger({ ledger: linesAllocated }, adjust)).toMatchObject({
      ok: false,
      error: { code: 'quarter-not-closed', field: 'closedQuarter', value: 'Q1' },
    });
  });
});

describe('rule 9: quarters close in order, requested and approved by different people', () => {
  const digest = 'b'.repeat(64);
  const request = (quarter: 'Q1' | 'Q2', ledgerVersion = 6) =>
    decideLedger(
      { ledger: linesAllocated },
      {
        type: 'RequestQuarterClose',
        actor: officer,
        quarter,
        reportDigest: digest,
        ledgerVersion,
        poolVersion: 8,
      },
    );
  const requested = ledgerEvent('QuarterCloseRequested.v1', {
    quarter: 'Q1',
    reportDigest: digest,
    ledgerVersion: 6,
    poolVersion: 8,
    requestedBy: officer.id,
  });
  const approve = (actor = cfo, reportDigest = digest, ledgerVersion = 7) =>
    decideLedger(
      { ledger: [...linesAllocated, requested] },
      {
        type: 'ApproveQuarterClose',
        actor,
        quarter: 'Q1',
        reportDigest,
        ledgerVersion,
        poolVersion: 8,
      },
    );

  it('records a request for the next quarter with the digest of its position', () => {
    expect(request('Q1')).toEqual({ ok: true, events: [requested] });
  });

  it('refuses a request out of order or on an out-of-date position', () => {
    expect(request('Q2')).toMatchObject({
      ok: false,
      error: { code: 'quarter-out-of-order', value: 'Q2' },
    });
    expect(request('Q1', 5)).toMatchObject({
      ok: false,
      error: { code: 'position-out-of-date', field: 'ledgerVersion', value: '5' },
    });
  });

  it('closes on approval by another approver whose position matches', () => {
    expect(approve()).toEqual({
      ok: true,
      events: [
        ledgerEvent('QuarterClosed.v1', {
          quarter: 'Q1',
          reportDigest: digest,
          ledgerVersion: 7,
          poolVersion: 8,
          requestedBy: officer.id,
          approvedBy: cfo.id,
        }),
      ],
    });
  });

  it('refuses approval by the requester, without the role, or on a changed position', () => {
    expect(approve(officer)).toMatchObject({
      ok: false,
      error: { code: 'approver-role-required' },
    });
    expect(approve(cfo, 'c'.repeat(64))).toMatchObject({
      ok: false,
      error: { code: 'position-changed-since-request' },
    });
    expect(approve(cfo, digest, 6)).toMatchObject({
      ok: false,
      error: { code: 'position-out-of-date' },
    });
    const selfRequested = {
      ...requested,
      data: { ...requested.data, requestedBy: cfo.id },
    } as typeof requested;
    expect(
      decideLedger(
        { ledger: [...linesAllocated, selfRequested] },
        {
          type: 'ApproveQuarterClose',
          actor: cfo,
          quarter: 'Q1',
          reportDigest: digest,
          ledgerVersion: 7,
          poolVersion: 8,
        },
      ),
    ).toMatchObject({ ok: false, error: { code: 'same-person-approval' } });
  });
});

describe('rule 10: the year-end risk share allocates the whole net to partners, to the penny', () => {
  const allClosed = (['Q1', 'Q2', 'Q3', 'Q4'] as const).map((quarter) =>
    ledgerEvent('QuarterClosed.v1', {
      quarter,
      reportDigest: 'd'.repeat(64),
      ledgerVersion: 1,
      poolVersion: 1,
      requestedBy: officer.id,
      approvedBy: cfo.id,
    }),
  );

  it('refuses the outturn before the four quarters are closed', () => {
    expect(
      decideLedger({ ledger: linesAllocated }, { type: 'DetermineYearEndOutturn', actor: cfo }),
    ).toMatchObject({ ok: false, error: { code: 'year-end-not-ready' } });
  });

  it('determines the outturn per stream: spent against contributions', () => {
    const decision = decideLedger(
      { ledger: [...linesAllocated, spendEvent('s1', '800000.00'), ...allClosed] },
      { type: 'DetermineYearEndOutturn', actor: cfo },
    );
    expect(decision).toMatchObject({
      ok: true,
      events: [
        {
          type: 'YearEndOutturnDetermined.v1',
          data: {
            contributions: '2000000.00',
            spent: '800000.00',
            net: '-1200000.00',
            byStream: [
              {
                fundingStream: MIN_CCG,
                contributions: '1000000.00',
                spent: '800000.00',
                net: '-200000.00',
              },
              { fundingStream: IBCF, contributions: '500000.00', spent: '0.00', net: '-500000.00' },
              { fundingStream: DFG, contributions: '500000.00', spent: '0.00', net: '-500000.00' },
            ],
          },
        },
      ],
    });
  });

  it('applies proportional shares that sum to the net exactly, once', () => {
    const outturn = ledgerEvent('YearEndOutturnDetermined.v1', {
      contributions: '2000000.00',
      spent: '2000000.01',
      net: '0.01',
      byStream: [],
    });
    const pool = proportionalPool();
    const decision = decideLedger(
      { pool, ledger: [...linesAllocated, ...allClosed, outturn] },
      { type: 'ApplyRiskShare', actor: cfo },
    );
    expect(decision).toMatchObject({
      ok: true,
      events: [
        {
          type: 'RiskShareApplied.v1',
          data: {
            basis: 'proportional-to-contributions',
            net: '0.01',
            allocations: [
              { partnerId: 'HCC', amount: '0.01' },
              { partnerId: 'ENHCCG', amount: '0.00' },
              { partnerId: 'HVCCG', amount: '0.00' },
            ],
          },
        },
      ],
    });
    const applied = decision.ok ? (decision.events[0] as LedgerEventOfRiskShare) : undefined;
    expect(
      decideLedger(
        { pool, ledger: [...linesAllocated, ...allClosed, outturn, applied as never] },
        { type: 'ApplyRiskShare', actor: cfo },
      ),
    ).toMatchObject({
      ok: false,
      error: { code: 'risk-share-already-applied' },
    });
  });

  it('refuses the risk share before the outturn', () => {
    expect(
      decideLedger(
        { ledger: [...linesAllocated, ...allClosed] },
        { type: 'ApplyRiskShare', actor: cfo },
      ),
    ).toMatchObject({ ok: false, error: { code: 'outturn-not-determined' } });
  });
});

type LedgerEventOfRiskShare = { type: 'RiskShareApplied.v1'; data: unknown };

function spendEvent(spendId: string, amount: string) {
  return ledgerEvent('SpendRecorded.v1', {
    spendId,
    schemeId: '1',
    fundingStream: MIN_CCG,
    quarter: 'Q1',
    spendDate: '2017-05-14',
    amount,
    supplier: 'Acme Homecare Ltd',
    erpReference: 'INV-0001',
    description: 'Homecare, April',
  });
}

function proportionalPool() {
  return [
    ...poolSetUp,
    {
      type: 'RiskShareTermsAgreed.v1' as const,
      data: { poolId: 'herts', basis: 'proportional-to-contributions' as const, fixedShares: [] },
    },
  ];
}
