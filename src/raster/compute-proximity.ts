import { gdalCApi } from './gdal-c-api.js';
import { withOverviewCompression } from './internal-overviews.js';
import { isFloatType } from './pixel-type.js';
import { RasterError, throwIfAborted } from './raster-error.js';
import { overviewLevels } from './write-overviews.js';

/** What `gdal_proximity.py` makes of its arguments: GDALComputeProximity's options and the GTiff it creates. */
export interface ProximityRequest {
  source: string;
  file: string;
  dataType: string;
  creationOptions: string[];
  /** VALUES=…, DISTUNITS=…, MAXDIST=…, NODATA=… */
  options: string[];
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
export async function computeProximity(request: ProximityRequest, signal: AbortSignal): Promise<boolean> {
  const api = gdalApi();
  if (!api) return false;
  throwIfAborted(signal);
  const fail = (what: string) => new RasterError('RASTER_GDAL_FAILED', `gdal_proximity failed: ${what}`);
  const source = await api.open(request.source, 0);
  if (!source) throw fail('the source could not be opened');
  try {
    const [width, height] = [api.width(source), api.height(source)];
    const type = api.typeByName(request.dataType);
    const result = await api.create(api.driver('GTiff'), request.file, width, height, 1, type, [...request.creationOptions, null]);
    if (!result) throw fail('the result could not be created');
    try {
      const geoTransform = new Float64Array(6);
      api.getGeoTransform(source, geoTransform);
      api.setGeoTransform(result, geoTransform);
      api.setProjection(result, api.projection(source));
      if ((await api.proximity(api.band(source, 1), api.band(result, 1), [...request.options, null], null, null)) !== 0) throw fail('GDALComputeProximity');
      throwIfAborted(signal);
      const levels = overviewLevels(width, height);
      if (levels.length > 0) {
        const resampling = isFloatType(request.dataType) ? 'AVERAGE' : 'NEAREST';
        const built = await withOverviewCompression(() => api.buildOverviews(result, resampling, levels.length, Int32Array.from(levels), 0, null, null, null));
        if (built !== 0) throw fail('the overviews could not be built');
      }
    } finally {
      await api.close(result);
    }
  } finally {
    await api.close(source);
  }
  return true;
}

type Handle = unknown;
type Async<A extends unknown[], R> = (...args: A) => Promise<R>;

interface GdalApi {
  open: Async<[string, number], Handle | null>;
  create: Async<[Handle, string, number, number, number, number, Array<string | null>], Handle | null>;
  proximity: Async<[Handle, Handle, Array<string | null>, null, null], number>;
  buildOverviews: Async<[Handle, string, number, Int32Array, number, null, null, null], number>;
  close: Async<[Handle], void>;
  width(dataset: Handle): number;
  height(dataset: Handle): number;
  band(dataset: Handle, n: number): Handle;
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
