import { TaskError, type TaskContext } from '../../../jobs/task.js';
import { resolveEngineRaster } from '../engine-raster-input.js';
import { readGrid, sameGrid, type Grid } from './grid.js';

/** Resolves a raster parameter and reads its first band. */
export async function readInputGrid(context: TaskContext, parameter: string): Promise<Grid> {
  const raster = await resolveEngineRaster(parameter, context.inputs[parameter], context);
  try {
    return await readGrid(raster.source);
  } catch (error) {
    if (error instanceof TaskError) throw error;
    throw new TaskError(`'${parameter}': the raster ${raster.label} could not be read.`);
  }
}

/** Fails the job unless a second input lies on the first one's grid (no resampling here). */
export function requireSameGrid(base: Grid, other: Grid, parameter: string): void {
  if (!sameGrid(base, other)) throw new TaskError(`'${parameter}' must have the same cell size, extent and rows/columns as the other input raster.`);
}
