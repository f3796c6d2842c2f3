import { z } from 'zod';
import { schemeColumns } from '../../events/catalogue/pool-events.ts';

/** Answer schemas of the pool routes (their requests are in events/requests/). */

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
