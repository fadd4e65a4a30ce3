/**
 * The version of the catalog (users, folders, items, services) that caches of it are keyed on.
 * A reader is made per request: it asks the database once, on first use (PostgreSQL: one round
 * trip; SQLite: the file's data_version), so a request sees an edit another node or process
 * committed before it arrived, however many look-ups it makes. This process's own writes are
 * counted in memory and move the version at once, also within the request that makes them.
 */
export type CatalogReader = () => Promise<string>;

export class CatalogVersion {
  private localWrites = 0;

  /** `read` answers what other writers committed; `oncePerReader`: read it once per reader (request). */
  constructor(
    private readonly read: () => Promise<string> | string,
    private readonly oncePerReader: boolean,
  ) {}

  /** Called by the stores after each write of theirs. */
  wrote(): void {
    this.localWrites++;
  }

  reader(): CatalogReader {
    if (!this.oncePerReader) return async () => `${await this.read()}:${this.localWrites}`;
    let version: Promise<string> | undefined;
    return async () => {
      version ??= Promise.resolve(this.read());
      return `${await version}:${this.localWrites}`;
    };
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
