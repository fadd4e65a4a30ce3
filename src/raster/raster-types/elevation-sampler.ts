import gdal from 'gdal-async';
import { openRaster } from '../inspect-raster.js';
import { createPointTransformer } from '../point-transformer.js';
import { RasterTypeError } from '../raster-error.js';

/** Reads ground heights from a DEM; open once, sample many frames, then close. */
export interface ElevationSampler {
  /** Height (DEM units, normally metres) at a WGS 84 longitude/latitude; null outside or on nodata. */
  sample(longitude: number, latitude: number): Promise<number | null>;
  close(): void;
}

/** Opens a DEM that GDAL can read (a path; services must be resolved to a raster first). */
export async function openElevationSampler(demPath: string): Promise<ElevationSampler> {
  const dataset = await openRaster(demPath);
  const gt = await dataset.geoTransformAsync;
  const srs = await dataset.srsAsync;
  if (!gt || !srs || gt[2] !== 0 || gt[4] !== 0) {
    dataset.close();
    throw new RasterTypeError('The DEM must be a north-up georeferenced raster');
  }
  const band = await dataset.bands.getAsync(1);
  const noData = await band.noDataValueAsync;
  const { x: width, y: height } = await dataset.rasterSizeAsync;
  const toDem = createPointTransformer(gdal.SpatialReference.fromEPSG(4326), srs);
  return {
    async sample(longitude, latitude) {
      const p = toDem(longitude, latitude);
      if (!p) return null;
      const col = Math.floor((p[0] - gt[0]) / gt[1]);
      const row = Math.floor((p[1] - gt[3]) / gt[5]);
      if (col < 0 || row < 0 || col >= width || row >= height) return null;
      const value = await band.pixels.getAsync(col, row);
      return value === noData || Number.isNaN(value) ? null : value;
    },
    close: () => dataset.close(),
  };
}
