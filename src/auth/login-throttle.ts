import type { LoginFailureStore } from '../store/shared-state-store.js';

/**
 * Slows password guessing: after `freeAttempts` failures for a key (a user name at a client
 * address, or an address), further attempts are refused for a back-off that doubles with each
 * failure (capped), without checking the password. Success clears the key. The counts live in the
 * store, so every process of an installation (`--processes N`, a cluster) throttles alike.
 */
export class LoginThrottle {
  private lastPrune = 0;

  constructor(
    private readonly store: LoginFailureStore,
    private readonly freeAttempts = 5,
    private readonly baseDelayMs = 1000,
    private readonly maxDelayMs = 15 * 60 * 1000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds the caller must still wait, 0 when an attempt is allowed. */
  async waitFor(keys: string[]): Promise<number> {
    return Math.max(0, (await this.store.blockedUntil(keys)) - this.now());
  }

  async recordFailure(keys: string[]): Promise<void> {
    const now = this.now();
    for (const key of keys) {
      // A quiet spell as long as the longest back-off starts the count afresh.
      const count = await this.store.countFailure(key, now, now - this.maxDelayMs);
      const over = count - this.freeAttempts + 1;
      if (over > 0) await this.store.block(key, now + Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** Math.min(over - 1, 30)));
    }
    if (now - this.lastPrune > this.maxDelayMs) {
      this.lastPrune = now;
      await this.store.prune(now - this.maxDelayMs);
    }
  }

  async recordSuccess(keys: string[]): Promise<void> {
    await this.store.clear(keys);
  }
}
