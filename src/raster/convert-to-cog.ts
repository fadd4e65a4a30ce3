import { mkdtemp, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import gdal from 'gdal-async';
import { chooseCogCreationOptions, type CogCompressionOverrides } from './cog-creation-options.js';
import { inspectRaster } from './inspect-raster.js';
import { RasterError, throwIfAborted } from './raster-error.js';
import type { RasterInfo } from './raster-info.js';
import { runGdalCommand } from './run-gdal-command.js';
import { toSpatialReference, toSrsText, type SrsInput } from './srs-input.js';
import type { Bounds } from './transform-bounds.js';

export interface CogOptions extends CogCompressionOverrides {
  /** Reproject to this SR. */
  outSR?: SrsInput;
  /** Output cell size in target SR units: one number (square) or x/y. */
  cellSize?: number | { x: number; y: number };
  /** Clip to this extent, given in `extent.spatialReference` (default: the target SR). */
  extent?: Bounds & { spatialReference?: SrsInput };
  /** GDAL resampling name; default `bilinear` (`near` for paletted data). */
  resampling?: 'near' | 'bilinear' | 'cubic' | 'cubicspline' | 'lanczos' | 'average' | 'mode';
  /** Declare this source value as nodata (Landsat and Sentinel-2 fill is 0 but not tagged). */
  noData?: number;
  /** 1-based source bands to keep, in order. */
  bands?: number[];
  onProgress?: (fraction: number) => void;
}

/**
 * Writes `dst` as a Cloud-Optimized GeoTIFF (512 px tiles, overviews) from any GDAL source,
 * optionally reprojected (`outSR`), resampled (`cellSize`) and clipped (`extent`).
 *
 * Pixel work runs in child processes (`gdalwarp -of VRT`, which only writes a recipe, then
 * `gdal_translate -of COG`), so `signal` stops it at once. Output is written in a hidden scratch
 * folder beside `dst` and renamed into place on success, so an abort or failure never leaves a
 * partial `dst`. Sources without nodata get an alpha band when warped (so new corners are
 * transparent), stored as the COG's mask. GCP-only sources (UAV frames) are warped with a
 * first-order polynomial, RPC-only ones with their RPCs.
 *
 * @example
 * const info = await convertToCog('in.tif', '/store/a.tif', { outSR: { wkid: 3857 } }, signal);
 */
export async function convertToCog(src: string, dst: string, options: CogOptions = {}, signal?: AbortSignal): Promise<RasterInfo> {
  const source = await inspectRaster(src, { signal });
  if (source.bandCount === 0) throw new RasterError('RASTER_UNREADABLE', `${source.name} has no raster bands; open one of its subdatasets`);
  const warpArgs = buildWarpArgs(source, options);
  if (warpArgs && !source.isGeoreferenced) {
    throw new RasterError('RASTER_NOT_GEOREFERENCED', `${source.name} has no georeference, so it cannot be reprojected or clipped`);
  }
  // Object storage (`/vsis3/`): gdal_translate uploads `dst` itself, and an object appears only
  // once its upload completes; the warped recipe stays on local disk.
  const remote = dst.startsWith('/vsi');
  const scratch = await mkdtemp(remote ? path.join(tmpdir(), 'tessera-cog-') : path.join(path.dirname(dst), '.cog-'));
  try {
    let input = src;
    let bands = options.bands ?? range(source.bandCount);
    let maskBand: number | undefined;
    const hasNoData = options.noData !== undefined || source.noData.some((v) => v !== null);
    if (warpArgs) {
      input = path.join(scratch, 'warped.vrt');
      await runGdalCommand('gdalwarp', [...warpArgs, src, input], { signal });
      // buildWarpArgs added an alpha band after the source bands: it becomes the COG's mask.
      if (!hasNoData && !source.hasAlpha) maskBand = source.bandCount + 1;
    }
    if (source.hasAlpha && !options.bands) {
      maskBand = source.bands.findIndex((b) => b.colorInterpretation === 'Alpha') + 1;
      bands = bands.filter((b) => b !== maskBand);
    }
    const creation = chooseCogCreationOptions(
      { dataType: source.dataType, bandCount: bands.length, hasNoData, hasColorTable: source.bands[0].hasColorTable },
      options,
    );
    const translateArgs = ['-of', 'COG', ...creation.flatMap((co) => ['-co', co])];
    for (const b of bands) translateArgs.push('-b', String(b));
    if (maskBand) translateArgs.push('-mask', String(maskBand));
    if (options.noData !== undefined && !warpArgs) translateArgs.push('-a_nodata', String(options.noData));
    const written = remote ? dst : path.join(scratch, 'out.tif');
    await runGdalCommand('gdal_translate', [...translateArgs, input, written], { signal, onProgress: options.onProgress });
    throwIfAborted(signal);
    if (!remote) await rename(written, dst);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  // No signal here: once the COG is in place the conversion has succeeded.
  return inspectRaster(dst);
}

/** gdalwarp arguments to write a warped VRT, or null when no warping is needed. */
function buildWarpArgs(source: RasterInfo, options: CogOptions): string[] | null {
  const reproject = options.outSR !== undefined && !isSameSrs(source.srsWkt, options.outSR);
  const ungridded = source.geoTransform === null && (source.gcpCount >= 3 || source.hasRpc);
  if (!reproject && options.cellSize === undefined && !options.extent && !ungridded) return null;
  const args = ['-of', 'VRT', '-overwrite', '-r', options.resampling ?? (source.bands[0].hasColorTable ? 'near' : 'bilinear')];
  if (options.outSR !== undefined) args.push('-t_srs', toSrsText(options.outSR));
  if (options.cellSize !== undefined) {
    const { x, y } = typeof options.cellSize === 'number' ? { x: options.cellSize, y: options.cellSize } : options.cellSize;
    args.push('-tr', String(x), String(y));
  }
  if (options.extent) {
    const e = options.extent;
    args.push('-te', String(e.xmin), String(e.ymin), String(e.xmax), String(e.ymax));
    if (e.spatialReference !== undefined) args.push('-te_srs', toSrsText(e.spatialReference));
  }
  if (source.geoTransform === null && source.gcpCount >= 3) args.push('-order', '1');
  else if (source.geoTransform === null && source.hasRpc) args.push('-rpc');
  if (options.noData !== undefined) args.push('-srcnodata', String(options.noData), '-dstnodata', String(options.noData));
  else if (!source.noData.some((v) => v !== null) && !source.hasAlpha) args.push('-dstalpha');
  return args;
}

function isSameSrs(wkt: string | null, target: SrsInput): boolean {
  if (!wkt) return false;
  return gdal.SpatialReference.fromWKT(wkt).isSame(toSpatialReference(target));
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i + 1);
}
