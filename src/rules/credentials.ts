import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

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

/**
 * One-time set-up codes, for a person to choose a password: `setup_<link id>_<secret>`, shown
 * once to the administrator who issues it (to pass on as a link); only its hash is kept.
 */
const SETUP_CODE_PATTERN = /^setup_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

export function newSetupCode(): { code: string; linkId: string; codeHash: string } {
  const linkId = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { code: `setup_${linkId}_${secret}`, linkId, codeHash: hashSecret(secret) };
}

export function parseSetupCode(code: string): { linkId: string; secret: string } | undefined {
  const match = SETUP_CODE_PATTERN.exec(code);
  if (match === null) return undefined;
  return { linkId: match[1] ?? '', secret: match[2] ?? '' };
}

/**
 * Sessions of people signed in: the cookie holds `<session id>.<secret>`; the credential store
 * keeps the session by its id with the secret's hash.
 */
const SESSION_PATTERN = /^([0-9a-f]{16})\.([A-Za-z0-9_-]{43})$/;

export function newSession(): { cookie: string; sessionId: string; secretHash: string } {
  const sessionId = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { cookie: `${sessionId}.${secret}`, sessionId, secretHash: hashSecret(secret) };
}

export function parseSession(cookie: string): { sessionId: string; secret: string } | undefined {
  const match = SESSION_PATTERN.exec(cookie);
  if (match === null) return undefined;
  return { sessionId: match[1] ?? '', secret: match[2] ?? '' };
}

/**
 * Passwords are kept as scrypt hashes (node:crypto) with a random salt and the cost written
 * beside them, so the cost can rise later without losing the hashes already kept:
 * `scrypt$<N>$<r>$<p>$<salt>$<hash>`.
 */
const SCRYPT = { N: 16_384, r: 8, p: 1, keyLength: 64, maxmem: 64 * 1_048_576 } as const;

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await derive(password, salt, SCRYPT.N, SCRYPT.r, SCRYPT.p);
  return [
    'scrypt',
    SCRYPT.N,
    SCRYPT.r,
    SCRYPT.p,
    salt.toString('base64url'),
    hash.toString('base64url'),
  ].join('$');
}

export async function passwordMatches(password: string, stored: string): Promise<boolean> {
  const [kind, n, r, p, salt, hash] = stored.split('$');
  if (kind !== 'scrypt' || salt === undefined || hash === undefined) return false;
  const expected = Buffer.from(hash, 'base64url');
  const derived = await derive(
    password,
    Buffer.from(salt, 'base64url'),
    Number(n),
    Number(r),
    Number(p),
  );
  return derived.length === expected.length && timingSafeEqual(derived, expected);
}

function derive(password: string, salt: Buffer, N: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(
      password.normalize('NFKC'),
      salt,
      SCRYPT.keyLength,
      { N, r, p, maxmem: SCRYPT.maxmem },
      (error, key) => (error === null ? resolve(key) : reject(error)),
    ),
  );
}

/** What a password must be: long enough to resist guessing, and not absurdly long. */
export function passwordProblem(password: string): string | undefined {
  if ([...password].length < 12) return 'Enter a password of at least 12 characters';
  if (password.length > 200) return 'Enter a password of at most 200 characters';
  if (new Set(password).size < 5) return 'Enter a password with more different characters';
  return undefined;
}
