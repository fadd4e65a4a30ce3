import type { EngineJob } from '../engine-job.js';
import type { OutputValue } from '../output-service.js';
import { publishResultFile } from '../publish-result-file.js';
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
  return publishResultFile(job, parameter, description, (file) => writeGrid(file, template, values, type));
}
