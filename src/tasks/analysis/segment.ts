import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { TaskError, type TaskContext, type TaskDefinition } from '../../jobs/task.js';
import { ANALYSIS_CONTEXT_PARAM, outputNameParam, rasterInputParam, rasterResultParam, readFlag, readNumber } from './analysis-params.js';
import { engineRasters, startEngineJob } from './engine-job.js';
import { runOtb } from './engines/run-otb.js';
import { readBands, readGrid, writeBands } from './hydrology/grid.js';
import { selectBands } from './image/band-selection.js';
import { paintSegments } from './image/segment-colors.js';
import { rollbackAnalysis } from './output-service.js';
import { publishResultFile } from './publish-result-file.js';

/**
 * Segment (raster-analysis.md §8): mean-shift segmentation with Orfeo ToolBox's
 * LargeScaleMeanShift. ArcGIS's details (1–20, higher = finer) map onto OTB's radii: range
 * radius = 3·(20.5 − spectralDetail) + 1 (15.5 → 16, near OTB's default 15 for 8-bit data);
 * spatial radius = 21 − spatialDetail pixels (15 → 6). The output is ArcGIS's: each segment
 * painted with its mean colour, 8-bit.
 */
export const segment: TaskDefinition = {
  name: 'Segment',
  displayName: 'Segment',
  description: 'Groups adjacent pixels with similar spectral characteristics into segments (mean shift).',
  parameters: [
    rasterInputParam('inputRaster', 'Input Raster'),
    outputNameParam('outputName', 'Output Name'),
    { name: 'spectralDetail', dataType: 'GPDouble', displayName: 'Spectral Detail', direction: 'input', required: false, defaultValue: 15.5 },
    { name: 'spatialDetail', dataType: 'GPLong', displayName: 'Spatial Detail', direction: 'input', required: false, defaultValue: 15 },
    { name: 'minimumSegmentSizeInPixels', dataType: 'GPLong', displayName: 'Minimum Segment Size in Pixels', direction: 'input', required: false, defaultValue: 20 },
    { name: 'bandIndexes', dataType: 'GPString', displayName: 'Band Indexes', direction: 'input', required: false, defaultValue: '0,1,2' },
    { name: 'removeTilingArtifacts', dataType: 'GPBoolean', displayName: 'Remove Tiling Artifacts', direction: 'input', required: false, defaultValue: false },
    ANALYSIS_CONTEXT_PARAM,
    rasterResultParam(),
  ],
  execute: runSegment,
  rollback: rollbackAnalysis,
};

/** OTB arguments for ArcGIS's segmentation settings (exported for the engine comparison test). */
export function meanShiftArgs(inputs: Record<string, unknown>): string[] {
  const spectral = detail('spectralDetail', readNumber('spectralDetail', inputs.spectralDetail, 15.5)!);
  const spatial = detail('spatialDetail', readNumber('spatialDetail', inputs.spatialDetail, 15)!);
  const minSize = Math.max(1, Math.round(readNumber('minimumSegmentSizeInPixels', inputs.minimumSegmentSizeInPixels, 20)!));
  return ['-spatialr', String(Math.max(1, Math.round(21 - spatial))), '-ranger', String(3 * (20.5 - spectral) + 1), '-minsize', String(minSize)];
}

function detail(name: string, value: number): number {
  if (value < 1 || value > 20) throw new TaskError(`'${name}' must be between 1 and 20.`);
  return value;
}

async function runSegment(context: TaskContext): Promise<Record<string, unknown>> {
  const { inputs } = context;
  const args = meanShiftArgs(inputs);
  const job = await startEngineJob(context, ['outputName']);
  const [raster] = (await engineRasters(job, ['inputRaster'])) as [string];
  const selected = await selectBands(context, raster, inputs.bandIndexes, 'segment-input');
  const dir = path.join(context.scratchDir, 'otb');
  await mkdir(dir, { recursive: true });
  const labelsFile = path.join(dir, 'labels.tif');
  // The bands are read once: painting needs them, and band 1 gives the grid.
  const bands = await readBands(selected.file, selected.bands.map((_, i) => i + 1));
  const template = bands[0]!;
  // One tile for the whole image: no seams between tiles, at the cost of memory.
  const tiling = readFlag(inputs.removeTilingArtifacts) ? ['-tilesizex', String(template.width), '-tilesizey', String(template.height)] : [];
  context.progress(5, 'Mean-shift segmentation (Orfeo ToolBox)');
  await runOtb({
    task: 'Segment',
    app: 'LargeScaleMeanShift',
    args: ['-in', selected.file, ...args, ...tiling, '-mode', 'raster', '-mode.raster.out', labelsFile, 'uint32', '-cleanup', '1'],
    scratchDir: context.scratchDir,
    signal: context.signal,
    onProgress: (fraction) => context.progress(5 + fraction * 70, 'Mean-shift segmentation (Orfeo ToolBox)'),
  });
  const labels = await readGrid(labelsFile);
  const painted = paintSegments(labels.values, bands);
  const outputRaster = await publishResultFile(job, 'outputName', 'Segmented image (mean shift)', async (file) => {
    await writeBands(file, template, painted, 'Byte');
    context.progress(85, 'Publishing');
  });
  context.progress(100, 'Done');
  return { outputRaster };
}
