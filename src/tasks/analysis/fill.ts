import path from 'node:path';
import type { TaskContext, TaskDefinition } from '../../jobs/task.js';
import { ANALYSIS_CONTEXT_PARAM, outputNameParam, rasterInputParam, rasterResultParam, readNumber } from './analysis-params.js';
import { engineRasters, startEngineJob } from './engine-job.js';
import { runSaga } from './engines/run-saga.js';
import { readGrid } from './hydrology/grid.js';
import { limitFill } from './hydrology/limit-fill.js';
import { publishGrid } from './hydrology/publish-grid.js';
import { rollbackAnalysis } from './output-service.js';

/**
 * Fill (raster-analysis.md §8): fills the sinks of a surface. SAGA's "Fill Sinks (Wang & Liu)"
 * (a priority-flood fill, minimum slope 0, so filled sinks are flat as ArcGIS leaves them) does
 * the filling; `zLimit` is applied afterwards: sinks deeper than it keep their heights.
 */
export const fill: TaskDefinition = {
  name: 'Fill',
  displayName: 'Fill',
  description: 'Fills sinks in a surface raster to remove small imperfections in the data.',
  parameters: [
    rasterInputParam('inputSurfaceRaster', 'Input Surface Raster'),
    outputNameParam('outputName', 'Output Name'),
    { name: 'zLimit', dataType: 'GPDouble', displayName: 'Z Limit', description: 'Deepest sink to fill; deeper sinks are left as they are. Empty: fill all.', direction: 'input', required: false },
    ANALYSIS_CONTEXT_PARAM,
    rasterResultParam(),
  ],
  execute: runFill,
  rollback: rollbackAnalysis,
};

async function runFill(context: TaskContext): Promise<Record<string, unknown>> {
  const job = await startEngineJob(context, ['outputName']);
  const zLimit = readNumber('zLimit', context.inputs.zLimit);
  const [surface] = (await engineRasters(job, ['inputSurfaceRaster'])) as [string];
  const filledFile = path.join(context.scratchDir, 'saga', 'filled.tif');
  context.progress(5, 'Filling sinks (SAGA)');
  await runSaga({
    task: 'Fill',
    library: 'ta_preprocessor',
    tool: '4',
    options: { ELEV: surface, FILLED: filledFile, MINSLOPE: 0 },
    scratchDir: context.scratchDir,
    signal: context.signal,
    onProgress: (fraction) => context.progress(5 + fraction * 75, 'Filling sinks (SAGA)'),
  });
  // SAGA keeps NoData cells NoData; heights come back on the input's own grid.
  const filled = await readGrid(filledFile);
  const values = zLimit === undefined ? filled.values : limitFill(await readGrid(surface), filled.values, zLimit);
  context.progress(85, 'Publishing');
  const outputRaster = await publishGrid(job, 'outputName', filled, values, 'Float32', 'Filled surface');
  context.progress(100, 'Done');
  return { outputRaster };
}
