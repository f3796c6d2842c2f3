import type { StoredAnswer, StoredAnswers } from '../answers.ts';

/** Answers kept in memory: for tests, and for tools that run once and keep nothing. */
export class MemoryStoredAnswers implements StoredAnswers {
  readonly #answers = new Map<string, StoredAnswer>();

  async find(scopedKey: string): Promise<StoredAnswer | undefined> {
    return this.#answers.get(scopedKey);
  }

  async save(answer: StoredAnswer): Promise<void> {
    if (!this.#answers.has(answer.scopedKey)) this.#answers.set(answer.scopedKey, answer);
  }

  async close(): Promise<void> {}
}
