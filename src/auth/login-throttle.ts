/**
 * Slows password guessing: after FREE_ATTEMPTS failures for a user name or a client address,
 * further attempts are refused for a back-off that doubles with each failure (capped), without
 * checking the password. Success clears the user's count. In memory: one process's view, which
 * is what a single node needs; a cluster would keep the counts in the shared store.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, { count: number; until: number; last: number }>();

  constructor(
    private readonly freeAttempts = 5,
    private readonly baseDelayMs = 1000,
    private readonly maxDelayMs = 15 * 60 * 1000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds the caller must still wait, 0 when an attempt is allowed. */
  waitFor(keys: string[]): number {
    const now = this.now();
    return Math.max(0, ...keys.map((key) => (this.failures.get(key)?.until ?? 0) - now));
  }

  recordFailure(keys: string[]): void {
    const now = this.now();
    for (const key of keys) {
      const entry = this.failures.get(key);
      const count = entry && now - entry.last < this.maxDelayMs ? entry.count + 1 : 1;
      const over = count - this.freeAttempts + 1;
      const until = over > 0 ? now + Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (over - 1)) : 0;
      this.failures.set(key, { count, until, last: now });
    }
    if (this.failures.size > 10_000) this.forgetOld(now);
  }

  recordSuccess(keys: string[]): void {
    for (const key of keys) this.failures.delete(key);
  }

  private forgetOld(now: number): void {
    for (const [key, entry] of this.failures) {
      if (now - entry.last > this.maxDelayMs) this.failures.delete(key);
    }
  }
}
