import gdal from 'gdal-async';
import type { BandStatistics } from '../../imagery/store/catalog-store.js';
import { openRaster } from '../../raster/inspect-raster.js';
import { GMF_ALL_VALID, readReducedMask, readReducedValues, reducedGrid } from '../../raster/read-reduced.js';

/**
 * Approximate per-band statistics from a grid of at most `maxSize` cells on the long side (GDAL
 * reads overviews for it when there are any), skipping nodata, NaN and masked cells.
 *
 * Computed here from pixels rather than with GDAL's ComputeStatistics, which would write a
 * `.aux.xml` beside the file on close: by-reference sources must never be touched.
 *
 * @example const stats = await computeBandStatistics('/store/a.tif'); // [{ min, max, mean, stddev }, …]
 */
export async function computeBandStatistics(source: string, maxSize = 128): Promise<BandStatistics[] | null> {
  const dataset = await openRaster(source);
  try {
    const grid = await reducedGrid(dataset, maxSize);
    const count = await dataset.bands.countAsync();
    const out: BandStatistics[] = [];
    for (let b = 1; b <= count; b++) {
      const band = await dataset.bands.getAsync(b);
      if (band.colorInterpretation === gdal.GCI_AlphaBand) continue;
      const values = await readReducedValues(band, grid);
      const mask = band.getMaskFlags() & GMF_ALL_VALID ? null : await readReducedMask(band, grid);
      const stats = summarise(values, mask, band.noDataValue);
      if (stats) out.push(stats);
    }
    return out.length > 0 ? out : null;
  } finally {
    dataset.close();
  }
}

function summarise(values: Float64Array, mask: Uint8Array | null, noData: number | null): BandStatistics | null {
  let [n, min, max, sum, sumSquares] = [0, Infinity, -Infinity, 0, 0];
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isNaN(v) || v === noData || (mask && mask[i] === 0)) continue;
    n++;
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
    sumSquares += v * v;
  }
  if (n === 0) return null;
  const mean = sum / n;
  return { min, max, mean, stddev: Math.sqrt(Math.max(0, sumSquares / n - mean * mean)) };
}
