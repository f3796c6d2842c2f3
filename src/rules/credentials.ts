import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Bearer tokens: `bcf_<token id>_<secret>`. The id says which token it is; only the SHA-256 of the
 * secret is ever stored, so the token itself is shown once, when it is issued.
 */
const TOKEN_PATTERN = /^bcf_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

export function newToken(): { token: string; tokenId: string; secretHash: string } {
  const tokenId = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { token: `bcf_${tokenId}_${secret}`, tokenId, secretHash: hashSecret(secret) };
}

export function parseToken(token: string): { tokenId: string; secret: string } | undefined {
  const match = TOKEN_PATTERN.exec(token);
  if (match === null) return undefined;
  return { tokenId: match[1] ?? '', secret: match[2] ?? '' };
}

export function secretMatches(secret: string, secretHash: string): boolean {
  return timingSafeEqual(Buffer.from(hashSecret(secret), 'hex'), Buffer.from(secretHash, 'hex'));
}

function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
