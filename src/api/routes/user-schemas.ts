import { z } from 'zod';
import { poolScope, userRole } from '../../events/catalogue/index.ts';

/** Answer schemas of the user routes (their requests are in events/requests/). */
export const userView = z.object({
  userId: z.string(),
  name: z.string(),
  role: userRole,
  pools: poolScope,
  active: z.boolean(),
  tokens: z.array(z.object({ tokenId: z.string(), label: z.string(), revoked: z.boolean() })),
});

export const tokenIssued = z.object({
  userId: z.string(),
  tokenId: z.string(),
  token: z.string().describe('Shown once: only its hash is kept'),
});

export const setupLinkIssued = z.strictObject({
  userId: z.string(),
  linkId: z.string(),
  code: z.string().describe('Shown once: only its hash is kept'),
  link: z.string().describe('The page where the person chooses a password with the code'),
  expiresAt: z.string(),
});
