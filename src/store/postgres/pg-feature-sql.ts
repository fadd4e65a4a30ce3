import {
  FeatureStoreError,
  GEOMETRY_COLUMN,
  type ColumnSchema,
  type FeatureFilter,
  type LayerSchema,
  type OrderTerm,
  type SpatialFilter,
  type SpatialRelation,
} from '../feature-store.js';

/** SQL and its bound values; `sql` is empty when there is no condition. */
export interface SqlPart {
  sql: string;
  params: unknown[];
}

export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export const SHAPE = quoteIdentifier(GEOMETRY_COLUMN);

/** PostgreSQL truncates identifiers past 63 bytes; a table name must survive whole. */
const MAX_IDENTIFIER = 63;

/** `fd_<dataset>_<layer>`: one table per layer, all of an installation's in its schema. */
export function tableOf(dataset: string, layerId: number): string {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(dataset)) throw new FeatureStoreError(`Invalid dataset name ${dataset}`);
  const name = `fd_${dataset}_${layerId}`;
  if (Buffer.byteLength(name) > MAX_IDENTIFIER) throw new FeatureStoreError(`Dataset name ${dataset} is too long`);
  return name;
}

/** Matches the tables of one dataset's layers (dataset names hold no regex metacharacters). */
export function tablePatternOf(dataset: string): string {
  tableOf(dataset, 0);
  return `^fd_${dataset}_[0-9]+$`;
}

/** An SRID as a SQL literal (validated integer), so index-friendly expressions stay constant. */
export function sridSql(srid: number): string {
  if (!Number.isInteger(srid) || srid < 0) throw new FeatureStoreError(`Invalid spatial reference ${srid}`);
  return String(srid);
}

/** node-postgres sends values as text; booleans go to integer columns as 1/0, as in SQLite. */
export function toPgValue(value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number' && !Number.isFinite(value)) return null;
  if (value instanceof Uint8Array && !Buffer.isBuffer(value)) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  return value;
}

/** Bound values collected while SQL is built, numbered `$1…` in the order they are added. */
export class SqlParams {
  readonly values: unknown[] = [];

  add(value: unknown): string {
    this.values.push(toPgValue(value));
    return `$${this.values.length}`;
  }

  /**
   * A condition compiled for the PostgreSQL dialect (`$1…`), renumbered after the values bound
   * so far. Quoted names and string literals are skipped, so only placeholders are rewritten.
   */
  embed(part: { sql: string; params: unknown[] }): string {
    const base = this.values.length;
    for (const value of part.params) this.values.push(toPgValue(value));
    return part.sql.replace(/"(?:[^"]|"")*"|'(?:[^']|'')*'|\$(\d+)/g, (match, n: string | undefined) =>
      n === undefined ? match : `$${base + Number(n)}`,
    );
  }
}

const COLUMN_TYPES: Record<ColumnSchema['type'], string> = { integer: 'BIGINT', real: 'DOUBLE PRECISION', text: 'TEXT', blob: 'BYTEA' };
const TEMPORAL_TYPES: Record<NonNullable<ColumnSchema['temporal']>, string> = {
  date: 'TIMESTAMPTZ',
  dateOnly: 'DATE',
  timeOnly: 'TIME',
  timestampOffset: 'TIMESTAMPTZ',
};

/** The column type: native date/time types for temporal fields, as the where dialect expects. */
export function columnType(column: ColumnSchema): string {
  return column.temporal ? TEMPORAL_TYPES[column.temporal] : COLUMN_TYPES[column.type];
}

/**
 * A column read back as the embedded store holds it: dates as epoch ms, date-only and time-only
 * as ISO text, offsets as ISO text in UTC. Plain columns read as they are.
 */
export function readColumn(column: ColumnSchema | undefined, quoted: string): string {
  switch (column?.temporal) {
    case 'date':
      return `round(EXTRACT(EPOCH FROM ${quoted}) * 1000)::bigint`;
    case 'dateOnly':
      return `to_char(${quoted}, 'YYYY-MM-DD')`;
    case 'timeOnly':
      return `to_char(${quoted}, 'HH24:MI:SS')`;
    case 'timestampOffset':
      return `to_char(${quoted} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
    default:
      return quoted;
  }
}

/** A value written to a column, converted from the embedded store's form. */
export function writeColumn(column: ColumnSchema, placeholder: string): string {
  switch (column.temporal) {
    case 'date':
      return `to_timestamp(${placeholder}::double precision / 1000)`;
    case 'dateOnly':
      return `${placeholder}::date`;
    case 'timeOnly':
      return `${placeholder}::time`;
    case 'timestampOffset':
      return `${placeholder}::timestamptz`;
    default:
      return placeholder;
  }
}

/** Column name → schema, for reading columns by name (the object id is a plain integer). */
export function columnsOf(schema: LayerSchema): Map<string, ColumnSchema> {
  return new Map(schema.columns.map((c) => [c.name, c]));
}

/**
 * The WHERE clause (with the keyword) for a filter. The spatial filter geometry is built and
 * transformed inline: its expression is constant, so the planner evaluates it once and the
 * GiST index narrows the rows before the exact GEOS predicate runs.
 */
export function buildWhere(schema: LayerSchema, filter: FeatureFilter, params: SqlParams): string {
  const conditions: string[] = [];
  if (filter.where && filter.where.sql.trim() !== '') conditions.push(`(${params.embed(filter.where)})`);
  if (filter.objectIds) conditions.push(`${quoteIdentifier(schema.objectIdColumn)} = ANY(${params.add(filter.objectIds)}::bigint[])`);
  if (filter.spatial) conditions.push(spatialCondition(schema, filter.spatial, params));
  return conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
}

function spatialCondition(schema: LayerSchema, spatial: SpatialFilter, params: SqlParams): string {
  if (!schema.geometry) throw new FeatureStoreError('A spatial filter needs a layer with geometry');
  const q = filterGeometry(spatial, schema.geometry.srid, params);
  return PREDICATES[spatial.relation](q);
}

/** The exact test per relation, with the filter geometry `q`; `&&` alone is the index test. */
const PREDICATES: Record<SpatialRelation, (q: string) => string> = {
  intersects: (q) => `ST_Intersects(${SHAPE}, ${q})`,
  contains: (q) => `ST_Contains(${q}, ${SHAPE})`,
  within: (q) => `ST_Contains(${SHAPE}, ${q})`,
  crosses: (q) => `ST_Crosses(${SHAPE}, ${q})`,
  overlaps: (q) => `ST_Overlaps(${SHAPE}, ${q})`,
  touches: (q) => `ST_Touches(${SHAPE}, ${q})`,
  'envelope-intersects': (q) => `${SHAPE} && ${q}`,
  'index-intersects': (q) => `${SHAPE} && ${q}`,
};

/**
 * The filter geometry in the layer SRID. A `distance` buffers it on the spheroid (geography),
 * metres whatever its own units, then it comes back to its SRID.
 */
function filterGeometry(spatial: SpatialFilter, layerSrid: number, params: SqlParams): string {
  let geometry = `ST_GeomFromWKB(${params.add(spatial.wkb)}, ${sridSql(spatial.srid)})`;
  if (spatial.bufferMeters) {
    const geographic = spatial.srid === 4326 ? geometry : `ST_Transform(${geometry}, 4326)`;
    const buffered = `ST_Buffer(${geographic}::geography, ${params.add(spatial.bufferMeters)}::double precision)::geometry`;
    geometry = spatial.srid === 4326 ? buffered : `ST_Transform(${buffered}, ${sridSql(spatial.srid)})`;
  }
  return spatial.srid === layerSrid ? geometry : `ST_Transform(${geometry}, ${sridSql(layerSrid)})`;
}

/**
 * ORDER BY with NULLs placed as SQLite places them (smallest: first ascending, last descending),
 * so both stores page alike. The object id (never NULL) keeps the plain form its index serves.
 */
export function buildOrderBy(terms: OrderTerm[] | undefined, objectIdColumn: string): string {
  if (!terms || terms.length === 0) return `ORDER BY ${quoteIdentifier(objectIdColumn)}`;
  const term = (t: OrderTerm) => {
    const direction = t.descending ? ' DESC' : '';
    return t.column === objectIdColumn ? `${quoteIdentifier(t.column)}${direction}` : `${quoteIdentifier(t.column)}${direction} NULLS ${t.descending ? 'LAST' : 'FIRST'}`;
  };
  return `ORDER BY ${terms.map(term).join(', ')}`;
}

/** `LIMIT $n OFFSET $m`; a NULL limit is no limit. */
export function buildLimit(limit: number | undefined, offset: number | undefined, params: SqlParams): string {
  return `LIMIT ${params.add(limit ?? null)}::bigint OFFSET ${params.add(offset ?? 0)}::bigint`;
}

/**
 * SQLSTATEs a request can cause (bad values, unknown SRIDs, geometries GEOS refuses), which
 * become FeatureStoreError (a client error) instead of a server error.
 */
export function asClientError(error: unknown): unknown {
  const code = (error as { code?: string }).code ?? '';
  const message = (error as Error).message ?? '';
  if (code.startsWith('22') || (code === 'XX000' && /spatial_ref_sys|transform|geometry|GEOS|srid/i.test(message))) {
    return new FeatureStoreError(message);
  }
  return error;
}
