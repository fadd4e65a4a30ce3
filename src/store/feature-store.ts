/**
 * Feature data of hosted feature services: one dataset per service, one table per layer, rows of
 * plain values and WKB geometries. No HTTP and no ArcGIS JSON here: the features capability maps
 * fields, where clauses and geometries onto these shapes, so a PostGIS store can follow.
 *
 * @example
 * await store.createDataset('a1b2');
 * await store.createLayer('a1b2', { id: 0, objectIdColumn: 'OBJECTID', columns: [{ name: 'NAME', type: 'text' }],
 *   geometry: { kind: 'point', srid: 4326, hasZ: false, hasM: false } });
 * const { rows } = await store.queryFeatures('a1b2', schema, { columns: ['OBJECTID', 'NAME'], limit: 10 });
 */
export interface FeatureStore {
  /** The SQL dialect where clauses must be compiled for. */
  readonly dialect: 'sqlite' | 'postgres';

  createDataset(dataset: string): Promise<void>;
  /** Removes the dataset and all its layers; a missing dataset is not an error. */
  dropDataset(dataset: string): Promise<void>;
  createLayer(dataset: string, schema: LayerSchema): Promise<void>;
  dropLayer(dataset: string, layerId: number): Promise<void>;
  addColumns(dataset: string, layerId: number, columns: ColumnSchema[]): Promise<void>;
  dropColumns(dataset: string, layerId: number, columns: string[]): Promise<void>;
  /** Whether the SRID is known to the engine (for inSR/outSR). */
  supportsSrid(srid: number, signal?: AbortSignal): Promise<boolean>;

  /** Extent (layer SRID) without scanning rows; null when the layer holds no geometry. */
  describeLayer(dataset: string, schema: LayerSchema, signal?: AbortSignal): Promise<LayerDescription>;
  queryFeatures(dataset: string, schema: LayerSchema, query: FeatureQuery, signal?: AbortSignal): Promise<FeatureRows>;
  /**
   * A page of the rows `queryFeatures` would return (`query.limit` of them at most), rendered by
   * the database as JSON objects (see FeatureJsonShape) joined by commas: the text between the
   * brackets of a JSON array. Undefined when this store cannot render these rows, and the caller
   * encodes `queryFeatures` rows itself. Optional: spares a large page its row objects.
   */
  queryFeatureJson?(dataset: string, schema: LayerSchema, query: FeatureQuery, shape: FeatureJsonShape, signal?: AbortSignal): Promise<FeatureJsonPage | undefined>;
  /**
   * A token that changes whenever the dataset's rows may have changed, by any writer (another
   * process included): what caches of query answers are keyed on, beside the layer definition's
   * revision (which covers schema changes). Optional.
   */
  dataVersion?(dataset: string, signal?: AbortSignal): Promise<string>;
  countFeatures(dataset: string, schema: LayerSchema, filter: FeatureFilter, distinctColumns?: string[], signal?: AbortSignal): Promise<number>;
  queryIds(dataset: string, schema: LayerSchema, filter: FeatureFilter, orderBy?: OrderTerm[], signal?: AbortSignal): Promise<number[]>;
  /** Extent of the matching geometries, in `srid` (default the layer's). */
  queryExtent(dataset: string, schema: LayerSchema, filter: FeatureFilter, srid?: number, signal?: AbortSignal): Promise<Extent | null>;
  queryStatistics(dataset: string, schema: LayerSchema, query: StatisticsQuery, signal?: AbortSignal): Promise<FeatureRows>;

  /**
   * Applies adds, then updates, then deletes of several layers of one dataset in one transaction.
   * With `rollbackOnFailure` the first failure rolls everything back (`committed: false`);
   * otherwise failures are reported per item and the rest is committed.
   */
  applyEdits(dataset: string, edits: LayerEdits[], options: EditOptions): Promise<EditOutcome>;
  /** Starts ahead what the first heavy read would start (reader threads); absent where there is nothing to start. */
  warm?(): void;
  close(): Promise<void>;
}

/** Storage class of an attribute column. */
export type ColumnType = 'integer' | 'real' | 'text' | 'blob';

export interface ColumnSchema {
  name: string;
  type: ColumnType;
  /**
   * What a temporal column holds. Values cross the interface as the embedded store keeps them
   * (epoch ms for `date`, ISO text for the others); a store may keep them in native types
   * (PostgreSQL: timestamptz, date, time) as the where compiler's dialect expects.
   */
  temporal?: TemporalKind;
}

export type TemporalKind = 'date' | 'dateOnly' | 'timeOnly' | 'timestampOffset';

export type GeometryKind = 'point' | 'multipoint' | 'polyline' | 'polygon';

export interface LayerGeometrySchema {
  kind: GeometryKind;
  srid: number;
  hasZ: boolean;
  hasM: boolean;
}

/** Name of the geometry column; no attribute column may use it (case-insensitively). */
export const GEOMETRY_COLUMN = 'SHAPE';

export interface LayerSchema {
  /** Unique within the dataset; layers and tables share the id space. */
  id: number;
  /** Integer key assigned by the store, never reused. */
  objectIdColumn: string;
  /** Text column holding a unique id the caller supplies (GlobalID), when the layer has one. */
  globalIdColumn?: string;
  /** Attribute columns other than the object id, the global id included. */
  columns: ColumnSchema[];
  /** Absent for tables. */
  geometry?: LayerGeometrySchema;
  /** Attribute indexes (the object id, global id and geometry are always indexed). */
  indexes?: IndexSchema[];
}

export interface IndexSchema {
  name: string;
  columns: string[];
  unique: boolean;
}

export interface LayerDescription {
  extent: Extent | null;
}

export interface Extent {
  xmin: number;
  ymin: number;
  xmax: number;
  ymax: number;
}

/**
 * `intersects` … `within` are the OGC predicates with the *filter* geometry as subject where the
 * wording needs it: `contains` = the filter contains the feature, `within` = the filter lies
 * within the feature. `envelope-intersects` compares bounding boxes; `index-intersects` only asks
 * the spatial index (may over-select).
 */
export type SpatialRelation =
  | 'intersects'
  | 'contains'
  | 'crosses'
  | 'envelope-intersects'
  | 'index-intersects'
  | 'overlaps'
  | 'touches'
  | 'within';

export interface SpatialFilter {
  /** The filter geometry as WKB in `srid`; the store transforms it to the layer's. */
  wkb: Uint8Array;
  srid: number;
  relation: SpatialRelation;
  /** Buffer the filter geometry by this many metres first (query `distance`). */
  bufferMeters?: number;
}

/** Conditions combined with AND; an empty filter matches every row. */
export interface FeatureFilter {
  /** A where clause compiled for this store's dialect: column names quoted, values bound (`?`). */
  where?: { sql: string; params: unknown[] };
  objectIds?: number[];
  spatial?: SpatialFilter;
}

export interface OrderTerm {
  /** A column, or a statistic's alias in statistics queries. */
  column: string;
  descending: boolean;
}

export interface FeatureQuery extends FeatureFilter {
  /** Attribute columns in output order. */
  columns: string[];
  /**
   * Return the geometry in `srid` (default the layer's) at the end of each row: as WKB, or, with
   * `pointsAsXY` on a 2-D point layer, as two numbers x, y (null, null for no point), which
   * spares a buffer per row on the hot path of point queries.
   */
  geometry?: { srid?: number; simplifyTolerance?: number; pointsAsXY?: boolean };
  /** Default: object id ascending (stable paging). */
  orderBy?: OrderTerm[];
  offset?: number;
  limit?: number;
  distinct?: boolean;
}

/**
 * How `queryFeatureJson` renders a row: `{"<attributesKey>": {"<attributeKeys[i]>": <columns[i]>, …},
 * "<geometryKey>": {"x": …, "y": …} | null}` — the geometry member only when the query asks for
 * geometry, coordinates rounded to `precision` decimals when given.
 */
export interface FeatureJsonShape {
  attributesKey: string;
  /** One JSON member name per query column, in order. */
  attributeKeys: string[];
  geometryKey: string;
  precision?: number;
}

export interface FeatureJsonPage {
  /** The rows' objects joined by commas, as UTF-8 bytes (empty for no rows): ready to send. */
  json: Buffer;
  count: number;
  /** More rows match beyond the page. */
  more: boolean;
}

/** Rows as arrays: the requested columns in order, then the geometry when asked. */
export interface FeatureRows {
  rows: unknown[][];
  /** How the geometry was returned: one WKB value, or x and y numbers. */
  geometryFormat?: 'wkb' | 'xy';
}

export type StatisticType = 'count' | 'sum' | 'min' | 'max' | 'avg' | 'stddev' | 'var';

export interface StatisticsQuery extends FeatureFilter {
  /** `column: null` with `count` counts rows. */
  statistics: Array<{ type: StatisticType; column: string | null; alias: string }>;
  groupBy: string[];
  /** A compiled havingClause: a condition on the groups' aggregates (`?` placeholders). */
  having?: { sql: string; params: unknown[] };
  /** Output rows: the group-by columns, then the statistics in order. */
  orderBy?: OrderTerm[];
  offset?: number;
  limit?: number;
}

/** A geometry to write, as WKB in `srid`; the store transforms it to the layer's. */
export interface GeometryValue {
  wkb: Uint8Array;
  srid: number;
}

export interface FeatureWrite {
  /** Column → value; absent columns are left alone (updates) or NULL (adds). */
  values: Record<string, unknown>;
  /** null clears the geometry; undefined leaves it alone. */
  geometry?: GeometryValue | null;
}

export interface FeatureUpdate extends FeatureWrite {
  /** Object id, or global id text when `useGlobalIds`. */
  key: number | string;
}

export interface LayerEdits {
  layer: LayerSchema;
  adds?: FeatureWrite[];
  updates?: FeatureUpdate[];
  /** Object ids, or global ids when `useGlobalIds`. */
  deletes?: Array<number | string>;
  /**
   * Restricts `deletes` to rows also matching this filter (keys it excludes are reported
   * `skipped`); without `deletes`, every matching row is deleted.
   */
  deleteFilter?: FeatureFilter;
}

export interface EditOptions {
  rollbackOnFailure: boolean;
  /** Keys of updates and deletes are global ids. */
  useGlobalIds: boolean;
}

export type EditFailureKind = 'not-found' | 'duplicate' | 'invalid-geometry' | 'invalid-value' | 'internal';

export interface EditResult {
  objectId?: number;
  globalId?: string;
  failure?: { kind: EditFailureKind; message: string };
  /** A delete key that exists but did not match `deleteFilter`: nothing happened. */
  skipped?: boolean;
}

export interface LayerEditResults {
  layerId: number;
  adds: EditResult[];
  updates: EditResult[];
  deletes: EditResult[];
}

export interface EditOutcome {
  committed: boolean;
  /** Commit time, epoch ms, one for the whole request. */
  editMoment: number;
  layers: LayerEditResults[];
}

/** A request the store cannot run as given (unknown SRID, unusable filter geometry). Client-safe message. */
export class FeatureStoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FeatureStoreError';
  }
}
