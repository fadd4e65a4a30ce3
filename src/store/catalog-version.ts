/**
 * The version of the catalog (users, folders, items, services) that caches of it are keyed on.
 * A reader is made per request: it asks the database once, on first use (PostgreSQL: one round
 * trip; SQLite: the file's data_version), so a request sees an edit another node or process
 * committed before it arrived, however many look-ups it makes. This process's own writes are
 * counted in memory and move the version at once, also within the request that makes them.
 *
 * A speculative reader (read-only requests that can redo their work: feature queries) does not
 * wait for that round trip: it answers the version this process read last and reads the
 * committed one meanwhile, on another connection, alongside the request's own queries (sent
 * after them, so its round trip stays off their path). Before the request answers, `confirm()`
 * compares the two: equal, every cached look-up the request made was true at a moment after it
 * arrived (versions only grow); different, the reader answers the committed version from then on
 * and the request redoes its work with it.
 *
 * A store statement the request sends before that read starts may take it over (`claim`, by the
 * request's signal): the statement answers the version from its own snapshot, so the request
 * makes one round trip, not two on two connections.
 */
export interface CatalogReader {
  (): Promise<string>;
  /**
   * True when the version this reader answered is the one committed when it was first asked
   * (always true for a reader that does not speculate); false when it had moved: the request
   * must redo what it looked up (the reader now answers the committed version).
   */
  confirm(): Promise<boolean>;
}

/** A request's pending version read, taken over by a statement about to be sent (see claim). */
export interface CatalogReadClaim {
  /** The version the statement's snapshot saw. */
  resolve(version: string): void;
  /** The statement failed or was cancelled: the reader reads the version itself. */
  fail(): void;
}

export class CatalogVersion {
  private localWrites = 0;
  /** The version this process last read from the database: what a speculative reader guesses. */
  private lastRead: string | undefined;
  /** Guessing readers whose read has not started yet, by their request's signal. */
  private readonly pending = new WeakMap<AbortSignal, CatalogReadClaim>();

  /**
   * `read` answers what other writers committed; `oncePerReader`: read it once per reader
   * (request); `speculates`: speculative readers may guess (reading costs a round trip).
   */
  constructor(
    private readonly read: () => Promise<string> | string,
    private readonly oncePerReader: boolean,
    private readonly speculates = false,
  ) {}

  /** Called by the stores after each write of theirs. */
  wrote(): void {
    this.localWrites++;
  }

  /**
   * `signal`: the request's, by which a statement of the request may claim the read (see claim).
   */
  reader(options: { speculative?: boolean; signal?: AbortSignal } = {}): CatalogReader {
    if (!this.oncePerReader) return Object.assign(async () => `${await this.read()}:${this.localWrites}`, { confirm: async () => true });
    let version: Promise<string> | undefined;
    let guess: string | undefined;
    const start = () => {
      const guessing = options.speculative && this.speculates && this.lastRead !== undefined;
      const read = (guessing ? this.deferredRead(options.signal) : Promise.resolve(this.read())).then((value) => (this.lastRead = value));
      if (guessing) {
        guess = this.lastRead;
        // Awaited by confirm(); a request that fails before it must not leave an unhandled rejection.
        read.catch(() => undefined);
      }
      return read;
    };
    const reader = async () => {
      version ??= start();
      return `${guess ?? (await version)}:${this.localWrites}`;
    };
    const confirm = async () => {
      if (guess === undefined || version === undefined) return true;
      const committed = await version;
      if (committed === guess) return true;
      guess = undefined;
      return false;
    };
    return Object.assign(reader, { confirm });
  }

  /**
   * The pending read of the request with this signal, which the caller's statement answers
   * instead (undefined when there is none: not guessing, already claimed or already started).
   * The statement must be sent after this call, so its snapshot is later than the request's arrival.
   */
  claim(signal: AbortSignal | undefined): CatalogReadClaim | undefined {
    const claim = signal && this.pending.get(signal);
    if (claim) this.pending.delete(signal);
    return claim;
  }

  /**
   * A guessing request's read: it starts on the next turn of the event loop, after the
   * statements the request sends meanwhile (handling its answer overlaps their execution instead
   * of delaying them), unless one of them claims it first.
   */
  private deferredRead(signal: AbortSignal | undefined): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      const readItself = () => void Promise.resolve().then(() => this.read()).then(resolve, reject);
      if (!signal) return void setImmediate(readItself);
      this.pending.set(signal, { resolve, fail: readItself });
      setImmediate(() => {
        if (this.pending.delete(signal)) readItself();
      });
    });
  }
}

/** A store whose writing methods tell the version (reads are passed through untouched). */
export function countingWrites<T extends object>(store: T, version: CatalogVersion, writes: Array<keyof T & string>): T {
  const names = new Set<string>(writes);
  return new Proxy(store, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver) as unknown;
      if (typeof key !== 'string' || !names.has(key) || typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        try {
          return await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        } finally {
          version.wrote();
        }
      };
    },
  });
}

/** Values by key, valid for one catalog version; a new version starts it afresh. Bounded. */
export class VersionedCache<V> {
  private version = '';
  private readonly entries = new Map<string, V>();

  constructor(private readonly max = 1000) {}

  get(version: string, key: string): V | undefined {
    return version === this.version ? this.entries.get(key) : undefined;
  }

  set(version: string, key: string, value: V): void {
    if (version !== this.version || this.entries.size >= this.max) {
      this.entries.clear();
      this.version = version;
    }
    this.entries.set(key, value);
  }
}
