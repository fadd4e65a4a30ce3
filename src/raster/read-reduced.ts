import type gdal from 'gdal-async';

// GDAL mask flags (gdal.h); gdal-async does not export them.
export const GMF_ALL_VALID = 0x01;
export const GMF_PER_DATASET = 0x02;
/** The band's mask is its nodata value. */
export const GMF_NODATA = 0x08;

/** A reduced read of a raster: at most `maxSize` cells on its longest side. */
export interface ReducedGrid {
  fullWidth: number;
  fullHeight: number;
  width: number;
  height: number;
}

/** The reduced grid of a dataset; GDAL picks overviews for reads at this size when there are any. */
export async function reducedGrid(dataset: gdal.Dataset, maxSize: number): Promise<ReducedGrid> {
  const { x: fullWidth, y: fullHeight } = await dataset.rasterSizeAsync;
  const scale = Math.max(1, Math.max(fullWidth, fullHeight) / maxSize);
  return { fullWidth, fullHeight, width: Math.max(1, Math.round(fullWidth / scale)), height: Math.max(1, Math.round(fullHeight / scale)) };
}

/** A band's values on the reduced grid. */
export function readReducedValues(band: gdal.RasterBand, grid: ReducedGrid): Promise<Float64Array> {
  return band.pixels.readAsync(0, 0, grid.fullWidth, grid.fullHeight, new Float64Array(grid.width * grid.height), readOptions(grid)) as Promise<Float64Array>;
}

/** A band's mask band (nodata, alpha, .msk / internal mask) on the reduced grid: 0 where there is no data; null when it has none. */
export async function readReducedMask(band: gdal.RasterBand, grid: ReducedGrid): Promise<Uint8Array | null> {
  const mask = band.getMaskBand();
  if (!mask) return null;
  return (await mask.pixels.readAsync(0, 0, grid.fullWidth, grid.fullHeight, new Uint8Array(grid.width * grid.height), readOptions(grid))) as Uint8Array;
}

function readOptions(grid: ReducedGrid) {
  return { buffer_width: grid.width, buffer_height: grid.height };
}
