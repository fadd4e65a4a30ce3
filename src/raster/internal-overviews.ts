import gdal from 'gdal-async';
import { openRaster } from './inspect-raster.js';
import { isFloatType } from './pixel-type.js';
import { throwIfAborted } from './raster-error.js';
import { overviewLevels } from './write-overviews.js';

/**
 * Gives a tiled GeoTIFF a tool wrote (gdalwarp, gdal_rasterize, gdal_proximity…) its internal
 * overviews in this process: `average` for floats, `nearest` for integer classes and counts,
 * ZSTD level 1 as the writers that hold pixels in memory use (write-overviews.ts). The same GDAL
 * code as `gdaladdo`, without starting it: on a busy machine starting the process cost as much as
 * the overviews (bench/raster-analysis.ts). Runs on the libuv pool.
 * Returns false, touching nothing, when the file is not a tiled GeoTIFF (it needs a COG copy).
 */
export async function addInternalOverviews(file: string, signal?: AbortSignal): Promise<boolean> {
  throwIfAborted(signal);
  const layout = await readLayout(file);
  if (!layout) return false;
  const levels = overviewLevels(layout.width, layout.height);
  // Writers that hold the pixels in memory made the overviews already.
  if (levels.length === 0 || layout.hasOverviews) return true;
  throwIfAborted(signal);
  const dataset = await gdal.openAsync(file, 'r+');
  try {
    await buildInternalOverviews(dataset, layout.float, levels);
  } finally {
    dataset.close();
  }
  return true;
}

/**
 * Builds the overviews addInternalOverviews would on a GeoTIFF still open for writing (one a
 * GDAL library call just made), and flushes it: the file is then ready for the raster store as it
 * is. `float` picks `average`, else `nearest`.
 */
export async function buildInternalOverviews(dataset: gdal.Dataset, float: boolean, levels?: number[]): Promise<void> {
  const { x: width, y: height } = await dataset.rasterSizeAsync;
  const factors = levels ?? overviewLevels(width, height);
  if (factors.length > 0) await withOverviewCompression(() => dataset.buildOverviewsAsync(float ? 'AVERAGE' : 'NEAREST', factors));
  await dataset.flushAsync();
}

/** Size, pixel kind and overviews of a tiled GeoTIFF (read-only open); null for anything else. */
async function readLayout(file: string): Promise<{ width: number; height: number; float: boolean; hasOverviews: boolean } | null> {
  const dataset = await openRaster(file);
  try {
    const band = await dataset.bands.getAsync(1);
    const { x: width, y: height } = await dataset.rasterSizeAsync;
    const block = band.blockSize;
    if (dataset.driver.description !== 'GTiff' || block.x >= width || block.x % 16 !== 0) return null;
    return { width, height, float: isFloatType(band.dataType ?? ''), hasOverviews: band.overviews.count() > 0 };
  } finally {
    dataset.close();
  }
}

/** The builds of this process, one after another (see withOverviewCompression). */
let overviewBuilds: Promise<unknown> = Promise.resolve();

/**
 * GDAL reads the overview compression from configuration options, which are process-wide, and
 * gdal-async's buildOverviews takes no per-call options: set for the call, then restored. Builds
 * are chained so that two at once in one process never see each other's settings.
 */
export function withOverviewCompression<T>(work: () => Promise<T>): Promise<T> {
  const run = async (): Promise<T> => {
    const settings = { COMPRESS_OVERVIEW: 'ZSTD', ZSTD_LEVEL_OVERVIEW: '1' };
    const previous = Object.fromEntries(Object.keys(settings).map((key) => [key, gdal.config.get(key)]));
    for (const [key, value] of Object.entries(settings)) gdal.config.set(key, value);
    try {
      return await work();
    } finally {
      for (const [key, value] of Object.entries(previous)) gdal.config.set(key, value);
    }
  };
  const result = overviewBuilds.then(run, run);
  overviewBuilds = result.catch(() => undefined);
  return result;
}
