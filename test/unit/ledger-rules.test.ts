import { describe, expect, it } from 'vitest';
import type { LedgerEvent } from '../../src/events/catalogue/index.ts';
import {
  cfo,
  classified,
  closedThrough,
  contributionsPlanned,
  DFG,
  IBCF,
  ledgerEvent,
  linesAllocated,
  MIN_CCG,
  officer,
  poolSetUp,
  quarterClosed,
  secondCfo,
  secondOfficer,
} from '../support/domain.ts';
import { given } from '../support/given.ts';

/**
 * The rules of a year's ledger (the domain brief's section 4), each as given these events, when
 * this command, then these events, this exact refusal, or nothing.
 */

const spend = (overrides: Record<string, unknown> = {}) => ({
  type: 'RecordSpend' as const,
  actor: officer,
  spendId: 's1',
  schemeId: '1',
  fundingStream: MIN_CCG,
  spendDate: '2017-05-14',
  amount: '1250.50',
  supplier: 'Acme Homecare Ltd',
  erpReference: 'INV-0001',
  description: 'Homecare, April',
  ...overrides,
});

function spendEvent(spendId: string, amount: string, more: Record<string, unknown> = {}) {
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
    ...more,
  } as never);
}

const allocate = (amount: string, more: Record<string, unknown> = {}) => ({
  type: 'AllocateFunds' as const,
  actor: officer,
  allocationId: 'a9',
  schemeId: '1',
  fundingStream: MIN_CCG,
  amount,
  ...more,
});

const receipt = (receivedOn: string) => ({
  type: 'RecordContributionReceived' as const,
  actor: officer,
  receiptId: 'r1',
  partnerId: 'ENHCCG',
  fundingStream: MIN_CCG,
  amount: '150000.00',
  receivedOn,
  reference: 'BACS 1001',
});

describe('rule 1: money is exact, in pounds and pence, and every total stays representable', () => {
  it('records an exact amount in canonical form', () => {
    given({ ledger: linesAllocated })
      .when(allocate('1000'))
      .then(
        ledgerEvent('FundsAllocated.v1', {
          allocationId: 'a9',
          schemeId: '1',
          fundingStream: MIN_CCG,
          amount: '1000.00',
          basis: 'original',
          quarter: 'Q1',
        }),
      );
  });

  it.each([
    ['12.345', 'has more than two decimal places'],
    ['1e3', 'is not an amount'],
    ['0.00', 'must be more than 0.00'],
    ['-5.00', 'must be more than 0.00'],
    ['NaN', 'is not an amount'],
  ])('refuses %s, naming the field and the value', (amount, message) => {
    const refusal = given({ ledger: linesAllocated })
      .when(allocate(amount))
      .thenRefused('amount-invalid', 'amount', amount);
    expect(refusal.message).toContain(message);
  });

  it('refuses a posting that would take a gross total past the largest the ledger keeps', () => {
    given({ ledger: linesAllocated })
      .when(spend({ amount: '999999999999.99' }))
      .thenRecords({ type: 'SpendRecorded.v1' });
    given({ ledger: [...linesAllocated, spendEvent('big', '999999999999.99')] })
      .when(spend({ amount: '0.01' }))
      .thenRefused('total-out-of-range', 'amount', '0.01');
  });
});

describe('rule 2: a financial year is opened before anything is posted to it', () => {
  it('refuses a posting to a year that is not open, naming the year', () => {
    given({})
      .when({
        type: 'PlanContribution',
        actor: officer,
        year: '2018-19',
        partnerId: 'HCC',
        fundingStream: IBCF,
        amount: '10.00',
      })
      .thenRefused('year-not-open', 'year', '2018-19');
  });
});

describe('rule 3: a figure counts in the quarter of its business date', () => {
  it('counts an invoice in the quarter of its date, a later quarter included', () => {
    given({ ledger: linesAllocated })
      .when(spend({ spendDate: '2017-08-02' }))
      .thenRecords({ type: 'SpendRecorded.v1', data: { quarter: 'Q2', spendDate: '2017-08-02' } });
  });

  it('refuses a date outside the financial year, and a quarter that disagrees with the date', () => {
    given({ ledger: linesAllocated })
      .when(spend({ spendDate: '2018-04-01' }))
      .thenRefused('date-outside-year', 'spendDate', '2018-04-01');
    given({ ledger: linesAllocated })
      .when(spend({ quarter: 'Q1', spendDate: '2017-07-01' }))
      .thenRefused('date-outside-quarter', 'spendDate', '2017-07-01');
  });

  it('counts cash in the quarter it was received, not the one it was keyed in', () => {
    given({ ledger: linesAllocated })
      .when(receipt('2017-07-10'))
      .then(
        ledgerEvent('ContributionReceived.v1', {
          receiptId: 'r1',
          partnerId: 'ENHCCG',
          fundingStream: MIN_CCG,
          amount: '150000.00',
          receivedOn: '2017-07-10',
          reference: 'BACS 1001',
          quarter: 'Q2',
        }),
      );
    given({ ledger: linesAllocated })
      .when(receipt('2018-04-02'))
      .thenRefused('date-outside-year', 'receivedOn', '2018-04-02');
  });

  it('posts money dated in a closed quarter in the open one, naming the quarter it belongs to', () => {
    const afterQ1 = { ledger: [...linesAllocated, ...closedThrough('Q1')] };
    given(afterQ1)
      .when(receipt('2017-06-30'))
      .thenRecords({ data: { quarter: 'Q2', priorPeriodOf: 'Q1', receivedOn: '2017-06-30' } });
    given(afterQ1)
      .when(spend({ spendDate: '2017-06-12' }))
      .thenRecords({ data: { quarter: 'Q2', priorPeriodOf: 'Q1' } });
  });

  it('dates amounts due, realised savings and commitments the same way', () => {
    const ledger = { ledger: [...linesAllocated, ...closedThrough('Q1')] };
    given(ledger)
      .when({
        type: 'RecordContributionDue',
        actor: officer,
        dueId: 'd1',
        partnerId: 'HVCCG',
        fundingStream: MIN_CCG,
        amount: '100000.00',
        dueOn: '2017-10-01',
        reference: 'INV-P-1',
      })
      .thenRecords({ type: 'ContributionDue.v1', data: { quarter: 'Q3', dueOn: '2017-10-01' } });
    given(ledger)
      .when({
        type: 'RecordRealisedSaving',
        actor: officer,
        realisationId: 'rs1',
        schemeId: '1',
        realisedOn: '2017-05-31',
        amount: '100.00',
        evidence: 'admissions extract',
      })
      .thenRecords({ type: 'SavingRealised.v1', data: { quarter: 'Q2', priorPeriodOf: 'Q1' } });
    given(ledger)
      .when(commitment({ raisedOn: '2017-09-01' }))
      .thenRecords({
        type: 'CommitmentRaised.v1',
        data: { quarter: 'Q2', raisedOn: '2017-09-01' },
      });
  });
});

describe('rule 4: allocations never exceed contributions; original and supplementary apart', () => {
  it('allocates up to exactly the unallocated balance and refuses a penny more', () => {
    given({ ledger: linesAllocated })
      .when(allocate('300000.00'))
      .thenRecords({ type: 'FundsAllocated.v1' });
    const refusal = given({ ledger: linesAllocated })
      .when(allocate('300000.01'))
      .thenRefused('insufficient-unallocated-funds', 'amount', '300000.01');
    expect(refusal.message).toBe(
      'amount 300000.01 is more than the 300000.00 of Minimum CCG Contribution left unallocated in 2017-18',
    );
  });

  it('calls an allocation supplementary once a quarter has closed, unless told which', () => {
    const afterQ1 = { ledger: [...linesAllocated, ...closedThrough('Q1')] };
    given(afterQ1)
      .when(allocate('10.00'))
      .thenRecords({ data: { basis: 'supplementary', quarter: 'Q2' } });
    given(afterQ1)
      .when(allocate('10.00', { basis: 'original' }))
      .thenRecords({ data: { basis: 'original', quarter: 'Q2' } });
    given({ ledger: linesAllocated })
      .when(allocate('10.00', { basis: 'supplementary' }))
      .thenRecords({ data: { basis: 'supplementary', quarter: 'Q1' } });
  });

  it('copies the scheme’s classification into the year before its first allocation', () => {
    given({ ledger: contributionsPlanned })
      .when(allocate('10.00'))
      .then(
        classified('1'),
        ledgerEvent('FundsAllocated.v1', {
          allocationId: 'a9',
          schemeId: '1',
          fundingStream: MIN_CCG,
          amount: '10.00',
          basis: 'original',
          quarter: 'Q1',
        }),
      );
  });

  it('refuses a contribution reduction that would leave allocations uncovered', () => {
    const requested = ledgerEvent('ContributionVariationRequested.v1', {
      variationId: 'v1',
      partnerId: 'ENHCCG',
      fundingStream: MIN_CCG,
      change: '-300000.01',
      requestedBy: officer.id,
      quarter: 'Q1',
    });
    given({ ledger: [...linesAllocated, requested] })
      .when({ type: 'ApproveContributionVariation', actor: cfo, variationId: 'v1' })
      .thenRefused('insufficient-unallocated-funds', 'change', '-300000.01');
  });

  it('never asks a partner for more than it contributes', () => {
    const due = (amount: string) => ({
      type: 'RecordContributionDue' as const,
      actor: officer,
      dueId: 'd1',
      partnerId: 'HVCCG',
      fundingStream: MIN_CCG,
      amount,
      dueOn: '2017-04-30',
      reference: '',
    });
    given({ ledger: linesAllocated })
      .when(due('400000.00'))
      .thenRecords({ type: 'ContributionDue.v1' });
    given({ ledger: linesAllocated })
      .when(due('400000.01'))
      .thenRefused('due-exceeds-contribution', 'amount', '400000.01');
  });
});

describe('rule 5: virements between lines of one stream need a different approver', () => {
  const second = [
    classified('3'),
    ledgerEvent('FundsAllocated.v1', {
      allocationId: 'a3',
      schemeId: '3',
      fundingStream: MIN_CCG,
      amount: '100000.00',
      basis: 'original',
      quarter: 'Q1',
    }),
  ];
  const requested = ledgerEvent('VirementRequested.v1', {
    virementId: 'vir1',
    fundingStream: MIN_CCG,
    fromSchemeId: '1',
    toSchemeId: '3',
    amount: '200000.00',
    requestedBy: officer.id,
    quarter: 'Q1',
  });
  const request = {
    type: 'RequestVirement' as const,
    actor: officer,
    virementId: 'vir1',
    fundingStream: MIN_CCG,
    fromSchemeId: '1',
    toSchemeId: '3',
    amount: '200000.00',
  };

  it('records a request, refusing one between a line and itself', () => {
    given({ ledger: [...linesAllocated, ...second] })
      .when(request)
      .then(requested);
    given({ ledger: linesAllocated })
      .when({ ...request, toSchemeId: '1' })
      .thenRefused('virement-same-line', 'toSchemeId', '1');
  });

  it('moves the budget when a different approver approves', () => {
    given({ ledger: [...linesAllocated, ...second, requested] })
      .when({ type: 'ApproveVirement', actor: cfo, virementId: 'vir1' })
      .then(
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
      );
  });

  it('refuses approval by the requester, without the role, or beyond what is neither spent nor committed', () => {
    const byCfo = { ...requested, data: { ...requested.data, requestedBy: cfo.id } } as LedgerEvent;
    given({ ledger: [...linesAllocated, ...second, byCfo] })
      .when({ type: 'ApproveVirement', actor: cfo, virementId: 'vir1' })
      .thenRefused('same-person-approval', 'actor', cfo.id);
    given({ ledger: [...linesAllocated, ...second, requested] })
      .when({ type: 'ApproveVirement', actor: secondOfficer, virementId: 'vir1' })
      .thenRefused('approver-role-required');
    given({ ledger: [...linesAllocated, ...second, requested, spendEvent('s1', '450000.00')] })
      .when({ type: 'ApproveVirement', actor: cfo, virementId: 'vir1' })
      .thenRecords({ type: 'VirementApproved.v1' });
    given({
      ledger: [
        ...linesAllocated,
        ...second,
        requested,
        spendEvent('s1', '450000.00'),
        commitmentRaised('c1', '50000.01'),
      ],
    })
      .when({ type: 'ApproveVirement', actor: cfo, virementId: 'vir1' })
      .thenRefused('insufficient-line-budget', 'amount', '200000.00');
  });

  it('does nothing when a rejected virement is rejected again, and refuses to approve it', () => {
    const rejected = ledgerEvent('VirementRejected.v1', {
      virementId: 'vir1',
      rejectedBy: secondCfo.id,
      quarter: 'Q1',
    });
    const history = { ledger: [...linesAllocated, ...second, requested, rejected] };
    given(history).when({ type: 'RejectVirement', actor: cfo, virementId: 'vir1' }).thenNothing();
    given(history)
      .when({ type: 'ApproveVirement', actor: cfo, virementId: 'vir1' })
      .thenRefused('not-pending');
  });
});

describe('rule 6: iBCF spend names its purpose; DFG capital stays capital', () => {
  it('refuses iBCF spend without a purpose, and other spend with one', () => {
    given({ ledger: linesAllocated })
      .when(spend({ schemeId: '3', fundingStream: IBCF }))
      .thenRefused('ibcf-purpose-required', 'ibcfPurpose');
    given({ ledger: linesAllocated })
      .when(spend({ ibcfPurpose: 'reducing-nhs-pressures' }))
      .thenRefused('ibcf-purpose-not-applicable', 'ibcfPurpose', 'reducing-nhs-pressures');
  });

  it('refuses DFG for a revenue scheme and allows it for a capital one', () => {
    given({ ledger: contributionsPlanned })
      .when(allocate('100.00', { schemeId: '1', fundingStream: DFG }))
      .thenRefused('capital-to-revenue', 'schemeId', '1');
    given({ ledger: contributionsPlanned })
      .when(allocate('100.00', { schemeId: '7', fundingStream: DFG }))
      .thenRecords({ type: 'SchemeClassified.v1' }, { type: 'FundsAllocated.v1' });
  });

  it('judges capital by the scheme’s type for the year, not the pool’s', () => {
    const revenueThisYear = {
      ...classified('7'),
      data: { ...classified('7').data, schemeType: 'Other' },
    } as LedgerEvent;
    given({ ledger: [...contributionsPlanned, revenueThisYear] })
      .when(allocate('100.00', { schemeId: '7', fundingStream: DFG }))
      .thenRefused('capital-to-revenue', 'schemeId', '7');
  });
});

describe('rule 7: spend goes against an existing line; overspend is recorded', () => {
  it('refuses spend on a line with no allocation, and a spend id used before', () => {
    given({ ledger: contributionsPlanned })
      .when(spend())
      .thenRefused('scheme-line-unknown', 'schemeId', '1');
    given({ ledger: [...linesAllocated, spendEvent('s1', '10.00')] })
      .when(spend())
      .thenRefused('duplicate-id', 'spendId', 's1');
  });

  it('records spend beyond the budget rather than refusing it', () => {
    given({ ledger: linesAllocated })
      .when(spend({ amount: '900000.00' }))
      .thenRecords({ data: { amount: '900000.00' } });
  });
});

describe('rule 8: corrections by reversal, credit note and recode, never by editing', () => {
  const reverse = {
    type: 'ReverseSpend' as const,
    actor: officer,
    reversalId: 'rev1',
    spendId: 's1',
    reason: 'duplicate invoice',
  };
  const credit = (more: Record<string, unknown> = {}) => ({
    type: 'RecordCreditNote' as const,
    actor: officer,
    creditId: 'cn1',
    creditDate: '2017-08-03',
    amount: '400.00',
    supplier: 'Acme Homecare Ltd',
    reference: 'CN-17',
    description: 'overcharge',
    ...more,
  });
  const recode = (more: Record<string, unknown> = {}) => ({
    type: 'RecodeSpend' as const,
    actor: officer,
    recodeId: 'rc1',
    spendId: 's1',
    toSchemeId: '1',
    toFundingStream: 'Additional LA Contribution',
    reason: 'coded to the wrong stream',
    ...more,
  });
  const withLa = [
    ...linesAllocated,
    ledgerEvent('ContributionPlanned.v1', {
      partnerId: 'HCC',
      fundingStream: 'Additional LA Contribution',
      amount: '100000.00',
      quarter: 'Q1',
    }),
    ledgerEvent('FundsAllocated.v1', {
      allocationId: 'a4',
      schemeId: '1',
      fundingStream: 'Additional LA Contribution',
      amount: '100000.00',
      basis: 'original',
      quarter: 'Q1',
    }),
    spendEvent('s1', '1000.00'),
  ];

  it('reverses a spend in its own open quarter, once, with a reason', () => {
    given({ ledger: [...linesAllocated, spendEvent('s1', '10.00')] })
      .when(reverse)
      .then(
        ledgerEvent('SpendReversed.v1', {
          reversalId: 'rev1',
          spendId: 's1',
          schemeId: '1',
          fundingStream: MIN_CCG,
          amount: '10.00',
          quarter: 'Q1',
        }),
      );
    const reversed = ledgerEvent('SpendReversed.v1', {
      reversalId: 'rev0',
      spendId: 's1',
      schemeId: '1',
      fundingStream: MIN_CCG,
      amount: '10.00',
      quarter: 'Q1',
    });
    given({ ledger: [...linesAllocated, spendEvent('s1', '10.00'), reversed] })
      .when(reverse)
      .thenRefused('already-reversed', 'spendId', 's1');
    given({ ledger: [...linesAllocated, spendEvent('s1', '10.00')] })
      .when({ ...reverse, reason: ' ' })
      .thenRefused('reason-required', 'reason');
    given({ ledger: linesAllocated }).when(reverse).thenRefused('spend-unknown', 'spendId', 's1');
  });

  it('posts the reversal of a closed quarter’s spend in the open quarter, naming the closed one', () => {
    given({ ledger: [...linesAllocated, spendEvent('s1', '10.00'), ...closedThrough('Q1')] })
      .when(reverse)
      .thenRecords({ type: 'SpendReversed.v1', data: { quarter: 'Q2', priorPeriodOf: 'Q1' } });
  });

  it('records a supplier credit dated in its own quarter, against a line or an invoice', () => {
    given({ ledger: linesAllocated })
      .when(credit({ schemeId: '1', fundingStream: MIN_CCG }))
      .then(
        ledgerEvent('CreditNoteRecorded.v1', {
          creditId: 'cn1',
          schemeId: '1',
          fundingStream: MIN_CCG,
          quarter: 'Q2',
          creditDate: '2017-08-03',
          amount: '400.00',
          supplier: 'Acme Homecare Ltd',
          reference: 'CN-17',
          description: 'overcharge',
        }),
      );
    given({ ledger: [...linesAllocated, spendEvent('s1', '1000.00')] })
      .when(credit({ creditsSpendId: 's1' }))
      .thenRecords({
        data: { schemeId: '1', fundingStream: MIN_CCG, creditsSpendId: 's1', quarter: 'Q2' },
      });
  });

  it('credits an invoice in part, never more than is left of it, and only on its own line', () => {
    const partlyCredited = [
      ...linesAllocated,
      spendEvent('s1', '1000.00'),
      ledgerEvent('CreditNoteRecorded.v1', {
        creditId: 'cn0',
        schemeId: '1',
        fundingStream: MIN_CCG,
        quarter: 'Q1',
        creditDate: '2017-06-01',
        amount: '600.00',
        supplier: '',
        reference: '',
        description: '',
        creditsSpendId: 's1',
      }),
    ];
    given({ ledger: partlyCredited })
      .when(credit({ creditsSpendId: 's1', amount: '400.00' }))
      .thenRecords({ type: 'CreditNoteRecorded.v1' });
    given({ ledger: partlyCredited })
      .when(credit({ creditsSpendId: 's1', amount: '400.01' }))
      .thenRefused('credit-exceeds-invoice', 'amount', '400.01');
    given({ ledger: partlyCredited })
      .when(credit({ creditsSpendId: 's1', schemeId: '3' }))
      .thenRefused('credit-line-mismatch', 'schemeId', '3');
    given({ ledger: partlyCredited }).when(reverse).thenRefused('spend-credited', 'spendId', 's1');
  });

  it('records a refund of an earlier year’s invoice, and takes an iBCF invoice’s purpose', () => {
    given({ ledger: linesAllocated })
      .when(credit({ schemeId: '1', fundingStream: MIN_CCG, refundsPriorYear: '2016-17 INV-9' }))
      .thenRecords({ data: { refundsPriorYear: '2016-17 INV-9' } });
    const ibcfInvoice = spendEvent('s2', '500.00', {
      schemeId: '3',
      fundingStream: IBCF,
      ibcfPurpose: 'reducing-nhs-pressures',
    });
    given({ ledger: [...linesAllocated, ibcfInvoice] })
      .when(credit({ creditsSpendId: 's2', amount: '100.00' }))
      .thenRecords({ data: { ibcfPurpose: 'reducing-nhs-pressures', fundingStream: IBCF } });
  });

  it('moves a mis-coded invoice to the right line as one linked pair, in full or in part', () => {
    given({ ledger: withLa })
      .when(recode())
      .then(
        ledgerEvent('SpendRecoded.v1', {
          recodeId: 'rc1',
          spendId: 's1',
          fromSchemeId: '1',
          fromFundingStream: MIN_CCG,
          toSchemeId: '1',
          toFundingStream: 'Additional LA Contribution',
          amount: '1000.00',
          quarter: 'Q1',
          reason: 'coded to the wrong stream',
        }),
      );
    given({ ledger: withLa })
      .when(recode({ amount: '250.00' }))
      .thenRecords({ data: { amount: '250.00' } });
    given({ ledger: withLa })
      .when(recode({ amount: '1000.01' }))
      .thenRefused('recode-exceeds-spend', 'amount', '1000.01');
    given({ ledger: withLa })
      .when(recode({ toFundingStream: MIN_CCG }))
      .thenRefused('recode-same-line', 'toSchemeId', '1');
  });

  it('recodes after the invoice’s quarter closed in the open one, and not onto a revenue scheme from capital', () => {
    given({ ledger: [...withLa, ...closedThrough('Q1')] })
      .when(recode())
      .thenRecords({ data: { quarter: 'Q2', priorPeriodOf: 'Q1' } });
    const dfgLine = [
      ledgerEvent('FundsAllocated.v1', {
        allocationId: 'a5',
        schemeId: '1',
        fundingStream: DFG,
        amount: '10.00',
        basis: 'original',
        quarter: 'Q1',
      }),
    ];
    given({ ledger: [...withLa, ...dfgLine] })
      .when(recode({ toFundingStream: DFG }))
      .thenRefused('capital-to-revenue', 'toSchemeId', '1');
  });
});

function commitment(more: Record<string, unknown> = {}) {
  return {
    type: 'RaiseCommitment' as const,
    actor: officer,
    commitmentId: 'c1',
    schemeId: '1',
    fundingStream: MIN_CCG,
    raisedOn: '2017-05-02',
    amount: '5000.00',
    supplier: 'Acme Homecare Ltd',
    reference: 'PO-77',
    description: 'homecare block order',
    ...more,
  };
}

function commitmentRaised(commitmentId: string, amount: string): LedgerEvent {
  return ledgerEvent('CommitmentRaised.v1', {
    commitmentId,
    schemeId: '1',
    fundingStream: MIN_CCG,
    raisedOn: '2017-05-02',
    amount,
    supplier: '',
    reference: '',
    description: '',
    quarter: 'Q1',
  });
}

describe('rule 14: budget = spent + committed + remaining', () => {
  it('raises a commitment on an existing line, dated in its quarter', () => {
    given({ ledger: linesAllocated })
      .when(commitment())
      .then(
        ledgerEvent('CommitmentRaised.v1', {
          commitmentId: 'c1',
          schemeId: '1',
          fundingStream: MIN_CCG,
          raisedOn: '2017-05-02',
          amount: '5000.00',
          supplier: 'Acme Homecare Ltd',
          reference: 'PO-77',
          description: 'homecare block order',
          quarter: 'Q1',
        }),
      );
    given({ ledger: contributionsPlanned })
      .when(commitment())
      .thenRefused('scheme-line-unknown', 'schemeId', '1');
  });

  it('uses up a commitment with the invoices against it, as far as it goes', () => {
    const raised = [...linesAllocated, commitmentRaised('c1', '5000.00')];
    given({ ledger: raised })
      .when(spend({ commitmentId: 'c1', amount: '3000.00' }))
      .thenRecords({ data: { commitmentId: 'c1', fromCommitment: '3000.00' } });
    given({ ledger: raised })
      .when(spend({ commitmentId: 'c1', amount: '6000.00' }))
      .thenRecords({ data: { commitmentId: 'c1', fromCommitment: '5000.00' } });
    given({ ledger: raised })
      .when(
        spend({
          commitmentId: 'c1',
          schemeId: '3',
          fundingStream: IBCF,
          ibcfPurpose: 'reducing-nhs-pressures',
        }),
      )
      .thenRefused('commitment-line-mismatch', 'commitmentId', 'c1');
    given({ ledger: raised })
      .when(spend({ commitmentId: 'c9' }))
      .thenRefused('commitment-unknown', 'commitmentId', 'c9');
  });

  it('releases what will not be invoiced, never more than is outstanding', () => {
    const used = [
      ...linesAllocated,
      commitmentRaised('c1', '5000.00'),
      spendEvent('s1', '3000.00', { commitmentId: 'c1', fromCommitment: '3000.00' }),
    ];
    const release = (amount?: string) => ({
      type: 'ReleaseCommitment' as const,
      actor: officer,
      commitmentId: 'c1',
      reason: 'order complete',
      ...(amount === undefined ? {} : { amount }),
    });
    given({ ledger: used })
      .when(release())
      .thenRecords({ type: 'CommitmentReleased.v1', data: { amount: '2000.00', quarter: 'Q1' } });
    given({ ledger: used })
      .when(release('2000.01'))
      .thenRefused('commitment-exceeded', 'amount', '2000.01');
  });
});

describe('rule 9: quarters close in order; a closed quarter is frozen', () => {
  const digest = 'b'.repeat(64);
  const request = (quarter: 'Q1' | 'Q2', ledgerVersion = 8) => ({
    type: 'RequestQuarterClose' as const,
    actor: officer,
    quarter,
    reportDigest: digest,
    ledgerVersion,
    poolVersion: poolSetUp.length,
  });
  const requested = ledgerEvent('QuarterCloseRequested.v1', {
    quarter: 'Q1',
    reportDigest: digest,
    ledgerVersion: 8,
    poolVersion: poolSetUp.length,
    requestedBy: officer.id,
  });
  const approve = (actor = cfo, reportDigest = digest, ledgerVersion = 9) => ({
    type: 'ApproveQuarterClose' as const,
    actor,
    quarter: 'Q1' as const,
    reportDigest,
    ledgerVersion,
    poolVersion: poolSetUp.length,
  });

  it('records a request for the next quarter, refusing one out of order or out of date', () => {
    given({ ledger: linesAllocated }).when(request('Q1')).then(requested);
    given({ ledger: linesAllocated })
      .when(request('Q2'))
      .thenRefused('quarter-out-of-order', 'quarter', 'Q2');
    given({ ledger: linesAllocated })
      .when(request('Q1', 7))
      .thenRefused('position-out-of-date', 'ledgerVersion', '7');
  });

  it('closes on approval by another approver whose position matches', () => {
    given({ ledger: [...linesAllocated, requested] })
      .when(approve())
      .then(
        ledgerEvent('QuarterClosed.v1', {
          quarter: 'Q1',
          reportDigest: digest,
          ledgerVersion: 9,
          poolVersion: poolSetUp.length,
          requestedBy: officer.id,
          approvedBy: cfo.id,
        }),
      );
    given({ ledger: [...linesAllocated, requested] })
      .when(approve(officer))
      .thenRefused('approver-role-required');
    given({ ledger: [...linesAllocated, requested] })
      .when(approve(cfo, 'c'.repeat(64)))
      .thenRefused('position-changed-since-request');
  });

  it('refuses forecasts for a closed quarter and takes corrections in the open one', () => {
    const afterQ1 = { ledger: [...linesAllocated, ...closedThrough('Q1')] };
    given(afterQ1)
      .when({
        type: 'UpdateForecast',
        actor: officer,
        schemeId: '1',
        fundingStream: MIN_CCG,
        quarter: 'Q1',
        forecastOutturn: '1.00',
      })
      .thenRefused('quarter-closed', 'quarter', 'Q1');
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
    given(afterQ1)
      .when(adjust)
      .thenRecords({ data: { closedQuarter: 'Q1', quarter: 'Q2', amount: '-99.99' } });
    given({ ledger: linesAllocated })
      .when(adjust)
      .thenRefused('quarter-not-closed', 'closedQuarter', 'Q1');
  });

  it('keeps a scheme’s name and type for the year once a quarter is closed', () => {
    const columns = { ...(classified('1').data as Record<string, unknown>) };
    for (const key of ['poolId', 'year', 'schemeId', 'quarter']) delete columns[key];
    const classify = (changes: Record<string, unknown>) => ({
      type: 'ClassifyScheme' as const,
      actor: officer,
      schemeId: '1',
      columns: { ...columns, ...changes } as never,
    });
    given({ ledger: linesAllocated })
      .when(classify({ schemeType: 'Other' }))
      .thenRecords({ type: 'SchemeClassified.v1', data: { schemeType: 'Other', quarter: 'Q1' } });
    const afterQ1 = { ledger: [...linesAllocated, ...closedThrough('Q1')] };
    given(afterQ1)
      .when(classify({ schemeType: 'Other' }))
      .thenRefused('classification-fixed', 'schemeType', 'Other');
    given(afterQ1)
      .when(classify({ name: 'Renamed' }))
      .thenRefused('classification-fixed', 'name', 'Renamed');
    given(afterQ1)
      .when(classify({ description: 'home care for adults' }))
      .thenRecords({ data: { description: 'home care for adults', quarter: 'Q2' } });
    given(afterQ1).when(classify({})).thenNothing();
  });
});

describe('the year’s plan: phasing and RAG thresholds', () => {
  it('phases a line’s budget by percentages summing to 100, from the open quarter', () => {
    const phase = (Q1: string, Q4: string) => ({
      type: 'PhaseBudget' as const,
      actor: officer,
      schemeId: '1',
      fundingStream: MIN_CCG,
      profile: { Q1, Q2: '25', Q3: '25', Q4 },
    });
    given({ ledger: [...linesAllocated, ...closedThrough('Q1')] })
      .when(phase('10', '40'))
      .thenRecords({ type: 'BudgetPhased.v1', data: { quarter: 'Q2' } });
    given({ ledger: linesAllocated })
      .when(phase('10', '40.01'))
      .thenRefused('profile-invalid', 'profile');
  });

  it('sets thresholds only with amber at or below red', () => {
    const thresholds = (amberBelowPercent: string) => ({
      type: 'SetRagThresholds' as const,
      actor: cfo,
      thresholds: {
        amberAbovePercent: '1.00',
        redAbovePercent: '5.00',
        amberBelowPercent,
        redBelowPercent: '20.00',
      },
    });
    given({ ledger: linesAllocated })
      .when(thresholds('10.00'))
      .thenRecords({ type: 'RagThresholdsSet.v1', data: { quarter: 'Q1' } });
    given({ ledger: linesAllocated })
      .when(thresholds('20.01'))
      .thenRefused('amount-invalid', 'thresholds');
  });
});

describe('rule 10: the year end, and nothing after the year closes', () => {
  const afterQ4 = [...linesAllocated, spendEvent('s1', '800000.00'), ...closedThrough('Q4')];
  const accrual = (amount: string) => ({
    type: 'PostAccrual' as const,
    actor: officer,
    accrualId: 'acc1',
    schemeId: '1',
    fundingStream: MIN_CCG,
    amount,
    description: 'March homecare not yet invoiced',
  });
  const outturn = ledgerEvent('YearEndOutturnDetermined.v1', {
    contributions: '2000000.00',
    spent: '800000.00',
    accrued: '0.00',
    expenditure: '800000.00',
    net: '1200000.00',
    byStream: [],
    byLine: [],
  });

  it('takes year-end postings in YE once Q4 is closed, and no more forecasts', () => {
    given({ ledger: afterQ4 })
      .when(accrual('12000.00'))
      .thenRecords({ type: 'AccrualPosted.v1', data: { quarter: 'YE', amount: '12000.00' } });
    given({ ledger: afterQ4 })
      .when(spend({ spendId: 's9', spendDate: '2018-03-30' }))
      .thenRecords({ data: { quarter: 'YE', priorPeriodOf: 'Q4' } });
    given({ ledger: afterQ4 })
      .when({
        type: 'UpdateForecast',
        actor: officer,
        schemeId: '1',
        fundingStream: MIN_CCG,
        quarter: 'Q4',
        forecastOutturn: '1.00',
      })
      .thenRefused('forecast-after-year-end', 'quarter', 'Q4');
    given({ ledger: linesAllocated })
      .when(accrual('1.00'))
      .thenRefused('accrual-before-year-end', 'year', '2017-18');
  });

  it('determines the outturn as actual plus accruals, per line and per stream', () => {
    const accrued = ledgerEvent('AccrualPosted.v1', {
      accrualId: 'acc1',
      schemeId: '1',
      fundingStream: MIN_CCG,
      amount: '12000.00',
      description: 'March',
      quarter: 'YE',
    });
    given({ ledger: [...afterQ4, accrued] })
      .when({ type: 'DetermineYearEndOutturn', actor: cfo })
      .thenRecords({
        type: 'YearEndOutturnDetermined.v1',
        data: {
          contributions: '2000000.00',
          spent: '800000.00',
          accrued: '12000.00',
          expenditure: '812000.00',
          net: '1188000.00',
          byLine: [
            {
              schemeId: '1',
              fundingStream: MIN_CCG,
              spent: '800000.00',
              accrued: '12000.00',
              outturn: '812000.00',
            },
            { schemeId: '3', fundingStream: IBCF, spent: '0.00', accrued: '0.00', outturn: '0.00' },
          ],
        },
      });
    given({ ledger: linesAllocated })
      .when({ type: 'DetermineYearEndOutturn', actor: cfo })
      .thenRefused('year-end-not-ready', 'year', '2017-18');
  });

  it('closes the year on its statement, requested by one and approved by another', () => {
    const ready = [
      ...afterQ4,
      outturn,
      ledgerEvent('RiskShareApplied.v1', {
        net: '1200000.00',
        allocations: [],
        carryForward: [{ fundingStream: MIN_CCG, amount: '1200000.00' }],
      }),
    ];
    const version = ready.length;
    const close = (
      type: 'RequestYearClose' | 'ApproveYearClose',
      actor = officer,
      v = version,
    ) => ({
      type,
      actor,
      reportDigest: 'd'.repeat(64),
      ledgerVersion: v,
      poolVersion: poolSetUp.length,
    });
    given({ ledger: afterQ4 })
      .when(close('RequestYearClose'))
      .thenRefused('year-close-not-ready', 'year', '2017-18');
    given({ ledger: ready })
      .when(close('RequestYearClose'))
      .thenRecords({ type: 'YearCloseRequested.v1', data: { requestedBy: officer.id } });
    const requested = ledgerEvent('YearCloseRequested.v1', {
      reportDigest: 'd'.repeat(64),
      ledgerVersion: version,
      poolVersion: poolSetUp.length,
      requestedBy: officer.id,
    });
    given({ ledger: [...ready, requested] })
      .when(close('ApproveYearClose', cfo, version + 1))
      .thenRecords({
        type: 'YearClosed.v1',
        data: { approvedBy: cfo.id, requestedBy: officer.id },
      });
    given({ ledger: [...ready, requested] })
      .when(close('ApproveYearClose', secondOfficer, version + 1))
      .thenRefused('approver-role-required');
  });

  it('takes a correction of a closed year only in a later year', () => {
    const adjust = (correctedYearClosed: boolean, correctsYear = '2016-17') => ({
      type: 'PostPriorYearAdjustment' as const,
      actor: officer,
      adjustmentId: 'pya1',
      correctsYear,
      schemeId: '1',
      fundingStream: MIN_CCG,
      amount: '-250.00',
      description: 'credit for a 2016-17 invoice',
      correctedYearClosed,
    });
    given({ ledger: linesAllocated })
      .when(adjust(true))
      .thenRecords({
        type: 'PriorYearAdjustmentPosted.v1',
        data: { correctsYear: '2016-17', quarter: 'Q1', amount: '-250.00' },
      });
    given({ ledger: linesAllocated })
      .when(adjust(false))
      .thenRefused('prior-year-not-closed', 'correctsYear', '2016-17');
    given({ ledger: linesAllocated })
      .when(adjust(true, '2018-19'))
      .thenRefused('prior-year-not-closed', 'correctsYear', '2018-19');
  });
});

describe('rules 11 to 13: the year-end terms, the risk-share waterfall and the carry-forward', () => {
  const terms = {
    steps: ['offset-within-kind', 'share-overspend'],
    defaultProfile: { kind: 'commissioner' },
    lineProfiles: [],
    defaultUnderspend: 'return-pro-rata',
    underspend: [],
    unallocated: 'carry-forward',
  } as const;
  const propose = (overrides: Record<string, unknown> = {}, actor = cfo) => ({
    type: 'ProposeYearEndTerms' as const,
    actor,
    terms: { ...terms, ...overrides } as never,
  });
  const proposed = ledgerEvent('YearEndTermsProposed.v1', {
    terms: terms as never,
    proposedBy: cfo.id,
    quarter: 'Q1',
  });
  const agreed = ledgerEvent('YearEndTermsAgreed.v1', {
    terms: terms as never,
    proposedBy: cfo.id,
    approvedBy: secondCfo.id,
    quarter: 'Q1',
  });
  // Line 1 (Minimum CCG, 700,000) spends 800,000; line 3 (iBCF, 400,000) nothing. Funding
  // 2,000,000 less expenditure 800,000: a surplus of 1,200,000.
  const outturn = ledgerEvent('YearEndOutturnDetermined.v1', {
    contributions: '2000000.00',
    spent: '800000.00',
    accrued: '0.00',
    expenditure: '800000.00',
    net: '1200000.00',
    byStream: [],
    byLine: [],
  });
  const yearEnd = [...linesAllocated, spendEvent('s1', '800000.00'), ...closedThrough('Q4')];

  it('takes the terms proposed by a CFO, whole, with fixed shares adding up to 100%', () => {
    given({ ledger: linesAllocated })
      .when(propose())
      .then(
        ledgerEvent('YearEndTermsProposed.v1', {
          terms: terms as never,
          proposedBy: cfo.id,
          quarter: 'Q1',
        }),
      );
    given({ ledger: linesAllocated })
      .when(propose({}, officer))
      .thenRefused('approver-role-required', 'actor', officer.id);
    const uneven = given({ ledger: linesAllocated })
      .when(
        propose({
          lineProfiles: [
            {
              schemeId: '1',
              fundingStream: MIN_CCG,
              profile: {
                kind: 'fixed',
                shares: [
                  { partnerId: 'HCC', percentage: '60' },
                  { partnerId: 'ENHCCG', percentage: '39.99' },
                ],
              },
            },
          ],
        }),
      )
      .thenRefused('risk-share-terms-invalid', 'terms.lineProfiles[0]', '99.99');
    expect(uneven.message).toBe(
      `the fixed shares of scheme "1" ${MIN_CCG} add up to 99.99%, not 100%`,
    );
    given({ ledger: linesAllocated })
      .when(propose({ steps: ['share-overspend', 'offset-within-kind'] }))
      .thenRefused('risk-share-terms-invalid', 'terms.steps');
    given({ ledger: linesAllocated })
      .when(propose({ underspend: [{ fundingStream: 'Lottery', treatment: 'carry-forward' }] }))
      .thenRefused('reference-unknown', 'terms', 'Lottery');
  });

  it('agrees them on another CFO’s approval, once they apply to every line of the year', () => {
    given({ ledger: [...linesAllocated, proposed] })
      .when({ type: 'ApproveYearEndTerms', actor: secondCfo })
      .thenRecords({
        type: 'YearEndTermsAgreed.v1',
        data: { proposedBy: cfo.id, approvedBy: secondCfo.id },
      });
    given({ ledger: [...linesAllocated, proposed] })
      .when({ type: 'ApproveYearEndTerms', actor: cfo })
      .thenRefused('same-person-approval');
    given({ ledger: linesAllocated })
      .when({ type: 'ApproveYearEndTerms', actor: secondCfo })
      .thenRefused('terms-not-proposed', 'year', '2017-18');
    const stray = ledgerEvent('YearEndTermsProposed.v1', {
      terms: {
        ...terms,
        lineProfiles: [{ schemeId: '7', fundingStream: DFG, profile: { kind: 'host' } }],
      } as never,
      proposedBy: cfo.id,
      quarter: 'Q1',
    });
    const refusal = given({ ledger: [...linesAllocated, stray] })
      .when({ type: 'ApproveYearEndTerms', actor: secondCfo })
      .thenRefused('risk-share-terms-invalid', 'terms');
    expect(refusal.message).toContain('scheme "7" DFG, which has no budget line this year');
  });

  it('applies the waterfall step by step; the identity funding - expenditure = shares + carry-forward holds', () => {
    // Revenue offset: line 1's 100,000 overspend met from line 3's iBCF underspend; nothing left
    // to share. iBCF's remaining 300,000 returned to its contributor (HCC); what was never
    // allocated carried forward: Minimum CCG 300,000, iBCF 100,000, DFG (capital) 500,000.
    given({ ledger: [...yearEnd, agreed, outturn] })
      .when({ type: 'ApplyRiskShare', actor: cfo })
      .then(
        ledgerEvent('OverspendOffset.v1', {
          kind: 'revenue',
          offset: '100000.00',
          overspendMet: [{ schemeId: '1', fundingStream: MIN_CCG, amount: '100000.00' }],
          underspendUsed: [{ schemeId: '3', fundingStream: IBCF, amount: '100000.00' }],
        }),
        ledgerEvent('OverspendShared.v1', { lines: [] }),
        ledgerEvent('UnderspendTreated.v1', {
          streams: [
            {
              fundingStream: MIN_CCG,
              capital: false,
              underspend: '0.00',
              unallocated: '300000.00',
              returned: [],
              carriedForward: '300000.00',
            },
            {
              fundingStream: IBCF,
              capital: false,
              underspend: '300000.00',
              unallocated: '100000.00',
              returned: [{ partnerId: 'HCC', amount: '300000.00' }],
              carriedForward: '100000.00',
            },
            {
              fundingStream: DFG,
              capital: true,
              underspend: '0.00',
              unallocated: '500000.00',
              returned: [],
              carriedForward: '500000.00',
            },
          ],
        }),
        ledgerEvent('RiskShareApplied.v1', {
          net: '1200000.00',
          allocations: [
            { partnerId: 'HCC', amount: '300000.00' },
            { partnerId: 'ENHCCG', amount: '0.00' },
            { partnerId: 'HVCCG', amount: '0.00' },
          ],
          carryForward: [
            { fundingStream: MIN_CCG, amount: '300000.00' },
            { fundingStream: IBCF, amount: '100000.00' },
            { fundingStream: DFG, amount: '500000.00' },
          ],
        }),
      );
    given({ ledger: [...yearEnd, outturn] })
      .when({ type: 'ApplyRiskShare', actor: cfo })
      .thenRefused('terms-not-agreed', 'year', '2017-18');
    given({ ledger: [...yearEnd, agreed] })
      .when({ type: 'ApplyRiskShare', actor: cfo })
      .thenRefused('outturn-not-determined', 'year', '2017-18');
  });

  it('brings a closed year’s carry-forward into the next, once', () => {
    const bringForward = (fromYearClosed: boolean) => ({
      type: 'BringForwardBalance' as const,
      actor: cfo,
      fromYear: '2016-17',
      carriedForward: [
        { fundingStream: DFG, amount: '500000.00' },
        { fundingStream: IBCF, amount: '0.00' },
      ],
      fromYearClosed,
    });
    const brought = ledgerEvent('BalanceBroughtForward.v1', {
      fromYear: '2016-17',
      byStream: [{ fundingStream: DFG, amount: '500000.00' }],
      quarter: 'Q1',
    });
    given({ ledger: linesAllocated }).when(bringForward(true)).then(brought);
    given({ ledger: [...linesAllocated, brought] })
      .when(bringForward(true))
      .thenNothing();
    given({ ledger: linesAllocated })
      .when(bringForward(false))
      .thenRefused('prior-year-not-closed', 'fromYear', '2016-17');
  });

  it('records the national metrics’ targets and actuals, a final actual staying final', () => {
    const metric = { metricId: 'reablement', forQuarter: 'Q1' as const };
    given({ ledger: linesAllocated })
      .when({ type: 'SetMetricTarget', actor: officer, ...metric, target: '83.5' })
      .then(ledgerEvent('MetricTargetSet.v1', { ...metric, target: '83.5', quarter: 'Q1' }));
    given({ ledger: linesAllocated })
      .when({
        type: 'SetMetricTarget',
        actor: officer,
        ...metric,
        metricId: 'bed-days',
        target: '1',
      })
      .thenRefused('metric-unknown', 'metricId', 'bed-days');
    given({ ledger: linesAllocated })
      .when({ type: 'SetMetricTarget', actor: officer, ...metric, target: '83,5' })
      .thenRefused('amount-invalid', 'target', '83,5');
    const final = ledgerEvent('MetricActualRecorded.v1', {
      ...metric,
      value: '82.1',
      status: 'final',
      quarter: 'Q2',
    });
    given({ ledger: [...linesAllocated, final] })
      .when({
        type: 'RecordMetricActual',
        actor: officer,
        ...metric,
        value: '82.4',
        status: 'provisional',
      })
      .thenRefused('metric-final', 'status', 'provisional');
    given({ ledger: [...linesAllocated, final] })
      .when({
        type: 'RecordMetricActual',
        actor: officer,
        ...metric,
        value: '82.3',
        status: 'final',
      })
      .thenRecords({ type: 'MetricActualRecorded.v1', data: { value: '82.3', status: 'final' } });
    // Metrics move no money: after the outturn they are still taken, in YE, until the year closes.
    given({ ledger: [...yearEnd, outturn] })
      .when({
        type: 'RecordMetricActual',
        actor: officer,
        ...metric,
        forQuarter: 'Q4',
        value: '84',
        status: 'final',
      })
      .thenRecords({ data: { quarter: 'YE' } });
    given({ ledger: linesAllocated })
      .when({
        type: 'SetMinimums',
        actor: cfo,
        minimumSocialCare: '-1.00',
        minimumOutOfHospital: '1.00',
      })
      .thenRefused('amount-invalid', 'minimumSocialCare');
  });
});

/**
 * Every kind of command, after each kind of close: after Q1 closes it counts in Q2 (or is
 * refused for naming Q1); once Q4 closes, in YE; once the outturn is determined, only the
 * risk share and the year close remain; once the year is closed, nothing.
 */
describe('each command after each kind of close', () => {
  const base = [
    ...linesAllocated,
    spendEvent('s1', '1000.00'),
    commitmentRaised('c1', '5000.00'),
    ledgerEvent('VirementRequested.v1', {
      virementId: 'vir1',
      fundingStream: MIN_CCG,
      fromSchemeId: '1',
      toSchemeId: '3',
      amount: '10.00',
      requestedBy: officer.id,
      quarter: 'Q1',
    }),
    ledgerEvent('ContributionVariationRequested.v1', {
      variationId: 'v1',
      partnerId: 'HCC',
      fundingStream: IBCF,
      change: '10.00',
      requestedBy: officer.id,
      quarter: 'Q1',
    }),
  ];
  const undated: [string, Record<string, unknown>][] = [
    [
      'PlanContribution',
      { partnerId: 'HCC', fundingStream: 'Additional LA Contribution', amount: '1.00' },
    ],
    [
      'RequestContributionVariation',
      { variationId: 'v2', partnerId: 'HCC', fundingStream: IBCF, change: '5.00' },
    ],
    ['ApproveContributionVariation', { variationId: 'v1', actor: cfo }],
    [
      'RecordGrantAward',
      {
        grantId: 'g1',
        fundingStream: IBCF,
        amount: '1.00',
        awardedOn: '2017-03-01',
        determinationReference: 'DCLG 31/2017',
      },
    ],
    [
      'AllocateFunds',
      { allocationId: 'a9', schemeId: '1', fundingStream: MIN_CCG, amount: '1.00' },
    ],
    [
      'ReleaseAllocation',
      { releaseId: 'r9', schemeId: '1', fundingStream: MIN_CCG, amount: '1.00' },
    ],
    [
      'RequestVirement',
      {
        virementId: 'vir2',
        fundingStream: MIN_CCG,
        fromSchemeId: '1',
        toSchemeId: '3',
        amount: '1.00',
      },
    ],
    ['RejectVirement', { virementId: 'vir1', actor: cfo }],
    [
      'PlanSaving',
      { savingId: 'sv1', schemeId: '1', amount: '1.00', cashable: true, description: 'x' },
    ],
    ['ReleaseCommitment', { commitmentId: 'c1', reason: 'not needed' }],
    ['ReverseSpend', { reversalId: 'rev1', spendId: 's1', reason: 'duplicate' }],
    [
      'RecordCreditNote',
      {
        creditId: 'cn1',
        creditsSpendId: 's1',
        creditDate: '2017-05-20',
        amount: '1.00',
        supplier: '',
        reference: '',
        description: '',
      },
    ],
  ];
  const dated: [string, Record<string, unknown>][] = [
    [
      'RecordContributionReceived',
      {
        receiptId: 'rc1',
        partnerId: 'HCC',
        fundingStream: IBCF,
        amount: '1.00',
        receivedOn: '2017-05-01',
        reference: '',
      },
    ],
    [
      'RecordContributionDue',
      {
        dueId: 'd1',
        partnerId: 'HCC',
        fundingStream: IBCF,
        amount: '1.00',
        dueOn: '2017-05-01',
        reference: '',
      },
    ],
    [
      'RecordSpend',
      {
        spendId: 's9',
        schemeId: '1',
        fundingStream: MIN_CCG,
        spendDate: '2017-05-01',
        amount: '1.00',
        supplier: '',
        erpReference: '',
        description: '',
      },
    ],
    [
      'RaiseCommitment',
      {
        commitmentId: 'c9',
        schemeId: '1',
        fundingStream: MIN_CCG,
        raisedOn: '2017-05-01',
        amount: '1.00',
        supplier: '',
        reference: '',
        description: '',
      },
    ],
    [
      'RecordRealisedSaving',
      {
        realisationId: 'rs1',
        schemeId: '1',
        realisedOn: '2017-05-01',
        amount: '1.00',
        evidence: 'extract',
      },
    ],
  ];
  const commands = [...undated, ...dated].map(([type, fields]) => ({
    type,
    actor: officer,
    ...fields,
  }));
  const periodOf = (decision: { ok: boolean; events?: readonly LedgerEvent[] }) =>
    decision.ok
      ? (decision.events ?? []).map((event) => (event.data as { quarter?: string }).quarter)
      : [];

  it('after Q1 closes: every posting counts in Q2, dated money naming Q1', () => {
    for (const command of commands) {
      const outcome = given({ ledger: [...base, ...closedThrough('Q1')] }).when(command as never);
      expect(outcome.decision.ok, `${command.type}: ${JSON.stringify(outcome.decision)}`).toBe(
        true,
      );
      expect(periodOf(outcome.decision), command.type).toEqual(
        outcome.decision.ok ? outcome.decision.events.map(() => 'Q2') : [],
      );
    }
  });

  it('after Q4 closes: every posting counts in YE', () => {
    for (const command of commands) {
      const outcome = given({ ledger: [...base, ...closedThrough('Q4')] }).when(command as never);
      expect(outcome.decision.ok, `${command.type}: ${JSON.stringify(outcome.decision)}`).toBe(
        true,
      );
      expect(new Set(periodOf(outcome.decision)), command.type).toEqual(new Set(['YE']));
    }
  });

  it('once the outturn is determined: every posting refused', () => {
    const determined = ledgerEvent('YearEndOutturnDetermined.v1', {
      contributions: '0.00',
      spent: '0.00',
      accrued: '0.00',
      expenditure: '0.00',
      net: '0.00',
      byStream: [],
      byLine: [],
    });
    for (const command of commands)
      given({ ledger: [...base, ...closedThrough('Q4'), determined] })
        .when(command as never)
        .thenRefused('outturn-determined', 'year', '2017-18');
  });

  it('once the year is closed: every command refused, the closes too', () => {
    const yearClosed = ledgerEvent('YearClosed.v1', {
      reportDigest: 'e'.repeat(64),
      ledgerVersion: 1,
      poolVersion: 1,
      requestedBy: officer.id,
      approvedBy: cfo.id,
    });
    for (const command of [
      ...commands,
      { type: 'DetermineYearEndOutturn', actor: cfo },
      { type: 'ApplyRiskShare', actor: cfo },
    ])
      given({ ledger: [...base, ...closedThrough('Q4'), yearClosed] })
        .when(command as never)
        .thenRefused('year-closed', 'year', '2017-18');
  });

  it('names Q1 on dated money after Q1 closes', () => {
    for (const [type, fields] of dated) {
      const outcome = given({ ledger: [...base, ...quarterClosed('Q1')] }).when({
        type,
        actor: officer,
        ...fields,
      } as never);
      expect(outcome.decision, type).toMatchObject({
        ok: true,
        events: [{ data: { quarter: 'Q2', priorPeriodOf: 'Q1' } }],
      });
    }
  });
});
