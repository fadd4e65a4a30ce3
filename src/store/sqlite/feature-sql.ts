import {
  FeatureStoreError,
  GEOMETRY_COLUMN,
  type FeatureFilter,
  type LayerSchema,
  type OrderTerm,
  type SpatialFilter,
  type SpatialRelation,
} from '../feature-store.js';
import { bufferedGeometrySql } from './buffer-filter.js';
import type { FeatureDataset } from './feature-dataset.js';
import { spatialPredicateSql } from '../sql-functions.js';
import { sridSql, toSqlValue, type SqlPart } from './sql-values.js';

export { sridSql, toSqlValue, type SqlPart };

export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function tableOf(layerId: number): string {
  return `layer_${layerId}`;
}

export function spatialIndexOf(layerId: number): string {
  return `idx_${tableOf(layerId)}_${GEOMETRY_COLUMN}`;
}

export const SHAPE = quoteIdentifier(GEOMETRY_COLUMN);

/**
 * The WHERE clause (with the keyword) for a filter. The spatial filter geometry is transformed to
 * the layer SRID once, up front, and bound as a SpatiaLite blob; an R*Tree lookup narrows the
 * rows before the exact GEOS predicate runs.
 */
export function buildWhere(dataset: FeatureDataset, schema: LayerSchema, filter: FeatureFilter): SqlPart {
  const conditions: string[] = [];
  const params: unknown[] = [];
  if (filter.where && filter.where.sql.trim() !== '') {
    conditions.push(`(${filter.where.sql})`);
    params.push(...filter.where.params.map(toSqlValue));
  }
  if (filter.objectIds) {
    conditions.push(`${quoteIdentifier(schema.objectIdColumn)} IN (SELECT value FROM json_each(?))`);
    params.push(JSON.stringify(filter.objectIds));
  }
  if (filter.spatial) {
    const spatial = buildSpatialCondition(dataset, schema, filter.spatial);
    conditions.push(spatial.sql);
    params.push(...spatial.params);
  }
  return { sql: conditions.length ? `WHERE ${conditions.join(' AND ')}` : '', params };
}

interface ResolvedGeometry {
  blob: Buffer;
  xmin: number;
  ymin: number;
  xmax: number;
  ymax: number;
}

function buildSpatialCondition(dataset: FeatureDataset, schema: LayerSchema, spatial: SpatialFilter): SqlPart {
  if (!schema.geometry) throw new FeatureStoreError('A spatial filter needs a layer with geometry');
  const q = resolveGeometry(dataset, spatial, schema.geometry.srid);
  const index = `SELECT pkid FROM ${quoteIdentifier(spatialIndexOf(schema.id))} WHERE `;
  const boxes =
    spatial.relation === 'within'
      ? // The feature must cover the filter: its box encloses the filter's (R*Tree bounds round outwards).
        { sql: `${index}xmin <= ? AND xmax >= ? AND ymin <= ? AND ymax >= ?`, params: [q.xmin, q.xmax, q.ymin, q.ymax] }
      : { sql: `${index}xmin <= ? AND xmax >= ? AND ymin <= ? AND ymax >= ?`, params: [q.xmax, q.xmin, q.ymax, q.ymin] };
  const prefilter = `ROWID IN (${boxes.sql})`;
  const predicate = PREDICATES[spatial.relation];
  if (predicate === undefined) return { sql: prefilter, params: boxes.params };
  return { sql: `${prefilter} AND ${predicate} = 1`, params: [...boxes.params, q.blob] };
}

/** The exact test per relation; `?` is the filter geometry. Undefined: the index lookup is the test. */
const PREDICATES: Record<SpatialRelation, string | undefined> = {
  intersects: spatialPredicateSql('intersects', '?', SHAPE),
  contains: spatialPredicateSql('contains', '?', SHAPE),
  within: spatialPredicateSql('within', '?', SHAPE),
  crosses: spatialPredicateSql('crosses', '?', SHAPE),
  overlaps: spatialPredicateSql('overlaps', '?', SHAPE),
  touches: spatialPredicateSql('touches', '?', SHAPE),
  'envelope-intersects': `MbrIntersects(${SHAPE}, ?)`,
  'index-intersects': undefined,
};

function resolveGeometry(dataset: FeatureDataset, spatial: SpatialFilter, layerSrid: number): ResolvedGeometry {
  const source = spatial.bufferMeters
    ? bufferedGeometrySql(dataset, spatial)
    : { sql: `GeomFromWKB(?, ${sridSql(spatial.srid)})`, params: [toSqlValue(spatial.wkb)] };
  const geometry = spatial.srid === layerSrid ? source.sql : `ST_Transform(${source.sql}, ${sridSql(layerSrid)})`;
  const row = dataset
    .prepareRaw(`SELECT g, MbrMinX(g), MbrMinY(g), MbrMaxX(g), MbrMaxY(g) FROM (SELECT ${geometry} AS g)`)
    .get(...source.params) as [Buffer | null, number, number, number, number];
  if (!row[0]) throw new FeatureStoreError('The filter geometry could not be used in the layer spatial reference');
  return { blob: row[0], xmin: row[1], ymin: row[2], xmax: row[3], ymax: row[4] };
}

export function buildOrderBy(terms: OrderTerm[] | undefined, fallback: string): string {
  if (!terms || terms.length === 0) return `ORDER BY ${quoteIdentifier(fallback)}`;
  return `ORDER BY ${terms.map((t) => `${quoteIdentifier(t.column)}${t.descending ? ' DESC' : ''}`).join(', ')}`;
}

/** `LIMIT ? OFFSET ?` always, so one statement serves every page. */
export function limitParams(limit: number | undefined, offset: number | undefined): [number, number] {
  return [limit ?? -1, offset ?? 0];
}
