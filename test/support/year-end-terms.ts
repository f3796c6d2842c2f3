import fc from 'fast-check';
import {
  type ShareProfile,
  UNDERSPEND_TREATMENTS,
  type YearEndTerms,
} from '../../src/events/catalogue/index.ts';

/**
 * Random year-end terms of a section 75 agreement for property tests: any waterfall the terms
 * allow (with or without offsetting and a contingency line), any share profile per line, any
 * underspend treatment per stream, either treatment of unallocated money.
 */
export interface TermsSpace {
  readonly partnerIds: readonly string[];
  readonly lines: readonly { readonly schemeId: string; readonly fundingStream: string }[];
  readonly fundingStreams: readonly string[];
}

export function shareProfileArbitrary(partnerIds: readonly string[]): fc.Arbitrary<ShareProfile> {
  return fc.oneof(
    fc.constant<ShareProfile>({ kind: 'commissioner' }),
    fc.constant<ShareProfile>({ kind: 'contributions' }),
    fc.constant<ShareProfile>({ kind: 'stream-contributors' }),
    fc.constant<ShareProfile>({ kind: 'host' }),
    fixedShares(partnerIds),
  );
}

/** Fixed shares among some partners, in hundredths of a percent that sum to exactly 100%. */
function fixedShares(partnerIds: readonly string[]): fc.Arbitrary<ShareProfile> {
  return fc
    .uniqueArray(fc.constantFrom(...partnerIds), { minLength: 1, maxLength: partnerIds.length })
    .chain((chosen) =>
      fc
        .array(fc.integer({ min: 1, max: 10_000 }), {
          minLength: chosen.length,
          maxLength: chosen.length,
        })
        .map((weights): ShareProfile => {
          const total = weights.reduce((sum, weight) => sum + weight, 0);
          const hundredths = weights.map((weight) => Math.floor((weight * 10_000) / total));
          hundredths[0] = (hundredths[0] ?? 0) + 10_000 - hundredths.reduce((a, b) => a + b, 0);
          return {
            kind: 'fixed',
            shares: chosen.map((partnerId, index) => ({
              partnerId,
              percentage: percentText(hundredths[index] ?? 0),
            })),
          };
        }),
    );
}

function percentText(hundredths: number): string {
  return `${Math.trunc(hundredths / 100)}.${String(hundredths % 100).padStart(2, '0')}`;
}

export function yearEndTermsArbitrary(space: TermsSpace): fc.Arbitrary<YearEndTerms> {
  const treatment = fc.constantFrom(...UNDERSPEND_TREATMENTS);
  return fc
    .record({
      offset: fc.boolean(),
      contingency: fc.option(fc.constantFrom(...space.lines), { nil: undefined }),
      contingencyFirst: fc.boolean(),
      defaultProfile: shareProfileArbitrary(space.partnerIds),
      lineProfiles: fc.uniqueArray(
        fc.record({
          line: fc.constantFrom(...space.lines),
          profile: shareProfileArbitrary(space.partnerIds),
        }),
        { maxLength: space.lines.length, selector: (entry) => entry.line },
      ),
      defaultUnderspend: treatment,
      underspend: fc.uniqueArray(
        fc.record({ fundingStream: fc.constantFrom(...space.fundingStreams), treatment }),
        { maxLength: space.fundingStreams.length, selector: (entry) => entry.fundingStream },
      ),
      unallocated: fc.constantFrom('return-to-contributors' as const, 'carry-forward' as const),
    })
    .map((drawn): YearEndTerms => {
      const before: YearEndTerms['steps'] = [];
      if (drawn.offset) before.push('offset-within-kind');
      if (drawn.contingency !== undefined) {
        if (drawn.contingencyFirst) before.unshift('contingency');
        else before.push('contingency');
      }
      return {
        steps: [...before, 'share-overspend'],
        ...(drawn.contingency === undefined ? {} : { contingency: drawn.contingency }),
        defaultProfile: drawn.defaultProfile,
        lineProfiles: drawn.lineProfiles.map(({ line, profile }) => ({ ...line, profile })),
        defaultUnderspend: drawn.defaultUnderspend,
        underspend: drawn.underspend,
        unallocated: drawn.unallocated,
      };
    });
}

/** Drawn terms kept to the lines a ledger has: terms naming a line it does not have are refused. */
export function termsForLines(
  terms: YearEndTerms,
  lines: ReadonlyMap<string, unknown>,
): YearEndTerms {
  const has = (line: { schemeId: string; fundingStream: string }) =>
    lines.has(`${line.schemeId}\u0000${line.fundingStream}`);
  const { contingency, ...rest } = terms;
  const keepContingency = contingency !== undefined && has(contingency);
  return {
    ...rest,
    steps: terms.steps.filter((step) => step !== 'contingency' || keepContingency),
    ...(keepContingency ? { contingency } : {}),
    lineProfiles: terms.lineProfiles.filter(has),
  };
}
