import gdal from 'gdal-async';
import { cleanGdalMessage } from './clean-gdal-message.js';
import { RasterError, throwIfAborted } from './raster-error.js';
import { parseGdalInfoJson, type GdalInfoJson, type RasterInfo } from './raster-info.js';
import { findEpsgCode } from './srs-input.js';

/**
 * Reads size, bands, georeference, overviews and metadata (EXIF included) of a raster GDAL can
 * open: a file path or a GDAL dataset name (`/vsizip/…`, `SENTINEL2_L1C:…:10m:EPSG_32632`).
 *
 * Runs on the libuv thread pool (openAsync, infoAsync), so the event loop is never blocked.
 * A GDAL call cannot be interrupted once started (gdal-async ignores the progress callback's
 * return value): `signal` is checked between the steps, so an abort takes effect after the
 * current step, which for opening and reading headers is short.
 *
 * @example
 * const info = await inspectRaster('/data/scene.tif');
 * info.pixelType; // 'U16'
 */
export async function inspectRaster(source: string, options: { signal?: AbortSignal } = {}): Promise<RasterInfo> {
  throwIfAborted(options.signal);
  const dataset = await openRaster(source);
  try {
    throwIfAborted(options.signal);
    const text = await gdal.infoAsync(dataset, ['-json']);
    throwIfAborted(options.signal);
    const json = JSON.parse(text) as GdalInfoJson;
    return parseGdalInfoJson(json, findEpsgOfWkt(json.coordinateSystem?.wkt));
  } finally {
    dataset.close();
  }
}

function findEpsgOfWkt(wkt: string | undefined): number | null {
  if (!wkt) return null;
  try {
    return findEpsgCode(gdal.SpatialReference.fromWKT(wkt));
  } catch {
    return null; // a CRS GDAL reports but cannot parse back: keep the WKT, no code
  }
}

/** Opens a raster read-only off the event loop; failures become a RasterError without server paths. */
export async function openRaster(source: string): Promise<gdal.Dataset> {
  let dataset: gdal.Dataset;
  try {
    dataset = await gdal.openAsync(source);
  } catch (cause) {
    const reason = cleanGdalMessage((cause as Error).message, 'cannot be opened');
    throw new RasterError('RASTER_UNREADABLE', `Not a readable raster: ${reason}`, { cause });
  }
  if ((await dataset.bands.countAsync()) === 0) {
    // Containers (SAFE, HDF…) have no bands of their own but list subdatasets.
    const subdatasets = (await dataset.getMetadataAsync('SUBDATASETS')) as Record<string, string> | null;
    if (!subdatasets || Object.keys(subdatasets).length === 0) {
      dataset.close();
      throw new RasterError('RASTER_UNREADABLE', 'Not a readable raster: it has no raster bands');
    }
  }
  return dataset;
}
