import gdal from 'gdal-async';
import { timeSection } from '../engines/section-times.js';

/**
 * Band 1 of a grid SAGA wrote, as the Float32 values SAGA computes, NoData as NaN: half the bytes
 * of readGrid's doubles, and the same numbers. Meant for `.sdat` outputs (SAGA's raw binary grid,
 * read by GDAL's SAGA driver), which SAGA writes without the LZW it gives a GeoTIFF and GDAL
 * reads without decoding.
 */
export function readSagaGrid(file: string): Promise<Float32Array> {
  return timeSection('read grid', async () => {
    const dataset = await gdal.openAsync(file);
    try {
      const band = await dataset.bands.getAsync(1);
      const { x: width, y: height } = await dataset.rasterSizeAsync;
      const values = new Float32Array(width * height);
      await band.pixels.readAsync(0, 0, width, height, values);
      const noData = band.noDataValue;
      // A NoData value no float equals marks no cell, as when the cells were read as doubles.
      if (typeof noData === 'number' && Math.fround(noData) === noData) {
        for (let i = 0; i < values.length; i++) if (values[i] === noData) values[i] = NaN;
      }
      return values;
    } finally {
      dataset.close();
    }
  });
}
