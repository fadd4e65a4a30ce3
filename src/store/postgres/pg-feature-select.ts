import type { FeatureJsonShape, FeatureQuery, LayerSchema } from '../feature-store.js';

/** PostgreSQL's longest identifier (NAMEDATALEN - 1): longer column aliases are cut. */
const MAX_IDENTIFIER_BYTES = 63;
import { SHAPE, SqlParams, buildLimit, buildOrderBy, buildWhere, columnsOf, quoteIdentifier, readColumn, sridSql } from './pg-feature-sql.js';

export interface FeatureSelect {
  sql: string;
  params: unknown[];
  /** How the geometry ends each row: none, one WKB value, or x and y numbers. */
  geometry: 'none' | 'wkb' | 'xy';
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
  return { sql: pagedSelect(table, schema, query, selected, params, query.limit), params: params.values, geometry };
}

/**
 * The same selection as one row `[count, objects joined by commas]`, each row rendered by
 * PostgreSQL as a compact JSON object (see FeatureJsonShape): no row arrays to build in
 * JavaScript. The caller reads one row past the page to tell whether more match, and drops its
 * object (withoutLastObject). Attributes are one `row_to_json` of the columns renamed to their
 * keys (the same text as `to_json` of each value, for a fraction of the calls); keys longer than
 * an identifier may be (63 bytes) are written one by one instead. Only for attribute columns JSON
 * can hold (no BLOBs) and 2-D points or no geometry; undefined otherwise.
 */
export function buildFeatureJsonSelect(table: string, schema: LayerSchema, query: FeatureQuery, shape: FeatureJsonShape) {
  const columns = columnsOf(schema);
  if (query.distinct || query.columns.some((c) => columns.get(c)?.type === 'blob') || shape.attributeKeys.length !== query.columns.length) return undefined;
  const layerGeometry = schema.geometry;
  const withGeometry = query.geometry !== undefined && layerGeometry !== undefined;
  if (withGeometry && (layerGeometry.kind !== 'point' || layerGeometry.hasZ || layerGeometry.hasM || query.geometry!.simplifyTolerance)) return undefined;

  const params = new SqlParams();
  const selected = query.columns.map((c, i) => `${readColumn(columns.get(c), quoteIdentifier(c))} AS c${i}`);
  if (withGeometry) selected.push(`${shapeExpression(schema, query.geometry!, params)} AS g`);
  const inner = pagedSelect(table, schema, query, selected, params, query.limit);

  const asRow = shape.attributeKeys.every((key) => Buffer.byteLength(key) <= MAX_IDENTIFIER_BYTES);
  const attributes = asRow
    ? 'row_to_json(a)::text'
    : `'{' || ${shape.attributeKeys.map((key, i) => `${text(`${i === 0 ? '' : ','}${JSON.stringify(key)}:`)} || ${json(`c${i}`)}`).join(' || ') || "''"} || '}'`;
  let object = `${text(`{${JSON.stringify(shape.attributesKey)}:`)} || ${attributes}`;
  if (withGeometry) {
    const x = json(coordinate('ST_X(g)', shape.precision));
    const y = json(coordinate('ST_Y(g)', shape.precision));
    object += ` || ${text(`,${JSON.stringify(shape.geometryKey)}:`)} || CASE WHEN g IS NULL THEN 'null' ELSE '{"x":' || ${x} || ',"y":' || ${y} || '}' END`;
  }
  object += ` || '}'`;
  const renamed = asRow ? `, LATERAL (SELECT ${shape.attributeKeys.map((key, i) => `s.c${i} AS ${quoteIdentifier(key)}`).join(', ')}) AS a` : '';
  return { sql: `SELECT count(*)::integer, string_agg(${object}, ',') FROM (${inner}) AS s${renamed}`, params: params.values };
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

/** A value as JSON text (`null` for NULL). */
function json(expression: string): string {
  return `coalesce(to_json(${expression})::text, 'null')`;
}

/** Our own JSON text (member names from the layer definition) as a SQL string literal. */
function text(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** A coordinate, rounded to `precision` decimals when asked (geometryPrecision). */
function coordinate(expression: string, precision: number | undefined): string {
  return precision === undefined ? expression : `round((${expression})::numeric, ${Math.max(0, Math.trunc(precision))})`;
}
