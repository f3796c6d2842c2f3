import type { WriteFace } from './write-face.ts';

/**
 * The first run on an empty ledger: with no active admin there is nobody to issue tokens, so the
 * ledger registers one and issues its token, recorded as events by the `system` actor like any
 * other. The token is returned once, for the operator to copy from the console; only its hash is
 * kept. Later runs find the admin and do nothing.
 */
export async function ensureFirstAdmin(
  writeFace: WriteFace,
): Promise<{ userId: string; token: string } | undefined> {
  const { state } = await writeFace.accessState();
  // Only on an empty register: the last administrator cannot be deactivated, so a register with
  // users always has one, and an administrator is never made silently beside them.
  if (state.users.size > 0) return undefined;
  let userId = 'admin';
  for (let suffix = 2; state.users.has(userId); suffix++) userId = `admin-${suffix}`;
  const caller = { id: 'system', role: 'system' as const };
  const run = `first-run:${userId}:${state.users.size}`;
  const registered = await writeFace.execute({
    caller,
    idempotencyKey: `${run}:user`,
    command: {
      type: 'RegisterUser',
      userId,
      name: 'First administrator',
      role: 'admin',
      pools: '*',
    },
  });
  if (registered.kind === 'refused')
    throw new Error(`could not register the first administrator: ${registered.error.message}`);
  // A fresh key each run: a token is shown once, so a token issued by an earlier run that died
  // before printing it can never be shown again.
  const issued = await writeFace.execute({
    caller,
    idempotencyKey: `${run}:token:${crypto.randomUUID()}`,
    command: { type: 'IssueToken', userId, label: 'first run' },
  });
  if (issued.kind !== 'recorded' || issued.token === undefined)
    throw new Error(`could not issue the first administrator's token (${issued.kind})`);
  return { userId, token: issued.token.token };
}
