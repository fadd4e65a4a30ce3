import type { TaskContext, TaskDefinition } from '../../jobs/task.js';
import { undoImageCollectionJob } from '../image-collection/undo-job.js';
import { ANALYSIS_CONTEXT_PARAM, outputNameParam, rasterInputParam, rasterResultParam } from './analysis-params.js';
import { streamLink as linkStreams } from './hydrology/flow-kernels.js';
import { publishGrid } from './hydrology/publish-grid.js';
import { readInputGrid, requireSameGrid } from './hydrology/read-input-grid.js';

/** StreamLink (raster-analysis.md §8): unique ids for the stream stretches between junctions. */
export const streamLink: TaskDefinition = {
  name: 'StreamLink',
  displayName: 'Stream Link',
  description: 'Assigns unique values to sections of a raster linear network between intersections.',
  parameters: [
    rasterInputParam('inputStreamRaster', 'Input Stream Raster'),
    rasterInputParam('inputFlowDirectionRaster', 'Input Flow Direction Raster'),
    outputNameParam('outputName', 'Output Name'),
    ANALYSIS_CONTEXT_PARAM,
    rasterResultParam(),
  ],
  execute: runStreamLink,
  rollback: (context) => undoImageCollectionJob(context),
};

async function runStreamLink(context: TaskContext): Promise<Record<string, unknown>> {
  const streams = await readInputGrid(context, 'inputStreamRaster');
  const directions = await readInputGrid(context, 'inputFlowDirectionRaster');
  requireSameGrid(streams, directions, 'inputFlowDirectionRaster');
  context.progress(20, 'Linking streams');
  const links = linkStreams(streams, directions);
  context.progress(60, 'Publishing');
  const outputRaster = await publishGrid(context, 'outputName', streams, links, 'Int32', 'Stream links');
  context.progress(100, 'Done');
  return { outputRaster };
}
