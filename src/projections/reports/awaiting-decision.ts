import { QUARTERS, type Quarter, type YearEndTerms } from '../../events/catalogue/index.ts';
import type { PoolView, YearView } from '../view/pool-view.ts';

/**
 * What waits for the CFO group: each request not yet decided, with who asked and what it changes,
 * so the inbox shows it without the reader opening the ledger. The person who asked may not
 * decide it (a domain rule); `requestedBy` lets a page leave the button out for them.
 */
export type AwaitingDecision =
  | (Common & {
      readonly kind: 'virement';
      readonly virementId: string;
      readonly fundingStream: string;
      readonly fromSchemeId: string;
      readonly toSchemeId: string;
      readonly amount: string;
    })
  | (Common & {
      readonly kind: 'variation';
      readonly variationId: string;
      readonly partnerId: string;
      readonly fundingStream: string;
      readonly change: string;
    })
  | (Common & { readonly kind: 'quarter-close'; readonly quarter: Quarter })
  | (Common & { readonly kind: 'year-close' })
  | (Common & { readonly kind: 'year-end-terms'; readonly terms: YearEndTerms });

interface Common {
  readonly poolId: string;
  readonly poolName: string;
  readonly year: string;
  readonly requestedBy: string;
}

export function awaitingDecision(view: PoolView): AwaitingDecision[] {
  const waiting: AwaitingDecision[] = [];
  for (const year of Object.values(view.years)) {
    const common = {
      poolId: view.poolId,
      poolName: view.registration?.name ?? view.poolId,
      year: year.year,
    };
    waiting.push(...requestsOf(year, common));
    waiting.push(...closesOf(year, common));
  }
  return waiting;
}

function requestsOf(year: YearView, common: Omit<Common, 'requestedBy'>): AwaitingDecision[] {
  const virements = year.virements
    .filter((virement) => virement.status === 'pending')
    .map((virement) => ({
      ...common,
      kind: 'virement' as const,
      requestedBy: virement.requestedBy,
      virementId: virement.virementId,
      fundingStream: virement.fundingStream,
      fromSchemeId: virement.fromSchemeId,
      toSchemeId: virement.toSchemeId,
      amount: virement.amount,
    }));
  const variations = year.variations
    .filter((variation) => variation.status === 'pending')
    .map((variation) => ({
      ...common,
      kind: 'variation' as const,
      requestedBy: variation.requestedBy,
      variationId: variation.variationId,
      partnerId: variation.partnerId,
      fundingStream: variation.fundingStream,
      change: variation.change,
    }));
  return [...virements, ...variations];
}

function closesOf(year: YearView, common: Omit<Common, 'requestedBy'>): AwaitingDecision[] {
  const waiting: AwaitingDecision[] = [];
  for (const quarter of QUARTERS) {
    const control = year.quarters[quarter];
    if (control.closeRequestedBy !== null && control.closedBy === null)
      waiting.push({
        ...common,
        kind: 'quarter-close',
        quarter,
        requestedBy: control.closeRequestedBy,
      });
  }
  if (year.terms.proposed !== null)
    waiting.push({
      ...common,
      kind: 'year-end-terms',
      requestedBy: year.terms.proposed.proposedBy,
      terms: year.terms.proposed.terms,
    });
  if (year.yearClose.closeRequestedBy !== null && year.yearClose.closedBy === null)
    waiting.push({ ...common, kind: 'year-close', requestedBy: year.yearClose.closeRequestedBy });
  return waiting;
}
