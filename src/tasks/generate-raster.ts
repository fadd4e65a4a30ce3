import path from 'node:path';
import { ApiError } from '../errors.js';
import { parseRenderingRule, ruleReadsStatistics, type RenderingRule } from '../imagery/render/raster-functions/rendering-rule.js';
import { TaskError, type TaskContext, type TaskDefinition } from '../jobs/task.js';
import { inspectRaster } from '../raster/inspect-raster.js';
import { runGdalCommand } from '../raster/run-gdal-command.js';
import { computeBandStatistics } from './image-collection/band-statistics.js';
import { readKey, readOptionalObjectParam } from './image-collection/param-values.js';
import { applyMask, changesGrid, prepareRasters, readAnalysisEnvironment } from './analysis/analysis-environment.js';
import { applyRasterFunction } from './analysis/apply-raster-function.js';
import { ANALYSIS_CONTEXT_PARAM, analysisDeps, gdalStep, input, output, outputNameParam, workFolder } from './analysis/analysis-task.js';
import { readOutputName } from './analysis/output-name.js';
import { publishRasterOutput, rollbackAnalysis } from './analysis/output-service.js';
import { resolveRasterInput, type AnalysisRaster } from './analysis/raster-input.js';

/**
 * GenerateRaster (§8): persists a raster function (or chain) as a new hosted imagery layer. The
 * functions are the ones exportImage draws with (`renderingRule`), run over the whole input by
 * `applyRasterFunction`, so the result equals the on-the-fly rendering pixel for pixel.
 * `rasterFunction` is a function name with `functionArguments`, or a function chain JSON; the
 * `Raster` argument (innermost) is a raster input in §2.1 form.
 */
export const generateRaster: TaskDefinition = {
  name: 'GenerateRaster',
  displayName: 'Generate Raster',
  description: 'Runs a raster function and saves the result as a new imagery layer.',
  requiredPrivilege: 'premium:publisher:rasteranalysis',
  parameters: [
    input('rasterFunction', 'Raster Function', 'A function name (Slope, Hillshade, NDVI, Remap, …) or a function chain {"rasterFunction", "rasterFunctionArguments"}.', true),
    input('functionArguments', 'Function Arguments', 'Arguments of the function; "Raster" is the input raster ({"url"}, {"itemId"} or {"uri"}).'),
    outputNameParam(),
    input('outputRasterProperties', 'Output Raster Properties', 'e.g. {"imageCollectionType": "Satellite"}.'),
    ANALYSIS_CONTEXT_PARAM,
    output('outputRaster', 'Output Raster'),
  ],
  execute: runGenerateRaster,
  rollback: rollbackAnalysis,
};

async function runGenerateRaster(context: TaskContext): Promise<Record<string, unknown>> {
  const { inputs, signal } = context;
  const deps = analysisDeps(context);
  const work = await workFolder(context);
  const outputName = await readOutputName('outputName', inputs.outputName, 'ImageServer', deps);
  const { rule, rasterInputs } = readFunction(inputs.rasterFunction, inputs.functionArguments);
  const env = await readAnalysisEnvironment(inputs.context, deps, work);
  const rasters: AnalysisRaster[] = [];
  for (const [i, value] of rasterInputs.entries()) rasters.push(await resolveRasterInput(i === 0 ? 'functionArguments.Raster' : `functionArguments raster ${i + 1}`, value, deps, work, signal));
  const raster = rasters[0];
  const prepared = await gdalStep('Reading the input rasters', () => prepareRasters(rasters, env, work, signal));
  const sources = await gdalStep('Aligning the input rasters', () => alignToFirst(prepared, work, signal));
  // The statistics exportImage would use: the service's own, or (for a file) the same estimate an
  // ingest makes; only for chains whose functions read them (Stretch, Colormap).
  let statistics = raster.statistics && !changesGrid(env) ? raster.statistics : null;
  if (!statistics && ruleReadsStatistics(rule)) statistics = await computeBandStatistics(sources[0]);
  context.progress(10, `Running ${rule.name}`);
  const file = path.join(work, 'generated.tif');
  await gdalStep(`Running ${rule.name}`, () => applyRasterFunction(sources, rule, statistics, file)).catch((error: unknown) => {
    if (error instanceof ApiError) throw new TaskError(`'rasterFunction': ${error.details.join(' ').replace(/'renderingRule' parameter is invalid: /g, '')}`);
    throw error;
  });
  signal.throwIfAborted();
  await applyMask(file, env, work, signal);
  context.progress(70, 'Publishing the imagery layer');
  const outputRaster = await publishRasterOutput(file, outputName, context, `GenerateRaster (${rule.name}) of ${raster.label}`);
  context.progress(100, 'Done');
  return { outputRaster };
}

/**
 * The rule to run and its input rasters: every raster argument that is not itself a function
 * (`Raster`, `Rasters` entries: a §2.1 object or a URL), numbered in order of appearance
 * (the same raster twice is one input); the first is the one the chain reads as its block.
 */
export function readFunction(rasterFunction: unknown, functionArguments: unknown): { rule: RenderingRule; rasterInputs: unknown[] } {
  const args = readOptionalObjectParam('functionArguments', functionArguments);
  let chain: Record<string, unknown>;
  if (typeof rasterFunction === 'string' && !rasterFunction.trim().startsWith('{')) {
    chain = { rasterFunction: rasterFunction.trim(), rasterFunctionArguments: args };
  } else {
    chain = structuredClone(readOptionalObjectParam('rasterFunction', rasterFunction));
    if (!readKey(chain, 'rasterFunction') && !readKey(chain, 'name')) throw new TaskError("'rasterFunction' must name a function.");
    chain.rasterFunctionArguments = { ...((readKey(chain, 'rasterFunctionArguments') as object | undefined) ?? {}), ...args };
  }
  const rasterInputs: unknown[] = [];
  const keys: string[] = [];
  const source = (value: unknown): number => {
    const key = JSON.stringify(value);
    let index = keys.indexOf(key);
    if (index < 0) {
      index = keys.push(key) - 1;
      rasterInputs.push(value);
    }
    return index;
  };
  try {
    const rule = parseRenderingRule(chain, { source });
    if (!rule) throw new TaskError("'rasterFunction' must name a function other than None.");
    if (rasterInputs.length === 0) throw new TaskError('\'functionArguments\' must give the input raster as "Raster" (or "Rasters"): {"url"}, {"itemId"} or {"uri"}.');
    return { rule, rasterInputs };
  } catch (error) {
    if (error instanceof ApiError) throw new TaskError(`'rasterFunction': ${error.details.join(' ').replace(/'renderingRule' parameter is invalid: /g, '')}`);
    throw error;
  }
}

/** The other inputs warped (as VRT recipes) onto the first one's grid when theirs differs. */
async function alignToFirst(sources: string[], work: string, signal: AbortSignal): Promise<string[]> {
  if (sources.length < 2) return sources;
  const first = await inspectRaster(sources[0], { signal });
  const e = first.extent!;
  return Promise.all(
    sources.map(async (source, i) => {
      if (i === 0) return source;
      const info = await inspectRaster(source, { signal });
      const same = info.width === first.width && info.height === first.height && info.geoTransform?.every((v, k) => Math.abs(v - first.geoTransform![k]) < 1e-9) && info.srsWkt === first.srsWkt;
      if (same) return source;
      const file = path.join(work, `aligned-${i}.vrt`);
      // An alpha band marks the cells the input does not cover as no data (a ClippingRaster's footprint).
      const args = ['-q', '-of', 'VRT', '-overwrite', '-r', 'near', '-dstalpha', '-te', String(e.xmin), String(e.ymin), String(e.xmax), String(e.ymax), '-ts', String(first.width), String(first.height)];
      if (first.srsWkt) args.push('-t_srs', first.srsWkt);
      await runGdalCommand('gdalwarp', [...args, source, file], { signal });
      return file;
    }),
  );
}
