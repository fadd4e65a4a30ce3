import { TaskError, type TaskContext, type TaskDefinition } from '../../jobs/task.js';
import { ANALYSIS_CONTEXT_PARAM, outputNameParam, rasterInputParam, rasterResultParam, readNumber } from './analysis-params.js';
import { startEngineJob } from './engine-job.js';
import { flowAccumulation as accumulate, watershed as delineate } from './hydrology/flow-kernels.js';
import { readFlowTag } from './hydrology/flow-type.js';
import { snapPourPoints } from './hydrology/pour-points.js';
import { publishGrid } from './hydrology/publish-grid.js';
import { rollbackAnalysis } from './output-service.js';
import { readCostAndSources } from './travel-cost/source-cells.js';

/**
 * Watershed (raster-analysis.md §8): the area draining to each pour point, labelled with the
 * pour point's value. Pour points are a raster (its non-NoData cells) or point features.
 * `snapDistance` (map units) first moves each pour point to the cell of highest flow
 * accumulation within that distance, as ArcGIS's Snap Pour Point.
 * ArcGIS's Watershed takes D8 directions only, so a raster FlowDirection tagged DINF or MFD
 * (hydrology/flow-type.ts) is refused, naming its type, rather than read as codes.
 */
export const watershed: TaskDefinition = {
  name: 'Watershed',
  displayName: 'Watershed',
  description: 'Determines the contributing area above a set of cells in a raster.',
  parameters: [
    rasterInputParam('inputFlowDirectionRaster', 'Input Flow Direction Raster'),
    { name: 'inPourPointRasterOrFeatures', dataType: 'GPString', displayName: 'Input Pour Point Raster or Features', description: 'A raster ({"url"}, {"itemId"}, {"uri"}) or point features (a feature set, or {"url": <layer>}).', direction: 'input', required: true },
    { name: 'pourPointField', dataType: 'GPString', displayName: 'Pour Point Field', direction: 'input', required: false },
    { name: 'snapDistance', dataType: 'GPDouble', displayName: 'Snap Distance', description: 'Map units (or {"distance": …}); 0 or empty: no snapping.', direction: 'input', required: false },
    outputNameParam('outputName', 'Output Name'),
    ANALYSIS_CONTEXT_PARAM,
    rasterResultParam(),
  ],
  execute: runWatershed,
  rollback: rollbackAnalysis,
};

async function runWatershed(context: TaskContext): Promise<Record<string, unknown>> {
  const { inputs } = context;
  const job = await startEngineJob(context, ['outputName']);
  const field = typeof inputs.pourPointField === 'string' && inputs.pourPointField ? inputs.pourPointField : undefined;
  const { cost: directions, sources } = await readCostAndSources(job, 'inputFlowDirectionRaster', 'inPourPointRasterOrFeatures', field);
  const { type } = await readFlowTag(directions.source);
  if (type && type !== 'D8') throw new TaskError(`'inputFlowDirectionRaster' is a ${type} flow direction raster; Watershed reads D8 directions only (FlowDirection with flowDirectionType D8), as ArcGIS's.`);
  if (!sources.some((v) => !Number.isNaN(v))) throw new TaskError('No pour point lies on the flow direction raster.');
  const snapDistance = readNumber('snapDistance', typeof inputs.snapDistance === 'object' && inputs.snapDistance ? (inputs.snapDistance as { distance?: unknown }).distance : inputs.snapDistance, 0)!;
  const pourPoints = snapDistance > 0 ? snapPourPoints(directions, sources, accumulate(directions), snapDistance) : sources;
  context.progress(20, 'Delineating watersheds');
  const labels = delineate(directions, pourPoints);
  context.progress(60, 'Publishing');
  const outputRaster = await publishGrid(job, 'outputName', directions, labels, 'Int32', 'Watersheds');
  context.progress(100, 'Done');
  return { outputRaster };
}
