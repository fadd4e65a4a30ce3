/** A setting that cannot be used; the message names it and where it can be set. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

interface Rule {
  /** The `TESSERA_*` variable (and flag) that sets it, for the message. */
  from?: string;
  expected: string;
  test(value: unknown): boolean;
}

const integer = (min: number, max: number, from?: string): Rule => ({
  from,
  expected: `an integer from ${min} to ${max}`,
  test: (v) => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max,
});
const atLeast = (min: number, from?: string): Rule => ({
  from,
  expected: `a number of at least ${min}`,
  test: (v) => typeof v === 'number' && Number.isFinite(v) && v >= min,
});
const positive = (from?: string): Rule => ({ from, expected: 'a number above 0', test: (v) => typeof v === 'number' && Number.isFinite(v) && v > 0 });
const text = (from?: string): Rule => ({ from, expected: 'a string', test: (v) => typeof v === 'string' });
const nonEmpty = (from?: string): Rule => ({ from, expected: 'a non-empty string', test: (v) => typeof v === 'string' && v.trim() !== '' });
const flag = (from?: string): Rule => ({ from, expected: 'true or false', test: (v) => typeof v === 'boolean' });
const oneOf = (values: string[], from?: string): Rule => ({
  from,
  expected: values.map((v) => `'${v}'`).join(' or '),
  test: (v) => typeof v === 'string' && values.includes(v),
});

/** Every setting of `Config` (config.ts) by its path, as in config.json. */
const SCHEMA: Record<string, Rule> = {
  port: integer(0, 65535, '--port / TESSERA_PORT'),
  host: nonEmpty('--host / TESSERA_HOST'),
  dataDir: nonEmpty('--data / TESSERA_DATA_DIR'),
  basePath: text('TESSERA_BASE_PATH'),
  publicUrl: {
    from: 'TESSERA_PUBLIC_URL',
    expected: "empty or an http(s) URL such as 'https://maps.example.org/arcgis'",
    test: (v) => v === '' || (typeof v === 'string' && /^https?:\/\/[^\s/]+/i.test(v)),
  },
  httpErrorStatus: flag('TESSERA_HTTP_ERROR_STATUS'),
  logLevel: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'TESSERA_LOG_LEVEL'),
  'admin.username': nonEmpty('TESSERA_ADMIN_USER'),
  'admin.password': text('TESSERA_ADMIN_PASSWORD'),
  'tokens.defaultMinutes': positive(),
  'tokens.maxMinutes': positive(),
  'tokens.allowGet': flag(),
  'uploads.maxFileBytes': positive(),
  // 0: an HTTP-only node of a cluster (TESSERA_JOB_WORKERS=0), whose jobs run on worker nodes.
  'jobs.concurrency': integer(0, 1024, 'TESSERA_JOB_CONCURRENCY or TESSERA_JOB_WORKERS'),
  'jobs.timeLimitSeconds': positive(),
  'jobs.retentionMinutes': atLeast(0),
  'store.kind': oneOf(['sqlite', 'postgres'], 'TESSERA_STORE'),
  'store.postgresUrl': text('TESSERA_POSTGRES_URL'),
  'store.postgresSchema': {
    from: 'TESSERA_POSTGRES_SCHEMA',
    expected: 'an SQL identifier (letters, digits, _)',
    test: (v) => typeof v === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(v),
  },
  'features.queryCacheMB': atLeast(0, 'TESSERA_QUERY_CACHE_MB'),
  'features.readThreads': integer(0, 64, 'TESSERA_READ_THREADS'),
  'features.spillReads': flag('TESSERA_READ_SPILL'),
  // GDAL needs a few blocks per open raster to read at all; beyond a few GB is not a cache but a leak.
  'raster.gdalCacheMB': integer(8, 65536, 'TESSERA_GDAL_CACHE_MB'),
  'raster.openRastersPerFile': integer(1, 64, 'TESSERA_OPEN_RASTERS_PER_FILE'),
  'raster.openRasters': integer(1, 100_000, 'TESSERA_OPEN_RASTERS'),
  // 0 holds no collection's items: every render selects them with SQL.
  'raster.catalogCacheItemsPerCollection': integer(0, 10_000_000, 'TESSERA_CATALOG_CACHE_ITEMS_PER_COLLECTION'),
  'raster.catalogCacheItems': integer(0, 10_000_000, 'TESSERA_CATALOG_CACHE_ITEMS'),
  // 0: one render a core.
  'raster.renderConcurrency': integer(0, 1024, 'TESSERA_RENDER_CONCURRENCY'),
  // 0: the caches are never let go for quiet.
  'raster.idleReleaseSeconds': integer(0, 86_400, 'TESSERA_IDLE_RELEASE_SECONDS'),
  'raster.idleOpenRasters': integer(0, 100_000, 'TESSERA_IDLE_OPEN_RASTERS'),
  // 0: a file keeps its second handle until the idle release.
  'raster.surplusQuietSeconds': integer(0, 86_400, 'TESSERA_SURPLUS_QUIET_SECONDS'),
  demo: flag('TESSERA_DEMO'),
  trustProxy: text('TESSERA_TRUST_PROXY'),
  'limits.bodyMB': positive('TESSERA_BODY_LIMIT_MB'),
  'limits.editBodyMB': positive('TESSERA_EDIT_BODY_LIMIT_MB'),
  'limits.geometryVertices': integer(1, 100_000_000, 'TESSERA_GEOMETRY_MAX_VERTICES'),
  'limits.geometryMB': positive('TESSERA_GEOMETRY_MAX_MB'),
  'limits.publishSyncMB': atLeast(0, 'TESSERA_PUBLISH_SYNC_MB'),
  allowPrivateUrls: flag('TESSERA_ALLOW_PRIVATE_URLS'),
  privateUrlHosts: text('TESSERA_PRIVATE_URL_HOSTS'),
};

/**
 * Checks the merged configuration at start-up, so that a bad port or store kind is an error that
 * names the setting rather than a NaN or a cast that fails later. Throws the first problem found.
 */
export function validateConfig<T extends object>(config: T): T {
  const read = (name: string) => name.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], config);
  for (const [name, rule] of Object.entries(SCHEMA)) {
    const value = read(name);
    if (rule.test(value)) continue;
    const shown = typeof value === 'number' && Number.isNaN(value) ? 'not a number' : JSON.stringify(value) ?? 'nothing';
    const where = rule.from ? ` (${rule.from}, or "${name}" in config.json)` : ` ("${name}" in config.json)`;
    throw new ConfigError(`Invalid setting '${name}'${where}: expected ${rule.expected}, got ${shown}.`);
  }
  const [defaultMinutes, maxMinutes] = [read('tokens.defaultMinutes') as number, read('tokens.maxMinutes') as number];
  if (defaultMinutes > maxMinutes) {
    throw new ConfigError(`Invalid setting 'tokens.defaultMinutes': it exceeds 'tokens.maxMinutes' (${maxMinutes}).`);
  }
  return config;
}
