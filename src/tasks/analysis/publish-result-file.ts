import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { publishEngineFile, type EngineJob } from './engine-job.js';
import type { OutputValue } from './output-service.js';

/**
 * Has `write` make `parameter`'s result file (`<scratch>/results/<parameter>.tif`) and publishes
 * it as that parameter's layer: for results written some other way than publishGrid's values.
 */
export async function publishResultFile(job: EngineJob, parameter: string, description: string, write: (file: string) => Promise<void>): Promise<OutputValue> {
  const dir = path.join(job.context.scratchDir, 'results');
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${parameter}.tif`);
  await write(file);
  return publishEngineFile(job, parameter, file, description);
}
