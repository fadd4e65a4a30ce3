import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { publishEngineFile, type EngineJob } from '../engine-job.js';
import type { OutputValue } from '../output-service.js';
import { writeGrid, type Grid, type GridType } from './grid.js';

/** Writes values on the template's grid to the job's scratch folder and publishes them as `parameter`'s layer. */
export async function publishGrid(
  job: EngineJob,
  parameter: string,
  template: Pick<Grid, 'width' | 'height' | 'geoTransform' | 'srsWkt'>,
  values: ArrayLike<number>,
  type: GridType,
  description: string,
): Promise<OutputValue> {
  const dir = path.join(job.context.scratchDir, 'results');
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${parameter}.tif`);
  await writeGrid(file, template, values, type);
  return publishEngineFile(job, parameter, file, description);
}
