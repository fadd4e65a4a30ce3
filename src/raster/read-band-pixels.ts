import gdal from 'gdal-async';

type PixelArray = Uint8Array | Float32Array | Float64Array;
type PixelArrayType<T extends PixelArray> = new (length: number) => T;

/** One band of a raster in memory, row-major, its nodata cells holding the nodata value. */
export interface BandPixels<T extends PixelArray> {
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
export function readBandPixels<T extends PixelArray>(source: string, band: number, ArrayType: PixelArrayType<T>): Promise<BandPixels<T>> {
  return readBandPixelsAs(source, band, () => ArrayType);
}

/** As readBandPixels, with the array type chosen from the band's own data type (GDAL's name, e.g. 'Float32'). */
export async function readBandPixelsAs<T extends PixelArray>(source: string, band: number, arrayTypeFor: (dataType: string | null) => PixelArrayType<T>): Promise<BandPixels<T>> {
  const dataset = await gdal.openAsync(source);
  try {
    const raster = await dataset.bands.getAsync(band);
    const { x: width, y: height } = dataset.rasterSize;
    const values = new (arrayTypeFor(raster.dataType))(width * height);
    await raster.pixels.readAsync(0, 0, width, height, values);
    return { width, height, values, geoTransform: dataset.geoTransform ?? [0, 1, 0, 0, 0, -1], noData: raster.noDataValue ?? null, srsWkt: dataset.srs?.toWKT() ?? null };
  } finally {
    dataset.close();
  }
}
