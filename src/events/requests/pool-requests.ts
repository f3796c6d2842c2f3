import { z } from 'zod';
import { code, financialYear, name, partnerKind } from '../catalogue/index.ts';
import { referenceData, schemeColumns } from '../catalogue/pool-events.ts';

/** What a pool command asks for, as the API and the pages accept it: the event catalogue's fields. */

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
