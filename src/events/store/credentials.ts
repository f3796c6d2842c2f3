/**
 * What proves a person is who they say, kept beside the event log and never in it: the log is
 * read by auditors and can never be erased, and a password's hash belongs in neither. The log
 * records only that a password was set, and who signed in and out.
 */
export interface PersonSession {
  readonly sessionId: string;
  readonly userId: string;
  readonly secretHash: string;
  readonly createdAt: string;
  /** When the session was last used: past the idle timeout, it is over. */
  readonly lastSeenAt: string;
}

export interface CredentialStore {
  passwordHash(userId: string): Promise<string | undefined>;
  setPasswordHash(userId: string, hash: string): Promise<void>;
  startSession(session: PersonSession): Promise<void>;
  session(sessionId: string): Promise<PersonSession | undefined>;
  touchSession(sessionId: string, at: string): Promise<void>;
  endSession(sessionId: string): Promise<void>;
  close(): Promise<void>;
}
