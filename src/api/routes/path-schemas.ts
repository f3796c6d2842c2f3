import { z } from 'zod';
import { code, financialYear, quarter } from '../../events/catalogue/index.ts';

/** The path parameters the routes share: a pool, a pool-year, a quarter of it, a scheme. */
export const poolParams = z.strictObject({ poolId: code });
export const yearParams = z.strictObject({ poolId: code, year: financialYear });
export const quarterParams = z.strictObject({ poolId: code, year: financialYear, quarter });
export const schemeParams = z.strictObject({ poolId: code, schemeId: code });
