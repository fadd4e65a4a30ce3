import type { CatalogItem, CollectionRecord } from '../store/catalog-store.js';
import { statisticsJson } from '../statistics-json.js';
import { resolveSrs } from './srs-cache.js';

/**
 * `<rasterId>/info`: one catalog item's raster as the service describes itself (ArcGIS Image
 * Service Raster Info; shapes unconfirmed): its own extent, SR, size, pixel size, bands, pixel
 * type, no data and ingest-time statistics.
 */
export function rasterItemInfo(item: CatalogItem, collection: CollectionRecord): Record<string, unknown> {
  const r = item.raster;
  const native = r.geoTransform && r.srsWkt ? nativeExtent(item) : null;
  const srs = native ? resolveSrs({ srsWkt: r.srsWkt, epsg: r.epsg }) : resolveSrs(collection);
  const extent = native ?? item.bbox;
  const stats = r.statistics ?? [];
  const bandCount = r.colorInterpretations.filter((c) => c !== 'Alpha').length || r.bandCount;
  return {
    extent: { ...extent, spatialReference: srs.json },
    width: r.width,
    height: r.height,
    pixelSizeX: r.geoTransform ? Math.hypot(r.geoTransform[1], r.geoTransform[4]) : Number(item.fields.LowPS ?? 0),
    pixelSizeY: r.geoTransform ? Math.hypot(r.geoTransform[2], r.geoTransform[5]) : Number(item.fields.LowPS ?? 0),
    bandCount,
    bandNames: r.bandNames ?? Array.from({ length: bandCount }, (_, i) => `Band_${i + 1}`),
    pixelType: r.pixelType,
    noDataValues: r.noData.slice(0, bandCount),
    ...statisticsJson(stats),
    hasColormap: false,
    hasRasterAttributeTable: false,
    blockWidth: r.blockSize.width,
    blockHeight: r.blockSize.height,
    levelCount: r.overviewFactors.length + 1,
    spatialReference: srs.json,
  };
}

/** `<rasterId>/info/keyProperties`: what the raster type recorded about the item. */
export function rasterKeyProperties(item: CatalogItem, collection: CollectionRecord): Record<string, unknown> {
  const f = item.fields;
  const bandNames = item.raster.bandNames ?? [];
  const properties: Record<string, unknown> = {
    DataType: collection.collectionType === 'Satellite' ? 'Processed' : 'Generic',
    LowCellSize: f.LowPS,
    HighCellSize: f.HighPS,
    ...(bandNames.length ? { BandProperties: bandNames.map((name) => ({ BandName: name })) } : {}),
  };
  for (const field of ['SensorName', 'AcquisitionDate', 'CloudCover', 'ProductName']) if (f[field] !== null && f[field] !== undefined) properties[field] = f[field];
  for (const field of collection.properties.extraFields) if (f[field.name] !== null && f[field.name] !== undefined) properties[field.name] = f[field.name];
  return properties;
}

function nativeExtent(item: CatalogItem): { xmin: number; ymin: number; xmax: number; ymax: number } {
  const [x0, a, b, y0, c, d] = item.raster.geoTransform!;
  const { width, height } = item.raster;
  const xs = [x0, x0 + a * width, x0 + b * height, x0 + a * width + b * height];
  const ys = [y0, y0 + c * width, y0 + d * height, y0 + c * width + d * height];
  return { xmin: Math.min(...xs), ymin: Math.min(...ys), xmax: Math.max(...xs), ymax: Math.max(...ys) };
}
