import { TaskError, type TaskContext, type TaskDefinition } from '../../jobs/task.js';
import { undoImageCollectionJob } from '../image-collection/undo-job.js';
import { ANALYSIS_CONTEXT_PARAM, outputNameParam, rasterInputParam, rasterResultParam } from './analysis-params.js';
import { isFeatureInput, resolveEngineFeatures } from './engine-feature-input.js';
import { watershed as delineate } from './hydrology/flow-kernels.js';
import { burnPourPoints } from './hydrology/pour-points.js';
import { publishGrid } from './hydrology/publish-grid.js';
import { readInputGrid, requireSameGrid } from './hydrology/read-input-grid.js';

/**
 * Watershed (raster-analysis.md §8): the area draining to each pour point, labelled with the
 * pour point's value. Pour points are a raster (its non-NoData cells) or point features.
 */
export const watershed: TaskDefinition = {
  name: 'Watershed',
  displayName: 'Watershed',
  description: 'Determines the contributing area above a set of cells in a raster.',
  parameters: [
    rasterInputParam('inputFlowDirectionRaster', 'Input Flow Direction Raster'),
    { name: 'inPourPointRasterOrFeatures', dataType: 'GPString', displayName: 'Input Pour Point Raster or Features', description: 'A raster ({"url"}, {"itemId"}, {"uri"}) or point features (a feature set, or {"url": <layer>}).', direction: 'input', required: true },
    { name: 'pourPointField', dataType: 'GPString', displayName: 'Pour Point Field', direction: 'input', required: false },
    outputNameParam('outputName', 'Output Name'),
    ANALYSIS_CONTEXT_PARAM,
    rasterResultParam(),
  ],
  execute: runWatershed,
  rollback: (context) => undoImageCollectionJob(context),
};

async function runWatershed(context: TaskContext): Promise<Record<string, unknown>> {
  const { inputs } = context;
  const directions = await readInputGrid(context, 'inputFlowDirectionRaster');
  let pourPoints: Float64Array;
  if (isFeatureInput(inputs.inPourPointRasterOrFeatures)) {
    const features = await resolveEngineFeatures('inPourPointRasterOrFeatures', inputs.inPourPointRasterOrFeatures, context);
    const field = typeof inputs.pourPointField === 'string' && inputs.pourPointField ? inputs.pourPointField : undefined;
    const burnt = burnPourPoints(directions, features.features, field);
    if (burnt.burnt === 0) throw new TaskError('No pour point lies on the flow direction raster.');
    pourPoints = burnt.values;
  } else {
    const grid = await readInputGrid(context, 'inPourPointRasterOrFeatures');
    requireSameGrid(directions, grid, 'inPourPointRasterOrFeatures');
    pourPoints = grid.values;
  }
  context.progress(20, 'Delineating watersheds');
  const labels = delineate(directions, pourPoints);
  context.progress(60, 'Publishing');
  const outputRaster = await publishGrid(context, 'outputName', directions, labels, 'Int32', 'Watersheds');
  context.progress(100, 'Done');
  return { outputRaster };
}
