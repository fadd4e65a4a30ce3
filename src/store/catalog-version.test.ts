import { describe, expect, it } from 'vitest';
import { CatalogVersion, VersionedCache, countingWrites } from './catalog-version.js';

describe('catalog version', () => {
  it('asks the database once per reader (PostgreSQL) yet moves with this process’s own writes', async () => {
    let reads = 0;
    const version = new CatalogVersion(async () => String(++reads), true);
    const store = countingWrites({ get: async () => 'x', update: async () => undefined }, version, ['update']);
    const reader = version.reader();
    const first = await reader();
    await store.get();
    expect(await reader()).toBe(first);
    await store.update();
    expect(await reader()).not.toBe(first);
    expect(reads).toBe(1);
    await version.reader()();
    expect(reads).toBe(2);
  });

  it('reads every time when reading is cheap (SQLite)', async () => {
    let reads = 0;
    const reader = new CatalogVersion(() => String(++reads), false).reader();
    expect(await reader()).not.toBe(await reader());
  });

  it('a cache holds values of one version', () => {
    const cache = new VersionedCache<number>(2);
    cache.set('v1', 'a', 1);
    expect(cache.get('v1', 'a')).toBe(1);
    expect(cache.get('v2', 'a')).toBeUndefined();
    cache.set('v2', 'b', 2);
    expect(cache.get('v1', 'a')).toBeUndefined();
  });
});
