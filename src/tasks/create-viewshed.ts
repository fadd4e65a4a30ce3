import path from 'node:path';
import { openViewshedSurface, viewshedByCommand, viewshedCommandArgs, type ViewshedParams, type ViewshedSurface, type ViewshedWindow } from '../raster/gdal-viewshed.js';
import { throwIfAborted } from '../raster/raster-error.js';
import { TaskError, type TaskContext, type TaskDefinition } from '../jobs/task.js';
import { applyMask, prepareRasters, readAnalysisEnvironment } from './analysis/analysis-environment.js';
import { ANALYSIS_CONTEXT_PARAM, analysisDeps, gdalStep, input, output, outputNameParam, readBool, readChoice, workFolder } from './analysis/analysis-task.js';
import { resolveFeatureInput } from './analysis/feature-input.js';
import { isLocalFile } from './analysis/gdal-library.js';
import { cellHasData, readCell, readGridFrame, readGridShape, writeGrid, type Grid } from './analysis/grid-io.js';
import { readOutputName, type OutputName } from './analysis/output-name.js';
import { publishRasterOutput, rollbackAnalysis, type OutputValue } from './analysis/output-service.js';
import { resolveRasterInput } from './analysis/raster-input.js';
import { timeSection } from './analysis/engines/section-times.js';
import { pointValue, readPoints, type InputPoint } from './analysis/read-points.js';
import { addViewshed, windowOffset, writeViewshedCount } from './analysis/viewshed-count.js';

/**
 * CreateViewshed (§8): `gdal_viewshed` once per observer (height above ground `observersHeight`,
 * default 1; `targetHeight`, default 0; out to `maximumViewingDistance`), combined as ArcGIS
 * does into the number of observers that see each cell. Per-observer values may come from
 * fields (`…Field`). The above-ground-level output is the lowest target height any observer
 * would see (`gdal_viewshed -om GROUND`, minimum over observers). For a local surface the
 * viewsheds are GDALViewshedGenerate calls in this worker (src/raster/gdal-viewshed.ts).
 */
export const createViewshed: TaskDefinition = {
  name: 'CreateViewshed',
  displayName: 'Create Viewshed',
  description: 'Visible areas from observers over an elevation surface.',
  requiredPrivilege: 'premium:publisher:rasteranalysis',
  parameters: [
    input('inputElevationSurface', 'Input Elevation Surface', 'The elevation raster.', true),
    input('inputObserverFeatures', 'Input Observer Features', 'Observer points (layer url with filter, itemId or feature set).', true),
    outputNameParam(),
    input('optimizeFor', 'Optimize For', 'SPEED or ACCURACY (both run the same exact line-of-sight engine).'),
    input('maximumViewingDistance', 'Maximum Viewing Distance', 'Cells farther than this are not visible.'),
    input('maximumViewingDistanceField', 'Maximum Viewing Distance Field', 'Per-observer maximum distance.'),
    input('minimumViewingDistance', 'Minimum Viewing Distance', 'Cells nearer than this are not visible.'),
    input('minimumViewingDistanceField', 'Minimum Viewing Distance Field', 'Per-observer minimum distance.'),
    input('viewingDistanceIs3D', 'Viewing Distance Is 3D', 'Distances are planar here.', false, 'GPBoolean'),
    input('observersElevation', 'Observers Elevation', 'Absolute elevation of the observers (instead of the surface).'),
    input('observersElevationField', 'Observers Elevation Field', 'Per-observer absolute elevation.'),
    input('observersHeight', 'Observers Height', 'Height above the surface (default 1).'),
    input('observersHeightField', 'Observers Height Field', 'Per-observer height.'),
    input('targetHeight', 'Target Height', 'Height of targets above the surface (default 0).'),
    input('targetHeightField', 'Target Height Field', 'Per-observer target height.'),
    outputNameParam('aboveGroundLevelOutputName', false),
    ANALYSIS_CONTEXT_PARAM,
    output('outputRaster', 'Output Raster'),
    output('outputAboveGroundLevelRaster', 'Output Above Ground Level Raster'),
  ],
  execute: runCreateViewshed,
  rollback: rollbackAnalysis,
};

interface Observer {
  x: number;
  y: number;
  height: number;
  target: number;
  maxDistance?: number;
  minDistance?: number;
}

async function runCreateViewshed(context: TaskContext): Promise<Record<string, unknown>> {
  const { inputs, signal } = context;
  const deps = analysisDeps(context);
  const work = await workFolder(context);
  const outputName = await readOutputName('outputName', inputs.outputName, 'ImageServer', deps);
  const aglName = inputs.aboveGroundLevelOutputName ? await readOutputName('aboveGroundLevelOutputName', inputs.aboveGroundLevelOutputName, 'ImageServer', deps) : undefined;
  if (aglName && aglName.name.toLowerCase() === outputName.name.toLowerCase()) throw new TaskError('Each output needs its own name.');
  readChoice('optimizeFor', inputs.optimizeFor, ['SPEED', 'ACCURACY'], 'SPEED');
  if (readBool(inputs.viewingDistanceIs3D, false)) context.warning('viewingDistanceIs3D: distances are measured in the plane.');
  const env = await readAnalysisEnvironment(inputs.context, deps, work);
  const raster = await resolveRasterInput('inputElevationSurface', inputs.inputElevationSurface, deps, work, signal);
  const [dem] = await gdalStep("Reading 'inputElevationSurface'", () => prepareRasters([raster], env, work, signal));
  // The surface's grid only: its values are gdal_viewshed's to read (one cell per observer here).
  const surface = await readGridShape(dem);
  const features = await resolveFeatureInput('inputObserverFeatures', inputs.inputObserverFeatures, deps, work);
  const observers: Observer[] = [];
  for (const point of await readPoints('inputObserverFeatures', features.source, surface.srsWkt)) observers.push(await observerOf(point, inputs, surface, dem));
  const outputs: Array<[string, OutputName, string]> = [['outputRaster', outputName, path.join(work, 'viewshed.tif')]];
  // One Int32 a cell, each viewshed added as it comes and dropped.
  const count = new Int32Array(surface.width * surface.height);
  await gdalStep('The viewshed', () =>
    eachViewshed<Uint8Array>(observers, dem, 'NORMAL', work, signal, (view, observer, i) => {
      context.progress(5 + (75 * (i + 1)) / observers.length, `Observer ${i + 1} of ${observers.length}`);
      addViewshed(count, surface, view, observer);
    }),
  );
  // As ArcGIS: a cell no observer sees is NoData, not 0.
  await timeSection('count visible', () => writeViewshedCount(outputs[0][2], dem, surface, count));
  if (aglName) outputs.push(['outputAboveGroundLevelRaster', aglName, await writeAboveGroundLevel(observers, dem, work, signal)]);
  const results: Record<string, OutputValue> = {};
  for (const [result, name, file] of outputs) {
    await applyMask(file, env, work, signal);
    context.progress(85, `Publishing ${name.name}`);
    results[result] = await publishRasterOutput(file, name, context, `CreateViewshed over ${raster.label}`);
  }
  context.progress(100, 'Done');
  return results;
}

/**
 * The above-ground-level output: for each cell the lowest target height any observer would see
 * (`gdal_viewshed -om GROUND`, minimum over observers), nodata where none would.
 */
async function writeAboveGroundLevel(observers: Observer[], dem: string, work: string, signal: AbortSignal): Promise<string> {
  const surface = await readGridFrame(dem);
  const cells = surface.width * surface.height;
  const agl = new Float64Array(cells).fill(Infinity);
  await gdalStep('The viewshed', () =>
    eachViewshed<Float64Array>(observers, dem, 'GROUND', work, signal, (heights) => {
      const { col, row } = windowOffset(heights, surface);
      for (let y = 0; y < heights.height; y++) {
        for (let x = 0; x < heights.width; x++) {
          const v = heights.values[y * heights.width + x];
          const c = (y + row) * surface.width + x + col;
          // A cell with data, as a read of the band would say: not NaN, not the band's nodata.
          if (!Number.isNaN(v) && v !== heights.noData && v < agl[c]) agl[c] = v;
        }
      }
    }),
  );
  const file = path.join(work, 'agl.tif');
  const valid = new Uint8Array(cells);
  for (let c = 0; c < cells; c++) valid[c] = surface.valid[c] && Number.isFinite(agl[c]) ? 1 : 0;
  await writeGrid(file, surface, [agl], 'Float32', valid);
  return file;
}

async function observerOf(point: InputPoint, inputs: Record<string, unknown>, surface: Pick<Grid, 'width' | 'height' | 'geoTransform'>, dem: string): Promise<Observer> {
  const num = (name: string) => (inputs[name] === undefined || inputs[name] === null || inputs[name] === '' ? undefined : readNumber(name, inputs[name]));
  const field = (name: string) => (typeof inputs[name] === 'string' && inputs[name] ? (inputs[name] as string) : undefined);
  const col = Math.floor((point.x - surface.geoTransform[0]) / surface.geoTransform[1]);
  const row = Math.floor((point.y - surface.geoTransform[3]) / surface.geoTransform[5]);
  if (col < 0 || row < 0 || col >= surface.width || row >= surface.height || !(await cellHasData(dem, col, row))) {
    throw new TaskError(`'inputObserverFeatures': the observer at ${point.x.toFixed(1)}, ${point.y.toFixed(1)} is outside the elevation surface.`);
  }
  let height = pointValue(point, field('observersHeightField'), num('observersHeight'), 1)!;
  const elevation = pointValue(point, field('observersElevationField'), num('observersElevation'), undefined);
  // An absolute elevation becomes a height above the surface under the observer.
  if (elevation !== undefined) height = elevation - (await readCell(dem, col, row));
  const observer: Observer = { x: point.x, y: point.y, height, target: pointValue(point, field('targetHeightField'), num('targetHeight'), 0)! };
  const max = pointValue(point, field('maximumViewingDistanceField'), num('maximumViewingDistance'), undefined);
  const min = pointValue(point, field('minimumViewingDistanceField'), num('minimumViewingDistance'), undefined);
  if (max !== undefined && max > 0) observer.maxDistance = max;
  if (min !== undefined && min > 0) observer.minDistance = min;
  return observer;
}

function readNumber(name: string, value: unknown): number {
  const raw = typeof value === 'object' && value ? (value as Record<string, unknown>).distance : value;
  const n = Number(raw);
  if (!Number.isFinite(n)) throw new TaskError(`'${name}' must be a number.`);
  return n;
}

/** gdal_viewshed's options for one observer: seen 1, else 0 (NORMAL), or heights (GROUND). */
function viewshedParams(observer: Pick<Observer, 'x' | 'y' | 'height' | 'target' | 'maxDistance'>, mode: 'NORMAL' | 'GROUND'): ViewshedParams {
  const params: ViewshedParams = { x: observer.x, y: observer.y, height: observer.height, target: observer.target, mode, ...(observer.maxDistance ? { maxDistance: observer.maxDistance } : {}) };
  return mode === 'NORMAL' ? { ...params, visible: 1, invisible: 0, outOfRange: 0 } : params;
}

/** gdal_viewshed arguments for one observer (exported for the tests and the bench). */
export function viewshedArgs(observer: Pick<Observer, 'x' | 'y' | 'height' | 'target' | 'maxDistance'>, mode: 'NORMAL' | 'GROUND' = 'NORMAL'): string[] {
  return viewshedCommandArgs(viewshedParams(observer, mode));
}

/**
 * Each observer's viewshed in turn, given to `visit` while the next one is computed (on libuv's
 * pool, beside this thread's counting). A local surface is opened once for all of them in this
 * process; others (network, VRT, which may stall) run the command, which a cancel kills.
 */
async function eachViewshed<T extends Uint8Array | Float64Array>(observers: Observer[], dem: string, mode: 'NORMAL' | 'GROUND', work: string, signal: AbortSignal, visit: (view: ViewshedWindow<T>, observer: Observer, i: number) => void): Promise<void> {
  const library: ViewshedSurface | undefined = isLocalFile(dem) ? await openViewshedSurface(dem) : undefined;
  const run = (i: number) => {
    const params = viewshedParams(observers[i], mode);
    return library ? library.viewshed<T>(params, signal) : viewshedByCommand<T>(dem, params, path.join(work, `viewshed-${mode.toLowerCase()}-${i}.tif`), signal);
  };
  let next: Promise<ViewshedWindow<T>> | undefined = observers.length > 0 ? run(0) : undefined;
  try {
    for (let i = 0; next; i++) {
      const view: ViewshedWindow<T> = await next;
      next = i + 1 < observers.length ? run(i + 1) : undefined;
      throwIfAborted(signal);
      visit(view, observers[i], i);
    }
  } finally {
    // One still under way (after a failure) must end before the surface it reads is closed.
    await next?.catch(() => undefined);
    library?.close();
  }
}
