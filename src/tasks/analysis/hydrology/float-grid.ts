import gdal from 'gdal-async';
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
    const dataset = await gdal.openAsync(file);
    try {
      const band = await dataset.bands.getAsync(1);
      const { x: width, y: height } = await dataset.rasterSizeAsync;
      const values = FLOAT32_EXACT.has(band.dataType ?? '') ? new Float32Array(width * height) : new Float64Array(width * height);
      await band.pixels.readAsync(0, 0, width, height, values);
      const noData = band.noDataValue;
      // A NoData value no float equals marks no cell, as when the cells were read as doubles.
      if (typeof noData === 'number' && (values instanceof Float64Array || Math.fround(noData) === noData)) {
        for (let i = 0; i < values.length; i++) if (values[i] === noData) values[i] = NaN;
      }
      return { width, height, values, geoTransform: dataset.geoTransform ?? [0, 1, 0, 0, 0, -1], srsWkt: dataset.srs?.toWKT() ?? null };
    } finally {
      dataset.close();
    }
  });
}
