import { stat } from 'node:fs/promises';
import path from 'node:path';
import gdal from 'gdal-async';
import { ApiError } from '../../errors.js';
import type { CatalogItem, CollectionRecord } from '../store/catalog-store.js';
import { RENDER_LIMITS } from './render-limits.js';

export interface RasterFile {
  /** Opaque to clients: `<collection>/<rasterId>/<file name>`; never a server path. */
  id: string;
  size: number;
  rasterIds: number[];
  /** Server path (not sent). */
  file: string;
}

/**
 * The files that make up catalog items (GDAL's file list: the raster, its overviews and side-cars,
 * the band files a VRT recipe names), for `download`. Remote (`/vsi…`) sources are left out.
 * Over maxDownloadImageCount items or maxDownloadSizeLimit megabytes is a 400.
 */
export async function listRasterFiles(items: CatalogItem[], collection: CollectionRecord): Promise<RasterFile[]> {
  if (items.length > RENDER_LIMITS.maxDownloadImageCount) {
    throw ApiError.invalidParameter(`At most ${RENDER_LIMITS.maxDownloadImageCount} rasters can be downloaded at once (maxDownloadImageCount).`);
  }
  const byFile = new Map<string, RasterFile>();
  for (const item of items) {
    for (const file of await filesOf(item)) {
      const existing = byFile.get(file);
      if (existing) {
        existing.rasterIds.push(item.objectId);
        continue;
      }
      const info = await stat(file).catch(() => null);
      if (!info?.isFile()) continue;
      byFile.set(file, { id: `${collection.name}/${item.objectId}/${path.basename(file)}`, size: info.size, rasterIds: [item.objectId], file });
    }
  }
  const files = [...byFile.values()];
  const total = files.reduce((sum, f) => sum + f.size, 0);
  if (total > RENDER_LIMITS.maxDownloadSizeLimit * 1024 * 1024) {
    throw ApiError.invalidParameter(`The files exceed the download size limit of ${RENDER_LIMITS.maxDownloadSizeLimit} MB (maxDownloadSizeLimit).`);
  }
  return files;
}

/** The server path of one file of an item, by the id `download` gave; null when it is not one. */
export async function findRasterFile(item: CatalogItem, collection: CollectionRecord, id: string): Promise<string | null> {
  const files = await listRasterFiles([item], collection);
  return files.find((f) => f.id === id)?.file ?? null;
}

async function filesOf(item: CatalogItem): Promise<string[]> {
  if (item.path.startsWith('/vsi')) return [];
  let dataset: gdal.Dataset;
  try {
    dataset = await gdal.openAsync(item.path);
  } catch {
    return [];
  }
  try {
    return dataset.getFileList().filter((f) => !f.startsWith('/vsi')).map((f) => path.resolve(f));
  } finally {
    dataset.close();
  }
}
