import { TaskError, type TaskContext, type TaskDefinition } from '../../jobs/task.js';
import { ANALYSIS_CONTEXT_PARAM, choiceParam, isGiven, outputNameParam, rasterInputParam, rasterResultParam, readChoice } from './analysis-params.js';
import { startEngineJob } from './engine-job.js';
import { flowDirectionD8 } from './hydrology/flow-direction-d8.js';
import { flowDistance as measure, type FlowDistanceType } from './hydrology/flow-kernels.js';
import { publishGrid } from './hydrology/publish-grid.js';
import type { Grid } from './hydrology/grid.js';
import { readInputGrids } from './hydrology/read-input-grid.js';
import { rollbackAnalysis } from './output-service.js';

const DISTANCE_TYPES = ['VERTICAL', 'HORIZONTAL'] as const;

/**
 * FlowDistance (raster-analysis.md §8): horizontal or vertical distance from each cell down its
 * D8 flow path to the stream it reaches. Without a direction raster, D8 directions are derived
 * from the surface. The statistics type only matters for MFD, which is not offered yet.
 */
export const flowDistance: TaskDefinition = {
  name: 'FlowDistance',
  displayName: 'Flow Distance',
  description: 'Computes the distance downslope along flow paths to the streams into which they flow.',
  parameters: [
    rasterInputParam('inputStreamRaster', 'Input Stream Raster'),
    rasterInputParam('inputSurfaceRaster', 'Input Surface Raster'),
    outputNameParam('outputName', 'Output Name'),
    rasterInputParam('inputFlowDirectionRaster', 'Input Flow Direction Raster', false),
    choiceParam('distanceType', 'Distance Type', [...DISTANCE_TYPES], 'VERTICAL'),
    choiceParam('flowDirectionType', 'Flow Direction Type', ['D8', 'MFD', 'DINF'], 'D8'),
    choiceParam('statisticsType', 'Statistics Type', ['MINIMUM', 'WEIGHTED_MEAN', 'MAXIMUM'], 'MINIMUM'),
    ANALYSIS_CONTEXT_PARAM,
    rasterResultParam(),
  ],
  execute: runFlowDistance,
  rollback: rollbackAnalysis,
};

async function runFlowDistance(context: TaskContext): Promise<Record<string, unknown>> {
  const { inputs } = context;
  const job = await startEngineJob(context, ['outputName']);
  const distanceType = readChoice('distanceType', inputs.distanceType, DISTANCE_TYPES, 'VERTICAL') as FlowDistanceType;
  const flowType = readChoice('flowDirectionType', inputs.flowDirectionType, ['D8', 'MFD', 'DINF'], 'D8');
  if (flowType !== 'D8') throw new TaskError(`flowDirectionType '${flowType}' is not supported by this server yet; use D8.`);
  readChoice('statisticsType', inputs.statisticsType, ['MINIMUM', 'WEIGHTED_MEAN', 'MAXIMUM'], 'MINIMUM');
  const withDirections = isGiven(inputs.inputFlowDirectionRaster);
  const grids = await readInputGrids(job, ['inputStreamRaster', 'inputSurfaceRaster', ...(withDirections ? ['inputFlowDirectionRaster'] : [])]);
  const [streams, surface] = grids as unknown as [Grid, Grid];
  const directions = grids[2] ?? { ...surface, values: flowDirectionD8(surface).directions };
  context.progress(30, 'Measuring flow distances');
  const distances = measure(streams, surface, directions, distanceType);
  context.progress(60, 'Publishing');
  const outputRaster = await publishGrid(job, 'outputName', streams, distances, 'Float32', `Flow distance (${distanceType.toLowerCase()})`);
  context.progress(100, 'Done');
  return { outputRaster };
}
