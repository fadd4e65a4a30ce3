import { TaskError, type TaskContext, type TaskDefinition } from '../../jobs/task.js';
import { ANALYSIS_CONTEXT_PARAM, choiceParam, isGiven, outputNameParam, rasterInputParam, rasterResultParam, readChoice, readFlag } from './analysis-params.js';
import { startEngineJob } from './engine-job.js';
import { flowDirectionD8 } from './hydrology/flow-direction-d8.js';
import { publishGrid } from './hydrology/publish-grid.js';
import { readInputGrid } from './hydrology/read-input-grid.js';
import { rollbackAnalysis } from './output-service.js';

const FLOW_TYPES = ['D8', 'MFD', 'DINF'] as const;

/**
 * FlowDirection (raster-analysis.md §8): Esri D8 codes (1 east … 128 north-east) and, when
 * `outputDropName` is given, the percent drop along each direction. `forceFlow` (true or
 * FORCE) makes edge cells always flow out of the raster, as ArcGIS does.
 */
export const flowDirection: TaskDefinition = {
  name: 'FlowDirection',
  displayName: 'Flow Direction',
  description: 'Creates a raster of flow direction from each cell to its steepest downslope neighbour.',
  parameters: [
    rasterInputParam('inputSurfaceRaster', 'Input Surface Raster'),
    outputNameParam('outputFlowDirectionName', 'Output Flow Direction Name'),
    { name: 'forceFlow', dataType: 'GPBoolean', displayName: 'Force Flow', direction: 'input', required: false, defaultValue: false },
    choiceParam('flowDirectionType', 'Flow Direction Type', [...FLOW_TYPES], 'D8'),
    outputNameParam('outputDropName', 'Output Drop Name', false),
    ANALYSIS_CONTEXT_PARAM,
    rasterResultParam('outputFlowDirectionRaster', 'Output Flow Direction Raster'),
    rasterResultParam('outputDropRaster', 'Output Drop Raster'),
  ],
  execute: runFlowDirection,
  rollback: rollbackAnalysis,
};

async function runFlowDirection(context: TaskContext): Promise<Record<string, unknown>> {
  const { inputs } = context;
  const job = await startEngineJob(context, ['outputFlowDirectionName', 'outputDropName']);
  const type = readChoice('flowDirectionType', inputs.flowDirectionType, FLOW_TYPES, 'D8');
  if (type !== 'D8') throw new TaskError(`flowDirectionType '${type}' is not supported by this server yet; use D8.`);
  const surface = await readInputGrid(job, 'inputSurfaceRaster');
  context.progress(20, 'Computing D8 flow directions');
  const result = flowDirectionD8(surface, readFlag(inputs.forceFlow, ['FORCE']));
  context.signal.throwIfAborted();
  context.progress(60, 'Publishing');
  const outputs: Record<string, unknown> = {
    outputFlowDirectionRaster: await publishGrid(job, 'outputFlowDirectionName', surface, result.directions, 'Int16', 'D8 flow direction'),
  };
  if (isGiven(inputs.outputDropName)) {
    outputs.outputDropRaster = await publishGrid(job, 'outputDropName', surface, result.drops, 'Float32', 'Percent drop along the flow direction');
  }
  context.progress(100, 'Done');
  return outputs;
}
