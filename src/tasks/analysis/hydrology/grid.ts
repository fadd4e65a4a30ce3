import gdal from 'gdal-async';

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

/** Reads band 1 (or `band`) of a raster; its NoData value becomes NaN. */
export async function readGrid(source: string, band = 1): Promise<Grid> {
  const dataset = await gdal.openAsync(source);
  try {
    const raster = await dataset.bands.getAsync(band);
    const { x: width, y: height } = dataset.rasterSize;
    const values = new Float64Array(width * height);
    await raster.pixels.readAsync(0, 0, width, height, values);
    const noData = raster.noDataValue;
    if (noData !== null && noData !== undefined) {
      for (let i = 0; i < values.length; i++) if (values[i] === noData) values[i] = NaN;
    }
    return { width, height, values, geoTransform: dataset.geoTransform ?? [0, 1, 0, 0, 0, -1], srsWkt: dataset.srs?.toWKT() ?? null };
  } finally {
    dataset.close();
  }
}

export type GridType = 'Float32' | 'Float64' | 'Int32' | 'Int16' | 'Byte';

const NODATA: Record<GridType, number> = { Float32: -3.4028234663852886e38, Float64: -1.7976931348623157e308, Int32: -2147483648, Int16: -32768, Byte: 255 };

/**
 * Writes values (NaN = NoData) as a tiled GeoTIFF on the template's grid: ZSTD level 1 for
 * results (published as they are), uncompressed for `scratch` files an engine reads once —
 * DEFLATE (zlib) costs several times more CPU to write.
 */
export async function writeGrid(file: string, template: Pick<Grid, 'width' | 'height' | 'geoTransform' | 'srsWkt'>, values: ArrayLike<number>, type: GridType, scratch = false): Promise<void> {
  const compression = scratch ? [] : ['COMPRESS=ZSTD', 'ZSTD_LEVEL=1'];
  const dataset = await gdal.drivers.get('GTiff').createAsync(file, template.width, template.height, 1, type, [...compression, 'TILED=YES']);
  try {
    dataset.geoTransform = template.geoTransform;
    if (template.srsWkt) dataset.srs = gdal.SpatialReference.fromWKT(template.srsWkt);
    const band = dataset.bands.get(1);
    const noData = NODATA[type];
    band.noDataValue = noData;
    const out = type.startsWith('Float') ? new Float64Array(values.length) : new Int32Array(values.length);
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      out[i] = Number.isNaN(v) ? noData : v;
    }
    await band.pixels.writeAsync(0, 0, template.width, template.height, out);
    dataset.flush();
  } finally {
    dataset.close();
  }
}

/** Throws unless the two grids share size and (to a thousandth of a cell) geotransform. */
export function sameGrid(a: Grid, b: Grid): boolean {
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

/** Writes several bands of one type on the template's grid (no NoData value: every cell is set). */
export async function writeBands(file: string, template: Pick<Grid, 'width' | 'height' | 'geoTransform' | 'srsWkt'>, bands: ArrayLike<number>[], type: GridType): Promise<void> {
  const rgb = bands.length === 3 ? ['PHOTOMETRIC=RGB'] : [];
  const dataset = await gdal.drivers.get('GTiff').createAsync(file, template.width, template.height, bands.length, type, ['COMPRESS=DEFLATE', 'TILED=YES', ...rgb]);
  try {
    dataset.geoTransform = template.geoTransform;
    if (template.srsWkt) dataset.srs = gdal.SpatialReference.fromWKT(template.srsWkt);
    for (let b = 0; b < bands.length; b++) {
      const values = bands[b]!;
      const out = new Float64Array(values.length);
      for (let i = 0; i < values.length; i++) out[i] = values[i]!;
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
