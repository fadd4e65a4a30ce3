import type { CollectionRecord } from '../store/catalog-store.js';
import { RASTER_FUNCTION_INFOS } from './raster-functions/rendering-rule.js';
import { tileInfoOf } from './tile-scheme.js';

/**
 * Keys of the ImageServer JSON that describe what the renderer offers, for the service-info
 * builder to spread over its own: the raster functions `renderingRule` accepts, histograms
 * (computed on demand), and the Web Mercator tile cache served at `tile/{level}/{row}/{col}`.
 *
 * @example const info = { ...buildServiceInfo(service, collection), ...renderServiceInfo(collection) };
 */
export function renderServiceInfo(collection: CollectionRecord): Record<string, unknown> {
  return {
    allowRasterFunction: true,
    rasterFunctionInfos: RASTER_FUNCTION_INFOS,
    hasHistograms: true,
    singleFusedMapCache: true,
    tileInfo: tileInfoOf(collection),
    storageInfo: { storageFormat: 'esriMapCacheStorageModeExploded', packetSize: null },
    cacheType: 'Map',
  };
}
