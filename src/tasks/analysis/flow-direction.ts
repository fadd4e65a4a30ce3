import path from 'node:path';
import type { TaskContext, TaskDefinition } from '../../jobs/task.js';
import { ANALYSIS_CONTEXT_PARAM, choiceParam, isGiven, outputNameParam, rasterInputParam, rasterResultParam, readChoice, readFlag } from './analysis-params.js';
import { engineRasters, startEngineJob, type EngineJob } from './engine-job.js';
import { runSaga } from './engines/run-saga.js';
import { timeSection } from './engines/section-times.js';
import { flowDirectionD8 } from './hydrology/flow-direction-d8.js';
import { dinfAngles } from './hydrology/flow-direction-dinf.js';
import { FLOW_TYPES, writeFlowDirections, type FlowType } from './hydrology/flow-type.js';
import { publishGrid } from './hydrology/publish-grid.js';
import { readFloatGrid, type FloatGrid } from './hydrology/float-grid.js';
import { readInputGrid, readSourceFloatGrid } from './hydrology/read-input-grid.js';
import { rollbackAnalysis } from './output-service.js';
import { publishResultFile } from './publish-result-file.js';

/**
 * FlowDirection (raster-analysis.md §8). `flowDirectionType`:
 * - D8: Esri codes (1 east … 128 north-east);
 * - DINF: Tarboton's D-infinity angle, degrees counter-clockwise from east, from SAGA's
 *   "maximum triangle slope (Tarboton 1997)" (see hydrology/flow-direction-dinf.ts);
 * - MFD: what ArcGIS shows of an MFD raster (the D8 codes) with the surface as band 2, from which
 *   FlowAccumulation runs SAGA's multiple flow direction of Qin et al. (hydrology/flow-type.ts).
 * `outputDropName` adds the percent drop along each direction. `forceFlow` (true or FORCE)
 * makes edge cells always flow out of the raster, as ArcGIS does.
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
  const type = readChoice('flowDirectionType', inputs.flowDirectionType, FLOW_TYPES, 'D8') as FlowType;
  const forceFlow = readFlag(inputs.forceFlow, ['FORCE']);
  const { surface, result } = type === 'DINF' ? await sagaDinf(job, forceFlow, isGiven(inputs.outputDropName)) : await d8Directions(job, type, forceFlow);
  context.signal.throwIfAborted();
  context.progress(60, 'Publishing');
  const outputs: Record<string, unknown> = {
    outputFlowDirectionRaster: await publishResultFile(job, 'outputFlowDirectionName', DESCRIPTIONS[type], (file) => writeFlowDirections(file, surface, result.directions, type, surface.values)),
  };
  if (isGiven(inputs.outputDropName)) {
    outputs.outputDropRaster = await publishGrid(job, 'outputDropName', surface, result.drops!, 'Float32', 'Percent drop along the flow direction');
  }
  context.progress(100, 'Done');
  return outputs;
}

const DESCRIPTIONS: Record<FlowType, string> = {
  D8: 'D8 flow direction',
  DINF: 'D-infinity flow direction (degrees counter-clockwise from east)',
  MFD: 'MFD flow direction (band 1: D8 codes for display; band 2: the surface, for Flow Accumulation)',
};

type Directions = { surface: FloatGrid; result: { directions: Float32Array | Float64Array; drops: Float64Array | undefined } };

/** D8 codes (MFD too: its band 1) and drops, in the worker. */
async function d8Directions(job: EngineJob, type: FlowType, forceFlow: boolean): Promise<Directions> {
  const surface = await readInputGrid(job, 'inputSurfaceRaster');
  job.context.progress(20, `Computing ${type} flow directions`);
  return { surface, result: flowDirectionD8(surface, forceFlow) };
}

/**
 * D-infinity angles and drops: SAGA's Tarboton facets, edge cells redone by the worker. SAGA
 * reads the surface file itself, so the worker reads it meanwhile (GDAL on a libuv thread), as
 * Float32 when its values fit. SAGA writes its grids as `.sdat` (raw Float32, no LZW to encode
 * and decode), and the slope grid only for a drop raster.
 */
async function sagaDinf(job: EngineJob, forceFlow: boolean, withDrops: boolean): Promise<Directions> {
  const { context } = job;
  const [source] = await engineRasters(job, ['inputSurfaceRaster']);
  const dir = path.join(context.scratchDir, 'saga');
  const aspect = path.join(dir, 'aspect.sdat');
  const slope = path.join(dir, 'slope.sdat');
  context.progress(20, 'Computing DINF flow directions');
  // One timed section: sections inside another count in it only (engines/section-times.ts).
  const [read, saga] = await timeSection('engine saga_cmd, surface read beside it', () => Promise.allSettled([
    readSourceFloatGrid(source!, 'inputSurfaceRaster'),
    runSaga({
      task: 'FlowDirection',
      library: 'ta_morphometry',
      tool: '0',
      options: { ELEVATION: source!, ASPECT: aspect, ...(withDrops ? { SLOPE: slope } : {}), METHOD: 1, UNIT_SLOPE: 2, UNIT_ASPECT: 1 },
      scratchDir: context.scratchDir,
      signal: context.signal,
      onProgress: (fraction) => context.progress(20 + fraction * 30, 'Computing D-infinity flow directions (SAGA)'),
    }),
  ]));
  // The input's own error first, as when it was read before SAGA ran.
  if (read.status === 'rejected') throw read.reason;
  if (saga.status === 'rejected') throw saga.reason;
  const surface = read.value;
  const [{ values: aspects }, slopes] = await Promise.all([readFloatGrid(aspect), withDrops ? readFloatGrid(slope) : undefined]);
  // The angles replace the aspects in their Float32Array, which is written as it is.
  const { angles, drops } = await timeSection('dinf angles', async () => dinfAngles(surface, aspects, slopes?.values, forceFlow, aspects));
  return { surface, result: { directions: angles, drops } };
}
