import { STANDARD_FIELDS, type CatalogField } from '../catalog-fields.js';
import type { CatalogItem, CollectionRecord, DataStoreRecord, ImageRaster, NewCatalogItem, NewCollection } from './catalog-store.js';

/** An image_collections row. */
export interface CollectionRow {
  id: string;
  name: string;
  owner: string | null;
  collection_type: string;
  srs_wkt: string;
  epsg: number | null;
  properties: string;
  summary: string;
  next_object_id: number;
  job_id: string | null;
  created: number;
  modified: number;
}

/** The columns a new image_collections row is written with, in the order of collectionValues. */
export const COLLECTION_INSERT_COLUMNS = ['id', 'name', 'owner', 'collection_type', 'srs_wkt', 'epsg', 'properties', 'summary', 'job_id', 'created', 'modified'];

export function collectionValues(collection: NewCollection, summary: CollectionRecord['summary'], now: number): unknown[] {
  const { id, name, owner, collectionType, srsWkt, epsg, properties, jobId } = collection;
  return [id, name, owner, collectionType, srsWkt, epsg, JSON.stringify(properties), JSON.stringify(summary), jobId, now, now];
}

export function toCollectionRecord(row: CollectionRow): CollectionRecord {
  return {
    id: row.id,
    name: row.name,
    owner: row.owner,
    collectionType: row.collection_type,
    srsWkt: row.srs_wkt,
    epsg: row.epsg,
    properties: JSON.parse(row.properties) as CollectionRecord['properties'],
    summary: JSON.parse(row.summary) as CollectionRecord['summary'],
    jobId: row.job_id,
    created: row.created,
    modified: row.modified,
  };
}

/** Internal columns selected beside the wire-named fields; `t_` keeps them apart from field names. */
export const INTERNAL_COLUMNS =
  'rowid_ AS t_rowid, source AS t_source, path AS t_path, by_value AS t_by_value, raster_type AS t_raster_type, ' +
  'raster AS t_raster, xmin AS t_xmin, ymin AS t_ymin, xmax AS t_xmax, ymax AS t_ymax, ' +
  // Where clauses may say `Shape IS [NOT] NULL` (the where compiler allows the shape field there only).
  'shape AS "Shape"';

export interface CatalogQueryRow extends Record<string, unknown> {
  t_rowid: number;
  t_source: string;
  t_path: string;
  t_by_value: number;
  t_raster_type: string;
  t_raster: string;
  t_xmin: number;
  t_ymin: number;
  t_xmax: number;
  t_ymax: number;
  t_wkb?: Buffer | null;
}

/** A row of the catalog subquery back to a CatalogItem, fields under their wire names. */
export function toCatalogItem(row: CatalogQueryRow, extra: readonly CatalogField[]): CatalogItem {
  const fields: Record<string, unknown> = {};
  for (const field of [...STANDARD_FIELDS, ...extra]) fields[field.name] = row[field.name] ?? null;
  const item: CatalogItem = {
    objectId: Number(row.OBJECTID),
    name: String(row.Name),
    source: row.t_source,
    path: row.t_path,
    byValue: row.t_by_value === 1,
    rasterType: row.t_raster_type,
    raster: JSON.parse(row.t_raster) as ImageRaster,
    bbox: { xmin: row.t_xmin, ymin: row.t_ymin, xmax: row.t_xmax, ymax: row.t_ymax },
    fields,
  };
  if (row.t_wkb) item.shapeWkb = row.t_wkb;
  return item;
}

/** WKT of a footprint polygon; JS number text round-trips, so no precision is lost. */
export function footprintWkt(rings: [number, number][][]): string {
  return `POLYGON(${rings.map((ring) => `(${ring.map(([x, y]) => `${x} ${y}`).join(', ')})`).join(', ')})`;
}

export function ringsBounds(rings: [number, number][][]): { xmin: number; ymin: number; xmax: number; ymax: number } {
  let [xmin, ymin, xmax, ymax] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [x, y] of rings[0] ?? []) {
    xmin = Math.min(xmin, x);
    ymin = Math.min(ymin, y);
    xmax = Math.max(xmax, x);
    ymax = Math.max(ymax, y);
  }
  return { xmin, ymin, xmax, ymax };
}

/** Column values of a new catalog row, in INSERT_COLUMNS order (shape WKT and SRID handled apart). */
export function toItemValues(item: NewCatalogItem): unknown[] {
  const b = ringsBounds(item.footprint);
  return [
    item.name,
    b.xmin,
    b.ymin,
    b.xmax,
    b.ymax,
    item.minPs ?? 0,
    item.maxPs ?? 0,
    item.lowPs,
    item.highPs,
    item.category ?? 1,
    item.tag ?? null,
    item.groupName ?? null,
    item.productName ?? null,
    item.sensorName ?? null,
    item.acquisitionDate ?? null,
    item.cloudCover ?? null,
    item.zOrder ?? null,
    item.rasterType,
    item.source,
    item.path,
    item.byValue ? 1 : 0,
    JSON.stringify(item.raster),
    JSON.stringify(item.attributes ?? {}),
  ];
}

export const INSERT_COLUMNS = [
  'name',
  'xmin',
  'ymin',
  'xmax',
  'ymax',
  'min_ps',
  'max_ps',
  'low_ps',
  'high_ps',
  'category',
  'tag',
  'group_name',
  'product_name',
  'sensor_name',
  'acquisition_date',
  'cloud_cover',
  'zorder',
  'raster_type',
  'source',
  'path',
  'by_value',
  'raster',
  'attributes',
];

/** A data_stores row. */
export interface DataStoreRow {
  path: string;
  name: string;
  type: 'folder';
  local_path: string;
  info: string;
  created: number;
}

export function toDataStore(row: DataStoreRow): DataStoreRecord {
  return { path: row.path, name: row.name, type: row.type, localPath: row.local_path, info: JSON.parse(row.info) as DataStoreRecord['info'], created: row.created };
}
