import { readFilterRequest, type FilterRequest } from '../features/filter-request.js';
import { compileWhere } from '../where/compile-where.js';
import type { WhereDialect } from '../where/where-types.js';
import { envelopeOf } from '../geometry/envelope.js';
import { parseSpatialReference, type SpatialReference } from '../geometry/spatial-reference.js';
import { esriToWkb } from '../geometry/wkb.js';
import { ApiError } from '../errors.js';
import type { Params } from '../params.js';
import { catalogFields, type CatalogField } from './catalog-fields.js';
import type { CatalogQuery, CollectionRecord, SpatialRelation } from './store/catalog-store.js';
import { isCollectionSrs, transformGeometry } from './transform-geometry.js';

/** A validated catalog `query` request (ArcGIS Image Service Query: the feature query's parameters over the catalog). */
export interface CatalogQueryRequest {
  query: CatalogQuery;
  outFields: CatalogField[];
  returnGeometry: boolean;
  outSR?: SpatialReference;
  returnIdsOnly: boolean;
  returnCountOnly: boolean;
  returnExtentOnly: boolean;
  geometryPrecision?: number;
  /** The page size asked for (capped by maxRecordCount), to tell whether more rows exist. */
  pageSize: number;
}

const RELATIONS: Record<FilterRequest['spatialRel'], SpatialRelation> = {
  intersects: 'intersects',
  contains: 'contains',
  crosses: 'crosses',
  'envelope-intersects': 'envelopeIntersects',
  'index-intersects': 'envelopeIntersects',
  overlaps: 'overlaps',
  touches: 'touches',
  within: 'within',
};

function invalid(detail: string): ApiError {
  return new ApiError(400, 'Cannot perform query. Invalid query parameters.', [detail]);
}

/**
 * Reads a catalog query: where (compiled against the collection's fields), objectIds, geometry
 * (moved into the collection's SR), outFields, orderByFields, paging and output switches.
 * Client mistakes are 400s; the where compiler's and geometry's errors are mapped by the caller.
 */
export function readCatalogQuery(params: Params, collection: CollectionRecord, maxRecordCount: number, dialect: WhereDialect): CatalogQueryRequest {
  const fields = catalogFields(collection.properties.extraFields);
  const filter = readFilterRequest(params);
  const query: CatalogQuery = {};
  if (filter.where) {
    const compiled = compileWhere(filter.where, { fields: [...fields, { name: 'Shape', type: 'esriFieldTypeGeometry' }], dialect });
    if (compiled.sql !== '1=1') query.where = { sql: compiled.sql, params: compiled.params };
  }
  if (filter.objectIds) query.objectIds = filter.objectIds;
  if (filter.geometry) {
    const from = filter.geometry.spatialReference ?? filter.inSR;
    const geometry = isCollectionSrs(from, collection) ? filter.geometry.geometry : transformGeometry(filter.geometry.geometry, from!, collection);
    const wkb = esriToWkb(geometry);
    const bbox = envelopeOf(geometry);
    if (wkb && bbox) query.geometry = { wkb, bbox: { xmin: bbox.xmin, ymin: bbox.ymin, xmax: bbox.xmax, ymax: bbox.ymax }, relation: RELATIONS[filter.spatialRel] };
  }
  const orderBy = readOrderBy(params.list('orderByFields'), fields);
  if (orderBy.length) query.orderBy = orderBy;
  const pageSize = Math.min(params.int('resultRecordCount') ?? maxRecordCount, maxRecordCount);
  query.offset = Math.max(0, params.int('resultOffset') ?? 0);
  // One more than the page tells whether the transfer limit was exceeded.
  query.limit = Math.max(0, pageSize) + 1;
  const request: CatalogQueryRequest = {
    query,
    outFields: readOutFields(params.list('outFields'), fields),
    returnGeometry: params.bool('returnGeometry', true),
    returnIdsOnly: params.bool('returnIdsOnly', false),
    returnCountOnly: params.bool('returnCountOnly', false),
    returnExtentOnly: params.bool('returnExtentOnly', false),
    pageSize: Math.max(0, pageSize),
  };
  query.returnGeometry = request.returnGeometry;
  const outSR = parseSpatialReference(params.jsonOrText('outSR'));
  if (outSR) request.outSR = outSR;
  const precision = params.int('geometryPrecision');
  if (precision !== undefined && precision >= 0) request.geometryPrecision = Math.min(precision, 17);
  return request;
}

function findField(fields: CatalogField[], name: string): CatalogField {
  const field = fields.find((f) => f.name.toLowerCase() === name.toLowerCase());
  if (!field) throw invalid(`'Invalid field: ${name}' parameter is invalid`);
  return field;
}

/** `*` → every field; absent → OBJECTID only (as feature layers here); else the named ones, OBJECTID first. */
function readOutFields(names: string[] | undefined, fields: CatalogField[]): CatalogField[] {
  if (!names) return [fields[0]];
  if (names.includes('*')) return fields;
  const chosen = names.filter((n) => n.toLowerCase() !== 'shape').map((name) => findField(fields, name));
  const oid = fields[0];
  return chosen.some((f) => f.name === oid.name) ? chosen : [oid, ...chosen];
}

function readOrderBy(terms: string[] | undefined, fields: CatalogField[]): Array<{ field: string; descending: boolean }> {
  return (terms ?? []).map((term) => {
    const [name, direction = 'ASC', ...rest] = term.trim().split(/\s+/);
    if (rest.length || !/^(asc|desc)$/i.test(direction)) throw invalid(`'orderByFields' parameter is invalid: '${term}'`);
    return { field: findField(fields, name).name, descending: direction.toUpperCase() === 'DESC' };
  });
}
