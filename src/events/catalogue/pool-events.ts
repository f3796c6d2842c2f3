import { z } from 'zod';
import {
  code,
  financialYear,
  fundingCategory,
  name,
  partnerKind,
  percentage,
  text,
} from './vocabulary.ts';

/** Events of a pool's own stream: set-up, partners, financial years, schemes. */

export const referenceData = z.strictObject({
  /** Which edition of the national lists this year uses, e.g. "2017-19 planning template". */
  version: name,
  fundingStreams: z
    .array(z.strictObject({ name, category: fundingCategory }))
    .min(1)
    .max(50),
  schemeTypes: z
    .array(z.strictObject({ name, capital: z.boolean() }))
    .min(1)
    .max(100),
  areasOfSpend: z.array(name).min(1).max(50),
  /** The national metrics of the plan cycle, and which way is better. */
  metrics: z
    .array(
      z.strictObject({
        metricId: code,
        name,
        unit: name,
        better: z.enum(['lower', 'higher']),
      }),
    )
    .max(20)
    .optional(),
  commissioners: z.array(name).min(1).max(20),
  providers: z.array(name).min(1).max(50),
});
export type ReferenceData = z.infer<typeof referenceData>;

export const schemeColumns = z.strictObject({
  name,
  schemeType: name,
  description: text,
  areaOfSpend: name,
  commissioner: name,
  nhsPercentage: percentage.optional(),
  laPercentage: percentage.optional(),
  provider: name,
  newOrExisting: z.enum(['New', 'Existing']),
});
export type SchemeColumns = z.infer<typeof schemeColumns>;

export const poolEventSchemas = {
  'PoolRegistered.v1': z.strictObject({
    poolId: code,
    name,
    hwbArea: name,
    /** The NHS England region, for the national roll-up. */
    region: name.optional(),
    currency: z.literal('GBP'),
    hostPartnerId: code,
  }),
  'PartnerJoined.v1': z.strictObject({ poolId: code, partnerId: code, name, kind: partnerKind }),
  'FinancialYearOpened.v1': z.strictObject({ poolId: code, year: financialYear, referenceData }),
  'SchemeRegistered.v1': z.strictObject({ poolId: code, schemeId: code, ...schemeColumns.shape }),
  'SchemeAmended.v1': z.strictObject({
    poolId: code,
    schemeId: code,
    changes: schemeColumns.partial(),
  }),
  'SchemeWithdrawn.v1': z.strictObject({ poolId: code, schemeId: code }),
} as const;

type Schemas = typeof poolEventSchemas;
export type PoolEvent = {
  [Type in keyof Schemas]: { type: Type; data: z.infer<Schemas[Type]> };
}[keyof Schemas];
