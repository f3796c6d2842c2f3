import type { LedgerService } from '../commands/ledger-service.ts';
import type { EventMetadata } from '../events/envelope.ts';
import { newToken } from './tokens.ts';

/**
 * The first run on an empty ledger: with no active admin there is nobody to issue tokens, so the
 * ledger registers one and issues its token, recorded as events by the `system` actor like any
 * other. The token is returned once, for the operator to copy from the console; only its hash is
 * kept. Later runs find the admin and do nothing.
 */
export async function ensureFirstAdmin(
  service: LedgerService,
  now: () => Date,
): Promise<{ userId: string; token: string } | undefined> {
  const { state } = await service.accessState();
  const admins = [...state.users.values()].filter((user) => user.role === 'admin' && user.active);
  if (admins.length > 0) return undefined;
  const token = newToken();
  let userId = 'admin';
  for (let suffix = 2; state.users.has(userId); suffix++) userId = `admin-${suffix}`;
  const metadata = (step: string): EventMetadata => ({
    actor: { id: 'system', role: 'system' },
    recordedAt: now().toISOString(),
    correlationId: `first-run-${token.tokenId}`,
    causationId: `first-run-${token.tokenId}`,
    idempotencyKey: `system:first-run:${step}:${token.tokenId}`,
  });
  const system = { id: 'system', role: 'system' as const };
  const registered = await service.access(
    {
      type: 'RegisterUser',
      actor: system,
      userId,
      name: 'First administrator',
      role: 'admin',
      pools: '*',
    },
    metadata('user'),
  );
  if (!registered.ok)
    throw new Error(`could not register the first administrator: ${registered.error.message}`);
  const issued = await service.access(
    {
      type: 'IssueToken',
      actor: system,
      userId,
      tokenId: token.tokenId,
      secretHash: token.secretHash,
      label: 'first run',
    },
    metadata('token'),
  );
  if (!issued.ok)
    throw new Error(`could not issue the first administrator's token: ${issued.error.message}`);
  return { userId, token: token.token };
}
