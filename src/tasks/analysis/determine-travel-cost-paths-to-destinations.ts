import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { TaskError, type TaskContext, type TaskDefinition } from '../../jobs/task.js';
import { ANALYSIS_CONTEXT_PARAM, choiceParam, outputNameParam, rasterInputParam, rasterResultParam, readChoice } from './analysis-params.js';
import { startEngineJob } from './engine-job.js';
import { linkRaster, runGrass, writeRastersTo } from './engines/run-grass.js';
import { readGrid, readGridCells, writeGrid } from './hydrology/grid.js';
import { publishGrid } from './hydrology/publish-grid.js';
import { rollbackAnalysis } from './output-service.js';
import { grassDegreesFromBacklink } from './travel-cost/backlink.js';
import { chooseDestinations, destinationCells, PATH_TYPES, tracePathCommands, type PathType } from './travel-cost/cost-paths.js';
import { readInputsOnBase } from './travel-cost/source-cells.js';

/**
 * DetermineTravelCostPathsToDestinations (raster-analysis.md §8): least-cost paths from
 * destinations back to the sources along a back-link raster (ArcGIS codes, as
 * CalculateTravelCost writes them) and its cost-distance raster, as a raster whose path cells
 * carry the destination's value (where paths share cells, the later destination's). GRASS
 * `r.path` traces the paths.
 */
export const determineTravelCostPathsToDestinations: TaskDefinition = {
  name: 'DetermineTravelCostPathsToDestinations',
  displayName: 'Determine Travel Cost Paths To Destinations',
  description: 'Calculates the least-cost paths from destinations to the nearest source as a raster.',
  parameters: [
    { name: 'inputDestinationRasterOrFeatures', dataType: 'GPString', displayName: 'Input Destination Raster or Features', description: 'A raster ({"url"}, {"itemId"}, {"uri"}) or features (a feature set, or {"url": <layer>}).', direction: 'input', required: true },
    rasterInputParam('inputCostDistanceRaster', 'Input Cost Distance Raster'),
    rasterInputParam('inputCostBacklinkRaster', 'Input Cost Backlink Raster'),
    outputNameParam('outputName', 'Output Name'),
    { name: 'destinationField', dataType: 'GPString', displayName: 'Destination Field', description: 'Field of destination features naming them (default OBJECTID).', direction: 'input', required: false },
    choiceParam('pathType', 'Path Type', [...PATH_TYPES], 'EACH_CELL'),
    ANALYSIS_CONTEXT_PARAM,
    rasterResultParam(),
  ],
  execute: runPathsToDestinations,
  rollback: rollbackAnalysis,
};

async function runPathsToDestinations(context: TaskContext): Promise<Record<string, unknown>> {
  const { inputs } = context;
  const pathType = readChoice('pathType', inputs.pathType, PATH_TYPES, 'EACH_CELL') as PathType;
  const job = await startEngineJob(context, ['outputName']);
  const field = typeof inputs.destinationField === 'string' && inputs.destinationField ? inputs.destinationField : undefined;
  // The distance raster is read at the destination cells only.
  const { base: backlink, inputs: read } = await readInputsOnBase(job, 'inputCostBacklinkRaster', [{ param: 'inputCostDistanceRaster', linked: true }, { param: 'inputDestinationRasterOrFeatures', field }], true);
  const destinations = read[1]!.cells!;
  if (read[0]!.file === undefined) throw new TaskError("'inputCostDistanceRaster' must be a raster.");
  const distance = await readGridCells(read[0]!.file, destinationCells(destinations));
  const starts = chooseDestinations(destinations, (cell) => distance.get(cell)!, pathType);
  if (starts.length === 0) throw new TaskError('No destination lies on a cell the sources reach.');
  const dir = path.join(context.scratchDir, 'grass');
  const directionFile = path.join(dir, 'direction.tif');
  const pathsFile = path.join(dir, 'paths.tif');
  await mkdir(dir, { recursive: true });
  await writeGrid(directionFile, backlink, grassDegreesFromBacklink(backlink.values), 'Float32', true);
  context.progress(10, 'Tracing paths (GRASS r.path)');
  await runGrass({
    task: 'DetermineTravelCostPathsToDestinations',
    location: directionFile,
    commands: [
      linkRaster(directionFile, 'dir'),
      ['g.region', 'raster=dir'],
      // paths.tif straight from r.path: its null cells come out as −2147483648, read below as no path.
      writeRastersTo(dir),
      ...(await tracePathCommands(dir, 'dest', backlink, starts, 'dir', { raster: 'paths' })),
    ],
    scratchDir: context.scratchDir,
    signal: context.signal,
    onProgress: (fraction, step) => context.progress(10 + fraction * 70, `GRASS ${step}`),
  });
  // r.path writes each start's category (index + 1): back to the destination's own value.
  const traced = (await readGrid(pathsFile)).values;
  const values = traced.map((v) => (Number.isNaN(v) || v < 1 ? NaN : starts[v - 1]!.value));
  context.progress(85, 'Publishing');
  const outputRaster = await publishGrid(job, 'outputName', backlink, values, 'Int32', `Least-cost paths to destinations (${pathType})`);
  context.progress(100, 'Done');
  return { outputRaster };
}
