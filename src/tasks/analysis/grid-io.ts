import gdal from 'gdal-async';
import { isFloatType } from '../../raster/pixel-type.js';
import { GMF_ALL_VALID } from '../../raster/read-reduced.js';
import { writeOverviews } from '../../raster/write-overviews.js';

/** GDAL's mask flag of a band whose mask is its nodata value. */
const GMF_NODATA = 0x08;

/** One band of a raster in memory, with its grid and which cells hold data. */
export interface Grid {
  width: number;
  height: number;
  geoTransform: number[];
  srsWkt: string;
  values: Float64Array;
  /** 1 where the cell holds data (not nodata, inside the mask). */
  valid: Uint8Array;
}

/**
 * Reads band `band` of a raster whole. Analysis grids here are at most a few thousand cells a
 * side (tens of MB as Float64); the tasks run in job workers, never on the HTTP loop.
 */
export async function readGrid(source: string, band = 1): Promise<Grid> {
  const dataset = await gdal.openAsync(source);
  try {
    const { x: width, y: height } = await dataset.rasterSizeAsync;
    const b = await dataset.bands.getAsync(band);
    const values = new Float64Array(width * height);
    await b.pixels.readAsync(0, 0, width, height, values);
    const valid = new Uint8Array(width * height).fill(255);
    // All-valid bands and integer nodata need no second read of the pixels through the mask band.
    const flags = b.getMaskFlags();
    const noData = b.noDataValue;
    if (flags === GMF_NODATA && noData !== null && !isFloatType(b.dataType ?? '')) {
      for (let i = 0; i < valid.length; i++) if (values[i] === noData) valid[i] = 0;
    } else if (!(flags & GMF_ALL_VALID)) {
      await b.getMaskBand()?.pixels.readAsync(0, 0, width, height, valid);
    }
    for (let i = 0; i < valid.length; i++) valid[i] = valid[i] !== 0 && !Number.isNaN(values[i]) ? 1 : 0;
    return { width, height, geoTransform: (await dataset.geoTransformAsync) ?? [0, 1, 0, 0, 0, -1], srsWkt: dataset.srs?.toWKT() ?? '', values, valid };
  } finally {
    dataset.close();
  }
}

/** NoData written for each output type. */
export const OUTPUT_NODATA: Record<'Float32' | 'Int32' | 'Byte' | 'Int16', number> = { Float32: -3.4028234663852886e38, Int32: -2147483648, Byte: 255, Int16: -32768 };

/**
 * Writes one or more bands on `grid`'s grid as a tiled GeoTIFF with its overviews; cells with
 * `valid` 0 (or NaN) get the type's nodata value.
 */
export async function writeGrid(file: string, grid: Pick<Grid, 'width' | 'height' | 'geoTransform' | 'srsWkt'>, bands: ArrayLike<number>[], type: keyof typeof OUTPUT_NODATA, valid?: Uint8Array): Promise<void> {
  const driver = gdal.drivers.get('GTiff');
  const dataset = await driver.createAsync(file, grid.width, grid.height, bands.length, type, ['TILED=YES', 'COMPRESS=ZSTD', 'ZSTD_LEVEL=1']);
  try {
    dataset.geoTransform = grid.geoTransform;
    if (grid.srsWkt) dataset.srs = gdal.SpatialReference.fromWKT(grid.srsWkt);
    const noData = OUTPUT_NODATA[type];
    const written: ArrayLike<number>[] = [];
    for (let b = 0; b < bands.length; b++) {
      const band = await dataset.bands.getAsync(b + 1);
      band.noDataValue = noData;
      const data = type === 'Float32' ? new Float32Array(bands[b].length) : type === 'Int32' ? new Int32Array(bands[b].length) : type === 'Int16' ? new Int16Array(bands[b].length) : new Uint8Array(bands[b].length);
      const source = bands[b];
      for (let i = 0; i < data.length; i++) data[i] = (valid && valid[i] === 0) || Number.isNaN(source[i]) ? noData : source[i];
      await band.pixels.writeAsync(0, 0, grid.width, grid.height, data);
      written.push(data);
    }
    await writeOverviews(dataset, written, grid.width, grid.height, type === 'Float32', noData);
    await dataset.flushAsync();
  } finally {
    dataset.close();
  }
}

/** Cell size of a grid (x, y), positive. */
export function cellSizeOf(grid: Pick<Grid, 'geoTransform'>): [number, number] {
  const gt = grid.geoTransform;
  return [Math.hypot(gt[1], gt[4]), Math.hypot(gt[2], gt[5])];
}
