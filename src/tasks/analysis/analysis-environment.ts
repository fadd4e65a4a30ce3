import path from 'node:path';
import gdal from 'gdal-async';
import { toSrsText } from '../../raster/srs-input.js';
import { inspectRaster } from '../../raster/inspect-raster.js';
import { buildInternalOverviews } from '../../raster/internal-overviews.js';
import { isFloatType } from '../../raster/pixel-type.js';
import { runGdalCommand } from '../../raster/run-gdal-command.js';
import { readIngestSettings, type IngestSettings } from '../image-collection/ingest-settings.js';
import { readKey, readOptionalObjectParam } from '../image-collection/param-values.js';
import type { InputDeps } from '../input-rasters.js';
import { resolveRasterInput, type AnalysisRaster } from './raster-input.js';

/** `context` of an analysis task (§2.3): where, at what cell size and in what SR it works. */
export interface AnalysisEnvironment {
  outSR?: IngestSettings['outSR'];
  extent?: IngestSettings['extent'];
  /** A number in output units, or the coarsest / finest of the raster inputs. */
  cellSize?: number | 'MaxOfIn' | 'MinOfIn';
  resampling?: 'near' | 'bilinear' | 'cubic';
  /** Output cells are aligned to this raster's grid (and take its cell size when none is given). */
  snapRaster?: AnalysisRaster;
  /** Only cells where this raster has data are kept. */
  mask?: AnalysisRaster;
}

/** Reads `context`; `cellSize`, `snapRaster` and `mask` may be raster inputs (§2.1). */
export async function readAnalysisEnvironment(value: unknown, deps: InputDeps, workDir: string): Promise<AnalysisEnvironment> {
  const object = readOptionalObjectParam('context', value);
  const rasterCell = readKey(object, 'cellSize');
  const isRaster = rasterCell !== null && typeof rasterCell === 'object' && ['url', 'itemId', 'uri'].some((k) => readKey(rasterCell as Record<string, unknown>, k));
  const settings = readIngestSettings(isRaster ? { ...object, cellSize: undefined } : object);
  const env: AnalysisEnvironment = {};
  if (settings.outSR) env.outSR = settings.outSR;
  if (settings.extent) env.extent = settings.extent;
  if (settings.cellSize !== undefined) env.cellSize = settings.cellSize;
  if (settings.resampling) env.resampling = settings.resampling;
  if (isRaster) env.cellSize = await cellSizeOf(await resolveRasterInput('context.cellSize', rasterCell, deps, workDir));
  const snap = readKey(object, 'snapRaster');
  if (snap) env.snapRaster = await resolveRasterInput('context.snapRaster', snap, deps, workDir);
  const mask = readKey(object, 'mask');
  if (mask) env.mask = await resolveRasterInput('context.mask', mask, deps, workDir);
  return env;
}

async function cellSizeOf(raster: AnalysisRaster): Promise<number> {
  const info = await inspectRaster(raster.source);
  return ((info.pixelSizeX ?? 0) + (info.pixelSizeY ?? 0)) / 2;
}

/** True when the environment changes the grid inputs are read on. */
export function changesGrid(env: AnalysisEnvironment): boolean {
  return Boolean(env.outSR || env.extent || env.cellSize !== undefined || env.snapRaster);
}

/**
 * The raster inputs on the analysis grid: each warped (as a VRT recipe, no pixels written) to
 * `outSR`, `extent`, `cellSize` and the snap raster's alignment; untouched when the environment
 * sets none of these. `MaxOfIn`/`MinOfIn` pick the coarsest/finest input cell size.
 */
export async function prepareRasters(rasters: AnalysisRaster[], env: AnalysisEnvironment, workDir: string, signal?: AbortSignal): Promise<string[]> {
  if (!changesGrid(env)) return rasters.map((r) => r.source);
  const infos = await Promise.all(rasters.map((r) => inspectRaster(r.source, { signal })));
  const sizes = infos.map((i) => ((i.pixelSizeX ?? 0) + (i.pixelSizeY ?? 0)) / 2);
  let cell = typeof env.cellSize === 'number' ? env.cellSize : env.cellSize === 'MaxOfIn' ? Math.max(...sizes) : env.cellSize === 'MinOfIn' ? Math.min(...sizes) : undefined;
  const snap = env.snapRaster ? await inspectRaster(env.snapRaster.source, { signal }) : undefined;
  if (cell === undefined && snap) cell = ((snap.pixelSizeX ?? 0) + (snap.pixelSizeY ?? 0)) / 2;
  // All inputs of one analysis share one grid: the first input's extent unless context sets one.
  const target = env.outSR ? toSrsText(env.outSR) : (infos[0].srsWkt ?? undefined);
  let extent = env.extent ? { ...env.extent } : undefined;
  if (!extent && (snap || rasters.length > 1)) extent = boundsIn(infos[0], target);
  if (extent && snap?.geoTransform && cell) extent = snapExtent(extent, snap.geoTransform, cell);
  return Promise.all(
    rasters.map(async (raster, i) => {
      const file = path.join(workDir, `grid-${i}.vrt`);
      const args = ['-q', '-of', 'VRT', '-overwrite', '-r', env.resampling ?? 'near'];
      if (target) args.push('-t_srs', target);
      if (cell) args.push('-tr', String(cell), String(cell));
      if (extent) {
        args.push('-te', String(extent.xmin), String(extent.ymin), String(extent.xmax), String(extent.ymax));
        if (env.extent?.spatialReference && !snap) args.push('-te_srs', toSrsText(env.extent.spatialReference));
      }
      await runGdalCommand('gdalwarp', [...args, raster.source, file], { signal });
      return file;
    }),
  );
}

function boundsIn(info: Awaited<ReturnType<typeof inspectRaster>>, target: string | undefined): { xmin: number; ymin: number; xmax: number; ymax: number } {
  const e = info.extent!;
  if (!target || !info.srsWkt) return e;
  const from = gdal.SpatialReference.fromWKT(info.srsWkt);
  const to = gdal.SpatialReference.fromUserInput(target);
  if (from.isSame(to)) return e;
  const t = new gdal.CoordinateTransformation(from, to);
  const pts = [[e.xmin, e.ymin], [e.xmin, e.ymax], [e.xmax, e.ymin], [e.xmax, e.ymax]].map(([x, y]) => t.transformPoint(x, y));
  return { xmin: Math.min(...pts.map((p) => p.x)), ymin: Math.min(...pts.map((p) => p.y)), xmax: Math.max(...pts.map((p) => p.x)), ymax: Math.max(...pts.map((p) => p.y)) };
}

/** Grows an extent outwards to whole cells of a grid whose origin is the snap raster's. */
function snapExtent(e: { xmin: number; ymin: number; xmax: number; ymax: number }, gt: number[], cell: number): typeof e {
  const [ox, , , oy] = gt;
  return {
    xmin: ox + Math.floor((e.xmin - ox) / cell) * cell,
    xmax: ox + Math.ceil((e.xmax - ox) / cell) * cell,
    ymin: oy + Math.floor((e.ymin - oy) / cell) * cell,
    ymax: oy + Math.ceil((e.ymax - oy) / cell) * cell,
  };
}

/**
 * Applies `context.mask` to a finished result in place: cells where the mask (warped onto the
 * result's grid) has no data become no data. The result must be a writable GeoTIFF.
 */
export async function applyMask(file: string, env: AnalysisEnvironment, workDir: string, signal?: AbortSignal): Promise<void> {
  if (!env.mask) return;
  const info = await inspectRaster(file, { signal });
  const onGrid = path.join(workDir, 'mask-on-grid.tif');
  const e = info.extent!;
  await runGdalCommand(
    'gdalwarp',
    ['-q', '-overwrite', '-r', 'near', '-t_srs', info.srsWkt!, '-te', String(e.xmin), String(e.ymin), String(e.xmax), String(e.ymax), '-ts', String(info.width), String(info.height), '-dstnodata', 'none', '-dstalpha', env.mask.source, onGrid],
    { signal },
  );
  const mask = await gdal.openAsync(onGrid);
  const out = await gdal.openAsync(file, 'r+');
  try {
    const alpha = await mask.bands.getAsync(mask.bands.count());
    const maskBand = await mask.bands.getAsync(1);
    const valid = await alpha.pixels.readAsync(0, 0, info.width, info.height);
    const maskNoData = maskBand.noDataValue;
    const values = maskNoData === null ? undefined : await maskBand.pixels.readAsync(0, 0, info.width, info.height);
    for (let b = 1; b <= info.bandCount; b++) {
      const band = await out.bands.getAsync(b);
      let noData = band.noDataValue;
      if (noData === null) {
        noData = info.dataType === 'Byte' ? 0 : -3.4e38;
        band.noDataValue = noData;
      }
      const pixels = await band.pixels.readAsync(0, 0, info.width, info.height);
      for (let i = 0; i < pixels.length; i++) if (valid[i] === 0 || (values && values[i] === maskNoData)) pixels[i] = noData;
      await band.pixels.writeAsync(0, 0, info.width, info.height, pixels);
    }
    // Overviews made with the result (from memory or in GDAL's same pass) would still show the masked cells.
    if (info.overviewFactors.length > 0) await buildInternalOverviews(out, isFloatType(info.dataType), info.overviewFactors);
  } finally {
    out.close();
    mask.close();
  }
}
