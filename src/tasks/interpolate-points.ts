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

/**
 * InterpolatePoints (§8): a surface from sampled points by inverse distance weighting
 * (`gdal_grid -a invdistnn`, power 2, the `numberOfNeighbors` nearest points, default 8) at
 * `outputCellSize` (default: the shorter side of the points' extent / 250) over the points'
 * extent or `context.extent`. ArcGIS answers with empirical Bayesian kriging; kriging needs the
 * engine of issue 13, so `processInfo` says which method made the surface, and
 * `outputPredictionError` (a kriging product) is declined with a warning.
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
    input('transformData', 'Transform Data', 'Kriging only; ignored by inverse distance.', false, 'GPBoolean'),
    input('sizeOfLocalModels', 'Size Of Local Models', 'Kriging only; ignored by inverse distance.', false, 'GPLong'),
    input('numberOfNeighbors', 'Number Of Neighbors', 'Points each cell is computed from (default 8).', false, 'GPLong'),
    input('outputCellSize', 'Output Cell Size', 'A number or {"distance", "units"}.'),
    input('outputPredictionError', 'Output Prediction Error', 'Kriging only.', false, 'GPBoolean'),
    ANALYSIS_CONTEXT_PARAM,
    output('outputRaster', 'Output Raster'),
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
  readChoice('optimizeFor', inputs.optimizeFor, ['SPEED', 'BALANCE', 'ACCURACY'], 'BALANCE');
  if (readBool(inputs.outputPredictionError, false)) context.warning('outputPredictionError: inverse distance weighting has no prediction error; no error raster is made.');
  const features = await resolveFeatureInput('inputPointFeatures', inputs.inputPointFeatures, deps, work);
  const facts = await readVectorFacts('inputPointFeatures', features);
  if (typeof inputs.interpolateField !== 'string' || !inputs.interpolateField) throw new TaskError("'interpolateField' is required.");
  const field = requireField('interpolateField', facts, inputs.interpolateField, true);
  if (facts.featureCount < 3) throw new TaskError("'inputPointFeatures' needs at least 3 points to interpolate.");
  const env = await readAnalysisEnvironment(inputs.context, deps, work);
  const neighbors = readPositive('numberOfNeighbors', inputs.numberOfNeighbors) ?? 8;
  const extent = env.extent ?? facts.extent;
  const cell = readPositive('outputCellSize', inputs.outputCellSize) ?? (typeof env.cellSize === 'number' ? env.cellSize : defaultCellSize(facts));
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
