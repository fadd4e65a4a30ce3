import path from 'node:path';
import { TaskError } from '../../jobs/task.js';
import { runGdalCommand } from '../../raster/run-gdal-command.js';
import { readKey, readObjectParam } from '../image-collection/param-values.js';
import { prepareRasters, type AnalysisEnvironment } from './analysis-environment.js';
import type { AnalysisDeps } from './analysis-task.js';
import { gdalStep } from './analysis-task.js';
import { resolveFeatureInput } from './feature-input.js';
import { resolveRasterInput } from './raster-input.js';
import { readVectorFacts, requireField } from './vector-facts.js';

/** True when a raster-or-features input names features (a layer URL, a feature item, a feature set). */
export async function isFeatureInput(param: string, value: unknown, deps: AnalysisDeps): Promise<boolean> {
  if (value === undefined || value === null || value === '') throw new TaskError(`'${param}' is required.`);
  const object = typeof value === 'string' && !value.trim().startsWith('{') ? { url: value.trim() } : readObjectParam(param, value);
  if (readKey(object, 'features') || readKey(object, 'featureSet')) return true;
  const url = readKey(object, 'url');
  if (typeof url === 'string') return /\/FeatureServer\/\d+/i.test(url);
  const itemId = readKey(object, 'itemId');
  if (typeof itemId === 'string') {
    const item = await deps.stores.items.get(itemId.toLowerCase());
    return Boolean(item && /Feature|Shapefile|GeoJson|CSV|GeoPackage/i.test(item.type));
  }
  return false;
}

/**
 * A raster-or-features input as a raster on the analysis grid: rasters are read through the
 * environment (`prepareRasters`); features are burnt with `gdal_rasterize` at `cellSize` (Int32
 * values of `valueField`, default the object id), over `context.extent` or their own extent.
 */
export async function sourceAsRaster(
  param: string,
  value: unknown,
  options: { valueField?: string; cellSize?: number; env: AnalysisEnvironment; deps: AnalysisDeps; work: string; signal: AbortSignal },
): Promise<{ source: string; label: string }> {
  const { env, deps, work, signal } = options;
  if (!(await isFeatureInput(param, value, deps))) {
    const raster = await resolveRasterInput(param, value, deps, work, signal);
    const [source] = await gdalStep(`Reading '${param}'`, () => prepareRasters([raster], env, work, signal));
    return { source, label: raster.label };
  }
  const features = await resolveFeatureInput(param, value, deps, work);
  const facts = await readVectorFacts(param, features);
  const field = options.valueField ? requireField(param, facts, options.valueField, true) : idField(facts);
  const e = env.extent ?? facts.extent;
  const cell = options.cellSize ?? (typeof env.cellSize === 'number' ? env.cellSize : Math.min(e.xmax - e.xmin, e.ymax - e.ymin) / 250 || 1);
  const file = path.join(work, `${param}-sources.tif`);
  const args = ['-q', '-l', facts.layerName, '-ot', 'Int32', '-a_nodata', '-2147483648', '-init', '-2147483648', '-tr', String(cell), String(cell), '-co', 'TILED=YES'];
  args.push(...(field ? ['-a', field.name] : ['-burn', '1']));
  if (env.extent) args.push('-te', String(e.xmin), String(e.ymin), String(e.xmax), String(e.ymax));
  await gdalStep(`Rasterizing '${param}'`, () => runGdalCommand('gdal_rasterize', [...args, features.source, file], { signal }));
  return { source: file, label: features.label };
}

function idField(facts: Awaited<ReturnType<typeof readVectorFacts>>): { name: string; integer: boolean } | undefined {
  for (const name of ['objectid', 'fid', 'oid']) if (facts.fields.has(name)) return facts.fields.get(name)!;
  return undefined;
}
