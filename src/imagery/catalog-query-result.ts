import { envelopeOf } from '../geometry/envelope.js';
import type { EsriGeometry, Position } from '../geometry/esri-geometry.js';
import { esriToGeoJSON } from '../geometry/geojson.js';
import { toSpatialReferenceJson, type SpatialReference } from '../geometry/spatial-reference.js';
import { wkbToEsri } from '../geometry/wkb.js';
import { describeFields } from './catalog-fields.js';
import type { CatalogQueryRequest } from './catalog-query.js';
import { collectionSrJson } from './collection-srs.js';
import type { CatalogItem, CatalogStore, CollectionRecord } from './store/catalog-store.js';
import { isCollectionSrs, transformGeometry } from './transform-geometry.js';
import { rangeOf } from '../geometry/bounds-of.js';

const WGS84: SpatialReference = { wkid: 4326 };

/**
 * Runs a catalog query and shapes the answer as a feature-layer query does: a feature set (Esri
 * JSON or GeoJSON), `{count}`, `{objectIdFieldName, objectIds}` or `{extent}`. Footprints come
 * out in `outSR` (default: the collection's SR; GeoJSON: WGS84).
 */
export async function runCatalogQuery(catalog: CatalogStore, collection: CollectionRecord, request: CatalogQueryRequest, format: 'json' | 'geojson', signal?: AbortSignal): Promise<unknown> {
  const unpaged = { ...request.query, offset: undefined, limit: undefined, orderBy: request.query.orderBy };
  if (request.returnCountOnly && !request.returnExtentOnly) return { count: await catalog.countItems(collection.id, unpaged, signal) };
  if (request.returnIdsOnly && !request.returnExtentOnly) {
    const rows = await catalog.queryItems(collection.id, { ...unpaged, returnGeometry: false }, signal);
    return { objectIdFieldName: 'OBJECTID', objectIds: rows.map((row) => row.objectId) };
  }
  const outSR = request.outSR ?? (format === 'geojson' ? WGS84 : undefined);
  if (request.returnExtentOnly) {
    const rows = await catalog.queryItems(collection.id, { ...unpaged, returnGeometry: false }, signal);
    const extent = extentOf(rows, collection, outSR);
    return request.returnCountOnly ? { count: rows.length, extent } : { extent };
  }
  const fetched = await catalog.queryItems(collection.id, request.query, signal);
  const exceeded = fetched.length > request.pageSize;
  const rows = fetched.slice(0, request.pageSize);
  const features = rows.map((row) => ({
    attributes: Object.fromEntries(request.outFields.map((f) => [f.name, row.fields[f.name] ?? null])),
    geometry: request.returnGeometry ? footprintOf(row, collection, outSR, request.geometryPrecision) : undefined,
  }));
  if (format === 'geojson') {
    return {
      type: 'FeatureCollection',
      features: features.map((f, i) => ({ type: 'Feature', id: rows[i].objectId, geometry: f.geometry ? esriToGeoJSON(f.geometry) : null, properties: f.attributes })),
      ...(exceeded ? { exceededTransferLimit: true } : {}),
    };
  }
  return {
    objectIdFieldName: 'OBJECTID',
    geometryType: 'esriGeometryPolygon',
    spatialReference: outSR ? toSpatialReferenceJson(outSR) : collectionSrJson(collection),
    fields: describeFields(collection.properties.extraFields).filter((f) => request.outFields.some((o) => o.name === f.name)),
    features: features.map((f) => (f.geometry ? f : { attributes: f.attributes })),
    ...(exceeded ? { exceededTransferLimit: true } : {}),
  };
}

function footprintOf(row: CatalogItem, collection: CollectionRecord, outSR: SpatialReference | undefined, precision: number | undefined): EsriGeometry | undefined {
  if (!row.shapeWkb) return undefined;
  let geometry = wkbToEsri(row.shapeWkb, 'esriGeometryPolygon');
  if (!geometry) return undefined;
  if (!isCollectionSrs(outSR, collection)) geometry = transformGeometry(geometry, collection, outSR!);
  return precision === undefined ? geometry : roundGeometry(geometry, precision);
}

function roundGeometry(geometry: EsriGeometry, digits: number): EsriGeometry {
  const factor = 10 ** digits;
  const round = (p: Position): Position => p.map((v) => Math.round(v * factor) / factor);
  return 'rings' in geometry ? { ...geometry, rings: geometry.rings.map((ring) => ring.map(round)) } : geometry;
}

/** Extent of the rows' footprints in `outSR` (their bounding boxes, projected as polygons). */
function extentOf(rows: CatalogItem[], collection: CollectionRecord, outSR: SpatialReference | undefined): Record<string, unknown> {
  const spatialReference = outSR ? toSpatialReferenceJson(outSR) : collectionSrJson(collection);
  if (rows.length === 0) return { xmin: 'NaN', ymin: 'NaN', xmax: 'NaN', ymax: 'NaN', spatialReference };
  const [xmin, xmax] = rangeOf(rows.flatMap((r) => [r.bbox.xmin, r.bbox.xmax]));
  const [ymin, ymax] = rangeOf(rows.flatMap((r) => [r.bbox.ymin, r.bbox.ymax]));
  const box = { xmin, ymin, xmax, ymax };
  const moved = isCollectionSrs(outSR, collection) ? box : envelopeOf(transformGeometry(box, collection, outSR!))!;
  return { xmin: moved.xmin, ymin: moved.ymin, xmax: moved.xmax, ymax: moved.ymax, spatialReference };
}
