import {
  type BcfEvent,
  type LedgerEvent,
  type LedgerEventIn,
  ledgerEventGroup,
} from '../../events/catalogue/index.ts';
import { poolEventSchemas } from '../../events/catalogue/pool-events.ts';
import { dictionary, entry, own } from './amounts.ts';
import { foldBudget } from './fold-budget.ts';
import { foldControl } from './fold-control.ts';
import { foldMoneyIn } from './fold-money-in.ts';
import { foldMoneyOut } from './fold-money-out.ts';
import { foldPlan } from './fold-plan.ts';
import type { CloseControl, PoolView, YearView } from './types.ts';

export type * from './types.ts';

/**
 * Folds one event into the view. A recorded event carries its stream version, which the view keeps
 * so that a read can say which version it reflects.
 */
export function applyToPoolView(
  view: PoolView,
  event: BcfEvent & { readonly streamVersion?: number },
): void {
  if (event.streamVersion !== undefined) {
    if (Object.hasOwn(poolEventSchemas, event.type)) view.poolVersion = event.streamVersion;
    else yearOf(view, (event.data as { year: string }).year).ledgerVersion = event.streamVersion;
  }
  switch (event.type) {
    case 'PoolRegistered.v1': {
      const { name, hwbArea, currency, hostPartnerId } = event.data;
      view.registration = {
        name,
        hwbArea,
        region: event.data.region ?? null,
        currency,
        hostPartnerId,
      };
      return;
    }
    case 'PartnerJoined.v1':
      view.partners.push({
        partnerId: event.data.partnerId,
        name: event.data.name,
        kind: event.data.kind,
      });
      return;
    case 'FinancialYearOpened.v1':
      yearOf(view, event.data.year).referenceData = event.data.referenceData;
      return;
    case 'SchemeRegistered.v1': {
      const { poolId: _pool, schemeId, ...columns } = event.data;
      entry(view.schemes, schemeId, () => ({ ...columns, withdrawn: false }));
      return;
    }
    case 'SchemeAmended.v1': {
      const scheme = own(view.schemes, event.data.schemeId);
      if (scheme === undefined) return;
      for (const [column, value] of Object.entries(event.data.changes)) {
        if (value !== undefined) (scheme as Record<string, unknown>)[column] = value;
      }
      return;
    }
    case 'SchemeWithdrawn.v1': {
      const scheme = own(view.schemes, event.data.schemeId);
      if (scheme !== undefined) scheme.withdrawn = true;
      return;
    }
    default:
      applyLedgerEvent(yearOf(view, event.data.year), event);
  }
}

/** Folds one event of a pool's year ledger into its year view, by the event's group. */
export function applyLedgerEvent(year: YearView, event: LedgerEvent): void {
  switch (ledgerEventGroup(event.type)) {
    case 'moneyIn':
      foldMoneyIn(year, event as LedgerEventIn<'moneyIn'>);
      return;
    case 'budget':
      foldBudget(year, event as LedgerEventIn<'budget'>);
      return;
    case 'plan':
      foldPlan(year, event as LedgerEventIn<'plan'>);
      return;
    case 'moneyOut':
      foldMoneyOut(year, event as LedgerEventIn<'moneyOut'>);
      return;
    case 'control':
      foldControl(year, event as LedgerEventIn<'control'>);
      return;
    case undefined:
      throw new Error(`an event the pool view does not know: ${event.type}`);
  }
}

export function emptyPoolView(poolId: string): PoolView {
  return {
    poolId,
    poolVersion: 0,
    registration: null,
    partners: [],
    schemes: dictionary(),
    years: dictionary(),
  };
}

export function yearOf(view: PoolView, year: string): YearView {
  return entry(view.years, year, () => emptyYearView(year));
}

export function emptyYearView(year: string): YearView {
  const control = (): CloseControl => ({
    closeRequestedBy: null,
    closedBy: null,
    reportDigest: null,
    ledgerVersion: null,
    poolVersion: null,
  });
  return {
    year,
    ledgerVersion: 0,
    referenceData: null,
    closedQuarters: 0,
    schemes: dictionary(),
    ragThresholds: { Q1: null, Q2: null, Q3: null, Q4: null, YE: null },
    streams: dictionary(),
    grants: dictionary(),
    contributions: dictionary(),
    lines: dictionary(),
    commitments: dictionary(),
    ibcfByPurpose: dictionary(),
    savings: dictionary(),
    quarters: { Q1: control(), Q2: control(), Q3: control(), Q4: control() },
    yearClose: control(),
    virements: [],
    variations: [],
    corrections: [],
    outturn: null,
    terms: { proposed: null, agreed: null },
    riskShareSteps: null,
    riskShare: null,
    broughtForward: null,
    minimums: null,
    metricRecords: [],
  };
}
