import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { TaskError, type TaskContext } from '../../jobs/task.js';
import { applyMask, prepareRasters, readAnalysisEnvironment, type AnalysisEnvironment } from './analysis-environment.js';
import { isGiven } from './analysis-params.js';
import { analysisDeps, gdalStep, workFolder, type AnalysisDeps } from './analysis-task.js';
import { readOutputName, type OutputName } from './output-name.js';
import { publishFeatureOutput, publishRasterOutput, type OutputValue } from './output-service.js';
import { resolveFeatureInput } from './feature-input.js';
import { resolveRasterInput, type AnalysisRaster } from './raster-input.js';
import { readPoints, type InputPoint } from './read-points.js';
import { timeSection } from './engines/section-times.js';

/**
 * What an engine task (GRASS, SAGA, OTB or the worker's own kernels) works with: the shared
 * input/output modules of the analysis tasks, resolved once. Outputs are read before any engine
 * runs so that a taken name fails the job at once.
 */
export interface EngineJob {
  context: TaskContext;
  deps: AnalysisDeps;
  work: string;
  env: AnalysisEnvironment;
  outputs: Map<string, OutputName>;
}

/**
 * Starts an engine job. `outputs` lists the output-name parameters: the first is required,
 * the others are read when given. `context` (§2.3) is read here.
 */
export function startEngineJob(context: TaskContext, outputs: string[], type: 'ImageServer' | 'FeatureServer' = 'ImageServer'): Promise<EngineJob> {
  return timeSection('start job', () => readJob(context, outputs, type));
}

async function readJob(context: TaskContext, outputs: string[], type: 'ImageServer' | 'FeatureServer'): Promise<EngineJob> {
  const deps = analysisDeps(context);
  const work = await workFolder(context);
  const named = new Map<string, OutputName>();
  for (const [i, param] of outputs.entries()) {
    if (i === 0 || isGiven(context.inputs[param])) named.set(param, await readOutputName(param, context.inputs[param], type, deps));
  }
  const names = [...named.values()].map((o) => o.name.toLowerCase());
  if (new Set(names).size !== names.length) throw new TaskError('Each output needs its own name.');
  const env = await readAnalysisEnvironment(context.inputs.context, deps, work);
  return { context, deps, work, env, outputs: named };
}

/**
 * Raster inputs as files the engines read, all on the analysis grid (`context` outSR, extent,
 * cellSize, snapRaster): VRT recipes when the environment changes the grid, the sources as they
 * are otherwise. Each call gets its own folder so that later calls do not overwrite them.
 */
export function engineRasters(job: EngineJob, params: string[]): Promise<string[]> {
  return timeSection('resolve inputs', () => resolveRasters(job, params));
}

async function resolveRasters(job: EngineJob, params: string[]): Promise<string[]> {
  const { context } = job;
  const dir = path.join(job.work, params.join('+'));
  await mkdir(dir, { recursive: true });
  const rasters: AnalysisRaster[] = [];
  for (const param of params) rasters.push(await resolveRasterInput(param, context.inputs[param], job.deps, dir, context.signal));
  return gdalStep('Reading the input rasters', () => prepareRasters(rasters, job.env, dir, context.signal));
}

/** A feature input (any §2.1 form) as points (centroids of other shapes) in `targetWkt` when given. */
export async function enginePoints(job: EngineJob, param: string, targetWkt?: string | null): Promise<InputPoint[]> {
  const features = await timeSection('resolve features', () => resolveFeatureInput(param, job.context.inputs[param], job.deps, job.work));
  return timeSection('read points', () => readPoints(param, features.source, targetWkt ?? undefined));
}

/** Publishes a GeoTIFF the task wrote as the hosted imagery layer of `param`, masked by `context.mask`. */
export async function publishEngineFile(job: EngineJob, param: string, file: string, description: string): Promise<OutputValue> {
  const output = job.outputs.get(param);
  if (!output) throw new TaskError(`'${param}' is required.`);
  await gdalStep('Applying the mask', () => applyMask(file, job.env, job.work, job.context.signal));
  return timeSection('publish raster', () => publishRasterOutput(file, output, job.context, description));
}

/** Publishes a vector file as the hosted feature layer of `param`. */
export async function publishEngineFeatures(job: EngineJob, param: string, file: string, format: 'geopackage' | 'geojson', description: string): Promise<OutputValue> {
  const output = job.outputs.get(param);
  if (!output) throw new TaskError(`'${param}' is required.`);
  return timeSection('publish features', () => publishFeatureOutput(file, format, output, job.context, description));
}
