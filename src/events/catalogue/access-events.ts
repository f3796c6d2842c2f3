import { z } from 'zod';
import { ACTOR_ROLES, recordedAtString } from '../envelope.ts';
import { code, factId, name } from './vocabulary.ts';

/**
 * Who may use the ledger, as events of the `access` stream, so that access history is as
 * auditable as the money. A token is stored only as the SHA-256 of its secret.
 */
export const USER_ROLES = ACTOR_ROLES.filter((role) => role !== 'system') as [
  'finance-officer',
  'cfo',
  'auditor',
  'admin',
];
export const userRole = z.enum(USER_ROLES);
export type UserRole = z.infer<typeof userRole>;

const hexId = z.string().regex(/^[0-9a-f]{16}$/);

/** The pools a user may act on: a list of pool ids, or every pool. */
export const poolScope = z.union([z.literal('*'), z.array(code).min(1).max(200)]);

export const accessEventSchemas = {
  'UserRegistered.v1': z.strictObject({ userId: factId, name, role: userRole, pools: poolScope }),
  'UserDeactivated.v1': z.strictObject({ userId: factId }),
  'TokenIssued.v1': z.strictObject({
    userId: factId,
    tokenId: z.string().regex(/^[0-9a-f]{16}$/),
    secretHash: z.string().regex(/^[0-9a-f]{64}$/),
    label: name,
  }),
  'TokenRevoked.v1': z.strictObject({
    userId: factId,
    tokenId: z.string().regex(/^[0-9a-f]{16}$/),
  }),
  /** A one-time link for a person to choose a password: only the hash of its code is kept. */
  'SetupLinkIssued.v1': z.strictObject({
    userId: factId,
    linkId: hexId,
    codeHash: z.string().regex(/^[0-9a-f]{64}$/),
    expiresAt: recordedAtString,
  }),
  /** The person chose a password with the link; the password's hash is kept outside the log. */
  'PasswordSet.v1': z.strictObject({ userId: factId, linkId: hexId }),
  'SignedIn.v1': z.strictObject({ userId: factId, sessionId: hexId }),
  'SignedOut.v1': z.strictObject({
    userId: factId,
    sessionId: hexId,
    /** Signed out by the person, or by the session's idle timeout. */
    reason: z.enum(['signed-out', 'idle-timeout']),
  }),
} as const;

type Schemas = typeof accessEventSchemas;
export type AccessEvent = {
  [Type in keyof Schemas]: { type: Type; data: z.infer<Schemas[Type]> };
}[keyof Schemas];

export const ACCESS_STREAM_ID = 'access';
