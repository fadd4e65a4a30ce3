import { decodeGeometryOffThread, OFF_THREAD_GEOMETRY_CHARS } from '../geometry/decode-off-thread.js';
import { parseGeometryParam, type GeometryParam } from '../geometry/geometry-param.js';
import { parseSpatialReference, toEpsg, type SpatialReference } from '../geometry/spatial-reference.js';
import { esriToWkb } from '../geometry/wkb.js';
import { ApiError } from '../errors.js';
import type { Params } from '../params.js';
import type { FeatureFilter, FeatureStore, SpatialRelation } from '../store/feature-store.js';
import type { LayerModel } from './layer-model.js';
import { quoteWhereColumn } from './layer-model.js';
import { compileWhere } from '../where/index.js';

/** The row filter of query and deleteFeatures, as the client sent it. */
export interface FilterRequest {
  where?: string;
  objectIds?: number[];
  geometry?: GeometryParam;
  /** A geometry too large to parse on the event loop: compileFilter decodes it on a worker thread. */
  largeGeometry?: { text: string; geometryType: string | undefined };
  inSR?: SpatialReference;
  spatialRel: SpatialRelation;
  /** Buffer `geometry` by this many metres first (query `distance` and `units`). */
  bufferMeters?: number;
}

const SPATIAL_RELATIONS: Record<string, SpatialRelation> = {
  esrispatialrelintersects: 'intersects',
  esrispatialrelcontains: 'contains',
  esrispatialrelcrosses: 'crosses',
  esrispatialrelenvelopeintersects: 'envelope-intersects',
  esrispatialrelindexintersects: 'index-intersects',
  esrispatialreloverlaps: 'overlaps',
  esrispatialreltouches: 'touches',
  esrispatialrelwithin: 'within',
};

/** Reads where, objectIds, geometry, geometryType, inSR and spatialRel (ArcGIS Query (Feature Service/Layer) parameters, ArcGIS Delete Features). */
export function readFilterRequest(params: Params, options: { deferLarge?: boolean } = {}): FilterRequest {
  const request: FilterRequest = { spatialRel: readSpatialRel(params.string('spatialRel')) };
  const where = params.string('where')?.trim();
  if (where) request.where = where;
  const ids = params.list('objectIds');
  if (ids) request.objectIds = ids.map(readObjectId);
  const text = params.string('geometry');
  if (options.deferLarge && text !== undefined && text.length >= OFF_THREAD_GEOMETRY_CHARS) {
    request.largeGeometry = { text, geometryType: params.string('geometryType') };
  } else {
    const geometry = parseGeometryParam(params.jsonOrText('geometry'), params.string('geometryType'));
    if (geometry) request.geometry = geometry;
  }
  const inSR = parseSpatialReference(params.jsonOrText('inSR'));
  if (inSR) request.inSR = inSR;
  return request;
}

function readObjectId(text: string): number {
  const id = Number(text);
  if (!Number.isSafeInteger(id)) throw ApiError.invalidParameter(`'objectIds' parameter is invalid: '${text}' is not an object id`);
  return id;
}

function readSpatialRel(value: string | undefined): SpatialRelation {
  if (value === undefined) return 'intersects';
  const relation = SPATIAL_RELATIONS[value.toLowerCase()];
  if (!relation) throw ApiError.invalidParameter(`'spatialRel' parameter is invalid: '${value}' is not supported`);
  return relation;
}

/** True when the request would select every row (`1=1` and nothing else). */
export function isEmptyFilter(request: FilterRequest): boolean {
  return (request.where === undefined || isTrivialWhere(request.where)) && !request.objectIds && !hasGeometry(request);
}

export function hasGeometry(request: FilterRequest): boolean {
  return request.geometry !== undefined || request.largeGeometry !== undefined;
}

function isTrivialWhere(where: string): boolean {
  return /^\(?\s*1\s*=\s*1\s*\)?$/.test(where);
}

/**
 * Compiles a filter for the store: the where clause against the layer's fields in the store's
 * dialect (values bound, never inlined), the geometry as WKB in its own SR (its
 * `spatialReference`, else inSR, else the layer's).
 */
export async function compileFilter(
  store: FeatureStore,
  model: LayerModel,
  request: FilterRequest,
  currentUser?: string,
  signal?: AbortSignal,
): Promise<FeatureFilter> {
  const filter: FeatureFilter = {};
  if (request.where !== undefined && !isTrivialWhere(request.where)) {
    const options = { fields: model.whereFields, dialect: store.dialect, quoteColumn: quoteWhereColumn, ...(currentUser ? { currentUser } : {}) };
    const compiled = compileWhere(request.where, options);
    filter.where = { sql: compiled.sql, params: compiled.params };
  }
  if (request.objectIds) filter.objectIds = request.objectIds;
  if (hasGeometry(request)) {
    if (model.srid === undefined) throw ApiError.unableToComplete('A spatial filter needs a layer with geometry');
    const large = request.largeGeometry ? await decodeGeometryOffThread(request.largeGeometry.text, request.largeGeometry.geometryType, signal) : undefined;
    const sr = (large ?? request.geometry)?.spatialReference ?? request.inSR;
    const srid = sr ? await resolveSrid(store, sr, 'inSR', signal) : model.srid;
    const wkb = large ? large.wkb && Buffer.from(large.wkb.buffer, large.wkb.byteOffset, large.wkb.byteLength) : request.geometry && esriToWkb(request.geometry.geometry, { hasZ: false, hasM: false });
    // An empty filter geometry matches nothing.
    if (!wkb) filter.objectIds = [];
    else filter.spatial = { wkb, srid, relation: request.spatialRel, ...(request.bufferMeters ? { bufferMeters: request.bufferMeters } : {}) };
  }
  return filter;
}

/** The EPSG code of an SR the store can project to and from; 400 naming the parameter otherwise. */
export async function resolveSrid(store: FeatureStore, sr: SpatialReference, parameter: string, signal?: AbortSignal): Promise<number> {
  const epsg = toEpsg(sr);
  if (epsg === undefined || !(await cachedSupport(store, epsg, signal))) {
    throw ApiError.invalidParameter(`'${parameter}' parameter is invalid: spatial reference is not supported`);
  }
  return epsg;
}

const supported = new Map<number, boolean>();

async function cachedSupport(store: FeatureStore, epsg: number, signal?: AbortSignal): Promise<boolean> {
  let known = supported.get(epsg);
  if (known === undefined) {
    known = await store.supportsSrid(epsg, signal);
    supported.set(epsg, known);
  }
  return known;
}
