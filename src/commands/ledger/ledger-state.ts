import { Money } from '#money';
import { type LedgerEvent, QUARTERS, type Quarter } from '../../events/catalogue/index.ts';

/**
 * What the ledger of one pool and year must know to decide: the money per funding stream and
 * scheme line, the spends that may still be reversed, the requests awaiting approval, and how
 * far the year has been closed. Folded from the ledger stream only; the pool's facts (partners,
 * schemes, reference lists) arrive with each command.
 */
export interface LedgerState {
  /** How many events the ledger stream holds. */
  version: number;
  /** Planned plus approved variations, per partner and funding stream. */
  contributions: Map<string, Money>;
  /** Per funding stream: contributions (planned and varied) and what is allocated to lines. */
  streams: Map<string, { contributions: Money; allocated: Money }>;
  /** Per scheme line (scheme x stream): current budget and net spend. */
  lines: Map<string, { budget: Money; spent: Money }>;
  spends: Map<string, SpendRecord>;
  variations: Map<
    string,
    PendingChange & { partnerId: string; fundingStream: string; change: Money }
  >;
  virements: Map<
    string,
    PendingChange & {
      fundingStream: string;
      fromSchemeId: string;
      toSchemeId: string;
      amount: Money;
    }
  >;
  grants: Map<string, { fundingStream: string; award: Money; received: Money }>;
  /** Ids of receipts, allocations, releases, instalments, reversals, adjustments, savings, realisations. */
  usedIds: Set<string>;
  /** Latest forecast outturn per scheme line and quarter. */
  forecasts: Map<string, Money>;
  savings: Map<string, { schemeId: string }>;
  closedQuarters: number;
  closeRequest: { quarter: Quarter; reportDigest: string; requestedBy: string } | undefined;
  outturnNet: Money | undefined;
  riskShareApplied: boolean;
}

export interface SpendRecord {
  schemeId: string;
  fundingStream: string;
  amount: Money;
  quarter: Quarter;
  ibcfPurpose: string | undefined;
  reversed: boolean;
}

interface PendingChange {
  status: 'pending' | 'approved' | 'rejected';
  requestedBy: string;
}

export function initialLedgerState(): LedgerState {
  return {
    version: 0,
    contributions: new Map(),
    streams: new Map(),
    lines: new Map(),
    spends: new Map(),
    variations: new Map(),
    virements: new Map(),
    grants: new Map(),
    usedIds: new Set(),
    forecasts: new Map(),
    savings: new Map(),
    closedQuarters: 0,
    closeRequest: undefined,
    outturnNet: undefined,
    riskShareApplied: false,
  };
}

export function lineKey(schemeId: string, fundingStream: string): string {
  return `${schemeId}\u0000${fundingStream}`;
}

export function contributionKey(partnerId: string, fundingStream: string): string {
  return `${partnerId}\u0000${fundingStream}`;
}

/** The quarter postings go into now: the first that is not closed; undefined once all four are. */
export function openQuarter(state: LedgerState): Quarter | undefined {
  return QUARTERS[state.closedQuarters];
}

export function isClosed(state: LedgerState, quarter: Quarter): boolean {
  return QUARTERS.indexOf(quarter) < state.closedQuarters;
}

export function streamTotals(state: LedgerState, fundingStream: string) {
  return state.streams.get(fundingStream) ?? { contributions: Money.zero, allocated: Money.zero };
}

export function evolveLedger(state: LedgerState, event: LedgerEvent): LedgerState {
  state.version += 1;
  switch (event.type) {
    case 'ContributionPlanned.v1':
      addContribution(
        state,
        event.data.partnerId,
        event.data.fundingStream,
        Money.parse(event.data.amount),
      );
      break;
    case 'ContributionVariationRequested.v1':
      state.variations.set(event.data.variationId, {
        status: 'pending',
        requestedBy: event.data.requestedBy,
        partnerId: event.data.partnerId,
        fundingStream: event.data.fundingStream,
        change: Money.parse(event.data.change),
      });
      break;
    case 'ContributionVaried.v1':
      setStatus(state.variations, event.data.variationId, 'approved');
      addContribution(
        state,
        event.data.partnerId,
        event.data.fundingStream,
        Money.parse(event.data.change),
      );
      break;
    case 'ContributionVariationRejected.v1':
      setStatus(state.variations, event.data.variationId, 'rejected');
      break;
    case 'ContributionReceived.v1':
      state.usedIds.add(`receipt:${event.data.receiptId}`);
      break;
    case 'GrantAwardRecorded.v1':
      state.grants.set(event.data.grantId, {
        fundingStream: event.data.fundingStream,
        award: Money.parse(event.data.amount),
        received: Money.zero,
      });
      break;
    case 'GrantInstalmentReceived.v1': {
      state.usedIds.add(`instalment:${event.data.instalmentId}`);
      const grant = state.grants.get(event.data.grantId);
      if (grant !== undefined) grant.received = grant.received.plus(Money.parse(event.data.amount));
      break;
    }
    case 'FundsAllocated.v1':
      state.usedIds.add(`allocation:${event.data.allocationId}`);
      moveBudget(
        state,
        event.data.schemeId,
        event.data.fundingStream,
        Money.parse(event.data.amount),
        true,
      );
      break;
    case 'AllocationReleased.v1':
      state.usedIds.add(`release:${event.data.releaseId}`);
      moveBudget(
        state,
        event.data.schemeId,
        event.data.fundingStream,
        Money.parse(event.data.amount).negated(),
        true,
      );
      break;
    case 'VirementRequested.v1':
      state.virements.set(event.data.virementId, {
        status: 'pending',
        requestedBy: event.data.requestedBy,
        fundingStream: event.data.fundingStream,
        fromSchemeId: event.data.fromSchemeId,
        toSchemeId: event.data.toSchemeId,
        amount: Money.parse(event.data.amount),
      });
      break;
    case 'VirementApproved.v1': {
      setStatus(state.virements, event.data.virementId, 'approved');
      const amount = Money.parse(event.data.amount);
      moveBudget(state, event.data.fromSchemeId, event.data.fundingStream, amount.negated(), false);
      moveBudget(state, event.data.toSchemeId, event.data.fundingStream, amount, false);
      break;
    }
    case 'VirementRejected.v1':
      setStatus(state.virements, event.data.virementId, 'rejected');
      break;
    case 'SpendRecorded.v1': {
      const amount = Money.parse(event.data.amount);
      state.spends.set(event.data.spendId, {
        schemeId: event.data.schemeId,
        fundingStream: event.data.fundingStream,
        amount,
        quarter: event.data.quarter,
        ibcfPurpose: event.data.ibcfPurpose,
        reversed: false,
      });
      addSpend(state, event.data.schemeId, event.data.fundingStream, amount);
      break;
    }
    case 'SpendReversed.v1': {
      state.usedIds.add(`reversal:${event.data.reversalId}`);
      const spend = state.spends.get(event.data.spendId);
      if (spend !== undefined) spend.reversed = true;
      addSpend(
        state,
        event.data.schemeId,
        event.data.fundingStream,
        Money.parse(event.data.amount).negated(),
      );
      break;
    }
    case 'ForecastUpdated.v1':
      state.forecasts.set(
        `${lineKey(event.data.schemeId, event.data.fundingStream)}\u0000${event.data.quarter}`,
        Money.parse(event.data.forecastOutturn),
      );
      break;
    case 'SavingPlanned.v1':
      state.savings.set(event.data.savingId, { schemeId: event.data.schemeId });
      break;
    case 'SavingRealised.v1':
      state.usedIds.add(`realisation:${event.data.realisationId}`);
      break;
    case 'QuarterCloseRequested.v1':
      state.closeRequest = {
        quarter: event.data.quarter,
        reportDigest: event.data.reportDigest,
        requestedBy: event.data.requestedBy,
      };
      break;
    case 'QuarterClosed.v1':
      state.closedQuarters += 1;
      state.closeRequest = undefined;
      break;
    case 'PriorPeriodAdjustmentPosted.v1':
      state.usedIds.add(`adjustment:${event.data.adjustmentId}`);
      addSpend(
        state,
        event.data.schemeId,
        event.data.fundingStream,
        Money.parse(event.data.amount),
      );
      break;
    case 'YearEndOutturnDetermined.v1':
      state.outturnNet = Money.parse(event.data.net);
      break;
    case 'RiskShareApplied.v1':
      state.riskShareApplied = true;
      break;
  }
  return state;
}

function addContribution(
  state: LedgerState,
  partnerId: string,
  fundingStream: string,
  amount: Money,
): void {
  const key = contributionKey(partnerId, fundingStream);
  state.contributions.set(key, (state.contributions.get(key) ?? Money.zero).plus(amount));
  const totals = streamTotals(state, fundingStream);
  state.streams.set(fundingStream, { ...totals, contributions: totals.contributions.plus(amount) });
}

/** Changes a line's budget; allocations and releases also change the stream's allocated total. */
function moveBudget(
  state: LedgerState,
  schemeId: string,
  fundingStream: string,
  amount: Money,
  fromUnallocated: boolean,
): void {
  const key = lineKey(schemeId, fundingStream);
  const line = state.lines.get(key) ?? { budget: Money.zero, spent: Money.zero };
  state.lines.set(key, { ...line, budget: line.budget.plus(amount) });
  if (fromUnallocated) {
    const totals = streamTotals(state, fundingStream);
    state.streams.set(fundingStream, { ...totals, allocated: totals.allocated.plus(amount) });
  }
}

function addSpend(
  state: LedgerState,
  schemeId: string,
  fundingStream: string,
  amount: Money,
): void {
  const key = lineKey(schemeId, fundingStream);
  const line = state.lines.get(key) ?? { budget: Money.zero, spent: Money.zero };
  state.lines.set(key, { ...line, spent: line.spent.plus(amount) });
}

function setStatus(
  requests: Map<string, PendingChange>,
  id: string,
  status: PendingChange['status'],
): void {
  const request = requests.get(id);
  if (request !== undefined) request.status = status;
}
