import path from 'node:path';
import { mkdir } from 'node:fs/promises';
import { catalogStoreFor } from '../../imagery/store/open-catalog-store.js';
import { TaskError, type TaskContext, type TaskParameter } from '../../jobs/task.js';
import { RasterError } from '../../raster/raster-error.js';
import { serverUrlsOf } from '../image-collection/service-url.js';
import type { InputDeps } from '../input-rasters.js';
import type { FeatureInputDeps } from './feature-input.js';
import type { OutputDeps } from './output-name.js';
import { timeSection } from './engines/section-times.js';

/** What the analysis tasks resolve inputs and outputs with. */
export type AnalysisDeps = InputDeps & OutputDeps & FeatureInputDeps;

export function analysisDeps(context: Pick<TaskContext, 'config' | 'stores' | 'principal' | 'baseUrl'>): AnalysisDeps {
  return { config: context.config, stores: context.stores, catalog: catalogStoreFor(context.config), principal: context.principal, baseUrl: context.baseUrl, serverUrls: serverUrlsOf(context) };
}

/** A folder of the job's scratch space for intermediate files (removed with the job). */
export async function workFolder(context: Pick<TaskContext, 'scratchDir'>, name = 'work'): Promise<string> {
  const dir = path.join(context.scratchDir, name);
  await mkdir(dir, { recursive: true });
  return dir;
}

/**
 * Runs one GDAL step; its failure fails the job with a message naming the step (GDAL's own text,
 * cleaned of server paths). Aborts pass through untouched.
 */
export async function gdalStep<T>(what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await timeSection(what, run);
  } catch (error) {
    if (error instanceof RasterError) throw new TaskError(`${what} failed: ${error.message}`);
    throw error;
  }
}

/** Reads a positive number parameter; absent gives undefined; anything else fails naming it. */
export function readPositive(name: string, value: unknown): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const raw = typeof value === 'object' ? (value as Record<string, unknown>).distance : value;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new TaskError(`'${name}' must be a positive number.`);
  return n;
}

/** A choice parameter compared case-insensitively; returns the canonical spelling. */
export function readChoice<T extends string>(name: string, value: unknown, choices: readonly T[], fallback: T): T {
  if (value === undefined || value === null || value === '') return fallback;
  const found = choices.find((c) => c.toLowerCase() === String(value).trim().toLowerCase());
  if (!found) throw new TaskError(`'${name}' must be one of ${choices.join(', ')}.`);
  return found;
}

export function readBool(value: unknown, fallback: boolean): boolean {
  if (value === undefined || value === null || value === '') return fallback;
  return value === true || String(value).toLowerCase() === 'true';
}

export function input(name: string, displayName: string, description: string, required = false, dataType: TaskParameter['dataType'] = 'GPString'): TaskParameter {
  return { name, dataType, displayName, description, direction: 'input', required };
}

export function output(name: string, displayName: string): TaskParameter {
  return { name, dataType: 'GPString', displayName, direction: 'output', required: false };
}

export const ANALYSIS_CONTEXT_PARAM = input('context', 'Context', 'Environment settings: outSR, extent, cellSize, snapRaster, mask, resamplingMethod.');

export function outputNameParam(name = 'outputName', required = true): TaskParameter {
  return input(name, 'Output Name', 'A new service name, or {"serviceProperties": {"name", "serviceUrl"}, "itemProperties": {"itemId"}} of a service created beforehand.', required);
}
