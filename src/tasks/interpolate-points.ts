import path from 'node:path';
import { TaskError, type TaskContext, type TaskDefinition } from '../jobs/task.js';
import { runGdalCommand } from '../raster/run-gdal-command.js';
import { applyMask, readAnalysisEnvironment } from './analysis/analysis-environment.js';
import { ANALYSIS_CONTEXT_PARAM, analysisDeps, gdalStep, input, output, outputNameParam, readBool, readChoice, readPositive, workFolder } from './analysis/analysis-task.js';
import { resolveFeatureInput } from './analysis/feature-input.js';
import { OUTPUT_NODATA } from './analysis/grid-io.js';
import { readOutputName } from './analysis/output-name.js';
import { publishRasterOutput, rollbackAnalysis } from './analysis/output-service.js';
import { readVectorFacts, requireField, type VectorFacts } from './analysis/vector-facts.js';
import { runKriging } from './analysis/interpolate/kriging.js';

/**
 * InterpolatePoints (§8): a surface from sampled points at `outputCellSize` (default: the
 * shorter side of the points' extent / 250) over the points' extent or `context.extent`, from
 * the `numberOfNeighbors` nearest points (default 8). ArcGIS answers with (empirical Bayesian)
 * kriging; here `optimizeFor` picks the method: BALANCE (default) ordinary kriging and ACCURACY
 * universal kriging (linear trend) on SAGA, `transformData` kriging the logarithm,
 * `outputPredictionError` adding the kriging standard error as a second layer
 * (`<outputName>_error`); SPEED inverse distance weighting (`gdal_grid -a invdistnn`, power 2).
 * `processInfo` names the method and, for kriging, the leave-one-out cross validation.
 */
export const interpolatePoints: TaskDefinition = {
  name: 'InterpolatePoints',
  displayName: 'Interpolate Points',
  description: 'Predicts values at new locations from sampled points.',
  requiredPrivilege: 'premium:publisher:rasteranalysis',
  parameters: [
    input('inputPointFeatures', 'Input Point Features', 'Sample points (layer url with filter, itemId or feature set).', true),
    input('interpolateField', 'Interpolate Field', 'The numeric field to interpolate.', true),
    outputNameParam(),
    input('optimizeFor', 'Optimize For', 'SPEED, BALANCE (default) or ACCURACY.'),
    input('transformData', 'Transform Data', 'Krige the logarithm of the values (kriging only).', false, 'GPBoolean'),
    input('sizeOfLocalModels', 'Size Of Local Models', 'Kriging only; ignored by inverse distance.', false, 'GPLong'),
    input('numberOfNeighbors', 'Number Of Neighbors', 'Points each cell is computed from (default 8).', false, 'GPLong'),
    input('outputCellSize', 'Output Cell Size', 'A number or {"distance", "units"}.'),
    input('outputPredictionError', 'Output Prediction Error', 'Also publish the kriging standard error as <outputName>_error (kriging only).', false, 'GPBoolean'),
    ANALYSIS_CONTEXT_PARAM,
    output('outputRaster', 'Output Raster'),
    output('outputErrorRaster', 'Output Error Raster'),
    output('processInfo', 'Process Info'),
  ],
  execute: runInterpolatePoints,
  rollback: rollbackAnalysis,
};

async function runInterpolatePoints(context: TaskContext): Promise<Record<string, unknown>> {
  const { inputs, signal } = context;
  const deps = analysisDeps(context);
  const work = await workFolder(context);
  const outputName = await readOutputName('outputName', inputs.outputName, 'ImageServer', deps);
  const optimizeFor = readChoice('optimizeFor', inputs.optimizeFor, ['SPEED', 'BALANCE', 'ACCURACY'], 'BALANCE');
  const wantError = readBool(inputs.outputPredictionError, false);
  if (wantError && optimizeFor === 'SPEED') context.warning('outputPredictionError: inverse distance weighting (optimizeFor SPEED) has no prediction error; no error raster is made.');
  const errorName = wantError && optimizeFor !== 'SPEED' ? await readOutputName('outputPredictionError', `${outputName.name}_error`, 'ImageServer', deps) : undefined;
  const features = await resolveFeatureInput('inputPointFeatures', inputs.inputPointFeatures, deps, work);
  const facts = await readVectorFacts('inputPointFeatures', features);
  if (typeof inputs.interpolateField !== 'string' || !inputs.interpolateField) throw new TaskError("'interpolateField' is required.");
  const field = requireField('interpolateField', facts, inputs.interpolateField, true);
  if (facts.featureCount < 3) throw new TaskError("'inputPointFeatures' needs at least 3 points to interpolate.");
  const env = await readAnalysisEnvironment(inputs.context, deps, work);
  const neighbors = readPositive('numberOfNeighbors', inputs.numberOfNeighbors) ?? 8;
  const extent = env.extent ?? facts.extent;
  const cell = readPositive('outputCellSize', inputs.outputCellSize) ?? (typeof env.cellSize === 'number' ? env.cellSize : defaultCellSize(facts));
  if (optimizeFor !== 'SPEED') {
    const type = optimizeFor === 'ACCURACY' ? 'UNIVERSAL' : 'ORDINARY';
    const width = Math.max(1, Math.round((extent.xmax - extent.xmin) / cell));
    const height = Math.max(1, Math.round((extent.ymax - extent.ymin) / cell));
    const run = { points: features.source, layer: facts.layerName, field: field.name, type, grid: { xmin: extent.xmin, ymax: extent.ymax, cell, width, height }, neighbors: Math.round(neighbors), logTransform: readBool(inputs.transformData, false) } as const;
    const kriged = await runKriging(context, run, work);
    await applyMask(kriged.prediction, env, work, signal);
    context.progress(70, 'Publishing the imagery layer');
    const results: Record<string, unknown> = { outputRaster: await publishRasterOutput(kriged.prediction, outputName, context, `InterpolatePoints of ${field.name} (${type.toLowerCase()} kriging)`) };
    if (errorName) {
      await applyMask(kriged.error, env, work, signal);
      results.outputErrorRaster = await publishRasterOutput(kriged.error, errorName, context, `Kriging standard error of ${field.name}`);
    }
    const cv = kriged.crossValidation;
    results.processInfo = [
      `Method: ${type.toLowerCase()} kriging${run.logTransform ? ' of the logarithm' : ''} (SAGA), the ${run.neighbors} nearest points.`,
      `Points: ${facts.featureCount}. Cell size: ${cell}.`,
      ...(cv.RMSE !== undefined ? [`Cross validation (leave one out): RMSE ${cv.RMSE}, MSE ${cv.MSE}, R² ${cv.R2} %.`] : []),
    ];
    context.progress(100, 'Done');
    return results;
  }
  context.progress(10, 'Interpolating');
  const file = path.join(work, 'surface.tif');
  await gdalStep('Interpolating', () => runGdalCommand('gdal_grid', [...gridArgs(field.name, facts.layerName, extent, cell, Math.round(neighbors)), features.source, file], { signal }));
  await applyMask(file, env, work, signal);
  context.progress(70, 'Publishing the imagery layer');
  const outputRaster = await publishRasterOutput(file, outputName, context, `InterpolatePoints of ${field.name}`);
  context.progress(100, 'Done');
  const processInfo = [`Method: inverse distance weighting (power 2) of the ${Math.round(neighbors)} nearest points.`, `Points: ${facts.featureCount}. Cell size: ${cell}.`];
  return { outputRaster, processInfo };
}

/** gdal_grid arguments (exported for the tests and the bench, which run the same command). */
export function gridArgs(field: string, layer: string, e: { xmin: number; ymin: number; xmax: number; ymax: number }, cell: number, neighbors: number): string[] {
  // A search radius covering the whole extent: every cell takes its nearest `neighbors` points.
  const radius = Math.hypot(e.xmax - e.xmin, e.ymax - e.ymin);
  const width = Math.max(1, Math.round((e.xmax - e.xmin) / cell));
  const height = Math.max(1, Math.round((e.ymax - e.ymin) / cell));
  return [
    '-q', '-l', layer, '-zfield', field, '-ot', 'Float32', '-co', 'TILED=YES',
    '-a', `invdistnn:power=2.0:smoothing=0.0:radius=${radius}:max_points=${neighbors}:min_points=1:nodata=${OUTPUT_NODATA.Float32}`,
    '-txe', String(e.xmin), String(e.xmin + width * cell), '-tye', String(e.ymax), String(e.ymax - height * cell), '-outsize', String(width), String(height),
  ];
}

function defaultCellSize(facts: VectorFacts): number {
  const e = facts.extent;
  return Math.min(e.xmax - e.xmin, e.ymax - e.ymin) / 250 || 1;
}
