import type { GeometryType } from '../geometry/esri-geometry.js';
import { toSpatialReferenceJson, type SpatialReference } from '../geometry/spatial-reference.js';
import type { Extent, FeatureFilter, FeatureStore } from '../store/feature-store.js';
import { compileFilter, resolveSrid } from './filter-request.js';
import { ApiError } from '../errors.js';
import { quoteWhereColumn, type LayerModel } from './layer-model.js';
import { compileWhere, WhereClauseError } from '../where/index.js';
import { recordLimitsOf } from './record-limits.js';
import type { QueryRequest, StatisticRequest } from './query-request.js';
import type { FieldDefinition } from './service-definition.js';

/** The envelope JSON of a result; NaN bounds (as strings, as ArcGIS writes them) when empty. */
export interface ExtentJson {
  xmin: number | 'NaN';
  ymin: number | 'NaN';
  xmax: number | 'NaN';
  ymax: number | 'NaN';
  spatialReference?: SpatialReference;
}

/** Features of a query, still as store rows: attributes in `fields` order, then WKB if `withGeometry`. */
export interface FeatureSetResult {
  kind: 'features';
  objectIdFieldName: string;
  globalIdFieldName: string;
  geometryType?: GeometryType;
  spatialReference?: SpatialReference;
  /** EPSG code of the output coordinates. */
  srid?: number;
  hasZ: boolean;
  hasM: boolean;
  fields: FieldDefinition[];
  /** Row layout: `fields` values, then the object id when not among them, then the WKB. */
  rows: unknown[][];
  /**
   * Instead of `rows` (then empty), when the JSON encoding was asked for and the store could
   * render it: the features' `{"attributes":…,"geometry":…}` objects joined by commas (UTF-8).
   */
  featureJson?: Buffer;
  /** Position of the object id in a row (undefined for distinct values). */
  idIndex?: number;
  geometryIndex: number;
  /** WKB in one column, or (2-D points) x and y in two. */
  geometryFormat: 'wkb' | 'xy';
  withGeometry: boolean;
  exceededTransferLimit: boolean;
  geometryPrecision?: number;
}

export interface StatisticsResult {
  kind: 'statistics';
  fields: Array<Pick<FieldDefinition, 'name' | 'type' | 'alias'> & { length?: number }>;
  rows: unknown[][];
  exceededTransferLimit: boolean;
}

export type QueryResult =
  | FeatureSetResult
  | StatisticsResult
  | { kind: 'count'; count: number; extent?: ExtentJson }
  | { kind: 'extent'; extent: ExtentJson }
  | { kind: 'ids'; objectIdFieldName: string; objectIds: number[] };

export interface QueryContext {
  store: FeatureStore;
  dataset: string;
  model: LayerModel;
  /** The service's cap when the layer sets none. */
  maxRecordCount: number;
  /** For CURRENT_USER in where clauses. */
  username?: string;
  /** Output SR when no outSR is given (GeoJSON wants WGS84). */
  defaultOutSR?: SpatialReference;
  /** The answer will be Esri JSON: let the store render features as JSON text where it can. */
  featureJson?: boolean;
  /** The request's: aborted when the client goes away, passed to every store call. */
  signal?: AbortSignal;
}

/** Runs a validated query against the store and shapes the result (ArcGIS Query (Feature Service/Layer) answers). */
export async function runQuery(context: QueryContext, request: QueryRequest): Promise<QueryResult> {
  const { store, dataset, model, signal } = context;
  const filter = await compileFilter(store, model, request.filter, context.username, signal);
  if (request.statistics) return queryStatistics(context, request, filter, request.statistics);
  const outSR = request.outSR ?? context.defaultOutSR;
  const outSrid = outSR && model.srid !== undefined ? await resolveSrid(store, outSR, 'outSR', signal) : model.srid;
  const outSRJson = outSR ? toSpatialReferenceJson(outSR) : model.spatialReference;
  if (request.returnCountOnly) {
    const count = await store.countFeatures(dataset, model.schema, filter, request.returnDistinctValues ? request.outFields.map((f) => f.name) : undefined, signal);
    if (!request.returnExtentOnly) return { kind: 'count', count };
    return { kind: 'count', count, extent: toExtentJson(await store.queryExtent(dataset, model.schema, filter, outSrid, signal), outSRJson) };
  }
  if (request.returnExtentOnly) {
    return { kind: 'extent', extent: toExtentJson(await store.queryExtent(dataset, model.schema, filter, outSrid, signal), outSRJson) };
  }
  if (request.returnIdsOnly) {
    const objectIds = await store.queryIds(dataset, model.schema, filter, request.orderBy, signal);
    return { kind: 'ids', objectIdFieldName: model.definition.objectIdField, objectIds };
  }
  return queryFeatureSet(context, request, filter, outSrid, outSRJson);
}

async function queryFeatureSet(
  context: QueryContext,
  request: QueryRequest,
  filter: FeatureFilter,
  outSrid: number | undefined,
  outSR: SpatialReference | undefined,
): Promise<FeatureSetResult> {
  const { model } = context;
  const layer = model.definition;
  const withGeometry = request.returnGeometry && !request.returnDistinctValues && model.srid !== undefined;
  const cap = recordLimitsOf(layer, context.maxRecordCount).capFor(request.resultType, withGeometry);
  const limit = Math.min(request.resultRecordCount ?? cap, cap);
  const geometry = withGeometry
    ? { srid: outSrid, pointsAsXY: true, ...(request.maxAllowableOffset ? { simplifyTolerance: request.maxAllowableOffset } : {}) }
    : undefined;
  const outColumns = request.outFields.map((f) => f.name);
  // One row more than the page tells whether more rows match, without counting them all.
  const query = { ...filter, orderBy: request.orderBy, offset: request.resultOffset, limit: limit + 1, distinct: request.returnDistinctValues, ...(geometry ? { geometry } : {}) };
  const jsonPage = context.featureJson
    ? await context.store.queryFeatureJson?.(context.dataset, model.schema, { ...query, columns: outColumns, limit }, {
        attributesKey: 'attributes',
        attributeKeys: outColumns,
        geometryKey: 'geometry',
        ...(request.geometryPrecision !== undefined ? { precision: request.geometryPrecision } : {}),
      }, context.signal)
    : undefined;
  // GeoJSON and PBF name features by object id even when outFields leaves it out.
  const columns = [...outColumns];
  let idIndex = columns.indexOf(layer.objectIdField);
  if (idIndex < 0 && !request.returnDistinctValues) idIndex = columns.push(layer.objectIdField) - 1;
  const { rows, geometryFormat } = jsonPage ? { rows: [], geometryFormat: undefined } : await context.store.queryFeatures(context.dataset, model.schema, { ...query, columns }, context.signal);
  const exceeded = jsonPage ? jsonPage.more : rows.length > limit;
  if (exceeded && !jsonPage) rows.length = request.returnExceededLimitFeatures ? limit : 0;
  const result: FeatureSetResult = {
    kind: 'features',
    objectIdFieldName: layer.objectIdField,
    globalIdFieldName: layer.globalIdField,
    hasZ: layer.hasZ && request.returnZ,
    hasM: layer.hasM && request.returnM,
    fields: request.outFields,
    rows,
    geometryIndex: columns.length,
    geometryFormat: geometryFormat ?? 'wkb',
    withGeometry,
    exceededTransferLimit: exceeded,
  };
  if (jsonPage) result.featureJson = exceeded && !request.returnExceededLimitFeatures ? Buffer.alloc(0) : jsonPage.json;
  if (idIndex >= 0) result.idIndex = idIndex;
  if (layer.geometryType) result.geometryType = layer.geometryType;
  if (outSR && model.srid !== undefined) result.spatialReference = outSR;
  if (outSrid !== undefined) result.srid = outSrid;
  if (request.geometryPrecision !== undefined) result.geometryPrecision = request.geometryPrecision;
  return result;
}

async function queryStatistics(
  context: QueryContext,
  request: QueryRequest,
  filter: FeatureFilter,
  statistics: StatisticRequest[],
): Promise<StatisticsResult> {
  const cap = recordLimitsOf(context.model.definition, context.maxRecordCount).capFor(request.resultType, false);
  const limit = Math.min(request.resultRecordCount ?? cap, cap);
  const { rows } = await context.store.queryStatistics(context.dataset, context.model.schema, {
    ...filter,
    ...(request.havingClause ? { having: compileHaving(context, request.havingClause, request.groupBy) } : {}),
    statistics: statistics.map((s) => ({ type: s.type, column: s.field?.name ?? null, alias: s.alias })),
    groupBy: request.groupBy.map((f) => f.name),
    orderBy: request.orderBy,
    offset: request.resultOffset,
    limit: limit + 1,
  }, context.signal);
  const exceeded = rows.length > limit;
  if (exceeded) rows.length = limit;
  const fields: StatisticsResult['fields'] = [
    ...request.groupBy.map((f) => ({ name: f.name, type: f.type, alias: f.alias, ...(f.length ? { length: f.length } : {}) })),
    ...statistics.map((s) => ({ name: s.alias, type: statisticFieldType(s), alias: s.alias })),
  ];
  return { kind: 'statistics', fields, rows, exceededTransferLimit: exceeded };
}

/** The havingClause against the layer's fields: aggregates of any field, bare group-by fields. */
function compileHaving(context: QueryContext, having: string, groupBy: FieldDefinition[]): { sql: string; params: unknown[] } {
  try {
    const compiled = compileWhere(having, {
      fields: context.model.whereFields,
      dialect: context.store.dialect,
      quoteColumn: quoteWhereColumn,
      having: { groupFields: groupBy.map((f) => f.name) },
      ...(context.username ? { currentUser: context.username } : {}),
    });
    return { sql: compiled.sql, params: compiled.params };
  } catch (error) {
    if (error instanceof WhereClauseError) throw ApiError.unableToComplete("'havingClause' parameter is invalid", error.message);
    throw error;
  }
}

/** count → Integer, avg/stddev/var → Double, sum/min/max → the source field's type. */
function statisticFieldType(statistic: StatisticRequest): FieldDefinition['type'] {
  if (statistic.type === 'count') return 'esriFieldTypeInteger';
  if (statistic.type === 'avg' || statistic.type === 'stddev' || statistic.type === 'var' || !statistic.field) return 'esriFieldTypeDouble';
  return statistic.field.type === 'esriFieldTypeOID' ? 'esriFieldTypeInteger' : statistic.field.type;
}

export function toExtentJson(extent: Extent | null, sr: SpatialReference | undefined): ExtentJson {
  const json: ExtentJson = extent ?? { xmin: 'NaN', ymin: 'NaN', xmax: 'NaN', ymax: 'NaN' };
  return sr ? { ...json, spatialReference: sr } : json;
}
