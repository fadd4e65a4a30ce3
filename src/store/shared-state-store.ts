/**
 * Small state every process and node of an installation must see alike (with `--processes N` or a
 * cluster a request may land on any of them): logon failures for the login throttle, and the
 * status of publishes running in the background.
 */
export interface LoginFailureStore {
  /** The latest `blockedUntil` (epoch ms) among the keys; 0 when none is blocked. */
  blockedUntil(keys: string[]): Promise<number>;
  /**
   * Counts one failure of `key` at `now` and returns the new count: it restarts at 1 when the
   * previous failure was before `resetBefore`. One atomic statement, so concurrent failures all count.
   */
  countFailure(key: string, now: number, resetBefore: number): Promise<number>;
  /** Raises the key's block to `until` (never lowers it: concurrent failures race). */
  block(key: string, until: number): Promise<void>;
  clear(keys: string[]): Promise<void>;
  /** Forgets keys whose last failure was before `before`. */
  prune(before: number): Promise<void>;
}

export interface PublishJobRecord {
  status: 'processing' | 'completed' | 'failed';
  statusMessage: string;
  itemId: string;
}

export interface PublishJobStore {
  set(jobId: string, record: PublishJobRecord, now: number): Promise<void>;
  get(jobId: string): Promise<PublishJobRecord | undefined>;
  /** Forgets jobs last changed before `before`. */
  prune(before: number): Promise<void>;
}
