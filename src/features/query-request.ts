import { parseSpatialReference, type SpatialReference } from '../geometry/spatial-reference.js';
import { ApiError } from '../errors.js';
import { Params } from '../params.js';
import type { OrderTerm, StatisticType } from '../store/feature-store.js';
import { FIELD_TYPE_INFO } from './field-types.js';
import { hasGeometry, readFilterRequest, type FilterRequest } from './filter-request.js';
import type { LayerModel } from './layer-model.js';
import { invalidField, invalidQueryParameter } from './query-errors.js';
import type { FieldDefinition } from './service-definition.js';
import { checkPassiveParams } from './checked-params.js';

export interface StatisticRequest {
  type: StatisticType;
  /** null: count(*). */
  field: FieldDefinition | null;
  alias: string;
}

/** A validated query request (ArcGIS Query (Feature Service/Layer) parameters); field names are resolved to the layer's fields. */
export interface QueryRequest {
  filter: FilterRequest;
  outFields: FieldDefinition[];
  returnGeometry: boolean;
  outSR?: SpatialReference;
  returnIdsOnly: boolean;
  returnCountOnly: boolean;
  returnExtentOnly: boolean;
  returnDistinctValues: boolean;
  orderBy: OrderTerm[];
  groupBy: FieldDefinition[];
  statistics?: StatisticRequest[];
  resultOffset?: number;
  resultRecordCount?: number;
  resultType: 'none' | 'standard' | 'tile';
  returnZ: boolean;
  returnM: boolean;
  geometryPrecision?: number;
  maxAllowableOffset?: number;
  returnExceededLimitFeatures: boolean;
  quantizationParameters?: unknown;
  /** A condition on the statistics' groups (only with outStatistics). */
  havingClause?: string;
}

const STATISTIC_TYPES: Record<string, StatisticType> = {
  count: 'count',
  sum: 'sum',
  min: 'min',
  max: 'max',
  avg: 'avg',
  stddev: 'stddev',
  var: 'var',
};
const NUMERIC_ONLY = new Set<StatisticType>(['sum', 'avg', 'stddev', 'var']);
const ALIAS = /^[\p{L}_][\p{L}\p{N}_]{0,127}$/u;

export function readQueryRequest(params: Params, model: LayerModel): QueryRequest {
  checkPassiveParams(params);
  const statistics = readStatistics(params, model);
  const request: QueryRequest = {
    filter: readFilterRequest(params, { deferLarge: true }),
    outFields: readOutFields(params.list('outFields'), model),
    returnGeometry: params.bool('returnGeometry', true) && model.srid !== undefined,
    returnIdsOnly: params.bool('returnIdsOnly', false),
    returnCountOnly: params.bool('returnCountOnly', false),
    returnExtentOnly: params.bool('returnExtentOnly', false),
    returnDistinctValues: params.bool('returnDistinctValues', false),
    orderBy: readOrderBy(params.list('orderByFields'), model, statistics),
    groupBy: (params.list('groupByFieldsForStatistics') ?? []).map((name) => resolveField(model, name)),
    resultType: readResultType(params.string('resultType')),
    returnZ: params.bool('returnZ', false),
    returnM: params.bool('returnM', false),
    returnExceededLimitFeatures: params.bool('returnExceededLimitFeatures', true),
  };
  if (statistics) request.statistics = statistics;
  const outSR = parseSpatialReference(params.jsonOrText('outSR'));
  if (outSR) request.outSR = outSR;
  const offset = params.int('resultOffset');
  if (offset !== undefined) request.resultOffset = Math.max(0, offset);
  const count = params.int('resultRecordCount');
  if (count !== undefined) request.resultRecordCount = Math.max(0, count);
  const precision = params.int('geometryPrecision');
  if (precision !== undefined && precision >= 0) request.geometryPrecision = Math.min(precision, 17);
  const offsetTolerance = params.number('maxAllowableOffset');
  if (offsetTolerance !== undefined && offsetTolerance > 0) request.maxAllowableOffset = offsetTolerance;
  const quantization = params.json('quantizationParameters');
  if (quantization !== undefined) request.quantizationParameters = quantization;
  const having = params.string('havingClause')?.trim();
  if (having) {
    if (!statistics) throw invalidQueryParameter("'havingClause' needs 'outStatistics'");
    request.havingClause = having;
  }
  const bufferMeters = readDistance(params);
  if (bufferMeters) {
    if (!hasGeometry(request.filter)) throw invalidQueryParameter("'distance' needs a 'geometry' to measure from");
    request.filter.bufferMeters = bufferMeters;
  }
  return request;
}

/** Metres per `units` value (esriSRUnit_* names, or their codes). Foot is ArcGIS Enterprise's default. */
const METRES_PER_UNIT: Record<string, number> = {
  esrisrunit_meter: 1,
  '9001': 1,
  esrisrunit_kilometer: 1000,
  '9036': 1000,
  esrisrunit_foot: 0.3048,
  '9002': 0.3048,
  esrisrunit_surveyfoot: 0.3048006096012192,
  '9003': 0.3048006096012192,
  esrisrunit_statutemile: 1609.344,
  '9093': 1609.344,
  '9035': 1609.344,
  esrisrunit_nauticalmile: 1852,
  '9030': 1852,
  esrisrunit_usnauticalmile: 1853.248,
  '109012': 1853.248,
};

/** `distance` in `units`, as metres; undefined or 0 when no buffer is asked. */
function readDistance(params: Params): number | undefined {
  const distance = params.number('distance');
  if (distance === undefined || distance === 0) return undefined;
  if (!Number.isFinite(distance) || distance < 0) throw invalidQueryParameter("'distance' must be a positive number");
  const units = params.string('units') ?? 'esriSRUnit_Foot';
  const factor = METRES_PER_UNIT[units.toLowerCase()];
  if (factor === undefined) throw invalidQueryParameter(`'units' value '${units}' is not supported`);
  return distance * factor;
}

/** `/<layer>/<objectId>`: every field and the geometry of one feature, in outSR if given. */
export function readFeatureRequest(params: Params, model: LayerModel, objectId: number): QueryRequest {
  const request = readQueryRequest(new Params({ outSR: params.string('outSR'), returnZ: params.string('returnZ'), returnM: params.string('returnM') }), model);
  request.filter = { objectIds: [objectId], spatialRel: 'intersects' };
  request.outFields = model.definition.fields.filter((f) => FIELD_TYPE_INFO[f.type].queryable);
  return request;
}

/** A field by name, case-insensitively; 400 `Invalid field` otherwise. */
export function resolveField(model: LayerModel, name: string): FieldDefinition {
  const field = model.fieldsByKey.get(name.trim().toLowerCase());
  if (!field || !FIELD_TYPE_INFO[field.type].queryable) throw invalidField(name);
  return field;
}

/**
 * `*` = every queryable field in schema order; a list keeps its order (duplicates dropped,
 * the shape ignored as ArcGIS does). Absent: the objectId field only.
 */
function readOutFields(names: string[] | undefined, model: LayerModel): FieldDefinition[] {
  const fields = model.definition.fields;
  if (names === undefined) return fields.filter((f) => f.name === model.definition.objectIdField);
  if (names.includes('*')) return fields.filter((f) => FIELD_TYPE_INFO[f.type].queryable);
  const out: FieldDefinition[] = [];
  for (const name of names) {
    if (name.toLowerCase() === 'shape') continue;
    const field = resolveField(model, name);
    if (!out.includes(field)) out.push(field);
  }
  return out;
}

function readOrderBy(items: string[] | undefined, model: LayerModel, statistics: StatisticRequest[] | undefined): OrderTerm[] {
  return (items ?? []).map((item) => {
    const match = /^(\S+)(?:\s+(ASC|DESC))?$/i.exec(item.trim());
    if (!match) throw invalidField(item);
    const descending = match[2]?.toUpperCase() === 'DESC';
    const alias = statistics?.find((s) => s.alias.toLowerCase() === match[1]!.toLowerCase());
    return { column: alias ? alias.alias : resolveField(model, match[1]!).name, descending };
  });
}

function readResultType(value: string | undefined): QueryRequest['resultType'] {
  const type = (value ?? 'none').toLowerCase();
  if (type === 'none' || type === 'standard' || type === 'tile') return type;
  throw ApiError.invalidParameter(`'resultType' parameter is invalid`);
}

function readStatistics(params: Params, model: LayerModel): StatisticRequest[] | undefined {
  const raw = params.json<unknown>('outStatistics');
  if (raw === undefined) return undefined;
  if (!Array.isArray(raw) || raw.length === 0) throw invalidQueryParameter("'outStatistics' parameter is invalid");
  return raw.map((entry) => readStatistic(entry, model));
}

function readStatistic(entry: unknown, model: LayerModel): StatisticRequest {
  const source = (entry ?? {}) as Record<string, unknown>;
  const typeName = String(source.statisticType ?? '').toLowerCase();
  const type = STATISTIC_TYPES[typeName];
  if (!type) throw invalidQueryParameter(`'outStatistics' parameter is invalid: statisticType '${typeName}' is not supported`);
  const fieldName = typeof source.onStatisticField === 'string' ? source.onStatisticField.trim() : '';
  const field = type === 'count' && (fieldName === '' || fieldName === '*') ? null : resolveField(model, fieldName);
  if (field && NUMERIC_ONLY.has(type) && !FIELD_TYPE_INFO[field.type].numeric) {
    throw invalidQueryParameter(`'outStatistics' parameter is invalid: ${type} needs a numeric field, '${field.name}' is not`);
  }
  const given = typeof source.outStatisticFieldName === 'string' ? source.outStatisticFieldName.trim() : '';
  const alias = given || `${type.toUpperCase()}_${field?.name ?? 'ROWS'}`;
  if (!ALIAS.test(alias)) throw invalidQueryParameter(`'outStatistics' parameter is invalid: '${alias}' is not a valid field name`);
  return { type, field, alias };
}
