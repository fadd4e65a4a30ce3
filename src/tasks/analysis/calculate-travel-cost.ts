import path from 'node:path';
import { TaskError, type TaskContext, type TaskDefinition } from '../../jobs/task.js';
import { ANALYSIS_CONTEXT_PARAM, isGiven, outputNameParam, rasterInputParam, rasterResultParam, readNumber } from './analysis-params.js';
import { startEngineJob } from './engine-job.js';
import { linkRaster, runGrass, writeRastersTo } from './engines/run-grass.js';
import { cellSizes, readGrid } from './hydrology/grid.js';
import { publishGrid } from './hydrology/publish-grid.js';
import { rollbackAnalysis } from './output-service.js';
import { costAndSourceFiles } from './travel-cost/source-cells.js';
import { backlinkFromGrassDirection } from './travel-cost/backlink.js';

/** Source characteristics and factor rasters this server does not apply yet (warned about). */
const NOT_APPLIED = ['inputSurfaceRaster', 'sourceResistanceRate', 'sourceCapacity', 'sourceDirection', 'inputHorizontalRaster', 'horizontalFactor', 'inputVerticalRaster', 'verticalFactor'];

/**
 * CalculateTravelCost (raster-analysis.md §8): accumulated cost from the nearest source over a
 * cost surface, with ArcGIS's back-link (0 at sources, 1 east … 8 north-east: the way back) and
 * allocation (the source's value) rasters. GRASS `r.cost` does the spreading; its costs are in
 * cell units and become map units here (× cell size), as ArcGIS reports them.
 */
export const calculateTravelCost: TaskDefinition = {
  name: 'CalculateTravelCost',
  displayName: 'Calculate Travel Cost',
  description: 'Calculates the least accumulated cost distance from sources over a cost surface.',
  parameters: [
    { name: 'inputSourceRasterOrFeatures', dataType: 'GPString', displayName: 'Input Source Raster or Features', description: 'A raster ({"url"}, {"itemId"}, {"uri"}) or features (a feature set, or {"url": <layer>}).', direction: 'input', required: true },
    rasterInputParam('inputCostRaster', 'Input Cost Raster'),
    outputNameParam('outputDistanceName', 'Output Distance Name'),
    { name: 'maximumAccumulation', dataType: 'GPDouble', displayName: 'Maximum Accumulation', direction: 'input', required: false },
    { name: 'multiplierToApplyToCosts', dataType: 'GPDouble', displayName: 'Multiplier to Apply to Costs', direction: 'input', required: false },
    { name: 'sourceStartCost', dataType: 'GPDouble', displayName: 'Source Start Cost', direction: 'input', required: false },
    { name: 'allocationField', dataType: 'GPString', displayName: 'Allocation Field', direction: 'input', required: false },
    outputNameParam('outputBacklinkName', 'Output Backlink Name', false),
    outputNameParam('outputAllocationName', 'Output Allocation Name', false),
    ...NOT_APPLIED.map((name) => ({ name, dataType: 'GPString' as const, displayName: name, direction: 'input' as const, required: false })),
    ANALYSIS_CONTEXT_PARAM,
    rasterResultParam('outputDistanceRaster', 'Output Distance Raster'),
    rasterResultParam('outputBacklinkRaster', 'Output Backlink Raster'),
    rasterResultParam('outputAllocationRaster', 'Output Allocation Raster'),
  ],
  execute: runCalculateTravelCost,
  rollback: rollbackAnalysis,
};

async function runCalculateTravelCost(context: TaskContext): Promise<Record<string, unknown>> {
  const { inputs } = context;
  const maxAccumulation = readNumber('maximumAccumulation', inputs.maximumAccumulation ?? inputs.maximumDistance);
  const multiplier = readNumber('multiplierToApplyToCosts', inputs.multiplierToApplyToCosts, 1)!;
  const startCost = readNumber('sourceStartCost', inputs.sourceStartCost, 0)!;
  for (const name of NOT_APPLIED) if (isGiven(inputs[name])) context.warning(`${name} is not applied by this server yet and was ignored.`);
  const job = await startEngineJob(context, ['outputDistanceName', 'outputBacklinkName', 'outputAllocationName']);
  const field = typeof inputs.allocationField === 'string' && inputs.allocationField ? inputs.allocationField : undefined;
  const wantAllocation = isGiven(inputs.outputAllocationName);
  // GRASS reads the cost surface itself; the sources' values matter only for the allocation.
  const { cost, sourceFile: sources } = await costAndSourceFiles(job, 'inputCostRaster', 'inputSourceRasterOrFeatures', field, wantAllocation);
  const cell = (cellSizes(cost).dx + cellSizes(cost).dy) / 2;
  const dir = path.join(context.scratchDir, 'grass');
  const out = (name: string) => path.join(dir, `${name}.tif`);
  context.progress(5, 'Spreading costs (GRASS r.cost)');
  await runGrass({
    task: 'CalculateTravelCost',
    location: cost.source,
    commands: [
      linkRaster(cost.source, 'cost'),
      ['g.region', 'raster=cost'],
      linkRaster(sources, 'start', 1),
      // acc.tif (Float64), dir.tif (Float32) and near.tif (Int32) straight from r.cost.
      writeRastersTo(dir),
      [
        'r.cost',
        'input=cost',
        'start_raster=start',
        'output=acc',
        'outdir=dir',
        ...(wantAllocation ? ['nearest=near'] : []),
        // r.cost counts in cells; the limit is in map units × the multiplier, as ArcGIS's.
        ...(maxAccumulation !== undefined ? [`max_cost=${Math.max(0, maxAccumulation - startCost) / (cell * multiplier)}`] : []),
        '--quiet',
      ],
    ],
    scratchDir: context.scratchDir,
    signal: context.signal,
    onProgress: (fraction, step) => context.progress(5 + fraction * 70, `GRASS ${step}`),
  });
  const wantBacklink = isGiven(inputs.outputBacklinkName);
  // Side by side on libuv's threads, as readInputGrids reads inputs.
  const [accumulated, directions] = await Promise.all([readGrid(out('acc')), wantBacklink ? readGrid(out('dir')) : undefined]);
  // Plain loops: Float64Array map/forEach/every with a callback cost ~0.44 s a pass on 2000² cells, a loop ~0.02 s.
  const distance = new Float64Array(accumulated.values.length);
  let reached = false;
  for (let i = 0; i < distance.length; i++) {
    const v = accumulated.values[i]!;
    const d = Number.isNaN(v) ? v : v * cell * multiplier + startCost;
    // r.cost keeps the cells where the limit was crossed; ArcGIS stops short of them.
    if (maxAccumulation !== undefined && d > maxAccumulation) {
      distance[i] = NaN;
      accumulated.values[i] = NaN;
    } else {
      distance[i] = d;
      reached ||= !Number.isNaN(d);
    }
  }
  if (!reached) throw new TaskError('No cell could be reached from the sources.');
  context.progress(80, 'Publishing');
  const results: Record<string, unknown> = {
    outputDistanceRaster: await publishGrid(job, 'outputDistanceName', cost, distance, 'Float32', 'Accumulated travel cost'),
  };
  if (directions) {
    const backlink = backlinkFromGrassDirection(directions.values, accumulated.values);
    results.outputBacklinkRaster = await publishGrid(job, 'outputBacklinkName', cost, backlink, 'Int16', 'Travel cost back-link');
  }
  if (wantAllocation) {
    // near.tif's null cells (GRASS's CELL null, not tagged as NoData) are those acc has none for.
    const allocation = (await readGrid(out('near'))).values;
    for (let i = 0; i < allocation.length; i++) if (Number.isNaN(accumulated.values[i]!)) allocation[i] = NaN;
    results.outputAllocationRaster = await publishGrid(job, 'outputAllocationName', cost, allocation, 'Int32', 'Travel cost allocation');
  }
  context.progress(100, 'Done');
  return results;
}
