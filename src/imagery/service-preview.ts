import type { MapPreview } from '../html/map-preview.js';
import type { CollectionRecord } from './store/catalog-store.js';
import { transformGeometry } from './transform-geometry.js';

/**
 * The map on an image service's directory page: the collection's extent in WGS84, and for
 * single-band non-8-bit collections (elevation) the Hillshade function, which reads better than
 * a grey stretch. Undefined while the collection is empty or its extent cannot be projected.
 */
export function servicePreview(base: string, url: string, collection: CollectionRecord): MapPreview | undefined {
  const extent = collection.summary.extent;
  if (!extent) return undefined;
  let bounds: MapPreview['bounds'];
  try {
    const polygon = transformGeometry(extent, collection, { wkid: 4326 });
    const points = 'rings' in polygon ? polygon.rings.flat() : [];
    const xs = points.map((p) => p[0]);
    const ys = points.map((p) => p[1]);
    bounds = [
      [Math.min(...ys), Math.min(...xs)],
      [Math.max(...ys), Math.max(...xs)],
    ];
  } catch {
    return undefined;
  }
  const { bandCount, pixelType } = collection.summary;
  const elevation = bandCount === 1 && pixelType !== 'U8';
  return { assets: `${base}/static`, kind: 'image', url, bounds, ...(elevation ? { renderingRule: { rasterFunction: 'Hillshade' } } : {}) };
}
