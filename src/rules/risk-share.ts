import { apportion, Money } from '#money';
import type { PoolEvent } from '../events/catalogue/index.ts';

type Terms = Pick<
  Extract<PoolEvent, { type: 'RiskShareTermsAgreed.v1' }>['data'],
  'basis' | 'fixedShares'
>;

export interface RiskShareFigures {
  readonly terms: Terms;
  /** Partners in the order they joined: ties in apportionment go to the earlier. */
  readonly partnerIds: readonly string[];
  readonly hostPartnerId: string;
  /** Spent minus contributions for the whole pool-year: above zero an overspend. */
  readonly net: Money;
  /** Each partner's contributions (planned and varied) per funding stream. */
  readonly contributions: ReadonlyMap<string, ReadonlyMap<string, Money>>;
  /** Spent minus contributions per funding stream. */
  readonly streamNets: ReadonlyMap<string, Money>;
  /** Spent minus budget over each scheme's lines. */
  readonly schemeNets: ReadonlyMap<string, Money>;
}

/**
 * What the pool's risk-share terms make of a net over- or underspend: each partner's share,
 * summing to the net exactly (rule 10). Used by the ledger to apply the risk share and by the
 * projections to show each partner's exposure before the year ends.
 *
 * - proportional-to-contributions: the net by each partner's total contributions;
 * - none: each stream's net by the contributions to that stream, so each partner bears the
 *   outturn of what it funds;
 * - fixed-shares: each scheme's own net by its fixed percentages; the rest of the net (chiefly
 *   funds never allocated to a scheme) by total contributions.
 * Where nobody contributed, the host partner bears it.
 */
export function riskShareAllocations(figures: RiskShareFigures): Map<string, Money> {
  const shares = new Map(figures.partnerIds.map((partnerId) => [partnerId, Money.zero]));
  const add = (partnerIds: readonly string[], parts: readonly Money[]) => {
    for (const [index, part] of parts.entries()) {
      const partnerId = partnerIds[index] ?? figures.hostPartnerId;
      shares.set(partnerId, (shares.get(partnerId) ?? Money.zero).plus(part));
    }
  };
  const byContributions = (amount: Money, fundingStream?: string) => {
    const weights = figures.partnerIds.map((partnerId) =>
      contributionOf(figures, partnerId, fundingStream),
    );
    if (weights.every((weight) => weight.isZero())) add([figures.hostPartnerId], [amount]);
    else add(figures.partnerIds, apportion(amount, weights.map(String)));
  };
  let remaining = figures.net;
  if (figures.terms.basis === 'none') {
    for (const [fundingStream, streamNet] of figures.streamNets) {
      if (streamNet.isZero()) continue;
      byContributions(streamNet, fundingStream);
      remaining = remaining.minus(streamNet);
    }
  } else if (figures.terms.basis === 'fixed-shares') {
    for (const scheme of figures.terms.fixedShares) {
      const schemeNet = figures.schemeNets.get(scheme.schemeId) ?? Money.zero;
      if (schemeNet.isZero()) continue;
      add(
        scheme.shares.map((share) => share.partnerId),
        apportion(
          schemeNet,
          scheme.shares.map((share) => share.percentage),
        ),
      );
      remaining = remaining.minus(schemeNet);
    }
  }
  if (!remaining.isZero()) byContributions(remaining);
  return shares;
}

function contributionOf(
  figures: RiskShareFigures,
  partnerId: string,
  fundingStream: string | undefined,
): Money {
  const byStream = figures.contributions.get(partnerId);
  if (byStream === undefined) return Money.zero;
  if (fundingStream !== undefined) return byStream.get(fundingStream) ?? Money.zero;
  return Money.sum(byStream.values());
}
