import type { FeatureJsonShape, FeatureQuery, LayerSchema } from '../feature-store.js';
import type { FeatureDataset } from './feature-dataset.js';
import { SHAPE, buildOrderBy, buildWhere, limitParams, quoteIdentifier, sridSql, tableOf, type SqlPart } from './feature-sql.js';

export interface FeatureSelect extends SqlPart {
  /** How the geometry ends each row: none, one WKB value, or x and y numbers. */
  geometry: 'none' | 'wkb' | 'xy';
}

/**
 * The SELECT of a feature query: the requested columns, then the geometry (WKB, or x/y numbers for
 * untransformed 2-D points), filtered, ordered (object id by default, for stable paging) and paged.
 */
export function buildFeatureSelect(handle: FeatureDataset, schema: LayerSchema, query: FeatureQuery): FeatureSelect {
  const selected = query.columns.map(quoteIdentifier);
  const params: unknown[] = [];
  let geometry: FeatureSelect['geometry'] = 'none';
  if (query.geometry && schema.geometry) {
    const shape = shapeExpression(schema, query.geometry, params);
    const { kind, hasZ, hasM } = schema.geometry;
    // Only untransformed: ST_X(expr), ST_Y(expr) would evaluate a transform twice per row.
    geometry = query.geometry.pointsAsXY === true && kind === 'point' && !hasZ && !hasM && shape === SHAPE ? 'xy' : 'wkb';
    selected.push(...(geometry === 'xy' ? [`ST_X(${shape})`, `ST_Y(${shape})`] : [`AsBinary(${shape})`]));
  }
  const paged = pagedSelect(handle, schema, query, selected);
  return { sql: paged.sql, params: [...params, ...paged.params], geometry };
}

/**
 * The same selection as one row `[count, objects joined by commas]`, each row rendered by SQLite
 * as a JSON object (see FeatureJsonShape) and the page returned as a BLOB of UTF-8: built in C,
 * with no row arrays, numbers to format, strings to join or text to re-encode in JavaScript. Only for attribute columns JSON can hold (no BLOBs)
 * and 2-D points or no geometry; undefined otherwise. The ordered, paged select is a subquery,
 * which SQLite runs as a co-routine: the rows reach group_concat in its order, and a transformed
 * point is computed once for x and y.
 */
export function buildFeatureJsonSelect(handle: FeatureDataset, schema: LayerSchema, query: FeatureQuery, shape: FeatureJsonShape): SqlPart | undefined {
  const blobs = new Set(schema.columns.filter((c) => c.type === 'blob').map((c) => c.name));
  if (query.distinct || query.columns.some((c) => blobs.has(c)) || shape.attributeKeys.length !== query.columns.length) return undefined;
  const layerGeometry = schema.geometry;
  const withGeometry = query.geometry !== undefined && layerGeometry !== undefined;
  if (withGeometry && (layerGeometry.kind !== 'point' || layerGeometry.hasZ || layerGeometry.hasM || query.geometry!.simplifyTolerance)) return undefined;

  const selected = query.columns.map((c, i) => `${quoteIdentifier(c)} AS c${i}`);
  const params: unknown[] = [];
  if (withGeometry) selected.push(`${shapeExpression(schema, query.geometry!, params)} AS g`);
  const inner = pagedSelect(handle, schema, query, selected);

  const attributes = `json_object(${shape.attributeKeys.map((key, i) => `${jsonKey(key)}, c${i}`).join(', ')})`;
  const members = [`${jsonKey(shape.attributesKey)}, ${attributes}`];
  if (withGeometry) {
    const point = `json_object('x', ${coordinate('ST_X(g)', shape.precision)}, 'y', ${coordinate('ST_Y(g)', shape.precision)})`;
    members.push(`${jsonKey(shape.geometryKey)}, CASE WHEN g IS NULL THEN NULL ELSE ${point} END`);
  }
  return {
    sql: `SELECT count(*), CAST(group_concat(j, ',') AS BLOB) FROM (SELECT json_object(${members.join(', ')}) AS j FROM (${inner.sql}))`,
    params: [...params, ...inner.params],
  };
}

function pagedSelect(handle: FeatureDataset, schema: LayerSchema, query: FeatureQuery, selected: string[]): SqlPart {
  const where = buildWhere(handle, schema, query);
  const distinct = query.distinct ? 'DISTINCT ' : '';
  const order = query.distinct && !query.orderBy?.length ? '' : buildOrderBy(query.orderBy, schema.objectIdColumn);
  return {
    sql: `SELECT ${distinct}${selected.join(', ')} FROM ${quoteIdentifier(tableOf(schema.id))} ${where.sql} ${order} LIMIT ? OFFSET ?`,
    params: [...where.params, ...limitParams(query.limit, query.offset)],
  };
}

/** The layer's geometry in the requested SR, simplified when asked (tolerance bound into `params`). */
function shapeExpression(schema: LayerSchema, geometry: NonNullable<FeatureQuery['geometry']>, params: unknown[]): string {
  let shape = SHAPE;
  const srid = geometry.srid ?? schema.geometry!.srid;
  if (srid !== schema.geometry!.srid) shape = `ST_Transform(${shape}, ${sridSql(srid)})`;
  if (geometry.simplifyTolerance) {
    shape = `SimplifyPreserveTopology(${shape}, ?)`;
    params.push(geometry.simplifyTolerance);
  }
  return shape;
}

/** A JSON member name as a SQL string literal (names come from the layer definition, quotes doubled). */
function jsonKey(key: string): string {
  return `'${key.replace(/'/g, "''")}'`;
}

/** A coordinate, rounded to `precision` decimals when asked (geometryPrecision). */
function coordinate(expression: string, precision: number | undefined): string {
  return precision === undefined ? expression : `round(${expression}, ${Math.max(0, Math.trunc(precision))})`;
}
