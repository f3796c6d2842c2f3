import { z } from 'zod';
import { code, factId } from '../../events/catalogue/index.ts';
import { recordedAtString } from '../../events/envelope.ts';

/** Query and answer schemas of the audit routes. */
export const auditQuery = z.strictObject({
  schemeId: code.optional(),
  actorId: factId.optional(),
  credentialId: z
    .string()
    .regex(/^(token|session):[0-9a-f]{16,64}$/, 'a credential is token:<id> or session:<id>')
    .optional(),
  type: z
    .string()
    .regex(/^[A-Z][A-Za-z0-9]*\.v[1-9][0-9]*$/)
    .optional(),
  from: recordedAtString.optional(),
  to: recordedAtString.optional(),
  asAt: recordedAtString.optional(),
  afterPosition: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
});

export const auditPage = z.object({
  entries: z.array(
    z.object({
      position: z.int(),
      streamId: z.string(),
      streamVersion: z.int(),
      eventId: z.string(),
      type: z.string(),
      poolId: z.string().nullable(),
      year: z.string().nullable(),
      schemeIds: z.array(z.string()),
      actor: z.object({ id: z.string(), role: z.string() }),
      credentialId: z.string().nullable(),
      recordedAt: z.string(),
      reason: z.string().nullable(),
      correlationId: z.string(),
      causationId: z.string(),
      idempotencyKey: z.string(),
      data: z.unknown(),
    }),
  ),
  nextAfterPosition: z.int().nullable(),
});
