/**
 * The stored answers of requests that recorded no event: refusals and requests that changed
 * nothing. A request that recorded events is found again from the events themselves (they carry
 * its scoped idempotency key and its digest); these answers are what a retry of any other request
 * must get, even when deciding it again would now give another answer.
 */
export interface StoredAnswer {
  /** The caller's idempotency key scoped to the caller, as the write face builds it. */
  readonly scopedKey: string;
  /** Tells a retry (same digest) from another request under the same key. */
  readonly requestDigest: string;
  /** The outcome, as plain JSON: the write face decides its shape. */
  readonly outcome: unknown;
}

export interface StoredAnswers {
  find(scopedKey: string): Promise<StoredAnswer | undefined>;
  /** Keeps the first answer under a key; a second save under the same key changes nothing. */
  save(answer: StoredAnswer): Promise<void>;
  close(): Promise<void>;
}
