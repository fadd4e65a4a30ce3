import path from 'node:path';
import { TaskError, type TaskContext, type TaskDefinition } from '../jobs/task.js';
import { toSrsText } from '../raster/srs-input.js';
import { readKey } from './image-collection/param-values.js';
import { applyMask, prepareRasters, readAnalysisEnvironment } from './analysis/analysis-environment.js';
import { ANALYSIS_CONTEXT_PARAM, analysisDeps, gdalStep, input, output, outputNameParam, readChoice, readPositive, workFolder } from './analysis/analysis-task.js';
import { warpResult } from './analysis/gdal-library.js';
import { readOutputName } from './analysis/output-name.js';
import { publishRasterOutput, rollbackAnalysis } from './analysis/output-service.js';
import { resolveRasterInput } from './analysis/raster-input.js';

const RESAMPLING = { NEAREST: 'near', BILINEAR: 'bilinear', CUBIC: 'cubic', MAJORITY: 'mode' } as const;

/**
 * CopyRaster (raster-analysis.md §8): copies a raster into a new hosted imagery layer, resampled
 * to `outputCellsize` with `resamplingMethod` and clipped to `clipSetting` (an envelope, or a
 * polygon whose envelope is used): `gdalwarp -tr -r -te`, or a plain copy when none is given.
 */
export const copyRaster: TaskDefinition = {
  name: 'CopyRaster',
  displayName: 'Copy Raster',
  description: 'Copies a raster, optionally resampled and clipped, into a new imagery layer.',
  requiredPrivilege: 'premium:publisher:rasteranalysis',
  parameters: [
    input('inputRaster', 'Input Raster', 'The raster: {"url"}, {"itemId"} or {"uri"}.', true),
    input('outputCellsize', 'Output Cell Size', 'Cell size of the copy, in the raster\'s units.'),
    input('resamplingMethod', 'Resampling Method', 'NEAREST (default), BILINEAR, CUBIC or MAJORITY.'),
    input('clipSetting', 'Clip Setting', 'An envelope {xmin, ymin, xmax, ymax, spatialReference} (or a polygon) to clip to.'),
    outputNameParam(),
    ANALYSIS_CONTEXT_PARAM,
    output('outputRaster', 'Output Raster'),
  ],
  execute: runCopyRaster,
  rollback: rollbackAnalysis,
};

async function runCopyRaster(context: TaskContext): Promise<Record<string, unknown>> {
  const { inputs, signal } = context;
  const deps = analysisDeps(context);
  const work = await workFolder(context);
  const outputName = await readOutputName('outputName', inputs.outputName, 'ImageServer', deps);
  const raster = await resolveRasterInput('inputRaster', inputs.inputRaster, deps, work, signal);
  const cell = readPositive('outputCellsize', inputs.outputCellsize);
  const method = readChoice('resamplingMethod', inputs.resamplingMethod, Object.keys(RESAMPLING) as (keyof typeof RESAMPLING)[], 'NEAREST');
  const clip = readClip(inputs.clipSetting);
  const env = await readAnalysisEnvironment(inputs.context, deps, work);
  const [source] = await gdalStep('Reading the input raster', () => prepareRasters([raster], env, work, signal));
  context.progress(10, 'Copying the raster');
  const file = path.join(work, 'copy.tif');
  await gdalStep('Copying the raster', () => warpResult(copyArgs(cell, RESAMPLING[method], clip), [source], file, signal));
  await applyMask(file, env, work, signal);
  context.progress(70, 'Publishing the imagery layer');
  const outputRaster = await publishRasterOutput(file, outputName, context, `CopyRaster of ${raster.label}`);
  context.progress(100, 'Done');
  return { outputRaster };
}

/** The gdalwarp arguments CopyRaster runs with (exported for the tests and the bench). */
export function copyArgs(cell: number | undefined, resampling: string, clip?: Clip): string[] {
  const args = ['-q', '-overwrite', '-of', 'GTiff', '-co', 'TILED=YES', '-r', resampling];
  if (cell) args.push('-tr', String(cell), String(cell));
  if (clip) {
    args.push('-te', String(clip.xmin), String(clip.ymin), String(clip.xmax), String(clip.ymax));
    if (clip.spatialReference) args.push('-te_srs', toSrsText(clip.spatialReference));
  }
  return args;
}

interface Clip {
  xmin: number;
  ymin: number;
  xmax: number;
  ymax: number;
  spatialReference?: { wkid?: number; wkt?: string };
}

/** `clipSetting`: an envelope, or a polygon (its envelope is used). */
function readClip(value: unknown): Clip | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  let object: unknown = value;
  if (typeof value === 'string') {
    try {
      object = JSON.parse(value) as unknown;
    } catch {
      throw new TaskError("'clipSetting' is not valid JSON.");
    }
  }
  const o = object as Record<string, unknown>;
  const sr = readKey(o, 'spatialReference') as Clip['spatialReference'];
  const rings = readKey(o, 'rings');
  if (Array.isArray(rings)) {
    const points = (rings as number[][][]).flat();
    if (points.length === 0) throw new TaskError("'clipSetting' polygon has no points.");
    const xs = points.map((p) => p[0]);
    const ys = points.map((p) => p[1]);
    return { xmin: Math.min(...xs), ymin: Math.min(...ys), xmax: Math.max(...xs), ymax: Math.max(...ys), ...(sr ? { spatialReference: sr } : {}) };
  }
  const numbers = ['xmin', 'ymin', 'xmax', 'ymax'].map((k) => Number(readKey(o, k)));
  if (numbers.some((n) => !Number.isFinite(n)) || numbers[0] >= numbers[2] || numbers[1] >= numbers[3]) {
    throw new TaskError("'clipSetting' must be an envelope {xmin, ymin, xmax, ymax, spatialReference} or a polygon.");
  }
  return { xmin: numbers[0], ymin: numbers[1], xmax: numbers[2], ymax: numbers[3], ...(sr ? { spatialReference: sr } : {}) };
}
