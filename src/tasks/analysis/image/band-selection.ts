import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { TaskError, type TaskContext } from '../../../jobs/task.js';
import { runGdalCommand } from '../../../raster/run-gdal-command.js';
import { countBands } from '../hydrology/grid.js';

/**
 * `bandIndexes` of the image-analysis tasks ("0,1,2": zero-based, as ArcGIS takes them) as
 * 1-based GDAL band numbers; absent: the first three bands (or all, if fewer).
 */
export function readBandIndexes(value: unknown, bandCount: number): number[] {
  const text = Array.isArray(value) ? value.join(',') : typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
  if (!text.trim()) return Array.from({ length: Math.min(3, bandCount) }, (_, i) => i + 1);
  const bands = text.split(/[,;\s]+/).filter(Boolean).map((part) => Number(part) + 1);
  for (const band of bands) {
    if (!Number.isInteger(band) || band < 1 || band > bandCount) throw new TaskError(`bandIndexes '${text}' must list band indexes from 0 to ${bandCount - 1}.`);
  }
  return bands;
}

/** A VRT of the chosen bands in the job's scratch folder (what OTB reads). */
export async function selectBands(context: TaskContext, source: string, bandIndexes: unknown, name: string): Promise<{ file: string; bands: number[] }> {
  const bands = readBandIndexes(bandIndexes, await countBands(source));
  const dir = path.join(context.scratchDir, 'inputs');
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${name}.vrt`);
  await runGdalCommand('gdal_translate', ['-q', '-of', 'VRT', ...bands.flatMap((b) => ['-b', String(b)]), source, file], { signal: context.signal });
  return { file, bands };
}
