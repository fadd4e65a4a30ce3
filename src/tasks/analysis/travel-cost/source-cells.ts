import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { TaskError, type TaskContext } from '../../../jobs/task.js';
import { isFeatureInput, resolveEngineFeatures } from '../engine-feature-input.js';
import { resolveEngineRaster } from '../engine-raster-input.js';
import { readGrid, writeGrid, type Grid } from '../hydrology/grid.js';
import { burnPourPoints } from '../hydrology/pour-points.js';
import { requireSameGrid } from '../hydrology/read-input-grid.js';

/**
 * Writes the sources of a distance or cost task on the cost raster's grid (a GeoTIFF in the job's
 * scratch folder, NoData where there is no source) and returns its path. Sources come as a raster
 * on the same grid, or as point features burnt into the cells they fall in, valued by `field`
 * (default OBJECTID).
 */
export async function readSourceCells(context: TaskContext, parameter: string, grid: Grid, field: string | undefined): Promise<string> {
  const value = context.inputs[parameter];
  let cells: Float64Array;
  if (isFeatureInput(value)) {
    const features = await resolveEngineFeatures(parameter, value, context);
    const burnt = burnPourPoints(grid, features.features, field);
    if (burnt.burnt === 0) throw new TaskError(`No feature of '${parameter}' lies on the cost raster.`);
    cells = burnt.values;
  } else {
    const raster = await resolveEngineRaster(parameter, value, context);
    const sources = await readGrid(raster.source);
    requireSameGrid(grid, sources, parameter);
    cells = sources.values;
  }
  const dir = path.join(context.scratchDir, 'inputs');
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${parameter}.tif`);
  await writeGrid(file, grid, cells, 'Int32');
  return file;
}
