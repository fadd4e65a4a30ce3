import path from 'node:path';
import type { Config } from '../config.js';
import type { ItemStore } from './item-store.js';
import type { ServiceStore } from './service-store.js';
import type { SettingsStore } from './settings-store.js';
import type { UserStore } from './user-store.js';
import type { LoginFailureStore, PublishJobStore } from './shared-state-store.js';
import { SqliteLoginFailureStore, SqlitePublishJobStore } from './sqlite/sqlite-shared-state-store.js';
import { PgLoginFailureStore, PgPublishJobStore } from './postgres/pg-shared-state-store.js';
import { openDatabase, type SqliteDatabase } from './sqlite/database.js';
import { SqliteItemStore } from './sqlite/sqlite-item-store.js';
import { SqliteServiceStore } from './sqlite/sqlite-service-store.js';
import { SqliteSettingsStore } from './sqlite/sqlite-settings-store.js';
import { SqliteUserStore } from './sqlite/sqlite-user-store.js';
import type { FeatureStore } from './feature-store.js';
import { SqliteFeatureStore } from './sqlite/sqlite-feature-store.js';
import { openPostgres, runPostgresMigrations } from './postgres/database.js';
import { PgFeatureStore } from './postgres/pg-feature-store.js';
import { readCatalogVersion } from './postgres/pg-catalog-version.js';
import { PgItemStore } from './postgres/pg-item-store.js';
import { PgServiceStore } from './postgres/pg-service-store.js';
import { PgSettingsStore } from './postgres/pg-settings-store.js';
import { PgUserStore } from './postgres/pg-user-store.js';
import type pg from 'pg';
import type { JobQueue } from './job-queue.js';
import type { JournalStore } from './journal-store.js';
import { SqliteJobQueue } from './sqlite/sqlite-job-queue.js';
import { JobDispatch } from './postgres/pg-job-dispatch.js';
import { PgJobQueue } from './postgres/pg-job-queue.js';
import { PgJournalStore } from './postgres/pg-journal-store.js';
import { CatalogVersion, countingWrites, type CatalogReader } from './catalog-version.js';

/** The server's stores, picked once at start-up from config; callers never branch on the engine. */
export interface Stores {
  users: UserStore;
  items: ItemStore;
  services: ServiceStore;
  settings: SettingsStore;
  /** Login throttle counts, shared by every process and node. */
  loginFailures: LoginFailureStore;
  /** Background publishes' status, shared by every process and node. */
  publishJobs: PublishJobStore;
  /** Hosted feature data: SpatiaLite files under `<dataDir>/features`, or PostGIS tables. */
  features: FeatureStore;
  /** The embedded system database, for capabilities adding their own SQLite stores. */
  systemDb?: SqliteDatabase;
  /** The cluster database pool (PostgreSQL store only). */
  postgres?: pg.Pool;
  /** Job journals shared by every node (PostgreSQL store only; embedded jobs keep theirs in scratch). */
  journal?: JournalStore;
  /**
   * A reader of the catalog's version for one request (see catalog-version.ts); `speculative`
   * for read-only requests that confirm it before answering and redo their work when it moved;
   * `signal`, the request's, lets the request's store statements answer the version too.
   */
  catalogReader(options?: { speculative?: boolean; signal?: AbortSignal }): CatalogReader;
  close(): Promise<void>;
}

/** Migration folders applied to the embedded system database, in order. */
export const SYSTEM_MIGRATIONS = ['core', 'jobs'];

export function systemDatabasePath(config: Config): string {
  return path.join(config.dataDir, 'tessera.sqlite');
}

/** The methods that change the catalog (users, items and folders, services), which move its version. */
const USER_WRITES: Array<keyof UserStore & string> = ['create', 'update', 'bumpTokenVersion', 'delete'];
const ITEM_WRITES: Array<keyof ItemStore & string> = ['create', 'update', 'delete', 'createFolder', 'deleteFolder'];
const SERVICE_WRITES: Array<keyof ServiceStore & string> = ['create', 'update', 'delete'];

export async function openStores(config: Config): Promise<Stores> {
  if (config.store.kind === 'postgres') return openPostgresStores(config);
  const db = openDatabase(systemDatabasePath(config), { migrations: SYSTEM_MIGRATIONS });
  const features = openSqliteFeatureStore(config);
  // This process's writes count in memory; data_version, read once per request, moves with the
  // commits of the other processes on the file (job workers, `--processes` siblings).
  const otherCommits = db.prepare('SELECT data_version FROM pragma_data_version()').pluck();
  const version = new CatalogVersion(() => String(otherCommits.get()), true);
  return {
    users: countingWrites(new SqliteUserStore(db), version, USER_WRITES),
    items: countingWrites(new SqliteItemStore(db), version, ITEM_WRITES),
    services: countingWrites(new SqliteServiceStore(db), version, SERVICE_WRITES),
    settings: new SqliteSettingsStore(db),
    loginFailures: new SqliteLoginFailureStore(db),
    publishJobs: new SqlitePublishJobStore(db),
    features,
    systemDb: db,
    catalogReader: (options) => version.reader(options),
    close: async () => {
      await features.close();
      db.close();
    },
  };
}

/** Migration folders applied to the installation's PostgreSQL schema, in order. */
export const POSTGRES_MIGRATIONS = ['core', 'features', 'imagery', 'jobs'];

/**
 * The cluster store: users, items, services, settings and feature data in PostgreSQL/PostGIS
 * (one schema per installation), on one pool.
 */
async function openPostgresStores(config: Config): Promise<Stores> {
  const pool = await openPostgres(config.store.postgresUrl, config.store.postgresSchema);
  await runPostgresMigrations(pool, config.store.postgresSchema, POSTGRES_MIGRATIONS);
  const version = new CatalogVersion(() => readCatalogVersion(pool), true, true);
  return {
    users: countingWrites(new PgUserStore(pool), version, USER_WRITES),
    items: countingWrites(new PgItemStore(pool), version, ITEM_WRITES),
    services: countingWrites(new PgServiceStore(pool), version, SERVICE_WRITES),
    settings: new PgSettingsStore(pool),
    loginFailures: new PgLoginFailureStore(pool),
    publishJobs: new PgPublishJobStore(pool),
    features: new PgFeatureStore(pool, version),
    postgres: pool,
    journal: new PgJournalStore(pool),
    catalogReader: (options) => version.reader(options),
    close: () => pool.end(),
  };
}

/**
 * The job queue: the embedded system database, or PostgreSQL with pg-boss dispatch and
 * LISTEN/NOTIFY (one queue for every node of a cluster).
 */
export async function openJobQueueStore(
  config: Config,
  stores: Stores,
  onError: (err: Error) => void,
): Promise<{ queue: JobQueue; close: () => Promise<void> }> {
  if (stores.systemDb) return { queue: new SqliteJobQueue(stores.systemDb), close: async () => undefined };
  if (!stores.postgres) throw new Error('The job queue needs the system store.');
  const dispatch = await JobDispatch.open(config.store.postgresUrl, config.store.postgresSchema, onError);
  return { queue: new PgJobQueue(stores.postgres, dispatch), close: () => dispatch.close() };
}

/** Hosted feature data of the embedded store: SpatiaLite files under `<dataDir>/features`, one per service. */
function openSqliteFeatureStore(config: Config): FeatureStore {
  return new SqliteFeatureStore(path.join(config.dataDir, 'features'), { readThreads: config.features.readThreads, spillReads: config.features.spillReads });
}

