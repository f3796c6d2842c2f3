import type { UserRole } from '../events/catalogue/index.ts';
import type { CredentialStore } from '../events/store/credentials.ts';
import {
  hashPassword,
  newSession,
  parseSetupCode,
  passwordMatches,
  passwordProblem,
  secretMatches,
} from '../rules/credentials.ts';
import type { AccessState } from './access/access-decider.ts';

/**
 * People, as opposed to machines: choosing a password with a one-time set-up link, signing in
 * with it, signing out. The password's hash and the sessions live in the credential store beside
 * the log (docs/decisions/0011); the log records that a password was set and who signed in and
 * out, through the same write face as everything else.
 */
export interface PeopleDependencies {
  readonly credentials: CredentialStore;
  readonly clock: () => Date;
  readonly accessState: () => Promise<AccessState>;
  /** Records a person's own act (set password, sign in, sign out) as that person. */
  readonly record: (
    person: { id: string; role: UserRole },
    key: string,
    command: PersonInput,
  ) => Promise<{ ok: true; replayed: boolean } | { ok: false; message: string }>;
}

export type PersonInput =
  | { type: 'SetPassword'; userId: string; linkId: string; at: string }
  | { type: 'RecordSignIn'; userId: string; sessionId: string }
  | {
      type: 'RecordSignOut';
      userId: string;
      sessionId: string;
      reason: 'signed-out' | 'idle-timeout';
    };

export type SetPasswordOutcome =
  | { readonly ok: true; readonly userId: string }
  | { readonly ok: false; readonly field: 'code' | 'password'; readonly message: string };

/** The person a set-up code belongs to, if it is good: for the page that asks for a password. */
export async function setupLinkHolder(
  dependencies: PeopleDependencies,
  code: string,
): Promise<{ userId: string; name: string } | undefined> {
  const link = await findLink(dependencies, code);
  return link === undefined ? undefined : { userId: link.userId, name: link.name };
}

export async function setPassword(
  dependencies: PeopleDependencies,
  code: string,
  password: string,
): Promise<SetPasswordOutcome> {
  const link = await findLink(dependencies, code);
  if (link === undefined)
    return {
      ok: false,
      field: 'code',
      message:
        'This set-up link has been used or has expired: ask your administrator for a new one',
    };
  const problem = passwordProblem(password);
  if (problem !== undefined) return { ok: false, field: 'password', message: problem };
  const hash = await hashPassword(password);
  const recorded = await dependencies.record(
    { id: link.userId, role: link.role },
    `set-password:${link.linkId}`,
    {
      type: 'SetPassword',
      userId: link.userId,
      linkId: link.linkId,
      at: dependencies.clock().toISOString(),
    },
  );
  if (!recorded.ok) return { ok: false, field: 'code', message: recorded.message };
  // A retried form must not replace the password the first one set.
  if (!recorded.replayed) await dependencies.credentials.setPasswordHash(link.userId, hash);
  return { ok: true, userId: link.userId };
}

async function findLink(dependencies: PeopleDependencies, code: string) {
  const parsed = parseSetupCode(code);
  if (parsed === undefined) return undefined;
  const state = await dependencies.accessState();
  const userId = state.setupLinkOwners.get(parsed.linkId);
  const user = userId === undefined ? undefined : state.users.get(userId);
  const link = user?.setupLinks.get(parsed.linkId);
  if (user === undefined || link === undefined || !user.active || link.used) return undefined;
  if (link.expiresAt <= dependencies.clock().toISOString()) return undefined;
  if (!secretMatches(parsed.secret, link.codeHash)) return undefined;
  return { userId: user.userId, name: user.name, role: user.role, linkId: parsed.linkId };
}

/** A hash of nothing, checked when there is no such person, so a wrong name costs a right one's time. */
const UNKNOWN_PERSON_HASH =
  'scrypt$16384$8$1$c2lnbi1pbi1vZi1ub2JvZHk$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

export type SignInOutcome =
  | {
      readonly ok: true;
      readonly cookie: string;
      readonly userId: string;
      readonly role: UserRole;
    }
  | { readonly ok: false };

export async function signIn(
  dependencies: PeopleDependencies,
  userId: string,
  password: string,
): Promise<SignInOutcome> {
  const state = await dependencies.accessState();
  const user = state.users.get(userId);
  const stored =
    user === undefined ? undefined : await dependencies.credentials.passwordHash(userId);
  const matches = await passwordMatches(password, stored ?? UNKNOWN_PERSON_HASH);
  if (user === undefined || stored === undefined || !matches || !user.active) return { ok: false };
  const session = newSession();
  const now = dependencies.clock().toISOString();
  await dependencies.credentials.startSession({
    sessionId: session.sessionId,
    userId,
    secretHash: session.secretHash,
    createdAt: now,
    lastSeenAt: now,
  });
  const recorded = await dependencies.record(
    { id: userId, role: user.role },
    `sign-in:${session.sessionId}`,
    {
      type: 'RecordSignIn',
      userId,
      sessionId: session.sessionId,
    },
  );
  if (!recorded.ok) {
    await dependencies.credentials.endSession(session.sessionId);
    return { ok: false };
  }
  return { ok: true, cookie: session.cookie, userId, role: user.role };
}

export async function signOut(
  dependencies: PeopleDependencies,
  session: { sessionId: string; userId: string },
  reason: 'signed-out' | 'idle-timeout',
): Promise<void> {
  const state = await dependencies.accessState();
  const user = state.users.get(session.userId);
  await dependencies.credentials.endSession(session.sessionId);
  if (user === undefined) return;
  await dependencies.record({ id: user.userId, role: user.role }, `sign-out:${session.sessionId}`, {
    type: 'RecordSignOut',
    userId: user.userId,
    sessionId: session.sessionId,
    reason,
  });
}
