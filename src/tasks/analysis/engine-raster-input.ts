import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { TaskError, type TaskContext } from '../../jobs/task.js';
import { runGdalCommand } from '../../raster/run-gdal-command.js';
import { collectionDeps } from '../image-collection/task-deps.js';
import { resolveInputRasters } from '../input-rasters.js';

/** A raster input an engine can read: a file or GDAL source, and how the client named it. */
export interface EngineRaster {
  source: string;
  label: string;
}

/**
 * Resolves one raster input of an analysis task (raster-analysis.md §2.1): `{"url"}`,
 * `{"itemId"}`, `{"uri"}`, or a bare URL / data-store path. An image collection of ours becomes
 * its single image, or a VRT mosaic of its images written to the job's scratch folder. Access is
 * checked as for CreateImageCollection inputs (items readable by the submitter, uris inside a
 * registered data store).
 *
 * @example await resolveEngineRaster('inputSurfaceRaster', {url: '…/Hosted/dem/ImageServer'}, context)
 */
export async function resolveEngineRaster(name: string, value: unknown, context: TaskContext): Promise<EngineRaster> {
  const reference = readRasterReference(name, value);
  const resolved = await resolveInputRasters(reference, collectionDeps(context)).catch((error: unknown) => {
    if (error instanceof TaskError) throw new TaskError(`'${name}': ${error.message.replace(/'inputRasters'/g, 'the input')}`);
    throw error;
  });
  const input = resolved.inputs[0]!;
  if (input.kind === 'raster') return { source: input.source, label: input.label };
  const deps = collectionDeps(context);
  const rows = await deps.catalog.queryItems(input.collection.id, {});
  if (rows.length === 0) throw new TaskError(`'${name}': the image collection '${input.collection.name}' holds no images.`);
  if (rows.length === 1) return { source: rows[0]!.path, label: input.label };
  const dir = path.join(context.scratchDir, 'inputs');
  await mkdir(dir, { recursive: true });
  const vrt = path.join(dir, `${name}.vrt`);
  await runGdalCommand('gdalbuildvrt', ['-q', vrt, ...rows.map((row) => row.path)], { signal: context.signal });
  return { source: vrt, label: input.label };
}

function readRasterReference(name: string, value: unknown): Record<string, unknown> {
  if (typeof value === 'string') {
    const text = value.trim();
    if (!text) throw new TaskError(`'${name}' is required.`);
    if (!text.startsWith('{')) return /^https?:\/\//i.test(text) ? { url: text } : { uri: text };
    try {
      return readRasterReference(name, JSON.parse(text));
    } catch (error) {
      if (error instanceof TaskError) throw error;
      throw new TaskError(`'${name}' is not valid JSON.`);
    }
  }
  if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  throw new TaskError(`'${name}' must be a raster: {"url": …}, {"itemId": …} or {"uri": …}.`);
}
