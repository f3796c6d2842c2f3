import { Money } from '#money';
import { type LedgerEvent, QUARTERS, type Quarter } from '../events/catalogue/index.ts';
import {
  addAmount,
  type LineFigures,
  type QuarterAmounts,
  type StreamFigures,
  type VariationRecord,
  type VirementRecord,
  type YearView,
  zeroByQuarter,
} from './pool-view.ts';

/** Folds one event of a pool's year ledger into its year view. */
export function applyLedgerEvent(year: YearView, event: LedgerEvent): void {
  // Events that carry no quarter of their own count in the quarter open when they were recorded.
  const open = QUARTERS[year.closedQuarters] ?? 'Q4';
  switch (event.type) {
    case 'ContributionPlanned.v1':
      addTo(
        contribution(year, event.data.partnerId, event.data.fundingStream).plannedByQuarter,
        event.data.quarter,
        event.data.amount,
      );
      addStream(year, event.data.fundingStream, 'planned', event.data.amount);
      return;
    case 'ContributionVariationRequested.v1':
      year.variations.push({
        ...request(event.data.requestedBy, open),
        variationId: event.data.variationId,
        partnerId: event.data.partnerId,
        fundingStream: event.data.fundingStream,
        change: event.data.change,
      });
      return;
    case 'ContributionVaried.v1':
      settle(
        year.variations,
        'variationId',
        event.data.variationId,
        'approved',
        event.data.approvedBy,
        event.data.quarter,
      );
      addTo(
        contribution(year, event.data.partnerId, event.data.fundingStream).variedByQuarter,
        event.data.quarter,
        event.data.change,
      );
      addStream(year, event.data.fundingStream, 'varied', event.data.change);
      return;
    case 'ContributionVariationRejected.v1':
      settle(
        year.variations,
        'variationId',
        event.data.variationId,
        'rejected',
        event.data.rejectedBy,
        open,
      );
      return;
    case 'ContributionReceived.v1':
      addTo(
        contribution(year, event.data.partnerId, event.data.fundingStream).receivedByQuarter,
        open,
        event.data.amount,
      );
      addStream(year, event.data.fundingStream, 'received', event.data.amount);
      return;
    case 'GrantAwardRecorded.v1':
      year.grants[event.data.grantId] = {
        fundingStream: event.data.fundingStream,
        awarded: event.data.amount,
        received: '0.00',
      };
      return;
    case 'GrantInstalmentReceived.v1': {
      const grant = year.grants[event.data.grantId];
      if (grant !== undefined) grant.received = addAmount(grant.received, event.data.amount);
      return;
    }
    case 'FundsAllocated.v1':
      addTo(
        line(year, event.data.schemeId, event.data.fundingStream).allocatedByQuarter,
        event.data.quarter,
        event.data.amount,
      );
      addStream(year, event.data.fundingStream, 'allocated', event.data.amount);
      return;
    case 'AllocationReleased.v1': {
      const released = Money.parse(event.data.amount).negated().toString();
      addTo(
        line(year, event.data.schemeId, event.data.fundingStream).allocatedByQuarter,
        event.data.quarter,
        released,
      );
      addStream(year, event.data.fundingStream, 'allocated', released);
      return;
    }
    case 'VirementRequested.v1':
      year.virements.push({
        ...request(event.data.requestedBy, open),
        virementId: event.data.virementId,
        fundingStream: event.data.fundingStream,
        fromSchemeId: event.data.fromSchemeId,
        toSchemeId: event.data.toSchemeId,
        amount: event.data.amount,
      });
      return;
    case 'VirementApproved.v1':
      settle(
        year.virements,
        'virementId',
        event.data.virementId,
        'approved',
        event.data.approvedBy,
        event.data.quarter,
      );
      addTo(
        line(year, event.data.fromSchemeId, event.data.fundingStream).virementsOutByQuarter,
        event.data.quarter,
        event.data.amount,
      );
      addTo(
        line(year, event.data.toSchemeId, event.data.fundingStream).virementsInByQuarter,
        event.data.quarter,
        event.data.amount,
      );
      return;
    case 'VirementRejected.v1':
      settle(
        year.virements,
        'virementId',
        event.data.virementId,
        'rejected',
        event.data.rejectedBy,
        open,
      );
      return;
    case 'SpendRecorded.v1':
      addSpend(
        year,
        event.data.schemeId,
        event.data.fundingStream,
        event.data.quarter,
        event.data.amount,
        event.data.ibcfPurpose,
      );
      return;
    case 'SpendReversed.v1': {
      const amount = Money.parse(event.data.amount).negated().toString();
      addSpend(
        year,
        event.data.schemeId,
        event.data.fundingStream,
        event.data.quarter,
        amount,
        event.data.ibcfPurpose,
      );
      year.corrections.push({
        id: event.data.reversalId,
        kind: 'reversal',
        schemeId: event.data.schemeId,
        fundingStream: event.data.fundingStream,
        amount,
        postedIn: event.data.quarter,
        correcting: event.data.priorPeriodOf ?? null,
        description: `reversal of spend ${event.data.spendId}`,
      });
      return;
    }
    case 'PriorPeriodAdjustmentPosted.v1':
      addSpend(
        year,
        event.data.schemeId,
        event.data.fundingStream,
        event.data.quarter,
        event.data.amount,
        event.data.ibcfPurpose,
      );
      year.corrections.push({
        id: event.data.adjustmentId,
        kind: 'prior-period-adjustment',
        schemeId: event.data.schemeId,
        fundingStream: event.data.fundingStream,
        amount: event.data.amount,
        postedIn: event.data.quarter,
        correcting: event.data.closedQuarter,
        description: event.data.description,
      });
      return;
    case 'ForecastUpdated.v1':
      line(year, event.data.schemeId, event.data.fundingStream).forecastByQuarter[
        event.data.quarter
      ] = event.data.forecastOutturn;
      return;
    case 'SavingPlanned.v1': {
      const saving = savingsOf(year, event.data.schemeId);
      saving.planned = addAmount(saving.planned, event.data.amount);
      if (event.data.cashable)
        saving.cashablePlanned = addAmount(saving.cashablePlanned, event.data.amount);
      return;
    }
    case 'SavingRealised.v1':
      addTo(
        savingsOf(year, event.data.schemeId).realisedByQuarter,
        event.data.quarter,
        event.data.amount,
      );
      return;
    case 'QuarterCloseRequested.v1':
      year.quarters[event.data.quarter].closeRequestedBy = event.data.requestedBy;
      return;
    case 'QuarterClosed.v1':
      year.quarters[event.data.quarter] = {
        closeRequestedBy: event.data.requestedBy,
        closedBy: event.data.approvedBy,
        reportDigest: event.data.reportDigest,
        ledgerVersion: event.data.ledgerVersion,
        poolVersion: event.data.poolVersion,
      };
      year.closedQuarters += 1;
      return;
    case 'YearEndOutturnDetermined.v1':
      year.outturn = {
        contributions: event.data.contributions,
        spent: event.data.spent,
        net: event.data.net,
      };
      return;
    case 'RiskShareApplied.v1':
      year.riskShare = {
        basis: event.data.basis,
        net: event.data.net,
        allocations: event.data.allocations,
      };
      return;
    default:
      unknownEvent(event);
  }
}

function unknownEvent(event: never): never {
  throw new Error(`an event the pool view does not know: ${JSON.stringify(event)}`);
}

function addTo(amounts: QuarterAmounts, quarter: Quarter, amount: string): void {
  amounts[quarter] = addAmount(amounts[quarter], amount);
}

/** The record's entry under the key, created first if it is not there. */
function entry<Value>(record: Record<string, Value>, key: string, create: () => Value): Value {
  const existing = record[key];
  if (existing !== undefined) return existing;
  const created = create();
  record[key] = created;
  return created;
}

function addStream(
  year: YearView,
  fundingStream: string,
  figure: keyof StreamFigures,
  amount: string,
): void {
  const stream = entry(year.streams, fundingStream, () => ({
    planned: '0.00',
    varied: '0.00',
    received: '0.00',
    allocated: '0.00',
    spent: '0.00',
  }));
  stream[figure] = addAmount(stream[figure], amount);
}

function addSpend(
  year: YearView,
  schemeId: string,
  fundingStream: string,
  quarter: Quarter,
  amount: string,
  purpose: string | undefined,
): void {
  addTo(line(year, schemeId, fundingStream).spendByQuarter, quarter, amount);
  addStream(year, fundingStream, 'spent', amount);
  if (purpose !== undefined)
    addTo(entry(year.ibcfByPurpose, purpose, zeroByQuarter), quarter, amount);
}

function contribution(year: YearView, partnerId: string, fundingStream: string) {
  const byStream = entry(year.contributions, partnerId, () => ({}));
  return entry(byStream, fundingStream, () => ({
    plannedByQuarter: zeroByQuarter(),
    variedByQuarter: zeroByQuarter(),
    receivedByQuarter: zeroByQuarter(),
  }));
}

export function line(year: YearView, schemeId: string, fundingStream: string): LineFigures {
  const byStream = entry(year.lines, schemeId, () => ({}));
  return entry(byStream, fundingStream, () => ({
    allocatedByQuarter: zeroByQuarter(),
    virementsInByQuarter: zeroByQuarter(),
    virementsOutByQuarter: zeroByQuarter(),
    spendByQuarter: zeroByQuarter(),
    forecastByQuarter: { Q1: null, Q2: null, Q3: null, Q4: null },
  }));
}

function savingsOf(year: YearView, schemeId: string) {
  return entry(year.savings, schemeId, () => ({
    planned: '0.00',
    cashablePlanned: '0.00',
    realisedByQuarter: zeroByQuarter(),
  }));
}

function request(requestedBy: string, open: Quarter) {
  return {
    status: 'pending' as const,
    requestedBy,
    requestedIn: open,
    decidedBy: null,
    decidedIn: null,
  };
}

function settle<
  Record extends VirementRecord | VariationRecord,
  Key extends 'virementId' | 'variationId',
>(
  records: Record[],
  key: Key,
  id: string,
  status: 'approved' | 'rejected',
  decidedBy: string,
  decidedIn: Quarter,
): void {
  const found = records.find(
    (record) => (record as unknown as { [Name in Key]: string })[key] === id,
  );
  if (found === undefined) return;
  found.status = status;
  found.decidedBy = decidedBy;
  found.decidedIn = decidedIn;
}
