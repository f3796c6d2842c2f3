import { apportion, Money } from '#money';
import type { ShareProfile, YearEndTerms } from '../events/catalogue/year-end-terms.ts';

/**
 * The year-end risk-share waterfall (domain brief, rule 11): what a section 75 agreement's terms
 * make of a year's outturn, step by step, to the penny. Used by the ledger to apply the risk share
 * and by the projections to show each partner's exposure before the year ends.
 *
 * Each line's net is its expenditure (actual plus accruals) less its budget. In the order the
 * terms list them: `offset-within-kind` meets overspends from underspends of the same kind of
 * money (revenue with revenue, capital with capital), in proportion on both sides;
 * `contingency` meets what is left from the contingency line's unspent budget, up to its size;
 * `share-overspend` shares each line's remaining overspend among partners by the line's profile.
 * Then each stream's remaining underspend, and the money never allocated, are returned or carried
 * forward as the terms say, capital staying capital. The identity of rule 13 holds to the penny:
 * funding - expenditure = net = the partners' shares + carry-forward, where a net below zero is a
 * deficit (an overspend) and a partner's share below zero is overspend it bears, above zero money
 * it gets back.
 */
export interface WaterfallInput {
  readonly terms: YearEndTerms;
  /** In the order they joined: ties in apportionment go to the earlier. */
  readonly partners: readonly { readonly partnerId: string; readonly kind: string }[];
  readonly hostPartnerId: string;
  /** Each partner's contributions (planned and varied) per funding stream. */
  readonly contributions: ReadonlyMap<string, ReadonlyMap<string, Money>>;
  readonly streams: readonly WaterfallStream[];
  readonly lines: readonly WaterfallLine[];
}

export interface WaterfallStream {
  readonly fundingStream: string;
  readonly capital: boolean;
  readonly contributions: Money;
  readonly allocated: Money;
}

export interface WaterfallLine {
  readonly schemeId: string;
  readonly fundingStream: string;
  readonly budget: Money;
  /** Actual plus accruals (or, before the year end, the forecast outturn). */
  readonly expenditure: Money;
  readonly commissioner: string;
  readonly nhsPercentage?: string | undefined;
  readonly laPercentage?: string | undefined;
}

export interface LineAmount {
  readonly schemeId: string;
  readonly fundingStream: string;
  readonly amount: Money;
}

export interface PartnerAmount {
  readonly partnerId: string;
  readonly amount: Money;
}

export interface WaterfallResult {
  /** Funding less expenditure: above zero a surplus, below zero a deficit (an overspend). */
  readonly net: Money;
  readonly offsets: readonly {
    readonly kind: 'revenue' | 'capital';
    readonly offset: Money;
    readonly overspendMet: readonly LineAmount[];
    readonly underspendUsed: readonly LineAmount[];
  }[];
  readonly contingency: {
    readonly schemeId: string;
    readonly fundingStream: string;
    readonly available: Money;
    readonly used: Money;
    readonly overspendMet: readonly LineAmount[];
  } | null;
  readonly overspends: readonly {
    readonly schemeId: string;
    readonly fundingStream: string;
    readonly overspend: Money;
    readonly profile: ShareProfile['kind'];
    /** What each partner bears of the line's remaining overspend. */
    readonly shares: readonly PartnerAmount[];
  }[];
  readonly underspends: readonly {
    readonly fundingStream: string;
    readonly capital: boolean;
    readonly underspend: Money;
    readonly unallocated: Money;
    /** What each partner gets back of the stream's underspend and unallocated money. */
    readonly returned: readonly PartnerAmount[];
    readonly carriedForward: Money;
  }[];
  /** Each partner's share of the net: returned less borne; below zero, it pays in. */
  readonly shares: readonly PartnerAmount[];
  readonly carryForward: readonly { readonly fundingStream: string; readonly amount: Money }[];
}

export type Waterfall =
  | { readonly ok: true; readonly result: WaterfallResult }
  | { readonly ok: false; readonly problem: string };

/** A line's remaining over- and underspend as the steps go. */
interface Position {
  readonly line: WaterfallLine;
  readonly capital: boolean;
  over: Money;
  under: Money;
}

export function applyWaterfall(input: WaterfallInput): Waterfall {
  const problem = termsProblem(input);
  if (problem !== undefined) return { ok: false, problem };
  const capitalStreams = new Set(
    input.streams.filter((stream) => stream.capital).map((stream) => stream.fundingStream),
  );
  const positions = input.lines.map((line): Position => {
    const net = line.expenditure.minus(line.budget);
    return {
      line,
      capital: capitalStreams.has(line.fundingStream),
      over: net.isPositive() ? net : Money.zero,
      under: net.isNegative() ? net.negated() : Money.zero,
    };
  });
  const offsets: Mutable<WaterfallResult['offsets']> = [];
  let contingency: WaterfallResult['contingency'] = null;
  for (const step of input.terms.steps) {
    if (step === 'offset-within-kind') offsets.push(...offsetWithinKind(input, positions));
    if (step === 'contingency') contingency = useContingency(input, positions);
  }
  const overspends = shareOverspends(input, positions);
  const underspends = treatUnderspends(input, positions);
  if ('problem' in overspends) return { ok: false, problem: overspends.problem };
  if ('problem' in underspends) return { ok: false, problem: underspends.problem };
  return { ok: true, result: totalled(input, offsets, contingency, overspends, underspends) };
}

type Mutable<T> = T extends readonly (infer Item)[] ? Item[] : T;

/** The terms hang together: the steps are in an order that can be applied, the contingency exists. */
function termsProblem(input: WaterfallInput): string | undefined {
  const { steps, contingency } = input.terms;
  if (new Set(steps).size !== steps.length) return 'each step of the waterfall appears once';
  if (steps.at(-1) !== 'share-overspend')
    return 'the waterfall ends by sharing what is left of the overspends (`share-overspend`)';
  if (steps.includes('contingency')) {
    const found = input.lines.some(
      (line) =>
        line.schemeId === contingency?.schemeId && line.fundingStream === contingency.fundingStream,
    );
    if (!found)
      return contingency === undefined
        ? 'the `contingency` step needs the contingency line'
        : `the contingency line (scheme "${contingency.schemeId}" ${contingency.fundingStream}) has no budget this year`;
  }
  return undefined;
}

function isContingency(input: WaterfallInput, line: WaterfallLine): boolean {
  const contingency = input.terms.contingency;
  return (
    input.terms.steps.includes('contingency') &&
    line.schemeId === contingency?.schemeId &&
    line.fundingStream === contingency.fundingStream
  );
}

/** Overspends met from underspends of the same kind, in proportion on both sides. */
function offsetWithinKind(input: WaterfallInput, positions: Position[]) {
  return (['revenue', 'capital'] as const).flatMap((kind) => {
    const ofKind = positions.filter(
      (position) =>
        position.capital === (kind === 'capital') && !isContingency(input, position.line),
    );
    const over = Money.sum(ofKind.map((position) => position.over));
    const under = Money.sum(ofKind.map((position) => position.under));
    const offset = Money.min(over, under);
    if (offset.isZero()) return [];
    const met = take(offset, ofKind, 'over');
    const used = take(offset, ofKind, 'under');
    return [{ kind, offset, overspendMet: met, underspendUsed: used }];
  });
}

/** Takes `amount` off the positions' over- or underspends in proportion to them. */
function take(amount: Money, positions: Position[], side: 'over' | 'under'): LineAmount[] {
  const parts = apportion(
    amount,
    positions.map((position) => position[side].toString()),
  );
  return positions.flatMap((position, index) => {
    const part = parts[index] ?? Money.zero;
    position[side] = position[side].minus(part);
    return part.isZero()
      ? []
      : [
          {
            schemeId: position.line.schemeId,
            fundingStream: position.line.fundingStream,
            amount: part,
          },
        ];
  });
}

/** The contingency line's unspent budget meets what is left of the overspends of its kind. */
function useContingency(
  input: WaterfallInput,
  positions: Position[],
): WaterfallResult['contingency'] {
  const reserve = positions.find((position) => isContingency(input, position.line));
  if (reserve === undefined) return null;
  const ofKind = positions.filter(
    (position) => position !== reserve && position.capital === reserve.capital,
  );
  const over = Money.sum(ofKind.map((position) => position.over));
  const available = reserve.under;
  const used = Money.min(available, over);
  const overspendMet = used.isZero() ? [] : take(used, ofKind, 'over');
  reserve.under = reserve.under.minus(used);
  return {
    schemeId: reserve.line.schemeId,
    fundingStream: reserve.line.fundingStream,
    available,
    used,
    overspendMet,
  };
}

/** What is left of each line's overspend, by its share profile. */
function shareOverspends(input: WaterfallInput, positions: Position[]) {
  const shared: Mutable<WaterfallResult['overspends']> = [];
  for (const position of positions) {
    if (position.over.isZero()) continue;
    const profile = profileOf(input.terms, position.line);
    const shares = shareOut(input, position.line, profile, position.over);
    if ('problem' in shares) return shares;
    shared.push({
      schemeId: position.line.schemeId,
      fundingStream: position.line.fundingStream,
      overspend: position.over,
      profile: profile.kind,
      shares: shares.filter((share) => !share.amount.isZero()),
    });
  }
  return shared;
}

export function profileOf(terms: YearEndTerms, line: WaterfallLine): ShareProfile {
  return (
    terms.lineProfiles.find(
      (entry) => entry.schemeId === line.schemeId && entry.fundingStream === line.fundingStream,
    )?.profile ?? terms.defaultProfile
  );
}

/** Each stream's remaining underspend and its unallocated money: returned or brought forward. */
function treatUnderspends(input: WaterfallInput, positions: Position[]) {
  const treated: Mutable<WaterfallResult['underspends']> = [];
  for (const stream of input.streams) {
    const ofStream = positions.filter(
      (position) => position.line.fundingStream === stream.fundingStream,
    );
    const underspend = Money.sum(ofStream.map((position) => position.under));
    const unallocated = stream.contributions.minus(stream.allocated);
    if (underspend.isZero() && unallocated.isZero()) continue;
    const treatment =
      input.terms.underspend.find((entry) => entry.fundingStream === stream.fundingStream)
        ?.treatment ?? input.terms.defaultUnderspend;
    const returned = new Map<string, Money>();
    let carriedForward = Money.zero;
    const give = (shares: readonly PartnerAmount[]) => {
      for (const share of shares)
        returned.set(
          share.partnerId,
          (returned.get(share.partnerId) ?? Money.zero).plus(share.amount),
        );
    };
    for (const position of ofStream) {
      if (position.under.isZero()) continue;
      if (treatment === 'carry-forward') carriedForward = carriedForward.plus(position.under);
      else {
        const profile: ShareProfile =
          treatment === 'return-to-commissioner'
            ? { kind: 'commissioner' }
            : { kind: 'stream-contributors' };
        const shares = shareOut(input, position.line, profile, position.under);
        if ('problem' in shares) return shares;
        give(shares);
      }
    }
    if (!unallocated.isZero()) {
      if (input.terms.unallocated === 'carry-forward')
        carriedForward = carriedForward.plus(unallocated);
      else {
        const shares = byContributions(input, unallocated, stream.fundingStream);
        if ('problem' in shares) return shares;
        give(shares);
      }
    }
    treated.push({
      fundingStream: stream.fundingStream,
      capital: stream.capital,
      underspend,
      unallocated,
      returned: input.partners
        .filter((partner) => !(returned.get(partner.partnerId) ?? Money.zero).isZero())
        .map((partner) => ({
          partnerId: partner.partnerId,
          amount: returned.get(partner.partnerId) ?? Money.zero,
        })),
      carriedForward,
    });
  }
  return treated;
}

/** `amount` shared among partners by a profile; the line says whose commission and stream it is. */
function shareOut(
  input: WaterfallInput,
  line: WaterfallLine,
  profile: ShareProfile,
  amount: Money,
): PartnerAmount[] | { problem: string } {
  switch (profile.kind) {
    case 'host':
      return [{ partnerId: input.hostPartnerId, amount }];
    case 'fixed': {
      const parts = apportion(
        amount,
        profile.shares.map((share) => share.percentage),
      );
      return profile.shares.map((share, index) => ({
        partnerId: share.partnerId,
        amount: parts[index] ?? Money.zero,
      }));
    }
    case 'contributions':
      return byContributions(input, amount);
    case 'stream-contributors':
      return byContributions(input, amount, line.fundingStream);
    case 'commissioner':
      return byCommissioner(input, line, amount);
  }
}

const NHS_KINDS = new Set(['CCG', 'ICB']);

/** A council line's by the councils, an NHS line's by the CCGs, a joint line's by its percentages. */
function byCommissioner(
  input: WaterfallInput,
  line: WaterfallLine,
  amount: Money,
): PartnerAmount[] | { problem: string } {
  const councils = (partner: { kind: string }) => partner.kind === 'Local Authority';
  const nhs = (partner: { kind: string }) => NHS_KINDS.has(partner.kind);
  switch (line.commissioner) {
    case 'Local Authority':
      return byContributions(input, amount, undefined, councils, line);
    case 'CCG':
      return byContributions(input, amount, undefined, nhs, line);
    case 'Joint': {
      const [nhsPart = Money.zero, laPart = Money.zero] = apportion(amount, [
        line.nhsPercentage ?? '0',
        line.laPercentage ?? '0',
      ]);
      const fromNhs = nhsPart.isZero() ? [] : byContributions(input, nhsPart, undefined, nhs, line);
      const fromCouncils = laPart.isZero()
        ? []
        : byContributions(input, laPart, undefined, councils, line);
      if ('problem' in fromNhs) return fromNhs;
      if ('problem' in fromCouncils) return fromCouncils;
      return merged(input, [...fromNhs, ...fromCouncils]);
    }
    default:
      return {
        problem: `scheme "${line.schemeId}" is commissioned by "${line.commissioner}", which names no partners to bear its share`,
      };
  }
}

/** `amount` by contributions: to one stream when named, among the partners `who` admits. */
function byContributions(
  input: WaterfallInput,
  amount: Money,
  fundingStream?: string,
  who: (partner: { kind: string }) => boolean = () => true,
  line?: WaterfallLine,
): PartnerAmount[] | { problem: string } {
  const partners = input.partners.filter(who);
  const weights = partners.map((partner) => {
    const byStream = input.contributions.get(partner.partnerId);
    if (byStream === undefined) return Money.zero;
    return fundingStream === undefined
      ? Money.sum(byStream.values())
      : (byStream.get(fundingStream) ?? Money.zero);
  });
  if (weights.every((weight) => weight.isZero())) {
    const whose = line === undefined ? '' : ` for scheme "${line.schemeId}" ${line.fundingStream}`;
    return {
      problem: `no partner that could bear it${whose} contributes${fundingStream === undefined ? '' : ` to ${fundingStream}`} this year`,
    };
  }
  const parts = apportion(
    amount,
    weights.map((weight) => weight.toString()),
  );
  return partners.map((partner, index) => ({
    partnerId: partner.partnerId,
    amount: parts[index] ?? Money.zero,
  }));
}

/** Partners' amounts summed by partner, in the partners' order. */
function merged(input: WaterfallInput, amounts: readonly PartnerAmount[]): PartnerAmount[] {
  return input.partners.flatMap((partner) => {
    const ofPartner = amounts.filter((each) => each.partnerId === partner.partnerId);
    return ofPartner.length === 0
      ? []
      : [{ partnerId: partner.partnerId, amount: Money.sum(ofPartner.map((each) => each.amount)) }];
  });
}

function totalled(
  input: WaterfallInput,
  offsets: WaterfallResult['offsets'],
  contingency: WaterfallResult['contingency'],
  overspends: WaterfallResult['overspends'],
  underspends: WaterfallResult['underspends'],
): WaterfallResult {
  const all = [
    ...overspends.flatMap((entry) =>
      entry.shares.map(({ partnerId, amount }) => ({ partnerId, amount: amount.negated() })),
    ),
    ...underspends.flatMap((entry) => entry.returned),
  ];
  const shares = input.partners.map((partner) => ({
    partnerId: partner.partnerId,
    amount: Money.sum(
      all.filter((each) => each.partnerId === partner.partnerId).map((each) => each.amount),
    ),
  }));
  const carryForward = underspends
    .filter((entry) => !entry.carriedForward.isZero())
    .map((entry) => ({ fundingStream: entry.fundingStream, amount: entry.carriedForward }));
  const net = Money.sum(
    input.streams.map((stream) => stream.contributions.minus(stream.allocated)),
  ).plus(Money.sum(input.lines.map((line) => line.budget.minus(line.expenditure))));
  const accounted = Money.sum(shares.map((share) => share.amount)).plus(
    Money.sum(carryForward.map((entry) => entry.amount)),
  );
  // Rule 13: the year reconciles to the penny; a waterfall that did not would be a defect here.
  if (!accounted.equals(net))
    throw new Error(
      `the waterfall accounts for ${accounted.toString()} of a net of ${net.toString()}`,
    );
  return { net, offsets, contingency, overspends, underspends, shares, carryForward };
}

/**
 * Whether the terms can be applied to these lines: the steps in order, the contingency line there,
 * every line's share profile naming partners who contribute, and every stream's underspend
 * treatment possible. A problem a finance officer can act on, or undefined.
 */
export function termsCoverage(input: WaterfallInput): string | undefined {
  const problem = termsProblem(input);
  if (problem !== undefined) return problem;
  const stray = input.terms.lineProfiles.find(
    (entry) =>
      !input.lines.some(
        (line) => line.schemeId === entry.schemeId && line.fundingStream === entry.fundingStream,
      ),
  );
  if (stray !== undefined)
    return `the terms give a share profile to scheme "${stray.schemeId}" ${stray.fundingStream}, which has no budget line this year`;
  const penny = Money.parse('0.01');
  for (const line of input.lines) {
    if (isContingency(input, line)) continue;
    const shared = shareOut(input, line, profileOf(input.terms, line), penny);
    if ('problem' in shared) return shared.problem;
    const treatment =
      input.terms.underspend.find((entry) => entry.fundingStream === line.fundingStream)
        ?.treatment ?? input.terms.defaultUnderspend;
    if (treatment === 'carry-forward') continue;
    const profile: ShareProfile =
      treatment === 'return-to-commissioner'
        ? { kind: 'commissioner' }
        : { kind: 'stream-contributors' };
    const returned = shareOut(input, line, profile, penny);
    if ('problem' in returned) return returned.problem;
  }
  return undefined;
}
