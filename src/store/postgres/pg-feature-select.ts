import type { FeatureJsonShape, FeatureQuery, LayerSchema } from '../feature-store.js';
import { pointColumns } from './pg-feature-json.js';
import { SHAPE, SqlParams, buildLimit, buildOrderBy, buildWhere, columnsOf, quoteIdentifier, readColumn, sridSql } from './pg-feature-sql.js';

export interface FeatureSelect {
  sql: string;
  params: unknown[];
  /** How the geometry ends each row: none, one WKB value, or x and y numbers. */
  geometry: 'none' | 'wkb' | 'xy';
  /** How many columns a row has. */
  columns: number;
}

/**
 * The SELECT of a feature query: the requested columns (temporal ones read as the embedded store
 * holds them), then the geometry (WKB, or x/y numbers for untransformed 2-D points), filtered,
 * ordered (object id by default, for stable paging) and paged.
 */
export function buildFeatureSelect(table: string, schema: LayerSchema, query: FeatureQuery): FeatureSelect {
  const columns = columnsOf(schema);
  const params = new SqlParams();
  const selected = query.columns.map((c) => `${readColumn(columns.get(c), quoteIdentifier(c))} AS ${quoteIdentifier(c)}`);
  let geometry: FeatureSelect['geometry'] = 'none';
  if (query.geometry && schema.geometry) {
    const shape = shapeExpression(schema, query.geometry, params);
    const { kind, hasZ, hasM } = schema.geometry;
    geometry = query.geometry.pointsAsXY === true && kind === 'point' && !hasZ && !hasM && shape === SHAPE ? 'xy' : 'wkb';
    selected.push(...(geometry === 'xy' ? [`ST_X(${shape})`, `ST_Y(${shape})`] : [`ST_AsBinary(${shape})`]));
  }
  return { sql: pagedSelect(table, schema, query, selected, params, query.limit), params: params.values, geometry, columns: selected.length };
}

/**
 * The same selection for a page rendered as JSON (see renderFeatureJson): the attribute columns,
 * then, with geometry, its two columns (see pointColumns). Only for attribute columns JSON can hold (no BLOBs) and 2-D points or no geometry;
 * undefined otherwise.
 */
export function buildFeatureJsonSelect(table: string, schema: LayerSchema, query: FeatureQuery, shape: FeatureJsonShape) {
  const columns = columnsOf(schema);
  if (query.distinct || query.columns.some((c) => columns.get(c)?.type === 'blob') || shape.attributeKeys.length !== query.columns.length) return undefined;
  const layerGeometry = schema.geometry;
  const withGeometry = query.geometry !== undefined && layerGeometry !== undefined;
  if (withGeometry && (layerGeometry.kind !== 'point' || layerGeometry.hasZ || layerGeometry.hasM || query.geometry!.simplifyTolerance)) return undefined;

  const params = new SqlParams();
  const selected = query.columns.map((c, i) => `${readColumn(columns.get(c), quoteIdentifier(c))} AS c${i}`);
  const columnCount = selected.length + (withGeometry ? 2 : 0);
  const of = (sql: string) => ({ sql, params: params.values, withGeometry, columns: columnCount });
  if (!withGeometry) return of(pagedSelect(table, schema, query, selected, params, query.limit));
  const shapeSql = shapeExpression(schema, query.geometry!, params);
  // A transformed shape is computed once, in a subquery, and read there.
  if (shapeSql === SHAPE) return of(pagedSelect(table, schema, query, [...selected, ...pointColumns(SHAPE, shape.precision)], params, query.limit));
  const inner = pagedSelect(table, schema, query, [...selected, `${shapeSql} AS g`], params, query.limit);
  const outer = [...query.columns.map((_, i) => `s.c${i}`), ...pointColumns('s.g', shape.precision)];
  return of(`SELECT ${outer.join(', ')} FROM (${inner}) AS s`);
}

function pagedSelect(table: string, schema: LayerSchema, query: FeatureQuery, selected: string[], params: SqlParams, limit: number | undefined): string {
  const where = buildWhere(schema, query, params);
  const distinct = query.distinct ? 'DISTINCT ' : '';
  const order = query.distinct && !query.orderBy?.length ? '' : buildOrderBy(query.orderBy, schema.objectIdColumn);
  return `SELECT ${distinct}${selected.join(', ')} FROM ${quoteIdentifier(table)} ${where} ${order} ${buildLimit(limit, query.offset, params)}`;
}

/** The layer's geometry in the requested SR, simplified when asked. */
function shapeExpression(schema: LayerSchema, geometry: NonNullable<FeatureQuery['geometry']>, params: SqlParams): string {
  let shape = SHAPE;
  const srid = geometry.srid ?? schema.geometry!.srid;
  if (srid !== schema.geometry!.srid) shape = `ST_Transform(${shape}, ${sridSql(srid)})`;
  if (geometry.simplifyTolerance) shape = `ST_SimplifyPreserveTopology(${shape}, ${params.add(geometry.simplifyTolerance)}::double precision)`;
  return shape;
}
