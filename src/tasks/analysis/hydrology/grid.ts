import gdal from 'gdal-async';
import { readBandPixels } from '../../../raster/read-band-pixels.js';
import { timeSection } from '../engines/section-times.js';

/**
 * One band of a raster in memory, row-major, NoData as NaN. The hydrology kernels work on these:
 * D8 walks need random access to the whole grid (a 2,000×2,000 DEM is 32 MB as Float64).
 */
export interface Grid {
  width: number;
  height: number;
  values: Float64Array;
  geoTransform: number[];
  srsWkt: string | null;
}

/** A grid without its cells: what a result written on it, or an engine reading the file, needs. */
export type GridShape = Omit<Grid, 'values'>;

/** Reads band 1 (or `band`) of a raster; its NoData value becomes NaN. */
export function readGrid(source: string, band = 1): Promise<Grid> {
  return timeSection('read grid', () => readBand(source, band));
}

async function readBand(source: string, band: number): Promise<Grid> {
  const { width, height, values, geoTransform, noData, srsWkt } = await readBandPixels(source, band, Float64Array);
  // A NaN NoData (GRASS's float maps) matches no cell: NaN cells are NoData already.
  if (noData !== null && !Number.isNaN(noData)) {
    for (let i = 0; i < values.length; i++) if (values[i] === noData) values[i] = NaN;
  }
  return { width, height, values, geoTransform, srsWkt };
}

/**
 * Band 1's values at some cells (row-major indices on the file's grid), NoData as NaN, as readGrid
 * gives them: one read of the rows and columns around those cells rather than the whole band
 * (a path's destinations in a 2,000² cost surface: one cell, not 32 MB).
 */
export function readGridCells(source: string, cells: number[]): Promise<Map<number, number>> {
  return timeSection('read grid', () => readCellsWindow(source, cells));
}

async function readCellsWindow(source: string, cells: number[]): Promise<Map<number, number>> {
  const found = new Map<number, number>();
  if (cells.length === 0) return found;
  const dataset = await gdal.openAsync(source);
  try {
    const { x: width } = await dataset.rasterSizeAsync;
    let [col0, row0, col1, row1] = [Infinity, Infinity, -Infinity, -Infinity];
    for (const cell of cells) {
      const col = cell % width;
      const row = Math.floor(cell / width);
      [col0, row0, col1, row1] = [Math.min(col0, col), Math.min(row0, row), Math.max(col1, col), Math.max(row1, row)];
    }
    const w = col1 - col0 + 1;
    const window = new Float64Array(w * (row1 - row0 + 1));
    const band = await dataset.bands.getAsync(1);
    await band.pixels.readAsync(col0, row0, w, row1 - row0 + 1, window);
    const noData = band.noDataValue;
    for (const cell of cells) {
      const v = window[(Math.floor(cell / width) - row0) * w + (cell % width) - col0]!;
      found.set(cell, noData !== null && !Number.isNaN(noData) && v === noData ? NaN : v);
    }
    return found;
  } finally {
    dataset.close();
  }
}

export type GridType = 'Float32' | 'Float64' | 'Int32' | 'Int16' | 'Byte';

const NODATA: Record<GridType, number> = { Float32: -3.4028234663852886e38, Float64: -1.7976931348623157e308, Int32: -2147483648, Int16: -32768, Byte: 255 };

/**
 * Writes values (NaN = NoData) as a tiled GeoTIFF on the template's grid: ZSTD level 1 for
 * results (published as they are), uncompressed for `scratch` files an engine reads once —
 * DEFLATE (zlib) costs several times more CPU to write. `metadata` (dataset tags) is set while
 * the file is being made, not by opening it again.
 */
export function writeGrid(file: string, template: Pick<Grid, 'width' | 'height' | 'geoTransform' | 'srsWkt'>, values: ArrayLike<number>, type: GridType, scratch = false, metadata?: Record<string, string>): Promise<void> {
  return timeSection(scratch ? 'write scratch grid' : 'write result grid', () => writeBand(file, template, values, type, scratch, metadata));
}

async function writeBand(file: string, template: Pick<Grid, 'width' | 'height' | 'geoTransform' | 'srsWkt'>, values: ArrayLike<number>, type: GridType, scratch: boolean, metadata: Record<string, string> | undefined): Promise<void> {
  const compression = scratch ? [] : ['COMPRESS=ZSTD', 'ZSTD_LEVEL=1'];
  const dataset = await gdal.drivers.get('GTiff').createAsync(file, template.width, template.height, 1, type, [...compression, 'TILED=YES']);
  try {
    dataset.geoTransform = template.geoTransform;
    if (template.srsWkt) dataset.srs = gdal.SpatialReference.fromWKT(template.srsWkt);
    if (metadata) dataset.setMetadata(metadata);
    const band = dataset.bands.get(1);
    const noData = NODATA[type];
    band.noDataValue = noData;
    await band.pixels.writeAsync(0, 0, template.width, template.height, toBandArray(values, type, noData));
    dataset.flush();
  } finally {
    dataset.close();
  }
}

const FLOAT32_MAX = 3.4028234663852886e38;

/** A finite value past the float range clamped to it, as GDAL narrows doubles to Float32 (infinities and NaN kept). */
export function inFloat32Range(v: number): number {
  return v > FLOAT32_MAX && v !== Infinity ? FLOAT32_MAX : v < -FLOAT32_MAX && v !== -Infinity ? -FLOAT32_MAX : v;
}

/**
 * The values as the array GDAL writes, NaN as `noData`. Float32 results are narrowed here, as
 * GDAL would (nearest float; finite values past the float range clamped to it): handing GDAL a
 * Float32Array moves half the bytes of a Float64 one. Integer types go as Int32 for GDAL to round
 * and clamp to the band's type.
 */
function toBandArray(values: ArrayLike<number>, type: GridType, noData: number): Float32Array | Float64Array | Int32Array {
  const n = values.length;
  if (type === 'Float32') {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const v = values[i]!;
      out[i] = Number.isNaN(v) ? noData : inFloat32Range(v);
    }
    return out;
  }
  const out = type === 'Float64' ? new Float64Array(n) : new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    out[i] = Number.isNaN(v) ? noData : v;
  }
  return out;
}

/** Throws unless the two grids share size and (to a thousandth of a cell) geotransform. */
export function sameGrid(a: GridShape, b: GridShape): boolean {
  if (a.width !== b.width || a.height !== b.height) return false;
  const tolerance = Math.abs(a.geoTransform[1]!) / 1000;
  return a.geoTransform.every((v, i) => Math.abs(v - b.geoTransform[i]!) <= tolerance);
}

/** Cell width and height in map units (positive). */
export function cellSizes(grid: Pick<Grid, 'geoTransform'>): { dx: number; dy: number } {
  return { dx: Math.hypot(grid.geoTransform[1]!, grid.geoTransform[4]!), dy: Math.hypot(grid.geoTransform[2]!, grid.geoTransform[5]!) };
}

/** Reads several bands (1-based) of a raster as Float64 arrays, NoData as NaN. */
export async function readBands(source: string, bands: number[]): Promise<Grid[]> {
  const grids: Grid[] = [];
  for (const band of bands) grids.push(await readGrid(source, band));
  return grids;
}

/**
 * Writes several bands of one type on the template's grid (no NoData value: every cell is set),
 * ZSTD level 1 as writeGrid's results. Byte bands (whole 0–255 values) go to GDAL as bytes.
 */
export function writeBands(file: string, template: Pick<Grid, 'width' | 'height' | 'geoTransform' | 'srsWkt'>, bands: ArrayLike<number>[], type: GridType): Promise<void> {
  return timeSection('write result grid', () => writeBandSet(file, template, bands, type));
}

async function writeBandSet(file: string, template: Pick<Grid, 'width' | 'height' | 'geoTransform' | 'srsWkt'>, bands: ArrayLike<number>[], type: GridType): Promise<void> {
  const rgb = bands.length === 3 ? ['PHOTOMETRIC=RGB'] : [];
  const dataset = await gdal.drivers.get('GTiff').createAsync(file, template.width, template.height, bands.length, type, ['COMPRESS=ZSTD', 'ZSTD_LEVEL=1', 'TILED=YES', ...rgb]);
  try {
    dataset.geoTransform = template.geoTransform;
    if (template.srsWkt) dataset.srs = gdal.SpatialReference.fromWKT(template.srsWkt);
    for (let b = 0; b < bands.length; b++) {
      const values = bands[b]!;
      const out = type === 'Byte' ? Uint8Array.from(values) : Float64Array.from(values);
      await dataset.bands.get(b + 1).pixels.writeAsync(0, 0, template.width, template.height, out);
    }
    dataset.flush();
  } finally {
    dataset.close();
  }
}

/** Number of bands of a raster. */
export async function countBands(source: string): Promise<number> {
  const dataset = await gdal.openAsync(source);
  try {
    return dataset.bands.count();
  } finally {
    dataset.close();
  }
}
