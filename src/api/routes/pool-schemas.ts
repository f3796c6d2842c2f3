import { z } from 'zod';
import { code, financialYear, name, partnerKind } from '../../events/catalogue/index.ts';
import { referenceData, schemeColumns } from '../../events/catalogue/pool-events.ts';

/** Request and answer schemas of the pool routes, built from the event catalogue's fields. */

export const registerPool = z.strictObject({
  poolId: code,
  name,
  hwbArea: name,
  region: name.optional(),
  host: z.strictObject({ partnerId: code, name, kind: partnerKind }),
});
export const joinPartner = z.strictObject({ partnerId: code, name, kind: partnerKind });
export const openYear = z.strictObject({ year: financialYear, referenceData });
export const registerScheme = z.strictObject({ schemeId: code, ...schemeColumns.shape });
export const amendScheme = z.strictObject({ changes: schemeColumns.partial() });

export const poolSummarySchema = z.object({
  poolId: z.string(),
  name: z.string(),
  hwbArea: z.string(),
  region: z.string().nullable(),
  currency: z.string(),
  hostPartnerId: z.string(),
  partners: z.array(z.object({ partnerId: z.string(), name: z.string(), kind: z.string() })),
  schemes: z.array(
    z.object({ schemeId: z.string(), withdrawn: z.boolean(), ...schemeColumns.shape }),
  ),
  years: z.array(
    z.object({
      year: z.string(),
      closedQuarters: z.int(),
      referenceDataVersion: z.string().nullable(),
    }),
  ),
});
