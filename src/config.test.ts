import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-schema.js';
import { loadConfig } from './config.js';

const DATA = { dataDir: '/tmp/tessera-config-test-none' };

describe('loadConfig validation', () => {
  it('accepts the defaults and ordinary overrides', () => {
    expect(loadConfig({ ...DATA, port: 0, jobs: { retentionMinutes: 0.02 } }, {}).port).toBe(0);
  });

  it('reads the catalog item cache limits, 2000 and 8000 by default', () => {
    expect(loadConfig(DATA, {}).raster).toMatchObject({ catalogCacheItemsPerCollection: 2000, catalogCacheItems: 8000 });
    const env = { TESSERA_CATALOG_CACHE_ITEMS_PER_COLLECTION: '10', TESSERA_CATALOG_CACHE_ITEMS: '40' };
    expect(loadConfig(DATA, env).raster).toMatchObject({ catalogCacheItemsPerCollection: 10, catalogCacheItems: 40, gdalCacheMB: 32 });
  });

  it('reads the idle release: 30 quiet seconds and 8 kept raster handles by default, one a file after 2', () => {
    expect(loadConfig(DATA, {}).raster).toMatchObject({ idleReleaseSeconds: 30, idleOpenRasters: 8, surplusQuietSeconds: 2 });
    const env = { TESSERA_IDLE_RELEASE_SECONDS: '120', TESSERA_IDLE_OPEN_RASTERS: '0', TESSERA_SURPLUS_QUIET_SECONDS: '0' };
    expect(loadConfig(DATA, env).raster).toMatchObject({ idleReleaseSeconds: 120, idleOpenRasters: 0, openRasters: 64, surplusQuietSeconds: 0 });
    expect(loadConfig({ ...DATA, raster: { idleReleaseSeconds: 0 } } as never, {}).raster).toMatchObject({ idleReleaseSeconds: 0, idleOpenRasters: 8 });
  });

  it.each<[string, Record<string, unknown>, Record<string, string>, RegExp]>([
    ['a port that is not a number', {}, { TESSERA_PORT: 'abc' }, /TESSERA_PORT: expected an integer, got 'abc'/],
    ['a port out of range', { port: 70000 }, {}, /'port'.*0 to 65535, got 70000/],
    ['a flag that gave NaN', { port: Number('x') }, {}, /'port'.*got not a number/],
    ['an unknown store', {}, { TESSERA_STORE: 'mysql' }, /'store.kind' \(TESSERA_STORE.*'sqlite' or 'postgres', got "mysql"/],
    ['an unknown log level', { logLevel: 'loud' }, {}, /'logLevel'/],
    ['a negative number of job workers', { jobs: { concurrency: -1 } }, {}, /'jobs.concurrency'/],
    ['a schema name that is not an identifier', { store: { postgresSchema: 'a;b' } }, {}, /'store.postgresSchema'/],
    ['a negative catalog item cache', {}, { TESSERA_CATALOG_CACHE_ITEMS: '-1' }, /'raster.catalogCacheItems' \(TESSERA_CATALOG_CACHE_ITEMS/],
    ['a negative idle release time', {}, { TESSERA_IDLE_RELEASE_SECONDS: '-5' }, /'raster.idleReleaseSeconds' \(TESSERA_IDLE_RELEASE_SECONDS/],
    ['idle raster handles that are not a number', {}, { TESSERA_IDLE_OPEN_RASTERS: 'many' }, /TESSERA_IDLE_OPEN_RASTERS: expected an integer/],
  ])('refuses %s, naming the setting', (_name, overrides, env, message) => {
    expect(() => loadConfig({ ...DATA, ...overrides } as never, env)).toThrow(ConfigError);
    expect(() => loadConfig({ ...DATA, ...overrides } as never, env)).toThrow(message);
  });
});
