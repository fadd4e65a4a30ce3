import gdal from 'gdal-async';
import { isFloatType } from '../../raster/pixel-type.js';
import { GMF_ALL_VALID, GMF_NODATA } from '../../raster/read-reduced.js';
import { StripOverviews, writeOverviews } from '../../raster/write-overviews.js';
import { timeSection } from './engines/section-times.js';

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
export function readGrid(source: string, band = 1): Promise<Grid> {
  return timeSection('read grid', () => readBand(source, band));
}

async function readBand(source: string, band: number): Promise<Grid> {
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

/** A grid and which cells hold data, without the values: what a result written on it needs. */
export type GridFrame = Omit<Grid, 'values'>;

/**
 * readGrid without keeping the values: doubles are read only when the band is a float type (its
 * NaN cells have no data), in the band's own type, and the mask only when the band has one.
 * Spares the 8 bytes a cell (and their page faults) a task that only needs the frame would pay.
 */
export function readGridFrame(source: string): Promise<GridFrame> {
  return timeSection('read grid', () => readFrame(source));
}

async function readFrame(source: string): Promise<GridFrame> {
  const dataset = await gdal.openAsync(source);
  try {
    const { x: width, y: height } = await dataset.rasterSizeAsync;
    const b = await dataset.bands.getAsync(1);
    const valid = new Uint8Array(width * height).fill(1);
    if (!(b.getMaskFlags() & GMF_ALL_VALID)) {
      await b.getMaskBand()?.pixels.readAsync(0, 0, width, height, valid);
      for (let i = 0; i < valid.length; i++) valid[i] = valid[i] !== 0 ? 1 : 0;
    }
    const type = b.dataType ?? '';
    if (isFloatType(type)) {
      await forEachStrip<Float32Array | Float64Array>(b, width, height, type === 'Float32' ? Float32Array : Float64Array, (values, firstRow) => {
        const offset = firstRow * width;
        for (let i = 0; i < values.length; i++) if (Number.isNaN(values[i])) valid[offset + i] = 0;
      });
    }
    return { width, height, geoTransform: (await dataset.geoTransformAsync) ?? [0, 1, 0, 0, 0, -1], srsWkt: dataset.srs?.toWKT() ?? '', valid };
  } finally {
    dataset.close();
  }
}

/** About a megabyte of cells: a strip of that many is read into one buffer, reused. */
const STRIP_CELLS = 1 << 18;

/**
 * A band read a strip of whole blocks' rows at a time into one reused buffer of `Type`: a pass
 * over a grid without a whole grid's fresh memory (whose page faults cost more than the pass).
 */
async function forEachStrip<T extends Uint8Array | Float32Array | Float64Array>(band: gdal.RasterBand, width: number, height: number, Type: new (n: number) => T, visit: (strip: T, firstRow: number, rows: number) => void): Promise<void> {
  const blockRows = Math.max(1, band.blockSize.y);
  const stripRows = Math.min(height, blockRows * Math.max(1, Math.floor(STRIP_CELLS / (width * blockRows))));
  const buffer = new Type(stripRows * width);
  for (let firstRow = 0; firstRow < height; firstRow += stripRows) {
    const rows = Math.min(stripRows, height - firstRow);
    const strip = buffer.subarray(0, rows * width) as T;
    await band.pixels.readAsync(0, firstRow, width, rows, strip);
    visit(strip, firstRow, rows);
  }
}

/** The value of one cell of band 1 (as readGrid would give it). */
export function readCell(source: string, col: number, row: number): Promise<number> {
  return atCell(source, col, row, (value) => value);
}

/** Whether one cell of band 1 holds data (as readGridFrame's `valid` would say). */
export function cellHasData(source: string, col: number, row: number): Promise<boolean> {
  return atCell(source, col, row, async (value, band) => {
    if (Number.isNaN(value)) return false;
    if (band.getMaskFlags() & GMF_ALL_VALID) return true;
    const mask = new Uint8Array(1);
    await band.getMaskBand()?.pixels.readAsync(col, row, 1, 1, mask);
    return mask[0] !== 0;
  });
}

/** Opens `source`, reads one cell of band 1 as a double and hands it, with the band, to `use`. */
async function atCell<T>(source: string, col: number, row: number, use: (value: number, band: gdal.RasterBand) => T | Promise<T>): Promise<T> {
  const dataset = await gdal.openAsync(source);
  try {
    const band = await dataset.bands.getAsync(1);
    const value = new Float64Array(1);
    await band.pixels.readAsync(col, row, 1, 1, value);
    return await use(value[0], band);
  } finally {
    dataset.close();
  }
}

/** A raster's grid: size, georeference and SRS, no pixels read. */
export async function readGridShape(source: string): Promise<Pick<Grid, 'width' | 'height' | 'geoTransform' | 'srsWkt'>> {
  const dataset = await gdal.openAsync(source);
  try {
    const { x: width, y: height } = await dataset.rasterSizeAsync;
    return { width, height, geoTransform: (await dataset.geoTransformAsync) ?? [0, 1, 0, 0, 0, -1], srsWkt: dataset.srs?.toWKT() ?? '' };
  } finally {
    dataset.close();
  }
}

/**
 * Which cells of band 1 hold data, a strip of rows at a time (readGridFrame's `valid`, without
 * a whole grid): open once, then `read(valid, firstRow, rows)` fills 1/0 for those rows.
 */
export async function openValidStrips(source: string): Promise<{ read: (valid: Uint8Array, firstRow: number, rows: number) => Promise<void>; close: () => void }> {
  const dataset = await gdal.openAsync(source);
  const band = await dataset.bands.getAsync(1);
  const { x: width } = await dataset.rasterSizeAsync;
  const allValid = (band.getMaskFlags() & GMF_ALL_VALID) !== 0;
  const type = band.dataType ?? '';
  const Values = isFloatType(type) ? (type === 'Float32' ? Float32Array : Float64Array) : undefined;
  let values: Float32Array | Float64Array | undefined;
  return {
    read: async (valid, firstRow, rows) => {
      const cells = rows * width;
      if (allValid) valid.fill(1, 0, cells);
      else {
        await band.getMaskBand()!.pixels.readAsync(0, firstRow, width, rows, valid.subarray(0, cells));
        for (let i = 0; i < cells; i++) valid[i] = valid[i] !== 0 ? 1 : 0;
      }
      if (!Values) return;
      if (!values || values.length < cells) values = new Values(cells);
      const strip = values.subarray(0, cells);
      await band.pixels.readAsync(0, firstRow, width, rows, strip);
      for (let i = 0; i < cells; i++) if (Number.isNaN(strip[i])) valid[i] = 0;
    },
    close: () => dataset.close(),
  };
}

/** NoData written for each output type. */
export const OUTPUT_NODATA: Record<'Float32' | 'Int32' | 'Byte' | 'Int16', number> = { Float32: -3.4028234663852886e38, Int32: -2147483648, Byte: 255, Int16: -32768 };

const OUTPUT_ARRAY = { Float32: Float32Array, Int32: Int32Array, Int16: Int16Array, Byte: Uint8Array } as const;

/**
 * Writes one or more bands on `grid`'s grid as a tiled GeoTIFF with its overviews; cells with
 * `valid` 0 (or NaN) get the type's nodata value. With `reuseBands`, a band already held in the
 * output type's array gets its nodata cells set in place and is written as it is: no copy of a
 * whole grid (whose fresh pages cost as much as the write). `metadata`: dataset tags.
 */
export function writeGrid(
  file: string,
  grid: Pick<Grid, 'width' | 'height' | 'geoTransform' | 'srsWkt'>,
  bands: ArrayLike<number>[],
  type: keyof typeof OUTPUT_NODATA,
  valid?: Uint8Array,
  options: { reuseBands?: boolean; metadata?: Record<string, string> } = {},
): Promise<void> {
  return timeSection('write result grid', () => writeBands(file, grid, bands, type, valid, options));
}

async function writeBands(
  file: string,
  grid: Pick<Grid, 'width' | 'height' | 'geoTransform' | 'srsWkt'>,
  bands: ArrayLike<number>[],
  type: keyof typeof OUTPUT_NODATA,
  valid: Uint8Array | undefined,
  options: { reuseBands?: boolean; metadata?: Record<string, string> },
): Promise<void> {
  await createGridFile(file, grid, bands.length, type, async (dataset) => {
    if (options.metadata) dataset.setMetadata(options.metadata);
    const noData = OUTPUT_NODATA[type];
    const written: ArrayLike<number>[] = [];
    for (let b = 0; b < bands.length; b++) {
      const band = await dataset.bands.getAsync(b + 1);
      band.noDataValue = noData;
      const source = bands[b];
      const Output = OUTPUT_ARRAY[type];
      const data = options.reuseBands && source instanceof Output ? source : new Output(source.length);
      for (let i = 0; i < data.length; i++) data[i] = (valid && valid[i] === 0) || Number.isNaN(source[i]) ? noData : source[i];
      await band.pixels.writeAsync(0, 0, grid.width, grid.height, data);
      written.push(data);
    }
    await writeOverviews(dataset, written, grid.width, grid.height, type === 'Float32', noData);
  });
}

/**
 * Creates `file`, a tiled ZSTD GeoTIFF of `bands` bands of `type` on `grid`'s grid (its
 * georeference set), has `write` fill it, then flushes and closes it (closed on failure too).
 */
async function createGridFile(
  file: string,
  grid: Pick<Grid, 'width' | 'height' | 'geoTransform' | 'srsWkt'>,
  bands: number,
  type: keyof typeof OUTPUT_NODATA,
  write: (dataset: gdal.Dataset) => Promise<void>,
): Promise<void> {
  const dataset = await gdal.drivers.get('GTiff').createAsync(file, grid.width, grid.height, bands, type, ['TILED=YES', 'COMPRESS=ZSTD', 'ZSTD_LEVEL=1']);
  try {
    dataset.geoTransform = grid.geoTransform;
    if (grid.srsWkt) dataset.srs = gdal.SpatialReference.fromWKT(grid.srsWkt);
    await write(dataset);
    await dataset.flushAsync();
  } finally {
    dataset.close();
  }
}

type IntegerOutput = 'Int32' | 'Int16' | 'Byte';

/**
 * writeGrid for one integer band made a strip of rows at a time: `fill` sets the strip's cells
 * (the type's nodata where there is none) for rows firstRow … firstRow + rows - 1; the strip is
 * written and its overview cells kept as it passes. No whole grid in memory, and one pass.
 */
export async function writeGridStrips<K extends IntegerOutput>(
  file: string,
  grid: Pick<Grid, 'width' | 'height' | 'geoTransform' | 'srsWkt'>,
  type: K,
  fill: (strip: InstanceType<(typeof OUTPUT_ARRAY)[K]>, firstRow: number, rows: number) => Promise<void>,
): Promise<void> {
  type Strip = InstanceType<(typeof OUTPUT_ARRAY)[K]>;
  const { width, height } = grid;
  await createGridFile(file, grid, 1, type, async (dataset) => {
    const band = await dataset.bands.getAsync(1);
    band.noDataValue = OUTPUT_NODATA[type];
    const Output = OUTPUT_ARRAY[type] as unknown as new (n: number) => Strip;
    const overviews = new StripOverviews<Strip>(width, height, Output);
    // Whole rows of tiles: each tile is compressed once, from one strip.
    const stripRows = Math.min(height, band.blockSize.y * Math.max(1, Math.floor(STRIP_CELLS / (width * band.blockSize.y))));
    const buffer = new Output(stripRows * width);
    for (let firstRow = 0; firstRow < height; firstRow += stripRows) {
      const rows = Math.min(stripRows, height - firstRow);
      const strip = buffer.subarray(0, rows * width) as Strip;
      await fill(strip, firstRow, rows);
      await band.pixels.writeAsync(0, firstRow, width, rows, strip);
      overviews.take(strip, firstRow, rows);
    }
    await overviews.writeTo(dataset, band);
  });
}

/** Cell size of a grid (x, y), positive. */
export function cellSizeOf(grid: Pick<Grid, 'geoTransform'>): [number, number] {
  const gt = grid.geoTransform;
  return [Math.hypot(gt[1], gt[4]), Math.hypot(gt[2], gt[5])];
}
