import path from 'node:path';
import type { Config } from '../../config.js';
import type { Statement } from 'better-sqlite3';
import { inTransaction, openDatabase, type SqliteDatabase } from '../../store/sqlite/database.js';
import { statementCache } from '../../store/sqlite/statement-cache.js';
import { catalogSelectList, type CatalogField } from '../catalog-fields.js';
import {
  collectionValues,
  COLLECTION_INSERT_COLUMNS,
  footprintWkt,
  INSERT_COLUMNS,
  INTERNAL_COLUMNS,
  toCatalogItem,
  toCollectionRecord,
  toItemValues,
  type CatalogQueryRow,
  type CollectionRow,
  type DataStoreRow,
  toDataStore,
} from './catalog-rows.js';
import type {
  CatalogItem,
  CatalogQuery,
  CatalogStore,
  CollectionProperties,
  CollectionRecord,
  DataStoreRecord,
  NewCatalogItem,
  NewCollection,
} from './catalog-store.js';
import { computeSummary, emptySummary } from './catalog-summary.js';
import { buildCatalogFilter } from './catalog-filter.js';
import { CatalogItemCache, type CatalogItemCacheLimits } from './catalog-item-cache.js';

export function catalogDatabasePath(config: Config): string {
  return path.join(config.dataDir, 'imagery', 'catalog.sqlite');
}

/** Opens (creating and migrating) the embedded catalog database of a data directory. */
export function openSqliteCatalogStore(config: Config): SqliteCatalogStore {
  return new SqliteCatalogStore(openDatabase(catalogDatabasePath(config), { spatialite: true, migrations: ['imagery'] }), config.raster);
}

/** The embedded CatalogStore: SpatiaLite footprints, R-tree bounding boxes, JSON raster details. */
export class SqliteCatalogStore implements CatalogStore {
  readonly dialect = 'sqlite' as const;
  /** Statements by SQL text: every render selects items, and preparing costs more than the lookup. */
  private readonly prepare: (sql: string) => Statement;
  private readonly items: CatalogItemCache;

  constructor(readonly db: SqliteDatabase, cacheLimits: CatalogItemCacheLimits) {
    this.prepare = statementCache(db);
    this.items = new CatalogItemCache(cacheLimits);
  }

  /**
   * Moves with every commit: other processes' (data_version) and this connection's (total_changes),
   * in one row of one statement (as FeatureDataset.version). Most of its ~14 µs CPU is data_version's
   * read of the file's change counter, which other processes' commits need.
   */
  private version(): string {
    return this.prepare("SELECT data_version || ':' || total_changes() FROM pragma_data_version()").pluck().get() as string;
  }

  async getCollection(nameOrId: string): Promise<CollectionRecord | undefined> {
    const row = this.prepare('SELECT * FROM image_collections WHERE id = ? OR name = ?').get(nameOrId, nameOrId) as
      | CollectionRow
      | undefined;
    return row && toCollectionRecord(row);
  }

  async listCollections(): Promise<CollectionRecord[]> {
    const rows = this.prepare('SELECT * FROM image_collections ORDER BY name').all() as CollectionRow[];
    return rows.map(toCollectionRecord);
  }

  async createCollection(collection: NewCollection, items: NewCatalogItem[]): Promise<number[]> {
    return inTransaction(this.db, () => {
      this.prepare(`INSERT INTO image_collections (${COLLECTION_INSERT_COLUMNS.join(', ')}) VALUES (${COLLECTION_INSERT_COLUMNS.map(() => '?').join(', ')})`)
        .run(...collectionValues(collection, emptySummary(), Date.now()));
      return this.insertItems(collection.id, items, collection.jobId);
    });
  }

  async addItems(
    collectionId: string,
    items: NewCatalogItem[],
    jobId: string | null,
    propertiesPatch?: Partial<CollectionProperties>,
  ): Promise<number[]> {
    return inTransaction(this.db, () => {
      if (propertiesPatch) {
        const current = this.readCollection(collectionId);
        this.prepare('UPDATE image_collections SET properties = ? WHERE id = ?')
          .run(JSON.stringify({ ...current.properties, ...propertiesPatch }), collectionId);
      }
      return this.insertItems(collectionId, items, jobId);
    });
  }

  // Reads here are short statements on the main thread: a hung-up client stops them before they start.
  async queryItems(collectionId: string, query: CatalogQuery, signal?: AbortSignal): Promise<CatalogItem[]> {
    signal?.throwIfAborted();
    if (query.geometry && CatalogItemCache.answers(query)) {
      const cached = this.items.query(collectionId, this.version(), query.geometry, () => this.wholeCollection(collectionId));
      if (cached) return cached;
    }
    return this.selectItems(this.readCollection(collectionId), query, !!query.returnGeometry);
  }

  /** Every item of a collection with its footprint, in OBJECTID order, when it is small enough to hold. */
  private wholeCollection(collectionId: string): CatalogItem[] | undefined {
    const collection = this.readCollection(collectionId);
    if (!this.items.holds(collection.summary.itemCount)) return undefined;
    return this.selectItems(collection, {}, true);
  }

  /** The items a query selects, with their footprints' WKB when `withShape`. */
  private selectItems(collection: CollectionRecord, query: CatalogQuery, withShape: boolean): CatalogItem[] {
    const { sql, params } = this.selectSql(collection, query, withShape ? ', AsBinary(shape) AS t_wkb' : '');
    const rows = this.prepare(sql).all(...params) as CatalogQueryRow[];
    return rows.map((row) => toCatalogItem(row, collection.properties.extraFields));
  }

  async countItems(collectionId: string, query: CatalogQuery, signal?: AbortSignal): Promise<number> {
    signal?.throwIfAborted();
    const collection = this.readCollection(collectionId);
    const { sql, params } = this.selectSql(collection, { ...query, orderBy: undefined, offset: undefined, limit: undefined }, '');
    return (this.prepare(`SELECT count(*) AS n FROM (${sql})`).get(...params) as { n: number }).n;
  }

  async deleteItems(collectionId: string, query: CatalogQuery): Promise<CatalogItem[]> {
    return inTransaction(this.db, () => {
      const collection = this.readCollection(collectionId);
      const { sql, params } = this.selectSql(collection, { ...query, offset: undefined, limit: undefined }, '');
      const rows = this.prepare(sql).all(...params) as CatalogQueryRow[];
      const remove = this.prepare('DELETE FROM catalog_items WHERE rowid_ = ?');
      for (const row of rows) remove.run(row.t_rowid);
      this.refreshSummary(collectionId);
      return rows.map((row) => toCatalogItem(row, collection.properties.extraFields));
    });
  }

  async deleteCollection(collectionId: string): Promise<CatalogItem[]> {
    return inTransaction(this.db, () => {
      const items = this.selectItems(this.readCollection(collectionId), {}, false);
      this.prepare('DELETE FROM image_collections WHERE id = ?').run(collectionId);
      return items;
    });
  }

  async boundary(collectionId: string, signal?: AbortSignal): Promise<Buffer | null> {
    signal?.throwIfAborted();
    const row = this.prepare('SELECT AsBinary(ST_Union(shape)) AS wkb FROM catalog_items WHERE collection_id = ?')
      .get(collectionId) as { wkb: Buffer | null };
    return row.wkb;
  }

  async removeJobWork(jobId: string): Promise<{ collections: string[]; items: CatalogItem[] }> {
    return inTransaction(this.db, () => {
      const items: CatalogItem[] = [];
      const touched = this.prepare('SELECT DISTINCT collection_id AS id FROM catalog_items WHERE job_id = ?')
        .all(jobId) as Array<{ id: string }>;
      for (const { id } of touched) {
        const collection = this.readCollection(id);
        const { sql, params } = this.selectSql(collection, {}, '');
        const rows = this.prepare(`SELECT * FROM (${sql}) WHERE t_rowid IN (SELECT rowid_ FROM catalog_items WHERE job_id = ?)`).all(...params, jobId);
        items.push(...(rows as CatalogQueryRow[]).map((row) => toCatalogItem(row, collection.properties.extraFields)));
      }
      this.prepare('DELETE FROM catalog_items WHERE job_id = ?').run(jobId);
      const created = this.prepare('SELECT id FROM image_collections WHERE job_id = ?').all(jobId) as Array<{ id: string }>;
      this.prepare('DELETE FROM image_collections WHERE job_id = ?').run(jobId);
      for (const { id } of touched) if (!created.some((c) => c.id === id)) this.refreshSummary(id);
      return { collections: created.map((c) => c.id), items };
    });
  }

  async registerDataStore(store: DataStoreRecord): Promise<void> {
    this.prepare('INSERT INTO data_stores (path, name, type, local_path, info, created) VALUES (?, ?, ?, ?, ?, ?)')
      .run(store.path, store.name, store.type, store.localPath, JSON.stringify(store.info), store.created);
  }

  async listDataStores(): Promise<DataStoreRecord[]> {
    const rows = this.prepare('SELECT * FROM data_stores ORDER BY path').all() as DataStoreRow[];
    return rows.map(toDataStore);
  }

  async getDataStore(pathOrName: string): Promise<DataStoreRecord | undefined> {
    const row = this.prepare('SELECT * FROM data_stores WHERE path = ? OR name = ?').get(pathOrName, pathOrName) as
      | DataStoreRow
      | undefined;
    return row && toDataStore(row);
  }

  async unregisterDataStore(storePath: string): Promise<boolean> {
    return this.prepare('DELETE FROM data_stores WHERE path = ?').run(storePath).changes > 0;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  private readCollection(id: string): CollectionRecord {
    const row = this.prepare('SELECT * FROM image_collections WHERE id = ?').get(id) as CollectionRow | undefined;
    if (!row) throw new Error(`image collection ${id} does not exist`);
    return toCollectionRecord(row);
  }

  private insertItems(collectionId: string, items: NewCatalogItem[], jobId: string | null): number[] {
    const collection = this.prepare('SELECT next_object_id, epsg FROM image_collections WHERE id = ?').get(collectionId) as
      | { next_object_id: number; epsg: number | null }
      | undefined;
    if (!collection) throw new Error(`image collection ${collectionId} does not exist`);
    const insert = this.prepare(
      `INSERT INTO catalog_items (collection_id, object_id, job_id, created, shape, ${INSERT_COLUMNS.join(', ')})
       VALUES (?, ?, ?, ?, GeomFromText(?, CAST(? AS INTEGER)), ${INSERT_COLUMNS.map(() => '?').join(', ')})`,
    );
    const ids: number[] = [];
    let next = collection.next_object_id;
    const now = Date.now();
    for (const item of items) {
      insert.run(collectionId, next, jobId, now, footprintWkt(item.footprint), collection.epsg ?? 0, ...toItemValues(item));
      ids.push(next++);
    }
    // Centre, perimeter and area from the stored geometry, so they agree with what query returns.
    this.prepare(
        `UPDATE catalog_items SET center_x = ST_X(ST_Centroid(shape)), center_y = ST_Y(ST_Centroid(shape)),
                shape_length = ST_Perimeter(shape), shape_area = ST_Area(shape)
          WHERE collection_id = ? AND object_id >= ?`,
      )
      .run(collectionId, collection.next_object_id);
    this.prepare('UPDATE image_collections SET next_object_id = ? WHERE id = ?').run(next, collectionId);
    this.refreshSummary(collectionId);
    return ids;
  }

  private refreshSummary(collectionId: string): void {
    this.prepare('UPDATE image_collections SET summary = ?, modified = ? WHERE id = ?')
      .run(JSON.stringify(computeSummary(this.db, collectionId)), Date.now(), collectionId);
  }

  /** The catalog of one collection as a subquery with wire-named columns, filtered, ordered, paged. */
  private selectSql(collection: CollectionRecord, query: CatalogQuery, extraColumns: string): { sql: string; params: unknown[] } {
    const extra: readonly CatalogField[] = collection.properties.extraFields;
    const filter = buildCatalogFilter(query, collection.epsg ?? 0);
    const inner = `SELECT ${catalogSelectList(extra)}, ${INTERNAL_COLUMNS}${extraColumns}
                     FROM catalog_items WHERE collection_id = ?${filter.spatial.sql}`;
    const order = (query.orderBy?.length ? query.orderBy : [{ field: 'OBJECTID', descending: false }])
      .map((o) => `"${o.field}" ${o.descending ? 'DESC' : 'ASC'}`)
      .join(', ');
    const page = query.limit !== undefined ? ` LIMIT ${Math.max(0, Math.floor(query.limit))} OFFSET ${Math.max(0, Math.floor(query.offset ?? 0))}` : '';
    return {
      sql: `SELECT * FROM (${inner}) AS catalog ${filter.attribute.sql} ORDER BY ${order}${page}`,
      params: [collection.id, ...filter.spatial.params, ...filter.attribute.params],
    };
  }
}
