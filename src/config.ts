import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { ConfigError, validateConfig } from './config-schema.js';

/** Everything the server can be told, in one typed object. */
export interface Config {
  port: number;
  host: string;
  /** Where databases, uploads, the raster store and job scratch folders live. */
  dataDir: string;
  /** URL prefix of the whole API, `/arcgis` as on ArcGIS Server. */
  basePath: string;
  /** Public base URL (e.g. `https://maps.example.org/arcgis`); derived from each request when empty. */
  publicUrl: string;
  /** ArcGIS answers errors with HTTP 200 and the envelope in the body; true sends the real status. */
  httpErrorStatus: boolean;
  logLevel: string;
  admin: { username: string; password: string };
  tokens: { defaultMinutes: number; maxMinutes: number; allowGet: boolean };
  uploads: { maxFileBytes: number };
  jobs: { concurrency: number; timeLimitSeconds: number; retentionMinutes: number };
  store: { kind: 'sqlite' | 'postgres'; postgresUrl: string; postgresSchema: string };
  /** Where by-value rasters go: '' for `<dataDir>/rasters`, or `s3://bucket/prefix` (GDAL `/vsis3/`). */
  rasterStore: string;
  /**
   * Memory for encoded query answers, kept until the data changes (0: no caching); reader threads
   * for every SQLite page and count (0: only heavy spatial filters go to threads, and pages and
   * counts when other requests are in flight, one reader per core, unless `spillReads` is off).
   */
  features: { queryCacheMB: number; readThreads: number; spillReads: boolean };
  /**
   * GDAL's block cache (decoded raster blocks) per process, in MB; open raster handles kept for
   * the next renders, per file and in all (each ~1 MiB once it has read); catalog items (with
   * their footprints) held for renders' item selection: collections up to so many items, and so
   * many over all collections; image renders reading and warping at once (0: one a core); after
   * so many seconds without a request the block cache is emptied and only so many idle raster
   * handles kept (0 seconds: never), and after so many (surplusQuietSeconds) one a file.
   */
  raster: {
    gdalCacheMB: number;
    openRastersPerFile: number;
    openRasters: number;
    catalogCacheItemsPerCollection: number;
    catalogCacheItems: number;
    renderConcurrency: number;
    idleReleaseSeconds: number;
    idleOpenRasters: number;
    surplusQuietSeconds: number;
  };
  /** Create the demo feature layer and image collection on first start. */
  demo: boolean;
  /**
   * With `demo`: also the real demo (Olinda imagery, elevation and polygons, world countries),
   * fetched from Debian packages into `<dataDir>/cache`. Tests that want only the quick demo turn it off.
   */
  demoPackages: boolean;
  /**
   * Proxy addresses or CIDRs (comma-separated) whose X-Forwarded-For is believed. Empty: none, so
   * a client cannot claim another address (IP-bound tokens, login throttling key on it).
   */
  trustProxy: string;
  /** What one request may ask of the server (bodies are held in memory while decoded). */
  limits: {
    /** Form or JSON body of most operations. */
    bodyMB: number;
    /** Bodies of edit operations (applyEdits, addFeatures, …) and item updates. */
    editBodyMB: number;
    /** Vertices of one geometry parameter (query, identify, …). */
    geometryVertices: number;
    /** JSON text of one geometry parameter. */
    geometryMB: number;
    /** Files larger than this publish as a job: the answer comes at once, features load after. */
    publishSyncMB: number;
  };
  /**
   * URL inputs (rasters by URL, items by URL) to loopback, link-local and private addresses are
   * refused unless this is on, so publishers cannot probe the server's own network.
   */
  allowPrivateUrls: boolean;
  /**
   * Non-public hosts URL inputs may still reach (comma-separated addresses or names, optionally
   * `:port`), e.g. an internal image server; everything else private stays refused.
   */
  privateUrlHosts: string;
}

export function defaultConfig(): Config {
  return {
    port: 6080,
    host: '127.0.0.1',
    dataDir: './data',
    basePath: '/arcgis',
    publicUrl: '',
    httpErrorStatus: false,
    logLevel: 'info',
    admin: { username: 'admin', password: '' },
    tokens: { defaultMinutes: 60, maxMinutes: 14 * 24 * 60, allowGet: false },
    uploads: { maxFileBytes: 4 * 1024 ** 3 },
    jobs: { concurrency: Math.max(1, availableParallelism()), timeLimitSeconds: 6 * 3600, retentionMinutes: 360 },
    store: { kind: 'sqlite', postgresUrl: 'postgres://postgres@127.0.0.1:5432/postgres', postgresSchema: 'tessera' },
    rasterStore: '',
    features: { queryCacheMB: 64, readThreads: 0, spillReads: true },
    raster: { gdalCacheMB: 32, openRastersPerFile: 2, openRasters: 64, catalogCacheItemsPerCollection: 2000, catalogCacheItems: 8000, renderConcurrency: 0, idleReleaseSeconds: 30, idleOpenRasters: 8, surplusQuietSeconds: 2 },
    demo: true,
    demoPackages: true,
    trustProxy: '',
    limits: { bodyMB: 10, editBodyMB: 100, geometryVertices: 250_000, geometryMB: 8, publishSyncMB: 16 },
    allowPrivateUrls: false,
    privateUrlHosts: '',
  };
}

type Overrides = { [K in keyof Config]?: Config[K] extends object ? Partial<Config[K]> : Config[K] };

/**
 * Defaults, then `<dataDir>/config.json` (or `TESSERA_CONFIG`), then `TESSERA_*` variables,
 * then explicit overrides (command-line flags, tests); checked against the schema in
 * config-schema.ts, so a bad setting fails start-up with its name.
 */
export function loadConfig(overrides: Overrides = {}, env: NodeJS.ProcessEnv = process.env): Config {
  let config = defaultConfig();
  const dataDir = overrides.dataDir ?? env.TESSERA_DATA_DIR ?? config.dataDir;
  const file = env.TESSERA_CONFIG ?? path.join(dataDir, 'config.json');
  if (existsSync(file)) config = merge(config, JSON.parse(readFileSync(file, 'utf8')) as Overrides);
  config = merge(config, fromEnv(env));
  config = merge(config, overrides);
  config.dataDir = path.resolve(config.dataDir);
  validateConfig(config);
  config.basePath = '/' + config.basePath.replace(/^\/+|\/+$/g, '');
  return config;
}

function fromEnv(env: NodeJS.ProcessEnv): Overrides {
  const out: Overrides = {};
  const int = (name: string) => {
    const raw = env[name];
    if (!raw) return undefined;
    if (!/^\s*-?\d+\s*$/.test(raw)) throw new ConfigError(`Invalid setting ${name}: expected an integer, got '${raw}'.`);
    return Number.parseInt(raw, 10);
  };
  if (env.TESSERA_PORT) out.port = int('TESSERA_PORT');
  if (env.TESSERA_HOST) out.host = env.TESSERA_HOST;
  if (env.TESSERA_DATA_DIR) out.dataDir = env.TESSERA_DATA_DIR;
  if (env.TESSERA_BASE_PATH) out.basePath = env.TESSERA_BASE_PATH;
  if (env.TESSERA_PUBLIC_URL) out.publicUrl = env.TESSERA_PUBLIC_URL;
  if (env.TESSERA_HTTP_ERROR_STATUS) out.httpErrorStatus = env.TESSERA_HTTP_ERROR_STATUS === 'true';
  if (env.TESSERA_LOG_LEVEL) out.logLevel = env.TESSERA_LOG_LEVEL;
  if (env.TESSERA_ADMIN_USER || env.TESSERA_ADMIN_PASSWORD) {
    out.admin = { username: env.TESSERA_ADMIN_USER ?? 'admin', password: env.TESSERA_ADMIN_PASSWORD ?? '' };
  }
  if (env.TESSERA_JOB_CONCURRENCY) out.jobs = { concurrency: int('TESSERA_JOB_CONCURRENCY') };
  // Job worker processes of this node; 0 makes an HTTP-only node of a cluster.
  if (env.TESSERA_JOB_WORKERS) out.jobs = { concurrency: int('TESSERA_JOB_WORKERS') };
  if (env.TESSERA_STORE) out.store = { kind: env.TESSERA_STORE as 'sqlite' | 'postgres' };
  if (env.TESSERA_POSTGRES_URL) out.store = { ...out.store, postgresUrl: env.TESSERA_POSTGRES_URL };
  if (env.TESSERA_POSTGRES_SCHEMA) out.store = { ...out.store, postgresSchema: env.TESSERA_POSTGRES_SCHEMA };
  if (env.TESSERA_RASTER_STORE !== undefined) out.rasterStore = env.TESSERA_RASTER_STORE;
  const features = {
    queryCacheMB: int('TESSERA_QUERY_CACHE_MB'),
    readThreads: int('TESSERA_READ_THREADS'),
    spillReads: env.TESSERA_READ_SPILL ? env.TESSERA_READ_SPILL !== 'false' : undefined,
  };
  if (Object.values(features).some((v) => v !== undefined)) out.features = features as Config['features'];
  const raster = {
    gdalCacheMB: int('TESSERA_GDAL_CACHE_MB'),
    openRastersPerFile: int('TESSERA_OPEN_RASTERS_PER_FILE'),
    openRasters: int('TESSERA_OPEN_RASTERS'),
    catalogCacheItemsPerCollection: int('TESSERA_CATALOG_CACHE_ITEMS_PER_COLLECTION'),
    catalogCacheItems: int('TESSERA_CATALOG_CACHE_ITEMS'),
    renderConcurrency: int('TESSERA_RENDER_CONCURRENCY'),
    idleReleaseSeconds: int('TESSERA_IDLE_RELEASE_SECONDS'),
    idleOpenRasters: int('TESSERA_IDLE_OPEN_RASTERS'),
    surplusQuietSeconds: int('TESSERA_SURPLUS_QUIET_SECONDS'),
  };
  if (Object.values(raster).some((v) => v !== undefined)) out.raster = raster as Config['raster'];
  if (env.TESSERA_DEMO) out.demo = env.TESSERA_DEMO !== 'false';
  if (env.TESSERA_DEMO_PACKAGES) out.demoPackages = env.TESSERA_DEMO_PACKAGES !== 'false';
  if (env.TESSERA_TRUST_PROXY !== undefined) out.trustProxy = env.TESSERA_TRUST_PROXY;
  if (env.TESSERA_ALLOW_PRIVATE_URLS) out.allowPrivateUrls = env.TESSERA_ALLOW_PRIVATE_URLS === 'true';
  if (env.TESSERA_PRIVATE_URL_HOSTS !== undefined) out.privateUrlHosts = env.TESSERA_PRIVATE_URL_HOSTS;
  const limits = {
    bodyMB: int('TESSERA_BODY_LIMIT_MB'),
    editBodyMB: int('TESSERA_EDIT_BODY_LIMIT_MB'),
    geometryVertices: int('TESSERA_GEOMETRY_MAX_VERTICES'),
    geometryMB: int('TESSERA_GEOMETRY_MAX_MB'),
    publishSyncMB: int('TESSERA_PUBLISH_SYNC_MB'),
  };
  if (Object.values(limits).some((v) => v !== undefined)) out.limits = limits as Config['limits'];
  return out;
}

function merge(base: Config, extra: Overrides): Config {
  const out = { ...base } as Record<string, unknown>;
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) continue;
    const current = out[key];
    out[key] =
      current && typeof current === 'object' && value && typeof value === 'object'
        ? { ...(current as object), ...stripUndefined(value as object) }
        : value;
  }
  return out as unknown as Config;
}

function stripUndefined(value: object): object {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}
