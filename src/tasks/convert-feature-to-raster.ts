import path from 'node:path';
import type { TaskContext, TaskDefinition } from '../jobs/task.js';
import { runGdalCommand } from '../raster/run-gdal-command.js';
import gdal from 'gdal-async';
import { createPointTransformer } from '../raster/point-transformer.js';
import { toSpatialReference, toSrsText } from '../raster/srs-input.js';
import { transformBoundsWith, type Bounds } from '../raster/transform-bounds.js';
import { applyMask, readAnalysisEnvironment, type AnalysisEnvironment } from './analysis/analysis-environment.js';
import { ANALYSIS_CONTEXT_PARAM, analysisDeps, gdalStep, input, output, outputNameParam, readPositive, workFolder } from './analysis/analysis-task.js';
import { resolveFeatureInput, type AnalysisFeatures } from './analysis/feature-input.js';
import { rasterizeResult } from './analysis/gdal-library.js';
import { readOutputName } from './analysis/output-name.js';
import { publishRasterOutput, rollbackAnalysis } from './analysis/output-service.js';
import { readVectorFacts, requireField, type VectorFacts } from './analysis/vector-facts.js';

/** NoData of the rasterised output by pixel type (cells no feature touches). */
export const RASTERIZE_NODATA = { Int32: '-2147483648', Float32: '-3.4028234663852886e+38' } as const;

/**
 * ConvertFeatureToRaster (§8): burns `valueField` of each feature into cells of `outputCellSize`
 * (default: the shorter side of the features' extent / 250, as ArcGIS does) with
 * `gdal_rasterize`. Integer fields give an Int32 raster, others Float32. With `context.outSR` the
 * features are projected first (ogr2ogr), so the cells are laid out in that reference.
 */
export const convertFeatureToRaster: TaskDefinition = {
  name: 'ConvertFeatureToRaster',
  displayName: 'Convert Feature To Raster',
  description: 'Converts features to a raster of one of their fields.',
  requiredPrivilege: 'premium:publisher:rasteranalysis',
  parameters: [
    input('inputFeature', 'Input Feature', 'Features: {"url": "<layer url>", "filter"}, {"itemId"} or a feature set.', true),
    input('outputCellSize', 'Output Cell Size', 'Cell size, a number or {"distance", "units"}.'),
    input('valueField', 'Value Field', 'The field whose values become the cells (default: the object id).'),
    outputNameParam(),
    ANALYSIS_CONTEXT_PARAM,
    output('outputRaster', 'Output Raster'),
  ],
  execute: runConvertFeatureToRaster,
  rollback: rollbackAnalysis,
};

async function runConvertFeatureToRaster(context: TaskContext): Promise<Record<string, unknown>> {
  const { inputs, signal } = context;
  const deps = analysisDeps(context);
  const work = await workFolder(context);
  const outputName = await readOutputName('outputName', inputs.outputName, 'ImageServer', deps);
  const input = await resolveFeatureInput('inputFeature', inputs.inputFeature, deps, work);
  const env = await readAnalysisEnvironment(inputs.context, deps, work);
  const features = env.outSR ? await projectFeatures(input, await readVectorFacts('inputFeature', input), toSrsText(env.outSR), work, signal) : input;
  const facts = await readVectorFacts('inputFeature', features);
  const fieldName = typeof inputs.valueField === 'string' && inputs.valueField ? inputs.valueField : objectIdField(facts);
  const field = requireField('valueField', facts, fieldName, true);
  const cell = readPositive('outputCellSize', inputs.outputCellSize) ?? (typeof env.cellSize === 'number' ? env.cellSize : defaultCellSize(facts));
  context.progress(10, 'Rasterizing the features');
  const file = path.join(work, 'rasterized.tif');
  const args = rasterizeArgs(field, cell, facts, env.extent && extentIn(env.extent, facts.srsWkt));
  await gdalStep('Rasterizing the features', () => rasterizeResult(args, features.source, file, signal));
  await applyMask(file, env, work, signal);
  context.progress(70, 'Publishing the imagery layer');
  const outputRaster = await publishRasterOutput(file, outputName, context, `ConvertFeatureToRaster of ${features.label}`);
  context.progress(100, 'Done');
  return { outputRaster };
}

/** The features in `outSR` (ogr2ogr -t_srs into a GeoPackage layer of the same name): the raster is made there. */
async function projectFeatures(features: AnalysisFeatures, facts: VectorFacts, target: string, work: string, signal: AbortSignal): Promise<AnalysisFeatures> {
  const file = path.join(work, 'features-out-sr.gpkg');
  await gdalStep('Projecting the features to context.outSR', () => runGdalCommand('ogr2ogr', ['-f', 'GPKG', '-t_srs', target, '-nln', facts.layerName, file, features.source, facts.layerName], { signal }));
  return { ...features, source: file };
}

/** `context.extent` in the features' SR (its corners and edges moved when it has another one). */
function extentIn(extent: NonNullable<AnalysisEnvironment['extent']>, srsWkt: string | null): Bounds {
  const box = { xmin: extent.xmin, ymin: extent.ymin, xmax: extent.xmax, ymax: extent.ymax };
  if (!extent.spatialReference || !srsWkt) return box;
  const from = toSpatialReference(extent.spatialReference);
  const to = gdal.SpatialReference.fromWKT(srsWkt);
  return from.isSame(to) ? box : transformBoundsWith(box, createPointTransformer(from, to));
}

/** gdal_rasterize arguments (exported for tests and the bench, which run the same command). */
export function rasterizeArgs(field: { name: string; integer: boolean }, cell: number, facts: Pick<VectorFacts, 'layerName'>, extent?: { xmin: number; ymin: number; xmax: number; ymax: number }): string[] {
  const type = field.integer ? 'Int32' : 'Float32';
  const args = ['-q', '-l', facts.layerName, '-a', field.name, '-ot', type, '-a_nodata', RASTERIZE_NODATA[type], '-init', RASTERIZE_NODATA[type], '-tr', String(cell), String(cell), '-co', 'TILED=YES'];
  if (extent) args.push('-te', String(extent.xmin), String(extent.ymin), String(extent.xmax), String(extent.ymax));
  return args;
}

function objectIdField(facts: VectorFacts): string {
  for (const name of ['objectid', 'fid', 'oid']) if (facts.fields.has(name)) return facts.fields.get(name)!.name;
  return 'OBJECTID';
}

function defaultCellSize(facts: VectorFacts): number {
  const e = facts.extent;
  return Math.min(e.xmax - e.xmin, e.ymax - e.ymin) / 250 || 1;
}
