import { z } from 'zod';
import { code, name, percentage } from './vocabulary.ts';

/**
 * The year-end terms of a section 75 agreement for one pool and year (domain brief, rule 11): the
 * risk-share waterfall as data. Agreed by one CFO and approved by another; applied once the
 * outturn is determined (src/rules/waterfall.ts).
 */

/**
 * Who bears what is left of a line's overspend:
 * - `commissioner`: a Local Authority line's by the councils, a CCG line's by the CCGs (ICBs),
 *   each in proportion to their contributions; a Joint line's by % NHS and % LA the same way;
 * - `contributions`: every partner in proportion to its contributions to the pool that year;
 * - `stream-contributors`: the partners that fund the line's stream, in proportion ("each
 *   partner for its own services", no sharing);
 * - `host`: the host partner;
 * - `fixed`: fixed percentages, summing to 100.
 */
export const shareProfile = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('commissioner') }),
  z.strictObject({ kind: z.literal('contributions') }),
  z.strictObject({ kind: z.literal('stream-contributors') }),
  z.strictObject({ kind: z.literal('host') }),
  z.strictObject({
    kind: z.literal('fixed'),
    shares: z
      .array(z.strictObject({ partnerId: code, percentage }))
      .min(1)
      .max(20),
  }),
]);
export type ShareProfile = z.infer<typeof shareProfile>;

export const WATERFALL_STEPS = ['offset-within-kind', 'contingency', 'share-overspend'] as const;
export type WaterfallStep = (typeof WATERFALL_STEPS)[number];

/**
 * What happens to an underspend left after the overspends are met: kept in the pool and brought
 * forward into the next year, returned to the stream's contributors in proportion, or returned
 * by the line's commissioner profile.
 */
export const UNDERSPEND_TREATMENTS = [
  'carry-forward',
  'return-pro-rata',
  'return-to-commissioner',
] as const;
export const underspendTreatment = z.enum(UNDERSPEND_TREATMENTS);
export type UnderspendTreatment = z.infer<typeof underspendTreatment>;

const line = { schemeId: code, fundingStream: name };

export const yearEndTerms = z.strictObject({
  /** In the order the agreement lists them; `share-overspend` last, each at most once. */
  steps: z.array(z.enum(WATERFALL_STEPS)).min(1).max(3),
  /** The contingency (risk pool) line, for the `contingency` step. */
  contingency: z.strictObject(line).optional(),
  defaultProfile: shareProfile,
  lineProfiles: z.array(z.strictObject({ ...line, profile: shareProfile })).max(500),
  defaultUnderspend: underspendTreatment,
  underspend: z
    .array(z.strictObject({ fundingStream: name, treatment: underspendTreatment }))
    .max(50),
  /** Money contributed and never allocated: back to its contributors, or brought forward. */
  unallocated: z.enum(['return-to-contributors', 'carry-forward']),
});
export type YearEndTerms = z.infer<typeof yearEndTerms>;
