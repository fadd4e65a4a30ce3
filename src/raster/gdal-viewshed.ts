import { gdalCApi, gdalFailure, whyNotOpened } from './gdal-c-api.js';
import { RasterError, throwIfAborted } from './raster-error.js';
import { readBandPixels } from './read-band-pixels.js';
import { runGdalCommand } from './run-gdal-command.js';

/** One observer's `gdal_viewshed` run: the command's options, by name. */
export interface ViewshedParams {
  x: number;
  y: number;
  /** Observer height above the surface (`-oz`). */
  height: number;
  /** Target height above the surface (`-tz`). */
  target: number;
  /** `-md`; 0 or absent: no limit, the whole surface. */
  maxDistance?: number;
  /** NORMAL: visible/invisible/out-of-range values (Byte); GROUND: lowest visible target height (Float64). */
  mode: 'NORMAL' | 'GROUND';
  visible?: number;
  invisible?: number;
  outOfRange?: number;
}

/** What gdal_viewshed wrote, in memory: a window of the surface's grid (all of it without `-md`). */
export interface ViewshedWindow<T extends Uint8Array | Float64Array> {
  width: number;
  height: number;
  geoTransform: number[];
  values: T;
  /** The band's nodata value, if it has one. */
  noData: number | null;
}

/** The command line for `params` (before the source and output names). */
export function viewshedCommandArgs(params: ViewshedParams): string[] {
  const args = ['-q', '-ox', String(params.x), '-oy', String(params.y), '-oz', String(params.height), '-tz', String(params.target), '-om', params.mode];
  if (params.mode === 'NORMAL') args.push('-vv', String(params.visible ?? 255), '-iv', String(params.invisible ?? 0), '-ov', String(params.outOfRange ?? 0));
  if (params.maxDistance) args.push('-md', String(params.maxDistance));
  return args;
}

/** `gdal_viewshed args dem file`, then the file read back: for surfaces the library may not read (network, VRT). */
export async function viewshedByCommand<T extends Uint8Array | Float64Array>(dem: string, params: ViewshedParams, file: string, signal: AbortSignal): Promise<ViewshedWindow<T>> {
  await runGdalCommand('gdal_viewshed', [...viewshedCommandArgs(params), dem, file], { signal });
  const { width, height, values, geoTransform, noData } = await readBandPixels<Uint8Array | Float64Array>(file, 1, params.mode === 'NORMAL' ? Uint8Array : Float64Array);
  return { width, height, geoTransform, values: values as T, noData };
}

type Handle = object;
interface Gdal {
  resetError(): void;
  lastError(): string;
  GDALOpen(name: string, access: number): Promise<Handle | null>;
  GDALClose(dataset: Handle): number;
  GDALGetRasterBand(dataset: Handle, band: number): Handle | null;
  GDALGetRasterXSize(dataset: Handle): number;
  GDALGetRasterYSize(dataset: Handle): number;
  GDALGetGeoTransform(dataset: Handle, out: Float64Array): number;
  GDALGetRasterNoDataValue(band: Handle, ok: Int32Array): number;
  GDALRasterIO(band: Handle, rw: number, x: number, y: number, w: number, h: number, buffer: ArrayBufferView, bw: number, bh: number, type: number, pixelSpace: number, lineSpace: number): number;
  GDALViewshedGenerate(...args: unknown[]): Promise<Handle | null>;
}

const GDT_BYTE = 1;
const GDT_FLOAT64 = 7;
const GVM_EDGE = 2;
const GVOT = { NORMAL: 1, GROUND: 3 } as const;
/** gdal_viewshed's defaults in GDAL 3.6 for what the command line above leaves unset: `-cc`, `-a_nodata`. */
const CURVATURE = 0.85714;
const NO_DATA = -1;

let bound: Gdal | null | undefined;

/** The functions a viewshed needs, from GDAL's C API (gdal-c-api.ts); null where it cannot be reached. */
function library(): Gdal | null {
  if (bound !== undefined) return bound;
  const api = gdalCApi();
  bound = api && {
    resetError: api.resetError,
    lastError: api.lastError,
    GDALOpen: api.async('GDALHandle GDALOpen(const char *, int)'),
    GDALClose: api.sync('int GDALClose(GDALHandle)'),
    GDALGetRasterBand: api.sync('GDALHandle GDALGetRasterBand(GDALHandle, int)'),
    GDALGetRasterXSize: api.sync('int GDALGetRasterXSize(GDALHandle)'),
    GDALGetRasterYSize: api.sync('int GDALGetRasterYSize(GDALHandle)'),
    GDALGetGeoTransform: api.sync('int GDALGetGeoTransform(GDALHandle, _Out_ double *)'),
    GDALGetRasterNoDataValue: api.sync('double GDALGetRasterNoDataValue(GDALHandle, _Out_ int *)'),
    GDALRasterIO: api.sync('int GDALRasterIO(GDALHandle, int, int, int, int, int, void *, int, int, int, int, int)'),
    GDALViewshedGenerate: api.async(
      'GDALHandle GDALViewshedGenerate(GDALHandle, const char *, const char *, void *, double, double, double, double, double, double, double, double, double, int, double, void *, void *, int, void *)',
    ),
  };
  return bound;
}

/** A surface opened once for several viewsheds (its blocks read once into GDAL's cache). */
export interface ViewshedSurface {
  viewshed<T extends Uint8Array | Float64Array>(params: ViewshedParams, signal: AbortSignal): Promise<ViewshedWindow<T>>;
  close(): void;
}

/**
 * Opens `dem` (a local file) for GDALViewshedGenerate in this process, as `gdal_viewshed` runs it
 * (edge mode, its curvature and nodata defaults) but into a MEM dataset read straight back: no
 * process start, GTiff write or re-read per observer (bench/raster-analysis.ts). Each call runs
 * on libuv's pool and cannot be interrupted: a cancel is seen between observers, or ends the job
 * worker. Undefined when GDAL's C API is not reachable here: the caller runs the command.
 */
export async function openViewshedSurface(dem: string): Promise<ViewshedSurface | undefined> {
  const api = library();
  if (!api) return undefined;
  const unreadable = 'gdal_viewshed could not read the elevation surface';
  const dataset = await api.GDALOpen(dem, 0);
  if (!dataset) throw gdalFailure(unreadable, await whyNotOpened(dem), 'RASTER_UNREADABLE');
  api.resetError();
  const band = api.GDALGetRasterBand(dataset, 1);
  if (!band) {
    const gdalText = api.lastError();
    api.GDALClose(dataset);
    throw gdalFailure(unreadable, gdalText, 'RASTER_UNREADABLE');
  }
  return {
    viewshed: async <T extends Uint8Array | Float64Array>(params: ViewshedParams, signal: AbortSignal) => {
      throwIfAborted(signal);
      const made = await api.GDALViewshedGenerate(band, 'MEM', '', null, params.x, params.y, params.height, params.target, params.visible ?? 255, params.invisible ?? 0, params.outOfRange ?? 0, NO_DATA, CURVATURE, GVM_EDGE, params.maxDistance ?? 0, null, null, GVOT[params.mode], null);
      // Its error stays on the pool thread that ran it: no GDAL text here.
      if (!made) throw new RasterError('RASTER_GDAL_FAILED', 'gdal_viewshed failed');
      try {
        const width = api.GDALGetRasterXSize(made);
        const height = api.GDALGetRasterYSize(made);
        const out = api.GDALGetRasterBand(made, 1)!;
        const values = (params.mode === 'NORMAL' ? new Uint8Array(width * height) : new Float64Array(width * height)) as T;
        // A copy out of memory: not worth a trip to the pool.
        api.resetError();
        if (api.GDALRasterIO(out, 0, 0, 0, width, height, values, width, height, params.mode === 'NORMAL' ? GDT_BYTE : GDT_FLOAT64, 0, 0) !== 0) throw gdalFailure('gdal_viewshed failed', api.lastError());
        const geoTransform = new Float64Array(6);
        const transformed = api.GDALGetGeoTransform(made, geoTransform) === 0;
        const hasNoData = new Int32Array(1);
        const noData = api.GDALGetRasterNoDataValue(out, hasNoData);
        return { width, height, geoTransform: transformed ? [...geoTransform] : [0, 1, 0, 0, 0, -1], values, noData: hasNoData[0] ? noData : null };
      } finally {
        api.GDALClose(made);
      }
    },
    close: () => void api.GDALClose(dataset),
  };
}
