import { envelopeOf } from '../../geometry/envelope.js';
import type { EsriGeometry } from '../../geometry/esri-geometry.js';
import type { SpatialReference } from '../../geometry/spatial-reference.js';
import type { PointTransformer } from '../../raster/point-transformer.js';
import type { CatalogItem, CatalogStore, CollectionRecord } from '../store/catalog-store.js';
import { formatValue } from './identify.js';
import type { MosaicRule } from './mosaic-rule.js';
import { orderMosaicItems } from './order-items.js';
import { RENDER_LIMITS } from './render-limits.js';
import { sampleItems } from './sample-items.js';
import { sampleLocations } from './sample-locations.js';
import { areaPolygon, catalogQueryFor, mosaicView } from './select-items.js';

export interface SamplesRequest {
  /** The geometry in the collection's SR. */
  geometry: EsriGeometry;
  sampleDistance?: number;
  sampleCount?: number;
  rule: MosaicRule;
  returnFirstValueOnly: boolean;
  /** Catalog fields to return per sample (`*` for all); none when empty. */
  outFields: string[];
  /** Locations go back to the client's SR. */
  toClient: PointTransformer;
  clientSr: SpatialReference;
  /** The request's: aborted when its client has gone. */
  signal?: AbortSignal;
}

/**
 * getSamples (ArcGIS Get Samples): values at locations derived from the geometry, each from the
 * top item with data there (or every item with data, `returnFirstValueOnly=false`), with the
 * item's id, resolution (LowPS) and requested attributes. Locations without data say `NoData`.
 */
export async function getSamples(catalog: CatalogStore, collection: CollectionRecord, request: SamplesRequest): Promise<{ samples: Record<string, unknown>[] }> {
  const locations = sampleLocations(request.geometry, { sampleDistance: request.sampleDistance, sampleCount: request.sampleCount, maxCount: RENDER_LIMITS.maxSampleCount });
  const extent = envelopeOf(request.geometry);
  if (!extent || locations.length === 0) return { samples: [] };
  const bbox = { xmin: extent.xmin, ymin: extent.ymin, xmax: extent.xmax, ymax: extent.ymax };
  const area = bbox.xmin < bbox.xmax && bbox.ymin < bbox.ymax ? areaPolygon(bbox) : { wkb: areaPolygon({ ...bbox, xmax: bbox.xmin + 1e-9, ymax: bbox.ymin + 1e-9 }).wkb, bbox };
  const found = await catalog.queryItems(collection.id, catalogQueryFor(collection, request.rule, area, catalog.dialect), request.signal);
  const items = orderMosaicItems(found, request.rule, mosaicView(collection, bbox, request.rule));
  if (request.rule.operation === 'last') items.reverse();
  const values = await sampleItems(items, locations, collection, request.signal);
  const samples: Record<string, unknown>[] = [];
  locations.forEach(([x, y], locationId) => {
    const [cx, cy] = request.toClient(x, y) ?? [x, y];
    const location = { x: cx, y: cy, spatialReference: request.clientSr };
    const withData = items.map((item, k) => ({ item, value: values[k][locationId] })).filter((s) => s.value !== null);
    if (withData.length === 0) {
      samples.push({ location, locationId, value: 'NoData' });
      return;
    }
    for (const { item, value } of request.returnFirstValueOnly ? withData.slice(0, 1) : withData) {
      samples.push({
        location,
        locationId,
        value: formatValue(value),
        rasterId: item.objectId,
        resolution: Number(item.fields.LowPS ?? 0),
        ...(request.outFields.length > 0 ? { attributes: pickFields(item, request.outFields) } : {}),
      });
    }
  });
  return { samples };
}

function pickFields(item: CatalogItem, outFields: string[]): Record<string, unknown> {
  if (outFields.includes('*')) return item.fields;
  const out: Record<string, unknown> = {};
  for (const wanted of outFields) {
    const name = Object.keys(item.fields).find((k) => k.toLowerCase() === wanted.toLowerCase());
    if (name) out[name] = item.fields[name];
  }
  return out;
}
