import type pg from 'pg';
import type { Config } from '../../config.js';
import { STANDARD_FIELDS, type CatalogField } from '../catalog-fields.js';
import {
  collectionValues,
  COLLECTION_INSERT_COLUMNS,
  footprintWkt,
  INSERT_COLUMNS,
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
import { emptySummary } from './catalog-summary.js';
import { cancellable, inPgTransaction, openPostgres, placeholders, runPostgresMigrations } from '../../store/postgres/database.js';
import { computePgSummary } from './pg-catalog-summary.js';
import { SqlParams, sridSql } from '../../store/postgres/pg-feature-sql.js';
import { spatialPredicateSql } from '../../store/sql-functions.js';

/** Internal columns beside the wire-named fields; `t_` keeps them apart from field names. */
const INTERNAL_COLUMNS =
  'rowid_ AS t_rowid, source AS t_source, path AS t_path, by_value AS t_by_value, raster_type AS t_raster_type, ' +
  'raster::text AS t_raster, box_xmin AS t_xmin, box_ymin AS t_ymin, box_xmax AS t_xmax, box_ymax AS t_ymax, ' +
  // Where clauses may say `Shape IS [NOT] NULL`; a flag answers that without shipping the geometry.
  'CASE WHEN shape IS NULL THEN NULL ELSE true END AS "Shape"';
/** The embedded store's bounds columns: `xmin` and `xmax` are system column names here. */
const BOUNDS_COLUMNS: Record<string, string> = { xmin: 'box_xmin', ymin: 'box_ymin', xmax: 'box_xmax', ymax: 'box_ymax' };
const PG_INSERT_COLUMNS = INSERT_COLUMNS.map((column) => BOUNDS_COLUMNS[column] ?? column);

const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

/** Opens the PostGIS catalog of an installation on a small pool of its own (the HTTP process and each job worker hold one). */
export function openPgCatalogStore(config: Config): PgCatalogStore {
  const { postgresUrl, postgresSchema } = config.store;
  const ready = openPostgres(postgresUrl, postgresSchema, 4).then(async (pool) => {
    await runPostgresMigrations(pool, postgresSchema, ['imagery']);
    return pool;
  });
  return new PgCatalogStore(ready);
}

/**
 * Image collections and their catalogs in PostGIS: footprints as polygons in the collection's
 * SRID with a GiST index, raster details as jsonb, native timestamps for AcquisitionDate (so the
 * where compiler's PostgreSQL dialect applies). Every write runs in one transaction that also
 * refreshes the collection's summary; OBJECTIDs are handed out under a row lock on the collection.
 */
export class PgCatalogStore implements CatalogStore {
  readonly dialect = 'postgres' as const;

  constructor(private readonly ready: Promise<pg.Pool>) {
    // Failures surface on first use; an unobserved rejection must not end the process.
    ready.catch(() => undefined);
  }

  async getCollection(nameOrId: string): Promise<CollectionRecord | undefined> {
    const { rows } = await (await this.ready).query<CollectionRow>(
      'SELECT * FROM image_collections WHERE id = $1 OR lower(name) = lower($1) ORDER BY id = $1 DESC LIMIT 1',
      [nameOrId],
    );
    return rows[0] && toCollectionRecord(rows[0]);
  }

  async listCollections(): Promise<CollectionRecord[]> {
    const { rows } = await (await this.ready).query<CollectionRow>('SELECT * FROM image_collections ORDER BY lower(name)');
    return rows.map(toCollectionRecord);
  }

  async createCollection(collection: NewCollection, items: NewCatalogItem[]): Promise<number[]> {
    return this.transaction(async (client) => {
      await client.query(
        `INSERT INTO image_collections (${COLLECTION_INSERT_COLUMNS.join(', ')}) VALUES (${placeholders(COLLECTION_INSERT_COLUMNS.length)})`,
        collectionValues(collection, emptySummary(), Date.now()),
      );
      return this.insertItems(client, collection.id, items, collection.jobId);
    });
  }

  async addItems(collectionId: string, items: NewCatalogItem[], jobId: string | null, propertiesPatch?: Partial<CollectionProperties>): Promise<number[]> {
    return this.transaction(async (client) => {
      if (propertiesPatch) {
        const current = await this.readCollection(client, collectionId);
        await client.query('UPDATE image_collections SET properties = $1 WHERE id = $2', [
          JSON.stringify({ ...current.properties, ...propertiesPatch }),
          collectionId,
        ]);
      }
      return this.insertItems(client, collectionId, items, jobId);
    });
  }

  async queryItems(collectionId: string, query: CatalogQuery, signal?: AbortSignal): Promise<CatalogItem[]> {
    return cancellable(await this.ready, signal, async (client) => {
      const collection = await this.readCollection(client, collectionId);
      const select = selectSql(collection, query, query.returnGeometry ? ', ST_AsBinary(shape) AS t_wkb' : '');
      const { rows } = await client.query<Record<string, unknown>>(select.sql, select.params);
      return rows.map((row) => toItem(row, collection.properties.extraFields));
    });
  }

  async countItems(collectionId: string, query: CatalogQuery, signal?: AbortSignal): Promise<number> {
    return cancellable(await this.ready, signal, async (client) => {
      const collection = await this.readCollection(client, collectionId);
      const select = selectSql(collection, { ...query, orderBy: undefined, offset: undefined, limit: undefined }, '');
      const { rows } = await client.query<{ n: number }>(`SELECT count(*) AS n FROM (${select.sql}) AS counted`, select.params);
      return Number(rows[0]!.n);
    });
  }

  async deleteItems(collectionId: string, query: CatalogQuery): Promise<CatalogItem[]> {
    return this.transaction(async (client) => {
      const collection = await this.readCollection(client, collectionId, true);
      const select = selectSql(collection, { ...query, offset: undefined, limit: undefined }, '');
      const { rows } = await client.query<Record<string, unknown>>(select.sql, select.params);
      await client.query('DELETE FROM catalog_items WHERE rowid_ = ANY($1::bigint[])', [rows.map((row) => row.t_rowid)]);
      await this.refreshSummary(client, collectionId);
      return rows.map((row) => toItem(row, collection.properties.extraFields));
    });
  }

  async deleteCollection(collectionId: string): Promise<CatalogItem[]> {
    return this.transaction(async (client) => {
      const collection = await this.readCollection(client, collectionId, true);
      const select = selectSql(collection, {}, '');
      const { rows } = await client.query<Record<string, unknown>>(select.sql, select.params);
      await client.query('DELETE FROM image_collections WHERE id = $1', [collectionId]);
      return rows.map((row) => toItem(row, collection.properties.extraFields));
    });
  }

  async boundary(collectionId: string, signal?: AbortSignal): Promise<Buffer | null> {
    const { rows } = await cancellable(await this.ready, signal, (client) =>
      client.query<{ wkb: Buffer | null }>('SELECT ST_AsBinary(ST_Union(shape)) AS wkb FROM catalog_items WHERE collection_id = $1', [collectionId]),
    );
    return rows[0]?.wkb ?? null;
  }

  async removeJobWork(jobId: string): Promise<{ collections: string[]; items: CatalogItem[] }> {
    return this.transaction(async (client) => {
      const items: CatalogItem[] = [];
      const touched = (await client.query<{ id: string }>('SELECT DISTINCT collection_id AS id FROM catalog_items WHERE job_id = $1 ORDER BY 1', [jobId])).rows;
      for (const { id } of touched) {
        const collection = await this.readCollection(client, id, true);
        const select = selectSql(collection, {}, '');
        const jobParam = `$${select.params.length + 1}`;
        const { rows } = await client.query<Record<string, unknown>>(
          `SELECT * FROM (${select.sql}) AS rows WHERE t_rowid IN (SELECT rowid_ FROM catalog_items WHERE job_id = ${jobParam})`,
          [...select.params, jobId],
        );
        items.push(...rows.map((row) => toItem(row, collection.properties.extraFields)));
      }
      await client.query('DELETE FROM catalog_items WHERE job_id = $1', [jobId]);
      const created = (await client.query<{ id: string }>('DELETE FROM image_collections WHERE job_id = $1 RETURNING id', [jobId])).rows;
      for (const { id } of touched) if (!created.some((c) => c.id === id)) await this.refreshSummary(client, id);
      return { collections: created.map((c) => c.id), items };
    });
  }

  async registerDataStore(store: DataStoreRecord): Promise<void> {
    await (await this.ready).query('INSERT INTO data_stores (path, name, type, local_path, info, created) VALUES ($1, $2, $3, $4, $5, $6)', [
      store.path,
      store.name,
      store.type,
      store.localPath,
      JSON.stringify(store.info),
      store.created,
    ]);
  }

  async listDataStores(): Promise<DataStoreRecord[]> {
    const { rows } = await (await this.ready).query<DataStoreRow>('SELECT * FROM data_stores ORDER BY lower(path)');
    return rows.map(toDataStore);
  }

  async getDataStore(pathOrName: string): Promise<DataStoreRecord | undefined> {
    const { rows } = await (await this.ready).query<DataStoreRow>(
      'SELECT * FROM data_stores WHERE lower(path) = lower($1) OR lower(name) = lower($1) LIMIT 1',
      [pathOrName],
    );
    return rows[0] && toDataStore(rows[0]);
  }

  async unregisterDataStore(storePath: string): Promise<boolean> {
    return ((await (await this.ready).query('DELETE FROM data_stores WHERE lower(path) = lower($1)', [storePath])).rowCount ?? 0) > 0;
  }

  async close(): Promise<void> {
    const pool = await this.ready.catch(() => undefined);
    if (pool && !pool.ended) await pool.end();
  }

  private async readCollection(db: pg.Pool | pg.PoolClient, id: string, lock = false): Promise<CollectionRecord> {
    const { rows } = await db.query<CollectionRow>(`SELECT * FROM image_collections WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
    if (!rows[0]) throw new Error(`image collection ${id} does not exist`);
    return toCollectionRecord(rows[0]);
  }

  private async insertItems(client: pg.PoolClient, collectionId: string, items: NewCatalogItem[], jobId: string | null): Promise<number[]> {
    // The row lock serialises writers of one collection across nodes: OBJECTIDs stay unique.
    const { rows } = await client.query<{ next_object_id: number; epsg: number | null }>(
      'SELECT next_object_id, epsg FROM image_collections WHERE id = $1 FOR UPDATE',
      [collectionId],
    );
    const collection = rows[0];
    if (!collection) throw new Error(`image collection ${collectionId} does not exist`);
    const srid = sridSql(collection.epsg ?? 0);
    const values = INSERT_COLUMNS.map((column, i) => {
      const placeholder = `$${i + 6}`;
      if (column === 'acquisition_date') return `to_timestamp(${placeholder}::double precision / 1000)`;
      if (column === 'raster' || column === 'attributes') return `${placeholder}::jsonb`;
      return placeholder;
    });
    const insert = `INSERT INTO catalog_items (collection_id, object_id, job_id, created, shape, ${PG_INSERT_COLUMNS.join(', ')})
                    VALUES ($1, $2, $3, $4, ST_GeomFromText($5, ${srid}), ${values.join(', ')})`;
    const ids: number[] = [];
    let next = collection.next_object_id;
    const now = Date.now();
    for (const item of items) {
      await client.query(insert, [collectionId, next, jobId, now, footprintWkt(item.footprint), ...toItemValues(item)]);
      ids.push(next++);
    }
    // Centre, perimeter and area from the stored geometry, so they agree with what query returns.
    await client.query(
      `UPDATE catalog_items SET center_x = ST_X(ST_Centroid(shape)), center_y = ST_Y(ST_Centroid(shape)),
              shape_length = ST_Perimeter(shape), shape_area = ST_Area(shape)
        WHERE collection_id = $1 AND object_id >= $2`,
      [collectionId, collection.next_object_id],
    );
    await client.query('UPDATE image_collections SET next_object_id = $1 WHERE id = $2', [next, collectionId]);
    await this.refreshSummary(client, collectionId);
    return ids;
  }

  private async refreshSummary(client: pg.PoolClient, collectionId: string): Promise<void> {
    const summary = await computePgSummary(client, collectionId);
    await client.query('UPDATE image_collections SET summary = $1, modified = $2 WHERE id = $3', [JSON.stringify(summary), Date.now(), collectionId]);
  }

  private async transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    return inPgTransaction(await this.ready, work);
  }
}

/**
 * The SELECT list exposing a collection's rows under their wire names, so compiled where clauses
 * and orderBy name fields directly. Extra fields come out of the jsonb attributes, typed.
 */
function selectList(extra: readonly CatalogField[]): string {
  const standard = STANDARD_FIELDS.map((f) => `${f.column} AS "${f.name}"`);
  const more = extra.filter((f) => IDENTIFIER.test(f.name)).map((f) => `${extraField(f)} AS "${f.name}"`);
  return [...standard, ...more].join(', ');
}

function extraField(field: CatalogField): string {
  const value = `attributes->'${field.name}'`;
  const number = `CASE WHEN jsonb_typeof(${value}) = 'number' THEN (attributes->>'${field.name}')::double precision END`;
  switch (field.type) {
    case 'esriFieldTypeString':
      return `attributes->>'${field.name}'`;
    case 'esriFieldTypeDate':
      return `to_timestamp((${number}) / 1000)`;
    default:
      return number;
  }
}

/** The catalog of one collection as a subquery with wire-named columns, filtered, ordered, paged. */
function selectSql(collection: CollectionRecord, query: CatalogQuery, extraColumns: string): { sql: string; params: unknown[] } {
  const params = new SqlParams();
  const collectionId = params.add(collection.id);
  let spatial = '';
  if (query.geometry) {
    const { bbox, wkb, relation } = query.geometry;
    const srid = sridSql(collection.epsg ?? 0);
    spatial += ` AND shape && ST_MakeEnvelope(${params.add(bbox.xmin)}, ${params.add(bbox.ymin)}, ${params.add(bbox.xmax)}, ${params.add(bbox.ymax)}, ${srid})`;
    if (relation !== 'envelopeIntersects') spatial += ` AND ${spatialPredicateSql(relation, `ST_GeomFromWKB(${params.add(wkb)}, ${srid})`, 'shape')}`;
  }
  const conditions: string[] = [];
  if (query.where) conditions.push(`(${params.embed(query.where)})`);
  if (query.objectIds) conditions.push(query.objectIds.length === 0 ? 'false' : `"OBJECTID" = ANY(${params.add(query.objectIds)}::integer[])`);
  const inner = `SELECT ${selectList(collection.properties.extraFields)}, ${INTERNAL_COLUMNS}${extraColumns}
                   FROM catalog_items WHERE collection_id = ${collectionId}${spatial}`;
  // NULLs sort as SQLite sorts them (smallest), so both stores page alike.
  const order = (query.orderBy?.length ? query.orderBy : [{ field: 'OBJECTID', descending: false }])
    .map((o) => (o.field === 'OBJECTID' ? `"OBJECTID"${o.descending ? ' DESC' : ''}` : `"${o.field}" ${o.descending ? 'DESC NULLS LAST' : 'ASC NULLS FIRST'}`))
    .join(', ');
  const page = query.limit !== undefined ? ` LIMIT ${Math.max(0, Math.floor(query.limit))} OFFSET ${Math.max(0, Math.floor(query.offset ?? 0))}` : '';
  const where = conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
  return { sql: `SELECT * FROM (${inner}) AS catalog ${where} ORDER BY ${order}${page}`, params: params.values };
}

/** A row to a CatalogItem: timestamps read back as epoch ms, as the embedded store keeps them. */
function toItem(row: Record<string, unknown>, extra: readonly CatalogField[]): CatalogItem {
  for (const [key, value] of Object.entries(row)) if (value instanceof Date) row[key] = value.getTime();
  return toCatalogItem(row as CatalogQueryRow, extra);
}
