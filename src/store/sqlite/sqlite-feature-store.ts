import { existsSync, statSync } from 'node:fs';
import { copyFile, mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { availableParallelism } from 'node:os';
import {
  FeatureStoreError,
  GEOMETRY_COLUMN,
  type ColumnSchema,
  type EditOptions,
  type EditOutcome,
  type Extent,
  type FeatureFilter,
  type FeatureJsonPage,
  type FeatureJsonShape,
  type FeatureQuery,
  type FeatureRows,
  type FeatureStore,
  type LayerDescription,
  type LayerEdits,
  type LayerSchema,
  type OrderTerm,
  type StatisticsQuery,
} from '../feature-store.js';
import { openDatabase } from './database.js';
import { STATISTIC_FUNCTIONS } from '../sql-functions.js';
import { applyEditsInTransaction } from './feature-edits.js';
import { FeatureDataset } from './feature-dataset.js';
import { buildFeatureJsonSelect, buildFeatureSelect } from './feature-select.js';
import { withoutLastObject } from '../feature-json-page.js';
import { SHAPE, buildOrderBy, buildWhere, limitParams, quoteIdentifier, spatialIndexOf, sridSql, tableOf, toSqlValue } from './feature-sql.js';
import { readRtreeExtent } from './rtree-extent.js';
import { ThreadPool } from '../../thread-pool.js';
import { inFlight } from '../../in-flight.js';

const SQL_TYPES: Record<ColumnSchema['type'], string> = { integer: 'INTEGER', real: 'REAL', text: 'TEXT', blob: 'BLOB' };
const MAX_OPEN_DATASETS = 64;
const EMPTY = Buffer.alloc(0);
/**
 * A spatial filter with more WKB than this (about 1,000 vertices) is tested on a worker thread:
 * GEOS reads the filter geometry again for every candidate row, which with a 200,000-vertex
 * polygon held the event loop for seconds.
 */
const OFF_THREAD_WKB_BYTES = 16 * 1024;

/** The reads that may run on a worker thread (read-worker.ts). */
export type OffThreadRead = 'queryFeatures' | 'queryFeatureJson' | 'countFeatures' | 'queryIds' | 'queryExtent' | 'queryStatistics';

/**
 * Reader threads for spilled reads: one per core, since a spilled read waits for a reader (the
 * event loop keeps the HTTP work, a third of a request's CPU). Reads run on the loop once bounded
 * 4 clients at ~1.5× one (issue 18). A thread starts only when a read spills to it, ends once idle.
 */
const SPILL_THREADS = Math.max(1, Math.min(4, availableParallelism()));

/** One pool for every store of the process: the threads' connections are per file, not per store. */
let readPool: ThreadPool | undefined;

/**
 * Feature datasets as SpatiaLite files, one per service under `dir` (dropping a service deletes
 * its file). Each layer is a table whose INTEGER PRIMARY KEY AUTOINCREMENT is the object id, with
 * a SpatiaLite geometry column and its R*Tree index. WAL mode: readers never wait for a writer.
 */
export class SqliteFeatureStore implements FeatureStore {
  readonly dialect = 'sqlite' as const;
  private readonly open = new Map<string, { handle: FeatureDataset; inode: number }>();
  /** A scratch database for spatial reference look-ups. */
  private srs: FeatureDataset | undefined;

  /**
   * `offThread: false` in the worker threads themselves. `readThreads` above 0 sends every page
   * and count to that many reader threads (not only heavy filters), so queries use more than the
   * event loop's core; each thread costs some 30 MiB and a hand-off per query (issue 18).
   */
  constructor(
    private readonly dir: string,
    private readonly options: { offThread?: boolean; readThreads?: number; spillReads?: boolean } = {},
  ) {}

  async createDataset(dataset: string): Promise<void> {
    const file = this.fileOf(dataset);
    if (existsSync(file)) throw new FeatureStoreError(`Dataset ${dataset} already exists`);
    await copyFile(await this.template(), file);
    this.datasetOf(dataset);
  }

  /**
   * An empty SpatiaLite database with its metadata (spatial_ref_sys and friends, some 6 MB).
   * Initialising that in place costs a third of a second per file; copying it costs milliseconds.
   */
  private async template(): Promise<string> {
    const template = path.join(this.dir, '.template-v1.sqlite');
    if (existsSync(template)) return template;
    await mkdir(this.dir, { recursive: true });
    const scratch = `${template}.${process.pid}.tmp`;
    const db = openDatabase(':memory:', { spatialite: true });
    try {
      db.prepare('VACUUM INTO ?').run(scratch);
    } finally {
      db.close();
    }
    await rename(scratch, template);
    return template;
  }

  async dropDataset(dataset: string): Promise<void> {
    this.open.get(dataset)?.handle.close();
    this.open.delete(dataset);
    const file = this.fileOf(dataset);
    await Promise.all([file, `${file}-wal`, `${file}-shm`].map((f) => rm(f, { force: true })));
  }

  async createLayer(dataset: string, schema: LayerSchema): Promise<void> {
    const handle = this.datasetOf(dataset);
    const table = tableOf(schema.id);
    const columns = [
      `${quoteIdentifier(schema.objectIdColumn)} INTEGER PRIMARY KEY AUTOINCREMENT`,
      ...schema.columns.map((c) => `${quoteIdentifier(c.name)} ${SQL_TYPES[c.type]}`),
    ];
    handle.db.transaction(() => {
      handle.db.exec(`CREATE TABLE ${quoteIdentifier(table)} (${columns.join(', ')})`);
      if (schema.globalIdColumn) {
        handle.db.exec(`CREATE UNIQUE INDEX ${quoteIdentifier(`${table}_globalid`)} ON ${quoteIdentifier(table)} (${quoteIdentifier(schema.globalIdColumn)})`);
      }
      for (const index of schema.indexes ?? []) {
        const unique = index.unique ? 'UNIQUE ' : '';
        const name = quoteIdentifier(`${table}_${index.name}`);
        handle.db.exec(`CREATE ${unique}INDEX ${name} ON ${quoteIdentifier(table)} (${index.columns.map(quoteIdentifier).join(', ')})`);
      }
      if (!schema.geometry) return;
      const { srid, hasZ, hasM } = schema.geometry;
      const dims = `XY${hasZ ? 'Z' : ''}${hasM ? 'M' : ''}`;
      const added = handle.prepareRaw(`SELECT AddGeometryColumn(?, ?, ${sridSql(srid)}, ?, ?)`).get(table, GEOMETRY_COLUMN, 'GEOMETRY', dims) as [number];
      if (added[0] !== 1) throw new FeatureStoreError(`Spatial reference ${srid} is not supported`);
      handle.prepareRaw('SELECT CreateSpatialIndex(?, ?)').get(table, GEOMETRY_COLUMN);
      // SpatiaLite's per-row triggers we do without: tm* stamp "last edit" times (an UPDATE per
      // row, read by nobody); gg* re-check type/SRID/dimensions that every write already gets
      // right (WKB written for the layer's dimensions, SRID in the SQL), and they fail with
      // RAISE(ROLLBACK), which would undo a whole rollbackOnFailure=false request. The gi*
      // triggers keep the R*Tree in step and stay.
      for (const trigger of ['tmi', 'tmu', 'tmd', 'ggi', 'ggu']) {
        handle.db.exec(`DROP TRIGGER IF EXISTS ${quoteIdentifier(`${trigger}_${table}_${GEOMETRY_COLUMN}`)}`);
      }
    }).immediate();
    handle.clearStatements();
  }

  async dropLayer(dataset: string, layerId: number): Promise<void> {
    const handle = this.datasetOf(dataset);
    const table = tableOf(layerId);
    handle.db.transaction(() => {
      const hasGeometry = handle.prepareRaw('SELECT count(*) FROM geometry_columns WHERE f_table_name = lower(?)').get(table) as [number];
      if (hasGeometry[0] > 0) {
        handle.prepareRaw('SELECT DisableSpatialIndex(?, ?)').get(table, GEOMETRY_COLUMN);
        handle.db.exec(`DROP TABLE IF EXISTS ${quoteIdentifier(spatialIndexOf(layerId))}`);
        handle.prepareRaw('SELECT DiscardGeometryColumn(?, ?)').get(table, GEOMETRY_COLUMN);
      }
      handle.db.exec(`DROP TABLE IF EXISTS ${quoteIdentifier(table)}`);
    }).immediate();
    handle.clearStatements();
  }

  async addColumns(dataset: string, layerId: number, columns: ColumnSchema[]): Promise<void> {
    const handle = this.datasetOf(dataset);
    handle.db.transaction(() => {
      for (const c of columns) {
        handle.db.exec(`ALTER TABLE ${quoteIdentifier(tableOf(layerId))} ADD COLUMN ${quoteIdentifier(c.name)} ${SQL_TYPES[c.type]}`);
      }
    }).immediate();
    handle.clearStatements();
  }

  async dropColumns(dataset: string, layerId: number, columns: string[]): Promise<void> {
    const handle = this.datasetOf(dataset);
    handle.db.transaction(() => {
      for (const name of columns) handle.db.exec(`ALTER TABLE ${quoteIdentifier(tableOf(layerId))} DROP COLUMN ${quoteIdentifier(name)}`);
    }).immediate();
    handle.clearStatements();
  }

  async supportsSrid(srid: number, signal?: AbortSignal): Promise<boolean> {
    signal?.throwIfAborted();
    this.srs ??= new FeatureDataset(openDatabase(':memory:', { spatialite: true }));
    return this.srs.prepareRaw('SELECT 1 FROM spatial_ref_sys WHERE srid = ?').get(srid) !== undefined;
  }

  async describeLayer(dataset: string, schema: LayerSchema, signal?: AbortSignal): Promise<LayerDescription> {
    signal?.throwIfAborted();
    if (!schema.geometry) return { extent: null };
    return { extent: readRtreeExtent(this.datasetOf(dataset), spatialIndexOf(schema.id)) };
  }

  async queryFeatures(dataset: string, schema: LayerSchema, query: FeatureQuery, signal?: AbortSignal): Promise<FeatureRows> {
    signal?.throwIfAborted();
    if (this.isHeavy(query) || (await this.spills())) return this.offThread('queryFeatures', [dataset, schema, query], signal);
    const handle = this.datasetOf(dataset);
    const select = buildFeatureSelect(handle, schema, query);
    const rows = handle.prepareRaw(select.sql).all(...select.params) as unknown[][];
    return query.geometry ? { rows, geometryFormat: select.geometry === 'xy' ? 'xy' : 'wkb' } : { rows };
  }

  async queryFeatureJson(dataset: string, schema: LayerSchema, query: FeatureQuery, shape: FeatureJsonShape, signal?: AbortSignal): Promise<FeatureJsonPage | undefined> {
    signal?.throwIfAborted();
    if (this.isHeavy(query) || this.readsOnThreads() || (await this.spills())) return this.offThread('queryFeatureJson', [dataset, schema, query, shape], signal);
    const handle = this.datasetOf(dataset);
    const pageSize = query.limit ?? -1;
    // One row past the page tells whether more match, without counting them all.
    const select = buildFeatureJsonSelect(handle, schema, pageSize < 0 ? query : { ...query, limit: pageSize + 1 }, shape);
    if (!select) return undefined;
    const [count, json] = handle.prepareRaw(select.sql).get(...select.params) as [number, Buffer | null];
    if (pageSize < 0 || count <= pageSize) return { json: json ?? EMPTY, count, more: false };
    return { json: pageSize === 0 ? EMPTY : withoutLastObject(json!, shape), count: pageSize, more: true };
  }

  async dataVersion(dataset: string, signal?: AbortSignal): Promise<string> {
    signal?.throwIfAborted();
    return this.datasetOf(dataset).version();
  }

  async countFeatures(dataset: string, schema: LayerSchema, filter: FeatureFilter, distinctColumns?: string[], signal?: AbortSignal): Promise<number> {
    signal?.throwIfAborted();
    if (this.isHeavy(filter) || this.readsOnThreads() || (await this.spills())) return this.offThread('countFeatures', [dataset, schema, filter, distinctColumns], signal);
    const handle = this.datasetOf(dataset);
    const where = buildWhere(handle, schema, filter);
    const table = quoteIdentifier(tableOf(schema.id));
    const sql = distinctColumns?.length
      ? `SELECT count(*) FROM (SELECT DISTINCT ${distinctColumns.map(quoteIdentifier).join(', ')} FROM ${table} ${where.sql})`
      : `SELECT count(*) FROM ${table} ${where.sql}`;
    return (handle.prepareRaw(sql).get(...where.params) as [number])[0];
  }

  async queryIds(dataset: string, schema: LayerSchema, filter: FeatureFilter, orderBy?: OrderTerm[], signal?: AbortSignal): Promise<number[]> {
    signal?.throwIfAborted();
    if (this.isHeavy(filter)) return this.offThread('queryIds', [dataset, schema, filter, orderBy], signal);
    const handle = this.datasetOf(dataset);
    const where = buildWhere(handle, schema, filter);
    const oid = quoteIdentifier(schema.objectIdColumn);
    const sql = `SELECT ${oid} FROM ${quoteIdentifier(tableOf(schema.id))} ${where.sql} ${buildOrderBy(orderBy, schema.objectIdColumn)}`;
    return handle.prepare(sql).pluck().all(...where.params) as number[];
  }

  async queryExtent(dataset: string, schema: LayerSchema, filter: FeatureFilter, srid?: number, signal?: AbortSignal): Promise<Extent | null> {
    signal?.throwIfAborted();
    if (this.isHeavy(filter)) return this.offThread('queryExtent', [dataset, schema, filter, srid], signal);
    if (!schema.geometry) return null;
    const handle = this.datasetOf(dataset);
    const where = buildWhere(handle, schema, filter);
    const extent = where.sql
      ? this.extentOfRows(handle, schema, where.sql, where.params)
      : readRtreeExtent(handle, spatialIndexOf(schema.id));
    if (!extent || srid === undefined || srid === schema.geometry.srid) return extent;
    return transformExtent(handle, extent, schema.geometry.srid, srid);
  }

  async queryStatistics(dataset: string, schema: LayerSchema, query: StatisticsQuery, signal?: AbortSignal): Promise<FeatureRows> {
    signal?.throwIfAborted();
    if (this.isHeavy(query)) return this.offThread('queryStatistics', [dataset, schema, query], signal);
    const handle = this.datasetOf(dataset);
    const where = buildWhere(handle, schema, query);
    const groups = query.groupBy.map(quoteIdentifier);
    const statistics = query.statistics.map(
      (s) => `${STATISTIC_FUNCTIONS[s.type]}(${s.column === null ? '*' : quoteIdentifier(s.column)}) AS ${quoteIdentifier(s.alias)}`,
    );
    const groupBy = groups.length ? `GROUP BY ${groups.join(', ')}` : '';
    const having = query.having ? `HAVING ${query.having.sql}` : '';
    const order = query.orderBy?.length ? buildOrderBy(query.orderBy, '') : groups.length ? `ORDER BY ${groups.join(', ')}` : '';
    const sql = `SELECT ${[...groups, ...statistics].join(', ')} FROM ${quoteIdentifier(tableOf(schema.id))} ${where.sql} ${groupBy} ${having} ${order} LIMIT ? OFFSET ?`;
    const params = [...where.params, ...(query.having?.params.map(toSqlValue) ?? []), ...limitParams(query.limit, query.offset)];
    return { rows: handle.prepareRaw(sql).all(...params) as unknown[][] };
  }

  async applyEdits(dataset: string, edits: LayerEdits[], options: EditOptions): Promise<EditOutcome> {
    // A heavy delete filter is matched on a thread first; the transaction then deletes those ids.
    const resolved = await Promise.all(edits.map(async (edit) => {
      if (!edit.deleteFilter || !this.isHeavy(edit.deleteFilter)) return edit;
      const ids = await this.offThread<number[]>('queryIds', [dataset, edit.layer, edit.deleteFilter], undefined);
      return { ...edit, deleteFilter: { objectIds: ids } };
    }));
    return applyEditsInTransaction(this.datasetOf(dataset), resolved, options);
  }

  async close(): Promise<void> {
    for (const { handle } of this.open.values()) handle.close();
    this.open.clear();
    this.srs?.close();
    this.srs = undefined;
  }

  private extentOfRows(handle: FeatureDataset, schema: LayerSchema, where: string, params: unknown[]): Extent | null {
    const sql = `SELECT MbrMinX(e), MbrMinY(e), MbrMaxX(e), MbrMaxY(e) FROM (SELECT Extent(${SHAPE}) AS e FROM ${quoteIdentifier(tableOf(schema.id))} ${where})`;
    const row = handle.prepareRaw(sql).get(...params) as Array<number | null>;
    return row[0] === null ? null : { xmin: row[0]!, ymin: row[1]!, xmax: row[2]!, ymax: row[3]! };
  }

  private fileOf(dataset: string): string {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(dataset)) throw new FeatureStoreError(`Invalid dataset name ${dataset}`);
    return path.join(this.dir, `${dataset}.sqlite`);
  }

  private datasetOf(dataset: string): FeatureDataset {
    const file = this.fileOf(dataset);
    const inode = statSync(file, { throwIfNoEntry: false })?.ino;
    if (inode === undefined) throw new FeatureStoreError(`Dataset ${dataset} does not exist`);
    const cached = this.open.get(dataset);
    // Another thread or process may have dropped the file and made a new one under the same name.
    if (cached?.inode === inode) return cached.handle;
    cached?.handle.close();
    const handle = new FeatureDataset(openDatabase(file, { spatialite: true }));
    this.open.delete(dataset);
    this.open.set(dataset, { handle, inode });
    if (this.open.size > MAX_OPEN_DATASETS) {
      const [oldest, stale] = this.open.entries().next().value as [string, { handle: FeatureDataset }];
      stale.handle.close();
      this.open.delete(oldest);
    }
    return handle;
  }

  private readsOnThreads(): boolean {
    return this.options.offThread !== false && (this.options.readThreads ?? 0) > 0;
  }

  /**
   * A page or count goes to a reader thread when other requests are being answered too: a lone
   * client keeps the event loop's quicker path (no hand-off), several use every core (issue 18).
   * `spillReads: false` keeps them on the event loop.
   */
  private async spills(): Promise<boolean> {
    if (this.options.offThread === false || this.options.spillReads === false) return false;
    // Every reader busy means other requests are in flight: the read waits for a reader rather
    // than hold the event loop, which the other requests' HTTP work needs (one reader per core).
    if (!this.readPool().idle) return true;
    // One turn of the event loop first: requests other clients have sent meanwhile are read and
    // counted (each runs up to here without a pause, so none would see another otherwise).
    await new Promise((resolve) => setImmediate(resolve));
    return inFlight.requests > 1;
  }

  private isHeavy(filter: FeatureFilter): boolean {
    return this.options.offThread !== false && (filter.spatial?.wkb.byteLength ?? 0) > OFF_THREAD_WKB_BYTES;
  }

  /** Starts a reader thread now when reads may go to threads, so the first heavy read does not wait for it. */
  warm(): void {
    if (this.options.offThread !== false) this.readPool().warm();
  }

  private readPool(): ThreadPool {
    readPool ??= new ThreadPool(new URL('./read-worker.ts', import.meta.url), this.options.readThreads || SPILL_THREADS);
    return readPool;
  }

  /** Runs one read on the pool's thread, with its errors and blobs as this thread would have them. */
  private async offThread<T>(method: OffThreadRead, args: unknown[], signal: AbortSignal | undefined): Promise<T> {
    try {
      return asBuffers(await this.readPool().run({ dir: this.dir, method, args }, signal ? { signal } : {})) as T;
    } catch (error) {
      if (error instanceof Error && error.name === 'FeatureStoreError') throw new FeatureStoreError(error.message);
      throw error;
    }
  }

}

/** Blobs arrive from a thread as plain Uint8Arrays; callers expect Buffers (rows, feature JSON). */
function asBuffers(value: unknown, depth = 0): unknown {
  if (value instanceof Uint8Array) return Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  if (depth > 2 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = asBuffers(value[i], depth + 1);
    return value;
  }
  for (const [key, item] of Object.entries(value)) (value as Record<string, unknown>)[key] = asBuffers(item, depth + 1);
  return value;
}

/** Projects an extent by way of its densified outline, so curved edges in the target are covered. */
function transformExtent(handle: FeatureDataset, extent: Extent, from: number, to: number): Extent | null {
  const step = Math.max(extent.xmax - extent.xmin, extent.ymax - extent.ymin) / 32 || 1;
  const sql = `SELECT MbrMinX(g), MbrMinY(g), MbrMaxX(g), MbrMaxY(g) FROM
    (SELECT ST_Transform(ST_Segmentize(BuildMbr(?, ?, ?, ?, ${sridSql(from)}), ?), ${sridSql(to)}) AS g)`;
  const row = handle.prepareRaw(sql).get(extent.xmin, extent.ymin, extent.xmax, extent.ymax, step) as Array<number | null>;
  return row[0] === null ? null : { xmin: row[0]!, ymin: row[1]!, xmax: row[2]!, ymax: row[3]! };
}
