import { TaskError, type TaskContext, type TaskDefinition } from '../../jobs/task.js';
import { ANALYSIS_CONTEXT_PARAM, choiceParam, isGiven, outputNameParam, rasterInputParam, rasterResultParam, readChoice } from './analysis-params.js';
import { startEngineJob } from './engine-job.js';
import { flowDirectionD8 } from './hydrology/flow-direction-d8.js';
import { flowDistance as measure, type FlowDistanceType } from './hydrology/flow-kernels.js';
import { dinfGraph, graphFlowDistance, mfdGraph, type FlowStatistics } from './hydrology/flow-paths.js';
import { FLOW_TYPES, readFlowTag, type FlowType } from './hydrology/flow-type.js';
import { publishGrid } from './hydrology/publish-grid.js';
import { readGrid, type Grid } from './hydrology/grid.js';
import { readInputGrids, type InputGrid } from './hydrology/read-input-grid.js';
import { rollbackAnalysis } from './output-service.js';

const DISTANCE_TYPES = ['VERTICAL', 'HORIZONTAL'] as const;
const STATISTICS = ['MINIMUM', 'WEIGHTED_MEAN', 'MAXIMUM'] as const;

/**
 * FlowDistance (raster-analysis.md §8): horizontal or vertical distance from each cell down its
 * flow paths to the stream they reach. The direction raster is read as `flowDirectionType` says,
 * except that with D8 (the default) a raster FlowDirection tagged DINF or MFD
 * (hydrology/flow-type.ts) is read as what it is, as FlowAccumulation does:
 * - D8: one path per cell, down the Esri codes;
 * - DINF: each cell's flow splits between the two neighbours its angle lies between (Tarboton);
 * - MFD: to every lower neighbour by Qin et al.'s partition over the surface band 2 carries.
 * Over several paths `statisticsType` takes their minimum, maximum or flow-weighted mean
 * (hydrology/flow-paths.ts). Without a direction raster the directions come from the surface:
 * D8 codes, or with MFD every downslope neighbour (DINF needs the raster of angles).
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
    choiceParam('statisticsType', 'Statistics Type', [...STATISTICS], 'MINIMUM'),
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
  const asked = readChoice('flowDirectionType', inputs.flowDirectionType, FLOW_TYPES, 'D8') as FlowType;
  const statistics = readChoice('statisticsType', inputs.statisticsType, STATISTICS, 'MINIMUM') as FlowStatistics;
  const withDirections = isGiven(inputs.inputFlowDirectionRaster);
  const grids = await readInputGrids(job, ['inputStreamRaster', 'inputSurfaceRaster', ...(withDirections ? ['inputFlowDirectionRaster'] : [])]);
  const [streams, surface, given] = grids as unknown as [Grid, Grid, InputGrid | undefined];
  const tag = given ? await readFlowTag(given.source) : { type: undefined, bands: 1 };
  // As FlowAccumulation: D8 (the default) reads a tagged raster as what it is; MFD or DINF asked
  // of a raster tagged otherwise fails rather than reading codes as angles.
  const type = asked === 'D8' && tag.type ? tag.type : asked;
  if (tag.type && tag.type !== type) throw new TaskError(`'inputFlowDirectionRaster' is a ${tag.type} flow direction raster; set flowDirectionType to ${tag.type}.`);
  if (!given && type === 'DINF') throw new TaskError('flowDirectionType DINF needs an inputFlowDirectionRaster of D-infinity angles (from FlowDirection, flowDirectionType DINF).');
  context.progress(30, `Measuring flow distances (${type})`);
  let distances: Float64Array;
  if (type === 'D8') {
    distances = measure(streams, surface, given ?? { ...surface, values: flowDirectionD8(surface).directions }, distanceType);
  } else {
    let graph;
    if (type === 'DINF') {
      graph = dinfGraph(given!);
    } else if (given) {
      if (tag.bands < 2) throw new TaskError("flowDirectionType MFD needs an MFD flow direction raster from this server's FlowDirection (flowDirectionType MFD): it carries the surface the flow is split over.");
      graph = mfdGraph(await readGrid(given.source, 2), given);
    } else {
      // No direction raster: every downslope path over the surface itself.
      graph = mfdGraph(surface, { ...surface, values: flowDirectionD8(surface).directions });
    }
    distances = graphFlowDistance(streams, surface, graph, distanceType, statistics);
    const valid = given ?? surface;
    for (let i = 0; i < distances.length; i++) if (Number.isNaN(valid.values[i]!)) distances[i] = NaN;
  }
  context.signal.throwIfAborted();
  context.progress(60, 'Publishing');
  const outputRaster = await publishGrid(job, 'outputName', streams, distances, 'Float32', `Flow distance (${distanceType.toLowerCase()}, ${type}${type === 'D8' ? '' : `, ${statistics.toLowerCase()}`})`);
  context.progress(100, 'Done');
  return { outputRaster };
}
