import type { LedgerService } from '../commands/ledger-service.ts';
import { type Problem, problem } from './problems.ts';
import type { Caller } from './route-kit.ts';
import { parseToken, secretMatches } from './tokens.ts';

/**
 * Who is calling: the bearer token's id names the token, its secret must hash to the stored hash,
 * the token must not be revoked nor its user deactivated. Users and tokens are read from the
 * access stream, brought up to date on every call, so a token issued by another instance works
 * at once and a revoked one stops at once.
 */
export async function authenticate(
  header: string | undefined,
  service: LedgerService,
): Promise<Caller | Problem> {
  const refused = problem(
    'unauthenticated',
    'send Authorization: Bearer <token> with a valid, unrevoked token',
  );
  if (header === undefined || !header.startsWith('Bearer ')) return refused;
  const parsed = parseToken(header.slice('Bearer '.length).trim());
  if (parsed === undefined) return refused;
  const { state } = await service.accessState();
  const userId = state.tokenOwners.get(parsed.tokenId);
  const user = userId === undefined ? undefined : state.users.get(userId);
  const token = user?.tokens.get(parsed.tokenId);
  if (user === undefined || token === undefined || token.revoked || !user.active) return refused;
  if (!secretMatches(parsed.secret, token.secretHash)) return refused;
  return { userId: user.userId, role: user.role, pools: user.pools };
}
