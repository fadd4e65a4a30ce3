import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import gdal from 'gdal-async';
import { TaskError, type TaskContext, type TaskDefinition } from '../../jobs/task.js';
import { ANALYSIS_CONTEXT_PARAM, choiceParam, isGiven, outputNameParam, rasterInputParam, rasterResultParam, readChoice } from './analysis-params.js';
import { startEngineJob, type EngineJob } from './engine-job.js';
import { runSaga } from './engines/run-saga.js';
import { timeSection } from './engines/section-times.js';
import { writeScaledResult } from './gdal-library.js';
import { dinfAccumulation } from './hydrology/flow-direction-dinf.js';
import { flowAccumulation as accumulate } from './hydrology/flow-kernels.js';
import { FLOW_TYPES, readFlowTag, type FlowType } from './hydrology/flow-type.js';
import { readGrid, writeGrid, type Grid } from './hydrology/grid.js';
import { publishGrid } from './hydrology/publish-grid.js';
import { readSourceGrid, resolveInputGrids, type InputGrid } from './hydrology/read-input-grid.js';
import { rollbackAnalysis } from './output-service.js';
import { publishResultFile } from './publish-result-file.js';

/**
 * FlowAccumulation (raster-analysis.md §8): cells (or summed weights) flowing into each cell,
 * the cell itself not counted, as ArcGIS does.
 * - D8: over the Esri codes of band 1;
 * - DINF: over D-infinity angles, each cell's flow split between the two neighbours its angle
 *   falls between (Tarboton 1997);
 * - MFD: SAGA's "Multiple Flow Direction based on Maximum Downslope Gradient" (Qin et al.: the
 *   flow-partition exponent 8.9·min(tanβmax, 1) + 1.1, ArcGIS's MFD) over the surface an MFD
 *   FlowDirection result carries as band 2.
 * The type is `flowDirectionType`, except that with D8 (the default) a raster FlowDirection
 * tagged MFD or DINF (hydrology/flow-type.ts) is read as that type.
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
    choiceParam('flowDirectionType', 'Flow Direction Type', [...FLOW_TYPES], 'D8'),
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
  const weighted = isGiven(inputs.inputWeightRaster);
  const input = await resolveInputGrids(job, ['inputFlowDirectionRaster', ...(weighted ? ['inputWeightRaster'] : [])], readSourceGrid);
  // Shapes first (an unreadable input fails naming its parameter): MFD reads no cell here.
  const [shape] = await input.shapes();
  const tag = await readFlowTag(shape!.source);
  const asked = readChoice('flowDirectionType', inputs.flowDirectionType, FLOW_TYPES, 'D8') as FlowType;
  // D8 is the default, so a tagged MFD or DINF raster is read as what it is; asking for MFD or
  // DINF on a raster tagged otherwise fails (angles read as codes, or no surface to split over).
  const type = asked === 'D8' && tag.type ? tag.type : asked;
  if (tag.type && tag.type !== type) throw new TaskError(`'inputFlowDirectionRaster' is a ${tag.type} flow direction raster; set flowDirectionType to ${tag.type}.`);
  context.progress(20, `Accumulating flow (${type})`);
  const description = `Flow accumulation (${type})`;
  if (type === 'MFD' && !weighted && dataType === 'FLOAT') {
    // SAGA's file less 1 (the cell itself, which ArcGIS does not count) becomes the result in one
    // GDAL pass: the worker reads no direction band and neither reads nor writes the cells itself.
    const flow = await sagaMfd(job, shape!.source, tag.bands, undefined);
    context.progress(60, 'Publishing');
    // NoData where SAGA has it: where the surface, hence the direction band, is NoData.
    const outputRaster = await publishResultFile(job, 'outputName', description, (file) =>
      timeSection('write result grid', () => writeScaledResult(flow, shape!, 1, -1, 'noData', file, context.signal)),
    );
    context.progress(100, 'Done');
    return { outputRaster };
  }
  const [directions, weights] = (await input.read()) as [InputGrid, InputGrid | undefined];
  let values: Float64Array;
  if (type === 'MFD') values = await sagaMfdValues(job, directions, tag.bands, weights);
  else if (type === 'DINF') values = dinfAccumulation(directions, weights);
  else values = accumulate(directions, weights);
  // In place, in a plain loop (Float64Array map with a callback is some 20× slower on large grids).
  if (dataType === 'INTEGER') for (let i = 0; i < values.length; i++) values[i] = Math.round(values[i]!);
  context.signal.throwIfAborted();
  context.progress(60, 'Publishing');
  const outputRaster = await publishGrid(job, 'outputName', directions, values, dataType === 'INTEGER' ? 'Int32' : 'Float32', description);
  context.progress(100, 'Done');
  return { outputRaster };
}

/** A VRT of one band of `source` (no pixels written), for an engine that reads band 1 only. */
async function bandVrt(source: string, band: number, file: string): Promise<string> {
  const dataset = await gdal.openAsync(source);
  try {
    (await gdal.translateAsync(file, dataset, ['-of', 'VRT', '-b', String(band)])).close();
  } finally {
    dataset.close();
  }
  return file;
}

/** SAGA's Qin et al. MFD accumulation over the surface in band 2 of `source`: the file SAGA wrote (each cell counted in its own flow). */
async function sagaMfd(job: EngineJob, source: string, bands: number, weights: Grid | undefined): Promise<string> {
  const { context } = job;
  if (bands < 2) {
    throw new TaskError("flowDirectionType MFD needs an MFD flow direction raster from this server's FlowDirection (flowDirectionType MFD): it carries the surface the flow is split over.");
  }
  const dir = path.join(context.scratchDir, 'saga');
  await mkdir(dir, { recursive: true });
  // SAGA reads band 2 in place through a VRT: no copy of the surface is read or written here.
  const surfaceFile = await bandVrt(source, 2, path.join(dir, 'surface.vrt'));
  const options: Record<string, string | number> = { ELEVATION: surfaceFile, FLOW: path.join(dir, 'flow.tif'), METHOD: 6, FLOW_UNIT: 0 };
  if (weights) {
    options.WEIGHTS = path.join(dir, 'weights.tif');
    await writeGrid(options.WEIGHTS, weights, weights.values, 'Float32', true);
  }
  await runSaga({
    task: 'FlowAccumulation',
    library: 'ta_hydrology',
    tool: '0',
    options,
    scratchDir: context.scratchDir,
    signal: context.signal,
    onProgress: (fraction) => context.progress(20 + fraction * 40, 'Accumulating flow (MFD, SAGA)'),
  });
  return String(options.FLOW);
}

/** sagaMfd's accumulation in memory, less each cell's own weight (1 without weights). */
async function sagaMfdValues(job: EngineJob, directions: InputGrid, bands: number, weights: Grid | undefined): Promise<Float64Array> {
  // SAGA counts the cell itself; ArcGIS does not.
  const flow = (await readGrid(await sagaMfd(job, directions.source, bands, weights))).values;
  for (let i = 0; i < flow.length; i++) {
    const own = weights ? weights.values[i]! : 1;
    flow[i] = Number.isNaN(directions.values[i]!) ? NaN : flow[i]! - (Number.isNaN(own) ? 0 : own);
  }
  return flow;
}
