import { randomUUID } from 'node:crypto';
import gdal from 'gdal-async';
import type { CatalogStore, CollectionRecord } from '../../imagery/store/catalog-store.js';
import { catalogStoreFor } from '../../imagery/store/open-catalog-store.js';
import type { TaskContext, TaskParameter } from '../../jobs/task.js';
import { findEpsgCode, toSpatialReference, type SrsInput } from '../../raster/srs-input.js';
import { transformBounds } from '../../raster/transform-bounds.js';
import type { CollectionDeps } from './collection-ref.js';
import { serverUrlsOf } from './service-url.js';

/** What the image-collection tasks read from their context. */
export function collectionDeps(context: Pick<TaskContext, 'config' | 'stores' | 'principal' | 'baseUrl'>): CollectionDeps & { config: TaskContext['config']; catalog: CatalogStore } {
  return { config: context.config, stores: context.stores, catalog: catalogStoreFor(context.config), principal: context.principal, serverUrls: serverUrlsOf(context) };
}

export function newCollectionId(): string {
  return randomUUID();
}

/** WKT and EPSG code of a spatial reference, as the catalog keeps them. */
export function describeSrs(srs: SrsInput): { srsWkt: string; epsg: number | null } {
  const reference = toSpatialReference(srs);
  return { srsWkt: reference.toWKT(), epsg: findEpsgCode(reference) };
}

/** The collection's extent in WGS84 (for its portal item), or null when empty. */
export function extentInWgs84(collection: CollectionRecord): { xmin: number; ymin: number; xmax: number; ymax: number } | null {
  const extent = collection.summary.extent;
  if (!extent) return null;
  try {
    return transformBounds(extent, gdal.SpatialReference.fromWKT(collection.srsWkt), toSpatialReference(4326));
  } catch {
    return null;
  }
}

/** The parameters shared by the image-collection tasks. */
export const IMAGE_COLLECTION_PARAM: TaskParameter = {
  name: 'imageCollection',
  dataType: 'GPString',
  displayName: 'Image Collection',
  description: 'The image collection: {"itemId": …}, {"url": …} or {"uri": …}.',
  direction: 'input',
  required: true,
};

export const INPUT_RASTERS_PARAM: TaskParameter = {
  name: 'inputRasters',
  dataType: 'GPString',
  displayName: 'Input Rasters',
  description: 'Images to add: {"itemIds": […]}, {"itemId"}, {"folderId"}, {"urls": […]}, {"url"}, {"uris": […]} or {"uri"}, with "byref": true to add them by reference.',
  direction: 'input',
  required: true,
};

export const RASTER_TYPE_PARAM: TaskParameter = {
  name: 'rasterType',
  dataType: 'GPString',
  displayName: 'Raster Type',
  description: 'e.g. {"rasterTypeName": "UAV/UAS", "rasterTypeParameters": {…}, "imageCollectionProps": {"imageCollectionType": "UAV/UAS"}}.',
  direction: 'input',
  required: true,
};

export const CONTEXT_PARAM: TaskParameter = {
  name: 'context',
  dataType: 'GPString',
  displayName: 'Context',
  description: 'Environment settings: outSR, extent, cellSize, parallelProcessingFactor, resamplingMethod, fields.',
  direction: 'input',
  required: false,
};

export function resultParam(dataType: TaskParameter['dataType'] = 'GPString'): TaskParameter {
  return { name: 'result', dataType, displayName: 'Result', direction: 'output', required: false };
}
