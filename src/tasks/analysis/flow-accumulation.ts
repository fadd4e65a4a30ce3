import { TaskError, type TaskContext, type TaskDefinition } from '../../jobs/task.js';
import { undoImageCollectionJob } from '../image-collection/undo-job.js';
import { ANALYSIS_CONTEXT_PARAM, choiceParam, isGiven, outputNameParam, rasterInputParam, rasterResultParam, readChoice } from './analysis-params.js';
import { flowAccumulation as accumulate } from './hydrology/flow-kernels.js';
import { publishGrid } from './hydrology/publish-grid.js';
import { readInputGrid, requireSameGrid } from './hydrology/read-input-grid.js';

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
  rollback: (context) => undoImageCollectionJob(context),
};

async function runFlowAccumulation(context: TaskContext): Promise<Record<string, unknown>> {
  const { inputs } = context;
  const dataType = readChoice('dataType', inputs.dataType, ['FLOAT', 'INTEGER'], 'FLOAT');
  const type = readChoice('flowDirectionType', inputs.flowDirectionType, ['D8', 'MFD', 'DINF'], 'D8');
  if (type !== 'D8') throw new TaskError(`flowDirectionType '${type}' is not supported by this server yet; use D8.`);
  const directions = await readInputGrid(context, 'inputFlowDirectionRaster');
  const weights = isGiven(inputs.inputWeightRaster) ? await readInputGrid(context, 'inputWeightRaster') : undefined;
  if (weights) requireSameGrid(directions, weights, 'inputWeightRaster');
  context.progress(20, 'Accumulating flow');
  let values = accumulate(directions, weights);
  if (dataType === 'INTEGER') values = values.map((v) => (Number.isNaN(v) ? v : Math.round(v)));
  context.signal.throwIfAborted();
  context.progress(60, 'Publishing');
  const outputRaster = await publishGrid(context, 'outputName', directions, values, dataType === 'INTEGER' ? 'Int32' : 'Float32', 'Flow accumulation');
  context.progress(100, 'Done');
  return { outputRaster };
}
