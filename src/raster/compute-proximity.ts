import { gdalCApi, gdalFailure, whyNotOpened } from './gdal-c-api.js';
import { withOverviewCompression } from './internal-overviews.js';
import { isFloatType } from './pixel-type.js';
import { throwIfAborted } from './raster-error.js';
import { overviewLevels } from './write-overviews.js';

/** One `gdal_proximity.py` run's options, by name: its command line (proximityCommandArgs) and GDALComputeProximity's options. */
export interface ProximityParams {
  /** The target cells' values (`-values`), comma-separated. */
  values: string;
  /** `-distunits`: distances in georeferenced units or in pixels. */
  distUnits: 'GEO' | 'PIXEL';
  /** The result's pixel type (`-ot`). */
  dataType: string;
  /** The result GTiff's creation options (`-co`). */
  creationOptions: string[];
  /** `-maxdist`: cells farther from any target get `noData`. */
  maxDistance?: number;
  /** `-nodata`: the result's nodata value. */
  noData?: number;
}

/** The command line for `params` (before the source and result names). */
export function proximityCommandArgs(params: ProximityParams): string[] {
  const args = ['-q', '-values', params.values, '-distunits', params.distUnits, '-ot', params.dataType, ...params.creationOptions.flatMap((option) => ['-co', option])];
  if (params.maxDistance !== undefined) args.push('-maxdist', String(params.maxDistance));
  if (params.noData !== undefined) args.push('-nodata', String(params.noData));
  return args;
}

/** GDALComputeProximity's options, as gdal_proximity.py's main() passes them. */
function algorithmOptions(params: ProximityParams): string[] {
  const options = [`VALUES=${params.values}`, `DISTUNITS=${params.distUnits}`];
  if (params.maxDistance !== undefined) options.push(`MAXDIST=${params.maxDistance}`);
  if (params.noData !== undefined) options.push(`NODATA=${params.noData}`);
  return options;
}

/**
 * gdal_proximity.py's work as its Python does it (open the source, create the GTiff with the
 * source's size, georeference and creation options, GDALComputeProximity on band 1), then the
 * result's internal overviews (as addInternalOverviews) on the dataset still open, all through
 * GDAL's C API in this process: the libgdal gdal-async runs on, called over FFI (koffi) on
 * koffi's threads. The same code on the same arguments, so the same file, byte for byte, without
 * starting Python and importing GDAL's bindings (~0.17 s CPU of a 0.7 s job on a 2000² grid,
 * bench/raster-analysis.ts). A call cannot be interrupted: a cancel ends the worker after the
 * runner's grace period, as for the other library calls. Returns false, touching nothing, where
 * that library cannot be reached: then run the script.
 */
export async function computeProximity(source: string, file: string, params: ProximityParams, signal: AbortSignal): Promise<boolean> {
  const api = gdalApi();
  if (!api) return false;
  throwIfAborted(signal);
  // Steps run on koffi's threads report no GDAL text here (it stays on that thread); opens and band lookups do.
  const fail = (what: string, gdalText = '') => gdalFailure(`gdal_proximity failed: ${what}`, gdalText);
  const opened = await api.open(source, 0);
  if (!opened) throw fail('the source could not be opened', await whyNotOpened(source));
  try {
    const [width, height] = [api.width(opened), api.height(opened)];
    const type = api.typeByName(params.dataType);
    const result = await api.create(api.driver('GTiff'), file, width, height, 1, type, [...params.creationOptions, null]);
    if (!result) throw fail('the result could not be created');
    try {
      api.resetError();
      const [sourceBand, resultBand] = [api.band(opened, 1), api.band(result, 1)];
      if (!sourceBand || !resultBand) throw fail('band 1', api.lastError());
      const geoTransform = new Float64Array(6);
      api.getGeoTransform(opened, geoTransform);
      api.setGeoTransform(result, geoTransform);
      api.setProjection(result, api.projection(opened));
      if ((await api.proximity(sourceBand, resultBand, [...algorithmOptions(params), null], null, null)) !== 0) throw fail('GDALComputeProximity');
      throwIfAborted(signal);
      const levels = overviewLevels(width, height);
      if (levels.length > 0) {
        const resampling = isFloatType(params.dataType) ? 'AVERAGE' : 'NEAREST';
        const built = await withOverviewCompression(() => api.buildOverviews(result, resampling, levels.length, Int32Array.from(levels), 0, null, null, null));
        if (built !== 0) throw fail('the overviews could not be built');
      }
    } finally {
      await api.close(result);
    }
  } finally {
    await api.close(opened);
  }
  return true;
}

type Handle = unknown;
type Async<A extends unknown[], R> = (...args: A) => Promise<R>;

interface GdalApi {
  resetError(): void;
  lastError(): string;
  open: Async<[string, number], Handle | null>;
  create: Async<[Handle, string, number, number, number, number, Array<string | null>], Handle | null>;
  proximity: Async<[Handle, Handle, Array<string | null>, null, null], number>;
  buildOverviews: Async<[Handle, string, number, Int32Array, number, null, null, null], number>;
  close: Async<[Handle], void>;
  width(dataset: Handle): number;
  height(dataset: Handle): number;
  band(dataset: Handle, n: number): Handle | null;
  driver(name: string): Handle;
  typeByName(name: string): number;
  getGeoTransform(dataset: Handle, out: Float64Array): number;
  setGeoTransform(dataset: Handle, geoTransform: Float64Array): number;
  projection(dataset: Handle): string;
  setProjection(dataset: Handle, wkt: string): number;
}

let api: GdalApi | null | undefined;

/**
 * The few GDAL C functions computeProximity calls (gdal-c-api.ts); null where that API cannot be
 * reached, or when koffi's threads have too small a stack for GDAL's writers.
 */
function gdalApi(): GdalApi | null {
  if (api !== undefined) return api;
  const c = gdalCApi();
  api = c?.fullStack
    ? {
        resetError: c.resetError,
        lastError: c.lastError,
        open: c.async('GDALHandle GDALOpen(const char *, int)'),
        create: c.async('GDALHandle GDALCreate(GDALHandle, const char *, int, int, int, int, const char **)'),
        proximity: c.async('int GDALComputeProximity(GDALHandle, GDALHandle, const char **, void *, void *)'),
        buildOverviews: c.async('int GDALBuildOverviews(GDALHandle, const char *, int, int *, int, int *, void *, void *)'),
        close: c.async('void GDALClose(GDALHandle)'),
        width: c.sync('int GDALGetRasterXSize(GDALHandle)'),
        height: c.sync('int GDALGetRasterYSize(GDALHandle)'),
        band: c.sync('GDALHandle GDALGetRasterBand(GDALHandle, int)'),
        driver: c.sync('GDALHandle GDALGetDriverByName(const char *)'),
        typeByName: c.sync('int GDALGetDataTypeByName(const char *)'),
        getGeoTransform: c.sync('int GDALGetGeoTransform(GDALHandle, _Out_ double *)'),
        setGeoTransform: c.sync('int GDALSetGeoTransform(GDALHandle, double *)'),
        projection: c.sync('const char *GDALGetProjectionRef(GDALHandle)'),
        setProjection: c.sync('int GDALSetProjection(GDALHandle, const char *)'),
      }
    : null;
  return api;
}
