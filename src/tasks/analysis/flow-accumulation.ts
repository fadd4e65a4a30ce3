import { TaskError, type TaskContext, type TaskDefinition } from '../../jobs/task.js';
import { ANALYSIS_CONTEXT_PARAM, choiceParam, isGiven, outputNameParam, rasterInputParam, rasterResultParam, readChoice } from './analysis-params.js';
import { startEngineJob } from './engine-job.js';
import { flowAccumulation as accumulate } from './hydrology/flow-kernels.js';
import { publishGrid } from './hydrology/publish-grid.js';
import type { Grid } from './hydrology/grid.js';
import { readInputGrids } from './hydrology/read-input-grid.js';
import { rollbackAnalysis } from './output-service.js';

/**
 * FlowAccumulation (raster-analysis.md §8): cells (or summed weights) flowing into each cell
 * under an Esri D8 direction raster, the cell itself not counted, as ArcGIS does.
 */
export const flowAccumulation: TaskDefinition = {
  name: 'FlowAccumulation',
  displayName: 'Flow Accumulation',
  description: 'Creates a raster of accumulated flow into each cell, optionally weighted.',
  parameters: [
    rasterInputParam('inputFlowDirectionRaster', 'Input Flow Direction Raster'),
    outputNameParam('outputName', 'Output Name'),
    rasterInputParam('inputWeightRaster', 'Input Weight Raster', false),
    choiceParam('dataType', 'Data Type', ['FLOAT', 'INTEGER'], 'FLOAT'),
    choiceParam('flowDirectionType', 'Flow Direction Type', ['D8', 'MFD', 'DINF'], 'D8'),
    ANALYSIS_CONTEXT_PARAM,
    rasterResultParam(),
  ],
  execute: runFlowAccumulation,
  rollback: rollbackAnalysis,
};

async function runFlowAccumulation(context: TaskContext): Promise<Record<string, unknown>> {
  const { inputs } = context;
  const job = await startEngineJob(context, ['outputName']);
  const dataType = readChoice('dataType', inputs.dataType, ['FLOAT', 'INTEGER'], 'FLOAT');
  const type = readChoice('flowDirectionType', inputs.flowDirectionType, ['D8', 'MFD', 'DINF'], 'D8');
  if (type !== 'D8') throw new TaskError(`flowDirectionType '${type}' is not supported by this server yet; use D8.`);
  const [directions, weights] = (await readInputGrids(job, ['inputFlowDirectionRaster', ...(isGiven(inputs.inputWeightRaster) ? ['inputWeightRaster'] : [])])) as unknown as [Grid, Grid | undefined];
  context.progress(20, 'Accumulating flow');
  let values = accumulate(directions, weights);
  if (dataType === 'INTEGER') values = values.map((v) => (Number.isNaN(v) ? v : Math.round(v)));
  context.signal.throwIfAborted();
  context.progress(60, 'Publishing');
  const outputRaster = await publishGrid(job, 'outputName', directions, values, dataType === 'INTEGER' ? 'Int32' : 'Float32', 'Flow accumulation');
  context.progress(100, 'Done');
  return { outputRaster };
}
