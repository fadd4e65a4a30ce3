import path from 'node:path';
import { TaskError, type TaskContext, type TaskDefinition } from '../../jobs/task.js';
import { ANALYSIS_CONTEXT_PARAM, isGiven, outputNameParam, rasterInputParam, rasterResultParam } from './analysis-params.js';
import { publishEngineFeatures, startEngineJob } from './engine-job.js';
import { linkRaster, runGrass, writeRastersTo, type GrassCommand } from './engines/run-grass.js';
import { cellSizes, readGrid } from './hydrology/grid.js';
import { rollbackAnalysis } from './output-service.js';
import { readPathLines, tracePathCommands, writePolylines, type PathStart } from './travel-cost/cost-paths.js';
import { minimumSpanningTree, type RegionLink } from './travel-cost/region-links.js';
import { readInputsOnBase, writeSourceCells } from './travel-cost/source-cells.js';

/** More regions make as many r.cost runs; ArcGIS itself warns beyond a few hundred. */
const MAX_REGIONS = 100;

/**
 * DetermineOptimumTravelCostNetwork (raster-analysis.md §8): the least-cost network connecting
 * regions over a cost surface. GRASS `r.cost` spreads costs from each region; the cheapest link
 * between every two regions is the cheapest cell of the one in the other's cost surface; the
 * network is the minimum spanning tree of those links (Kruskal), each traced back with `r.path`.
 * Outputs hosted feature layers of polylines (`FromRegion`, `ToRegion`, `PathCost`): the optimum
 * network, and on request the links between every two regions (`outputNeighborNetworkName`).
 */
export const determineOptimumTravelCostNetwork: TaskDefinition = {
  name: 'DetermineOptimumTravelCostNetwork',
  displayName: 'Determine Optimum Travel Cost Network',
  description: 'Calculates the optimum cost network from a set of input regions.',
  parameters: [
    { name: 'inputRegionsRasterOrFeatures', dataType: 'GPString', displayName: 'Input Regions Raster or Features', description: 'A raster of region values, or region features (polygons or points; OBJECTID names them).', direction: 'input', required: true },
    rasterInputParam('inputCostRaster', 'Input Cost Raster'),
    outputNameParam('outputOptimumNetworkName', 'Output Optimum Network Name'),
    outputNameParam('outputNeighborNetworkName', 'Output Neighbor Network Name', false),
    ANALYSIS_CONTEXT_PARAM,
    rasterResultParam('outputOptimumNetworkFeatures', 'Output Optimum Network Features'),
    rasterResultParam('outputNeighborNetworkFeatures', 'Output Neighbor Network Features'),
  ],
  execute: runOptimumNetwork,
  rollback: rollbackAnalysis,
};

async function runOptimumNetwork(context: TaskContext): Promise<Record<string, unknown>> {
  const job = await startEngineJob(context, ['outputOptimumNetworkName', 'outputNeighborNetworkName'], 'FeatureServer');
  // GRASS reads the cost surface itself: its grid alone is needed here.
  const { base: cost, inputs } = await readInputsOnBase(job, 'inputCostRaster', [{ param: 'inputRegionsRasterOrFeatures', shapes: true }], false);
  const regions = inputs[0]!.cells!;
  const ids = [...new Set(regions.filter((v) => !Number.isNaN(v)))].sort((a, b) => a - b);
  if (ids.length < 2) throw new TaskError("'inputRegionsRasterOrFeatures' must hold at least two regions on the cost raster.");
  if (ids.length > MAX_REGIONS) throw new TaskError(`'inputRegionsRasterOrFeatures' holds ${ids.length} regions; at most ${MAX_REGIONS} are supported.`);
  const regionFile = await writeSourceCells(job, 'regions', cost, regions);
  const dir = path.join(context.scratchDir, 'grass');
  const out = (name: string) => path.join(dir, `${name}.tif`);
  context.progress(5, `Spreading costs from ${ids.length} regions (GRASS r.cost)`);
  const spread: GrassCommand[] = ids.flatMap((id, k) => [
    // 1.0, not 1: a floating-point map goes through the GeoTIFF with NaN as its nulls (writeRastersTo).
    ['r.mapcalc', `expression=start_${k} = if(regions == ${id}, 1.0, null())`, '--quiet'],
    ['r.cost', 'input=cost', `start_raster=start_${k}`, `output=acc_${k}`, `outdir=dir_${k}`, '--quiet'],
  ]);
  // One location for both runs: r.path reads the direction maps where the first run left them.
  const keepIn = path.join(context.scratchDir, 'grass-location');
  await runGrass({
    task: 'DetermineOptimumTravelCostNetwork',
    location: cost.source,
    keepIn,
    commands: [
      linkRaster(cost.source, 'cost'),
      ['g.region', 'raster=cost'],
      linkRaster(regionFile, 'regions'),
      // acc_<k>.tif (read here) and dir_<k>.tif straight from r.cost (start_<k>.tif too).
      writeRastersTo(dir),
      ...spread,
    ],
    scratchDir: context.scratchDir,
    signal: context.signal,
    onProgress: (fraction, step) => context.progress(5 + fraction * 50, `GRASS ${step}`),
  });
  const links = await cheapestLinks(ids, regions, (k) => out(`acc_${k}`));
  if (links.length === 0) throw new TaskError('No two regions can reach each other over the cost raster.');
  const tree = minimumSpanningTree(ids.length, links);
  const wantNeighbors = isGiven(context.inputs.outputNeighborNetworkName);
  const traced = wantNeighbors ? links : tree;
  context.progress(60, 'Tracing paths (GRASS r.path)');
  const bySource = new Map<number, RegionLink[]>();
  for (const link of traced) bySource.set(link.from, [...(bySource.get(link.from) ?? []), link]);
  const commands: GrassCommand[] = [];
  for (const [k, group] of bySource) {
    const starts: PathStart[] = group.map((link) => ({ cell: link.cell, value: link.to, cost: link.cost }));
    commands.push(...(await tracePathCommands(dir, `from_${k}`, cost, starts, `dir_${k}`, { vector: `paths_${k}` })));
    commands.push(['v.out.ascii', `input=paths_${k}`, `output=${path.join(dir, `paths_${k}.txt`)}`, 'type=line', 'format=standard', 'precision=12', '--quiet']);
  }
  await runGrass({
    task: 'DetermineOptimumTravelCostNetwork',
    location: cost.source,
    keepIn,
    commands,
    scratchDir: context.scratchDir,
    signal: context.signal,
    onProgress: (fraction, step) => context.progress(60 + fraction * 25, `GRASS ${step}`),
  });
  const cell = (cellSizes(cost).dx + cellSizes(cost).dy) / 2;
  const lines = new Map<RegionLink, Array<[number, number]>>();
  for (const [k, group] of bySource) {
    for (const line of await readPathLines(path.join(dir, `paths_${k}.txt`))) lines.set(group[line.start]!, line.coordinates);
  }
  const fields = [{ name: 'FromRegion', type: 'real' as const }, { name: 'ToRegion', type: 'real' as const }, { name: 'PathCost', type: 'real' as const }];
  const asLines = (set: RegionLink[]) =>
    set.filter((link) => lines.has(link)).map((link) => ({ coordinates: lines.get(link)!, attributes: { FromRegion: ids[link.from]!, ToRegion: ids[link.to]!, PathCost: link.cost * cell } }));
  context.progress(90, 'Publishing');
  const optimumFile = path.join(job.work, 'optimum.gpkg');
  await writePolylines(optimumFile, cost.srsWkt ?? '', fields, asLines(tree));
  const results: Record<string, unknown> = {
    outputOptimumNetworkFeatures: await publishEngineFeatures(job, 'outputOptimumNetworkName', optimumFile, 'geopackage', 'Optimum travel cost network'),
  };
  if (wantNeighbors) {
    const neighborFile = path.join(job.work, 'neighbors.gpkg');
    await writePolylines(neighborFile, cost.srsWkt ?? '', fields, asLines(links));
    results.outputNeighborNetworkFeatures = await publishEngineFeatures(job, 'outputNeighborNetworkName', neighborFile, 'geopackage', 'Least-cost paths between every two regions');
  }
  context.progress(100, 'Done');
  return results;
}

/** For every two regions i < j: the cell of j cheapest to reach from i, and its cost. */
async function cheapestLinks(ids: number[], regions: Float64Array, accFile: (k: number) => string): Promise<RegionLink[]> {
  const index = new Map(ids.map((id, k) => [id, k]));
  const links: RegionLink[] = [];
  for (let i = 0; i < ids.length; i++) {
    const acc = (await readGrid(accFile(i))).values;
    const best = new Array<{ cell: number; cost: number } | undefined>(ids.length);
    for (let c = 0; c < regions.length; c++) {
      const region = regions[c]!;
      if (Number.isNaN(region)) continue;
      const j = index.get(region)!;
      const cost = acc[c]!;
      if (j <= i || !Number.isFinite(cost)) continue;
      if (!best[j] || cost < best[j]!.cost) best[j] = { cell: c, cost };
    }
    best.forEach((b, j) => {
      if (b) links.push({ from: i, to: j, cell: b.cell, cost: b.cost });
    });
  }
  return links;
}
