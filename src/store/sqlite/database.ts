import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { runMigrations } from './migrations.js';

export type SqliteDatabase = Database.Database;

export interface OpenOptions {
  /** Load SpatiaLite (ST_* predicates, PROJ, GEOS); feature and catalog databases need it. */
  spatialite?: boolean;
  /** Migration folders (below src/store/migrations/sqlite) to apply, e.g. ['core']. */
  migrations?: string[];
  readonly?: boolean;
}

/**
 * Opens a SQLite file the way every embedded store wants it: WAL so readers never wait for the
 * writer, a busy timeout so concurrent writers (HTTP process and job workers) queue instead of failing.
 */
export function openDatabase(file: string, options: OpenOptions = {}): SqliteDatabase {
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file, { readonly: options.readonly ?? false });
  db.pragma('busy_timeout = 10000');
  if (!options.readonly) {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
  }
  db.pragma('foreign_keys = ON');
  if (options.spatialite) loadSpatialite(db);
  if (options.migrations?.length) runMigrations(db, options.migrations);
  return db;
}

export function loadSpatialite(db: SqliteDatabase): void {
  db.loadExtension('mod_spatialite');
  const initialised = db
    .prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'spatial_ref_sys'")
    .get() as { n: number };
  // InitSpatialMetadata(1) fills spatial_ref_sys in one transaction (seconds otherwise).
  if (initialised.n === 0 && !db.readonly) db.prepare('SELECT InitSpatialMetadata(1)').get();
}

/** Runs `work` in an IMMEDIATE transaction: the write lock is taken up front, so no upgrade deadlock. */
export function inTransaction<T>(db: SqliteDatabase, work: () => T): T {
  return db.transaction(work).immediate();
}
