import type { TaskContext, TaskDefinition } from '../../jobs/task.js';
import { ANALYSIS_CONTEXT_PARAM, outputNameParam, rasterInputParam, rasterResultParam } from './analysis-params.js';
import { startEngineJob } from './engine-job.js';
import { streamLink as linkStreams } from './hydrology/flow-kernels.js';
import { publishGrid } from './hydrology/publish-grid.js';
import type { Grid } from './hydrology/grid.js';
import { readInputGrids } from './hydrology/read-input-grid.js';
import { rollbackAnalysis } from './output-service.js';

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
  rollback: rollbackAnalysis,
};

async function runStreamLink(context: TaskContext): Promise<Record<string, unknown>> {
  const job = await startEngineJob(context, ['outputName']);
  const [streams, directions] = (await readInputGrids(job, ['inputStreamRaster', 'inputFlowDirectionRaster'])) as unknown as [Grid, Grid];
  context.progress(20, 'Linking streams');
  const links = linkStreams(streams, directions);
  context.progress(60, 'Publishing');
  const outputRaster = await publishGrid(job, 'outputName', streams, links, 'Int32', 'Stream links');
  context.progress(100, 'Done');
  return { outputRaster };
}
