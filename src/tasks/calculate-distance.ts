import path from 'node:path';
import { TaskError, type TaskContext, type TaskDefinition } from '../jobs/task.js';
import gdal from 'gdal-async';
import { isFloatType } from '../raster/pixel-type.js';
import { proximityCommandArgs, type ProximityParams } from '../raster/compute-proximity.js';
import { applyMask, readAnalysisEnvironment } from './analysis/analysis-environment.js';
import { ANALYSIS_CONTEXT_PARAM, analysisDeps, gdalStep, input, output, outputNameParam, readChoice, readPositive, workFolder } from './analysis/analysis-task.js';
import { cellSizeOf, OUTPUT_NODATA, readGrid, writeGrid } from './analysis/grid-io.js';
import { directionTo, nearestSources } from './analysis/nearest-source.js';
import { readOutputName, type OutputName } from './analysis/output-name.js';
import { publishRasterOutput, rollbackAnalysis, type OutputValue } from './analysis/output-service.js';
import { barrierCells, writeComputedOutputs } from './analysis/distance-outputs.js';
import { isLocalFile } from './analysis/gdal-library.js';
import { runProximity } from './analysis/proximity.js';
import { sourceAsRaster } from './analysis/source-input.js';

/**
 * CalculateDistance (§8): straight-line distance from every cell to the nearest source cell
 * (`gdal_proximity.py -distunits GEO`), up to `maximumDistance` (NoData beyond), and on request
 * the direction to that source, its value (allocation) and the back direction, from an exact
 * nearest-source transform. Sources are the cells holding data of a raster, or features burnt
 * at `outputCellSize` (their `allocationField` values, default the object id).
 * `inputBarrierRasterOrFeatures` (cells with data, or features burnt where they touch) are walked
 * around (`distanceAroundBarriers`); `GEODESIC` measures on the ellipsoid of the raster's
 * reference (Vincenty) to the planar-nearest source, along the path's corners with barriers.
 */
export const calculateDistance: TaskDefinition = {
  name: 'CalculateDistance',
  displayName: 'Calculate Distance',
  description: 'Straight-line distance, direction and allocation from sources.',
  requiredPrivilege: 'premium:publisher:rasteranalysis',
  parameters: [
    input('inputSourceRasterOrFeatures', 'Input Source Raster Or Features', 'Sources: a raster ({"url"}, {"itemId"}, {"uri"}) or features (layer url with filter, itemId, feature set).', true),
    outputNameParam('outputDistanceName'),
    input('maximumDistance', 'Maximum Distance', 'Cells farther than this from every source get NoData.'),
    input('outputCellSize', 'Output Cell Size', 'Cell size for feature sources (default: extent / 250).'),
    outputNameParam('outputDirectionName', false),
    outputNameParam('outputAllocationName', false),
    input('allocationField', 'Allocation Field', 'Field of feature sources whose values the allocation output takes.'),
    input('distanceMethod', 'Distance Method', 'PLANAR (default) or GEODESIC.'),
    input('inputBarrierRasterOrFeatures', 'Input Barrier Raster Or Features', 'Barriers the distance goes around: a raster (cells with data) or features.'),
    outputNameParam('outputBackDirectionName', false),
    ANALYSIS_CONTEXT_PARAM,
    output('outputDistanceRaster', 'Output Distance Raster'),
    output('outputDirectionRaster', 'Output Direction Raster'),
    output('outputAllocationRaster', 'Output Allocation Raster'),
    output('outputBackDirectionRaster', 'Output Back Direction Raster'),
  ],
  execute: runCalculateDistance,
  rollback: rollbackAnalysis,
};

const OPTIONAL_OUTPUTS = [
  ['outputDirectionName', 'outputDirectionRaster'],
  ['outputAllocationName', 'outputAllocationRaster'],
  ['outputBackDirectionName', 'outputBackDirectionRaster'],
] as const;

async function runCalculateDistance(context: TaskContext): Promise<Record<string, unknown>> {
  const { inputs, signal } = context;
  const deps = analysisDeps(context);
  const work = await workFolder(context);
  const method = readChoice('distanceMethod', inputs.distanceMethod, ['PLANAR', 'GEODESIC'], 'PLANAR');
  const outputs: Array<[string, OutputName]> = [['outputDistanceRaster', await readOutputName('outputDistanceName', inputs.outputDistanceName, 'ImageServer', deps)]];
  for (const [param, result] of OPTIONAL_OUTPUTS) {
    if (inputs[param]) outputs.push([result, await readOutputName(param, inputs[param], 'ImageServer', deps)]);
  }
  const names = outputs.map(([, o]) => o.name.toLowerCase());
  if (new Set(names).size !== names.length) throw new TaskError('Each output needs its own name.');
  const maxDistance = readPositive('maximumDistance', inputs.maximumDistance);
  const env = await readAnalysisEnvironment(inputs.context, deps, work);
  const sources = await sourceAsRaster('inputSourceRasterOrFeatures', inputs.inputSourceRasterOrFeatures, {
    ...(typeof inputs.allocationField === 'string' && inputs.allocationField ? { valueField: inputs.allocationField } : {}),
    ...(readPositive('outputCellSize', inputs.outputCellSize) ? { cellSize: readPositive('outputCellSize', inputs.outputCellSize) } : {}),
    env,
    deps,
    work,
    signal,
  });
  context.progress(10, 'Finding the sources');
  const barrierValue = inputs.inputBarrierRasterOrFeatures;
  let files: Record<string, string>;
  const direct = method === 'PLANAR' && !barrierValue && outputs.length === 1 ? await sourceCellsMask(sources.source, work, signal) : undefined;
  if (direct) {
    // Distance alone from an integer raster: gdal_proximity reads its cells with data straight from it.
    if (!direct.any) throw noSources();
    context.progress(20, 'Calculating distance');
    files = { outputDistanceRaster: path.join(work, 'distance.tif') };
    const local = isLocalFile(sources.source);
    await gdalStep('Calculating distance', () => runProximity(proximityParams(maxDistance, '255'), direct.targets, files.outputDistanceRaster, direct, signal, local));
  } else {
    const grid = await readGrid(sources.source);
    if (!grid.valid.includes(1)) throw noSources();
    const barriers = barrierValue ? await barrierCells('inputBarrierRasterOrFeatures', barrierValue, grid, { deps, work, signal }) : undefined;
    context.progress(20, 'Calculating distance');
    if (method === 'PLANAR' && !barriers) {
      const targets = path.join(work, 'sources.tif');
      await writeGrid(targets, grid, [grid.valid], 'Byte');
      files = { outputDistanceRaster: path.join(work, 'distance.tif') };
      await gdalStep('Calculating distance', () => runProximity(proximityParams(maxDistance), targets, files.outputDistanceRaster, grid, signal, true));
      if (outputs.length > 1) await writeNearestOutputs(grid, maxDistance, outputs.map(([r]) => r), work, files);
    } else {
      files = await writeComputedOutputs(grid, { barriers, geodesic: method === 'GEODESIC', maxDistance }, outputs.map(([r]) => r), work);
    }
  }
  const results: Record<string, OutputValue> = {};
  for (const [i, [result, name]] of outputs.entries()) {
    await applyMask(files[result], env, work, signal);
    context.progress(50 + (40 * i) / outputs.length, `Publishing ${name.name}`);
    results[result] = await publishRasterOutput(files[result], name, context, `CalculateDistance from ${sources.label}`);
  }
  context.progress(100, 'Done');
  return results;
}

const noSources = () => new TaskError("'inputSourceRasterOrFeatures' has no source cells in the analysis extent.");

/**
 * The cells with data of an integer raster as a VRT of its mask band (255 with data, 0 without),
 * for gdal_proximity to read directly, and whether there is any: no pass through memory and no
 * copy written, which were most of the job's time besides gdal_proximity. Undefined for floats,
 * whose NaN cells count as no data although the mask band says otherwise (readGrid).
 */
async function sourceCellsMask(source: string, work: string, signal: AbortSignal): Promise<{ targets: string; any: boolean; width: number; height: number } | undefined> {
  const dataset = await gdal.openAsync(source);
  try {
    const band = await dataset.bands.getAsync(1);
    if (isFloatType(band.dataType ?? 'Float32')) return undefined;
    const { x: width, y: height } = await dataset.rasterSizeAsync;
    const mask = band.getMaskBand();
    const any = !mask || (await mask.pixels.readAsync(0, 0, width, height, new Uint8Array(width * height))).some((v) => v !== 0);
    signal.throwIfAborted();
    // `gdal_translate -of VRT -b mask`, in this process: a recipe, no pixels written.
    const targets = path.join(work, 'source-cells.vrt');
    const vrt = await gdal.translateAsync(targets, dataset, ['-of', 'VRT', '-b', 'mask']).catch(() => {
      throw new TaskError("'inputSourceRasterOrFeatures': its cells with data could not be read.");
    });
    vrt.close();
    return { targets, any, width, height };
  } finally {
    dataset.close();
  }
}

/** gdal_proximity's options for a distance raster (exported for the tests); `value`: the target cells' value. */
export function proximityParams(maxDistance: number | undefined, value = '1'): ProximityParams {
  const params: ProximityParams = { values: value, distUnits: 'GEO', dataType: 'Float32', creationOptions: ['TILED=YES'] };
  return maxDistance === undefined ? params : { ...params, maxDistance, noData: OUTPUT_NODATA.Float32 };
}

/** gdal_proximity.py arguments (exported for the tests and the bench, which run the same). */
export function proximityArgs(maxDistance: number | undefined, value = '1'): string[] {
  return proximityCommandArgs(proximityParams(maxDistance, value));
}

/** Direction, allocation and back direction from the nearest-source transform. */
async function writeNearestOutputs(grid: Awaited<ReturnType<typeof readGrid>>, maxDistance: number | undefined, wanted: string[], work: string, files: Record<string, string>): Promise<void> {
  const [cx, cy] = cellSizeOf(grid);
  const { nearest, distance2 } = nearestSources(grid.valid, grid.width, grid.height, cx, cy);
  const n = grid.width * grid.height;
  const reach = new Uint8Array(n);
  const limit = maxDistance === undefined ? Infinity : maxDistance * maxDistance;
  for (let i = 0; i < n; i++) reach[i] = nearest[i] >= 0 && distance2[i] <= limit ? 1 : 0;
  if (wanted.includes('outputAllocationRaster')) {
    const allocation = new Float64Array(n);
    let integers = true;
    for (let i = 0; i < n; i++) {
      allocation[i] = reach[i] ? grid.values[nearest[i]] : 0;
      if (!Number.isInteger(allocation[i])) integers = false;
    }
    files.outputAllocationRaster = path.join(work, 'allocation.tif');
    await writeGrid(files.outputAllocationRaster, grid, [allocation], integers ? 'Int32' : 'Float32', reach);
  }
  const direction = new Float64Array(n);
  for (let i = 0; i < n; i++) direction[i] = reach[i] ? directionTo(i, nearest[i], grid.width, cx, cy) : 0;
  for (const [result, name] of [['outputDirectionRaster', 'direction.tif'], ['outputBackDirectionRaster', 'back-direction.tif']]) {
    if (!wanted.includes(result)) continue;
    files[result] = path.join(work, name);
    // Straight-line paths: the way back to the source is the direction to it.
    await writeGrid(files[result], grid, [direction], 'Float32', reach);
  }
}
