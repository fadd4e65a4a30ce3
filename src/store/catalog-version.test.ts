import { describe, expect, it } from 'vitest';
import { CatalogVersion, VersionedCache, countingWrites } from './catalog-version.js';

/** A guessing version over a committed value the test moves, counting the database reads. */
function committedVersion(committed: number) {
  const database = { committed, reads: 0 };
  const version = new CatalogVersion(async () => {
    database.reads++;
    return String(database.committed);
  }, true, true);
  return { version, database };
}

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

  it('a speculative reader answers the last version read at once and confirms it against the committed one', async () => {
    const { version, database } = committedVersion(7);
    // Nothing read yet: nothing to guess, so it waits for the database.
    const first = version.reader({ speculative: true });
    expect(await first()).toBe('7:0');
    expect(await first.confirm()).toBe(true);

    database.committed = 8;
    const second = version.reader({ speculative: true });
    // The guess (7) while the committed version (8) is read alongside…
    expect(await second()).toBe('7:0');
    // …which confirm() finds moved: from then on the reader answers the committed one.
    expect(await second.confirm()).toBe(false);
    expect(database.reads).toBe(2);
    expect(await second()).toBe('8:0');
    expect(await second.confirm()).toBe(true);

    const third = version.reader({ speculative: true });
    expect(await third()).toBe('8:0');
    expect(await third.confirm()).toBe(true);
    expect(database.reads).toBe(3);
  });

  it('a reader that does not speculate always confirms; an unread speculative one too', async () => {
    const version = new CatalogVersion(async () => '1', true, true);
    expect(await version.reader().confirm()).toBe(true);
    await version.reader()();
    expect(await version.reader({ speculative: true }).confirm()).toBe(true);
  });

  it('a failed read of a speculative reader reaches confirm(), not the process', async () => {
    let fail = false;
    const version = new CatalogVersion(async () => {
      if (fail) throw new Error('database gone');
      return '1';
    }, true, true);
    await version.reader()();
    fail = true;
    const reader = version.reader({ speculative: true });
    expect(await reader()).toBe('1:0');
    await expect(reader.confirm()).rejects.toThrow('database gone');
  });

  it("a statement of the request may take over a guessing reader's read; a failed one hands it back", async () => {
    const { version, database } = committedVersion(1);
    await version.reader()();
    database.committed = 2;
    const signal = new AbortController().signal;
    const reader = version.reader({ speculative: true, signal });
    expect(await reader()).toBe('1:0');
    expect(version.claim(new AbortController().signal)).toBeUndefined(); // another request's statement
    const claim = version.claim(signal)!;
    expect(version.claim(signal)).toBeUndefined(); // claimed once
    claim.resolve('2');
    expect(await reader.confirm()).toBe(false);
    expect(await reader()).toBe('2:0');
    expect(database.reads).toBe(1);

    const failing = version.reader({ speculative: true, signal: new AbortController().signal });
    const second = new AbortController().signal;
    const again = version.reader({ speculative: true, signal: second });
    await failing();
    await again();
    version.claim(second)!.fail();
    expect(await again.confirm()).toBe(true);
    expect(await failing.confirm()).toBe(true); // not claimed: read on its own on the next turn
    expect(database.reads).toBe(3);
  });

  it('does not guess where reading is cheap (SQLite: speculates off)', async () => {
    let committed = 1;
    const version = new CatalogVersion(() => String(committed), true);
    await version.reader()();
    committed = 2;
    expect(await version.reader({ speculative: true })()).toBe('2:0');
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
