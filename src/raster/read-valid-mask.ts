import type gdal from 'gdal-async';
import { GMF_ALL_VALID, GMF_PER_DATASET, readReducedMask, readReducedValues, reducedGrid } from './read-reduced.js';

/** Which cells of a downsampled grid hold data: 255 valid, 0 not. */
export interface ValidMask {
  data: Uint8Array;
  width: number;
  height: number;
  invalidCount: number;
}

/**
 * Reads where a raster has data, on a grid at most `maxSize` cells on its longest side (GDAL
 * picks overviews for the reduced read). Uses GDAL's mask bands (nodata, alpha, .msk / internal
 * masks), a cell being valid when any band is. Rasters that declare no mask at all are judged by
 * their values: cells where every band is 0 (or NaN) are taken as fill, which catches the black
 * collars of scanned or reprojected images without nodata.
 */
export async function readValidMask(dataset: gdal.Dataset, maxSize = 512): Promise<ValidMask> {
  const grid = await reducedGrid(dataset, maxSize);
  const { width, height } = grid;
  const bandCount = await dataset.bands.countAsync();
  const bands: gdal.RasterBand[] = [];
  for (let b = 1; b <= bandCount; b++) bands.push(await dataset.bands.getAsync(b));
  const data = new Uint8Array(width * height);
  const flags = bands.map((band) => band.getMaskFlags());
  if (flags.every((f) => f & GMF_ALL_VALID)) {
    for (const band of bands) {
      const values = await readReducedValues(band, grid);
      for (let i = 0; i < values.length; i++) if (values[i] !== 0 && !Number.isNaN(values[i])) data[i] = 255;
    }
  } else {
    // A per-dataset mask is the same for every band: read it once.
    const maskSources = flags[0] & GMF_PER_DATASET ? bands.slice(0, 1) : bands;
    for (const band of maskSources) {
      const values = await readReducedMask(band, grid);
      if (!values) continue;
      for (let i = 0; i < values.length; i++) if (values[i] > 0) data[i] = 255;
    }
  }
  let invalidCount = 0;
  for (const v of data) if (v === 0) invalidCount++;
  return { data, width, height, invalidCount };
}
