import path from 'node:path';
import { ApiError } from '../errors.js';
import { parseRenderingRule, type RenderingRule } from '../imagery/render/raster-functions/rendering-rule.js';
import { TaskError, type TaskContext, type TaskDefinition } from '../jobs/task.js';
import { computeBandStatistics } from './image-collection/band-statistics.js';
import { readKey, readOptionalObjectParam } from './image-collection/param-values.js';
import { applyMask, changesGrid, prepareRasters, readAnalysisEnvironment } from './analysis/analysis-environment.js';
import { applyRasterFunction } from './analysis/apply-raster-function.js';
import { ANALYSIS_CONTEXT_PARAM, analysisDeps, gdalStep, input, output, outputNameParam, workFolder } from './analysis/analysis-task.js';
import { readOutputName } from './analysis/output-name.js';
import { publishRasterOutput, rollbackAnalysis } from './analysis/output-service.js';
import { resolveRasterInput } from './analysis/raster-input.js';

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
  const { rule, rasterInput } = readFunction(inputs.rasterFunction, inputs.functionArguments);
  const env = await readAnalysisEnvironment(inputs.context, deps, work);
  const raster = await resolveRasterInput('functionArguments.Raster', rasterInput, deps, work, signal);
  const [source] = await gdalStep('Reading the input raster', () => prepareRasters([raster], env, work, signal));
  // The statistics exportImage would use: the service's own, or (for a file) the same estimate an ingest makes.
  const statistics = raster.statistics && !changesGrid(env) ? raster.statistics : await computeBandStatistics(source);
  context.progress(10, `Running ${rule.name}`);
  const file = path.join(work, 'generated.tif');
  await gdalStep(`Running ${rule.name}`, () => applyRasterFunction(source, rule, statistics, file)).catch((error: unknown) => {
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
 * The rule to run and its input raster: the innermost `Raster` argument that is not itself a
 * function (a §2.1 object or a URL), taken out of the chain.
 */
export function readFunction(rasterFunction: unknown, functionArguments: unknown): { rule: RenderingRule; rasterInput: unknown } {
  const args = readOptionalObjectParam('functionArguments', functionArguments);
  let chain: Record<string, unknown>;
  if (typeof rasterFunction === 'string' && !rasterFunction.trim().startsWith('{')) {
    chain = { rasterFunction: rasterFunction.trim(), rasterFunctionArguments: args };
  } else {
    chain = structuredClone(readOptionalObjectParam('rasterFunction', rasterFunction));
    if (!readKey(chain, 'rasterFunction') && !readKey(chain, 'name')) throw new TaskError("'rasterFunction' must name a function.");
    chain.rasterFunctionArguments = { ...((readKey(chain, 'rasterFunctionArguments') as object | undefined) ?? {}), ...args };
  }
  let rasterInput: unknown;
  for (let level: Record<string, unknown> | undefined = chain; level; ) {
    const levelArgs = (level.rasterFunctionArguments ?? {}) as Record<string, unknown>;
    const raster = levelArgs.Raster;
    if (raster && typeof raster === 'object' && (readKey(raster as Record<string, unknown>, 'rasterFunction') || readKey(raster as Record<string, unknown>, 'name'))) {
      level = raster as Record<string, unknown>;
      continue;
    }
    rasterInput = raster;
    delete levelArgs.Raster;
    level = undefined;
  }
  if (rasterInput === undefined || rasterInput === null || rasterInput === '') throw new TaskError("'functionArguments' must give the input raster as \"Raster\": {\"url\"}, {\"itemId\"} or {\"uri\"}.");
  try {
    const rule = parseRenderingRule(chain);
    if (!rule) throw new TaskError("'rasterFunction' must name a function other than None.");
    return { rule, rasterInput };
  } catch (error) {
    if (error instanceof ApiError) throw new TaskError(`'rasterFunction': ${error.details.join(' ').replace(/'renderingRule' parameter is invalid: /g, '')}`);
    throw error;
  }
}
