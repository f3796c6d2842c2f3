/**
 * A fixed window per caller: at most `perMinute` requests in each minute. `take` answers how many
 * milliseconds to wait, 0 when the request may go ahead. Windows of callers gone quiet are
 * dropped as time passes, so the table stays as small as the set of active callers.
 */
export class RateLimiter {
  readonly #perMinute: number;
  readonly #now: () => number;
  readonly #windows = new Map<string, { startedAt: number; count: number }>();
  #lastSweep = 0;

  constructor(perMinute: number, now: () => number) {
    this.#perMinute = perMinute;
    this.#now = now;
  }

  take(callerId: string): number {
    const now = this.#now();
    this.#sweep(now);
    const window = this.#windows.get(callerId);
    if (window === undefined || now - window.startedAt >= 60_000) {
      this.#windows.set(callerId, { startedAt: now, count: 1 });
      return 0;
    }
    if (window.count < this.#perMinute) {
      window.count += 1;
      return 0;
    }
    return window.startedAt + 60_000 - now;
  }

  #sweep(now: number): void {
    if (now - this.#lastSweep < 60_000) return;
    this.#lastSweep = now;
    for (const [callerId, window] of this.#windows)
      if (now - window.startedAt >= 60_000) this.#windows.delete(callerId);
  }
}
