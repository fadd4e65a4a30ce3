import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { TaskContext } from '../../../jobs/task.js';
import { publishEngineRaster, type PublishedRaster } from '../engine-raster-output.js';
import { writeGrid, type Grid, type GridType } from './grid.js';

/** Writes values on the template's grid to the job's scratch folder and publishes them. */
export async function publishGrid(
  context: TaskContext,
  parameter: string,
  template: Pick<Grid, 'width' | 'height' | 'geoTransform' | 'srsWkt'>,
  values: ArrayLike<number>,
  type: GridType,
  description: string,
): Promise<PublishedRaster> {
  const dir = path.join(context.scratchDir, 'results');
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${parameter}.tif`);
  await writeGrid(file, template, values, type);
  return publishEngineRaster(context, parameter, context.inputs[parameter], file, description);
}
