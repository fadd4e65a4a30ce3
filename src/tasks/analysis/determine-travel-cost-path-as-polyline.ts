import path from 'node:path';
import type { TaskContext, TaskDefinition } from '../../jobs/task.js';
import { ANALYSIS_CONTEXT_PARAM, choiceParam, outputNameParam, rasterInputParam, rasterResultParam, readChoice } from './analysis-params.js';
import { publishEngineFeatures, startEngineJob } from './engine-job.js';
import { linkRaster, runGrass, writeRastersTo } from './engines/run-grass.js';
import { cellSizes, readGridCells } from './hydrology/grid.js';
import { rollbackAnalysis } from './output-service.js';
import { chooseDestinations, destinationCells, PATH_TYPES, readPathLines, tracePathCommands, writePolylines, type PathType } from './travel-cost/cost-paths.js';
import { isFeatureInput } from './source-input.js';
import { timeSection } from './engines/section-times.js';
import { cellsFile, featureCells, readInputsOnBase, type CellInput } from './travel-cost/source-cells.js';

const RASTER_OR_FEATURES = 'A raster ({"url"}, {"itemId"}, {"uri"}) or features (a feature set, or {"url": <layer>}).';

/**
 * DetermineTravelCostPathAsPolyline (raster-analysis.md §8): least-cost paths from destinations
 * back to the nearest source over a cost surface, as a hosted feature layer of polylines with
 * `DestID` (the destination's value) and `PathCost` (accumulated cost, map units × cost). GRASS
 * `r.cost` spreads the costs (8 neighbours, as ArcGIS) and `r.path` traces the paths back.
 */
export const determineTravelCostPathAsPolyline: TaskDefinition = {
  name: 'DetermineTravelCostPathAsPolyline',
  displayName: 'Determine Travel Cost Path As Polyline',
  description: 'Calculates the least-cost path between sources and destinations as polylines.',
  parameters: [
    { name: 'inputSourceRasterOrFeatures', dataType: 'GPString', displayName: 'Input Source Raster or Features', description: RASTER_OR_FEATURES, direction: 'input', required: true },
    rasterInputParam('inputCostRaster', 'Input Cost Raster'),
    { name: 'inputDestinationRasterOrFeatures', dataType: 'GPString', displayName: 'Input Destination Raster or Features', description: RASTER_OR_FEATURES, direction: 'input', required: true },
    outputNameParam('outputPolylineName', 'Output Polyline Name'),
    choiceParam('pathType', 'Path Type', [...PATH_TYPES], 'BEST_SINGLE'),
    { name: 'destinationField', dataType: 'GPString', displayName: 'Destination Field', description: 'Field of destination features naming their zones (default OBJECTID).', direction: 'input', required: false },
    ANALYSIS_CONTEXT_PARAM,
    rasterResultParam('outputPolylineFeatures', 'Output Polyline Features'),
  ],
  execute: runPathAsPolyline,
  rollback: rollbackAnalysis,
};

async function runPathAsPolyline(context: TaskContext): Promise<Record<string, unknown>> {
  const { inputs } = context;
  const pathType = readChoice('pathType', inputs.pathType, PATH_TYPES, 'BEST_SINGLE') as PathType;
  const job = await startEngineJob(context, ['outputPolylineName'], 'FeatureServer');
  const field = typeof inputs.destinationField === 'string' && inputs.destinationField ? inputs.destinationField : undefined;
  // GRASS reads the cost surface and a raster source itself (as CalculateTravelCost links them);
  // only the destinations' cells are needed here, and only once r.cost has run: destination
  // features are burnt meanwhile (reading them took ~0.4 s for one point on a busy machine).
  const destination: CellInput = { param: 'inputDestinationRasterOrFeatures', field };
  const laterDestinations = await isFeatureInput(destination.param, inputs[destination.param], job.deps);
  const { base: cost, inputs: read } = await readInputsOnBase(job, 'inputCostRaster', [{ param: 'inputSourceRasterOrFeatures', linked: true }, ...(laterDestinations ? [] : [destination])], false);
  const sourceFile = await cellsFile(job, 'sources', cost, read[0]!);
  const destinationCellsRead = () => (laterDestinations ? featureCells(job, 'inputCostRaster', cost, destination) : Promise.resolve(read[1]!.cells!));
  const cell = (cellSizes(cost).dx + cellSizes(cost).dy) / 2;
  const dir = path.join(context.scratchDir, 'grass');
  const out = (name: string) => path.join(dir, `${name}.tif`);
  // One location for both runs: r.path reads r.cost's direction map where the first run left it.
  const keepIn = path.join(context.scratchDir, 'grass-location');
  context.progress(5, 'Spreading costs (GRASS r.cost)');
  const spread = () => runGrass({
    task: 'DetermineTravelCostPathAsPolyline',
    location: cost.source,
    keepIn,
    commands: [
      linkRaster(cost.source, 'cost'),
      ['g.region', 'raster=cost'],
      linkRaster(sourceFile, 'start', 1),
      // acc.tif (read here at the destinations) and dir.tif straight from r.cost.
      writeRastersTo(dir),
      ['r.cost', 'input=cost', 'start_raster=start', 'output=acc', 'outdir=dir', '--quiet'],
    ],
    scratchDir: context.scratchDir,
    signal: context.signal,
    onProgress: (fraction, step) => context.progress(5 + fraction * 50, `GRASS ${step}`),
  });
  // The destinations' failure first (the input is wrong, whatever GRASS did meanwhile).
  const [burnt, spreadDone] = await timeSection('engine grass, destinations read beside it', () => Promise.allSettled([destinationCellsRead(), spread()]));
  if (burnt.status === 'rejected') throw burnt.reason;
  if (spreadDone.status === 'rejected') throw spreadDone.reason;
  const destinations = burnt.value;
  const accumulated = await readGridCells(out('acc'), destinationCells(destinations));
  const starts = chooseDestinations(destinations, (cell) => accumulated.get(cell)!, pathType);
  const linesFile = path.join(dir, 'paths.txt');
  context.progress(60, 'Tracing paths (GRASS r.path)');
  await runGrass({
    task: 'DetermineTravelCostPathAsPolyline',
    location: cost.source,
    keepIn,
    commands: [
      ...(await tracePathCommands(dir, 'dest', cost, starts, 'dir', { vector: 'paths' })),
      ['v.out.ascii', 'input=paths', `output=${linesFile}`, 'type=line', 'format=standard', 'precision=12', '--quiet'],
    ],
    scratchDir: context.scratchDir,
    signal: context.signal,
    onProgress: (fraction, step) => context.progress(60 + fraction * 25, `GRASS ${step}`),
  });
  const lines = starts.length === 0 ? [] : await readPathLines(linesFile);
  const file = path.join(job.work, 'paths.gpkg');
  await writePolylines(
    file,
    cost.srsWkt ?? '',
    [{ name: 'DestID', type: 'real' }, { name: 'PathCost', type: 'real' }],
    lines.map((line) => ({ coordinates: line.coordinates, attributes: { DestID: starts[line.start]!.value, PathCost: starts[line.start]!.cost * cell } })),
  );
  context.progress(90, 'Publishing');
  const outputPolylineFeatures = await publishEngineFeatures(job, 'outputPolylineName', file, 'geopackage', `Least-cost paths (${pathType})`);
  context.progress(100, 'Done');
  return { outputPolylineFeatures };
}
