import gdal from 'gdal-async';

/** One band of a raster in memory, row-major, its nodata cells holding the nodata value. */
export interface BandPixels<T extends Uint8Array | Float32Array | Float64Array> {
  width: number;
  height: number;
  values: T;
  /** The dataset's geotransform; GDAL's default (pixel coordinates, north up) when it has none. */
  geoTransform: number[];
  /** The band's nodata value, if it has one. */
  noData: number | null;
  srsWkt: string | null;
}

/** Reads the whole of band `band` (1-based) of a raster into a new `ArrayType`, GDAL converting the pixels to its type. */
export async function readBandPixels<T extends Uint8Array | Float32Array | Float64Array>(source: string, band: number, ArrayType: new (length: number) => T): Promise<BandPixels<T>> {
  const dataset = await gdal.openAsync(source);
  try {
    const raster = await dataset.bands.getAsync(band);
    const { x: width, y: height } = dataset.rasterSize;
    const values = new ArrayType(width * height);
    await raster.pixels.readAsync(0, 0, width, height, values);
    return { width, height, values, geoTransform: dataset.geoTransform ?? [0, 1, 0, 0, 0, -1], noData: raster.noDataValue ?? null, srsWkt: dataset.srs?.toWKT() ?? null };
  } finally {
    dataset.close();
  }
}
