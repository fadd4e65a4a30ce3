import path from 'node:path';
import type { TaskContext, TaskDefinition } from '../../jobs/task.js';
import { undoImageCollectionJob } from '../image-collection/undo-job.js';
import { ANALYSIS_CONTEXT_PARAM, outputNameParam, rasterInputParam, rasterResultParam, readNumber } from './analysis-params.js';
import { resolveEngineRaster } from './engine-raster-input.js';
import { runSaga } from './engines/run-saga.js';
import { readGrid } from './hydrology/grid.js';
import { limitFill } from './hydrology/limit-fill.js';
import { publishGrid } from './hydrology/publish-grid.js';

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
  rollback: (context) => undoImageCollectionJob(context),
};

async function runFill(context: TaskContext): Promise<Record<string, unknown>> {
  const zLimit = readNumber('zLimit', context.inputs.zLimit);
  const surface = await resolveEngineRaster('inputSurfaceRaster', context.inputs.inputSurfaceRaster, context);
  const filledFile = path.join(context.scratchDir, 'saga', 'filled.tif');
  context.progress(5, 'Filling sinks (SAGA)');
  await runSaga({
    task: 'Fill',
    library: 'ta_preprocessor',
    tool: '4',
    options: { ELEV: surface.source, FILLED: filledFile, MINSLOPE: 0 },
    scratchDir: context.scratchDir,
    signal: context.signal,
    onProgress: (fraction) => context.progress(5 + fraction * 75, 'Filling sinks (SAGA)'),
  });
  const original = await readGrid(surface.source);
  const filled = await readGrid(filledFile);
  // SAGA keeps NoData cells NoData; heights come back on the input's own grid.
  const values = zLimit === undefined ? filled.values : limitFill(original, filled.values, zLimit);
  context.progress(85, 'Publishing');
  const outputRaster = await publishGrid(context, 'outputName', original, values, 'Float32', 'Filled surface');
  context.progress(100, 'Done');
  return { outputRaster };
}
