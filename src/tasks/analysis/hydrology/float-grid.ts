import { readBandPixelsAs } from '../../../raster/read-band-pixels.js';
import { timeSection } from '../engines/section-times.js';
import type { Grid } from './grid.js';

/** A Grid whose values may be Float32: where the band's own values fit, the same numbers in half the bytes. */
export type FloatGrid = Omit<Grid, 'values'> & { values: Float32Array | Float64Array };

/** Band types whose every value a float holds exactly. */
const FLOAT32_EXACT = new Set(['Float32', 'Byte', 'Int8', 'Int16', 'UInt16']);

/**
 * Band 1 of a raster as Float32 when its type fits (SAGA's grids, most DEMs), as Float64
 * otherwise; NoData as NaN. A 2,000² Float32 DEM read as doubles cost ~0.1 s more CPU, most of
 * it the page faults of 32 MB of fresh doubles. SAGA's `.sdat` grids (its raw binary format, read
 * by GDAL's SAGA driver) come without the LZW SAGA gives a GeoTIFF, on both sides.
 */
export function readFloatGrid(file: string): Promise<FloatGrid> {
  return timeSection('read grid', async () => {
    const { values, noData, ...shape } = await readBandPixelsAs<Float32Array | Float64Array>(file, 1, (type) => (FLOAT32_EXACT.has(type ?? '') ? Float32Array : Float64Array));
    // A NoData value no float equals marks no cell, as when the cells were read as doubles.
    if (noData !== null && (values instanceof Float64Array || Math.fround(noData) === noData)) {
      for (let i = 0; i < values.length; i++) if (values[i] === noData) values[i] = NaN;
    }
    return { ...shape, values };
  });
}
