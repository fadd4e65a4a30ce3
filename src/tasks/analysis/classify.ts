import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { TaskError, type TaskContext, type TaskDefinition } from '../../jobs/task.js';
import { ANALYSIS_CONTEXT_PARAM, isGiven, outputNameParam, rasterInputParam, rasterResultParam } from './analysis-params.js';
import { engineRasters, startEngineJob } from './engine-job.js';
import { runOtb } from './engines/run-otb.js';
import { countBands, readBands, readGrid, type Grid } from './hydrology/grid.js';
import { describeSegments, readSegmentRows } from './image/segment-features.js';
import { classifyBySegment } from './image/segment-majority.js';
import { readClassifierDefinition } from './image/classifier-definition.js';
import { writeClassRaster } from './image/write-class-raster.js';
import { rollbackAnalysis } from './output-service.js';
import { publishResultFile } from './publish-result-file.js';

/**
 * Classify (raster-analysis.md §8): applies a TrainClassifier definition to a raster with Orfeo
 * ToolBox's ImageClassifier. The classified raster carries the classes' colours (colour table);
 * their names are in the layer's description (the raster-store copy keeps no category names).
 * With `additionalInputRaster` (a Segment result) each segment takes its pixels' majority class;
 * a definition trained on segments classifies the segments themselves (classifySegments).
 */
export const classify: TaskDefinition = {
  name: 'Classify',
  displayName: 'Classify',
  description: 'Classifies a raster with a classifier definition from TrainClassifier.',
  parameters: [
    rasterInputParam('inputRaster', 'Input Raster'),
    { name: 'inputClassifierDefinition', dataType: 'GPString', displayName: 'Input Classifier Definition', description: 'The outputClassifierDefinition of TrainClassifier (JSON text).', direction: 'input', required: true },
    rasterInputParam('additionalInputRaster', 'Additional Input Raster', false),
    outputNameParam('outputName', 'Output Name'),
    ANALYSIS_CONTEXT_PARAM,
    rasterResultParam(),
  ],
  execute: runClassify,
  rollback: rollbackAnalysis,
};

async function runClassify(context: TaskContext): Promise<Record<string, unknown>> {
  const { inputs } = context;
  const definition = readClassifierDefinition(inputs.inputClassifierDefinition);
  const job = await startEngineJob(context, ['outputName']);
  const bySegment = isGiven(inputs.additionalInputRaster);
  const [raster, segmented] = (await engineRasters(job, ['inputRaster', ...(bySegment ? ['additionalInputRaster'] : [])])) as [string, string | undefined];
  const bands = await countBands(raster);
  if (bands !== definition.bandCount) throw new TaskError(`The classifier was trained on ${definition.bandCount} bands; the input raster has ${bands}.`);
  const dir = path.join(context.scratchDir, 'otb');
  await mkdir(dir, { recursive: true });
  const model = path.join(dir, 'model.txt');
  await writeFile(model, definition.model);
  let grid: Grid;
  if (definition.segmentFeatures) {
    if (!segmented) throw new TaskError('This classifier was trained on segments: give the segmented raster as additionalInputRaster.');
    grid = await classifySegments(context, raster, segmented, model, definition.segmentFeatures);
  } else {
    const classified = path.join(dir, 'classified.tif');
    context.progress(10, 'Classifying (Orfeo ToolBox)');
    await runOtb({
      task: 'Classify',
      app: 'ImageClassifier',
      args: ['-in', raster, '-model', model, '-out', classified, 'uint8'],
      scratchDir: context.scratchDir,
      signal: context.signal,
      onProgress: (fraction) => context.progress(10 + fraction * 70, 'Classifying (Orfeo ToolBox)'),
    });
    grid = await readGrid(classified);
    if (segmented) {
      const segments = await readBands(segmented, Array.from({ length: await countBands(segmented) }, (_, i) => i + 1));
      if (segments[0]!.width !== grid.width || segments[0]!.height !== grid.height) throw new TaskError("'additionalInputRaster' must cover the input raster cell for cell.");
      grid.values = classifyBySegment(grid.values, segments.map((band) => band.values), grid.width, grid.height);
    }
  }
  const description = `Classified (${definition.method}). Classes: ${definition.classes.map((c) => `${c.value} ${c.name}`).join(', ')}.`;
  const outputRaster = await publishResultFile(job, 'outputName', description, async (file) => {
    await writeClassRaster(file, grid, grid.values, definition.classes);
    context.progress(85, 'Publishing');
  });
  context.progress(100, 'Done');
  return { outputRaster };
}

/**
 * Object-based classification: OTB's ZonalStatistics describes each segment of the segmented
 * raster from the input's bands, VectorClassifier applies the model to those rows, and every cell
 * of a segment takes the segment's class.
 */
async function classifySegments(context: TaskContext, raster: string, segmented: string, model: string, fields: string[]): Promise<Grid> {
  const dir = path.join(context.scratchDir, 'otb');
  context.progress(10, 'Describing the segments (Orfeo ToolBox ZonalStatistics)');
  const segments = await describeSegments(raster, segmented, 'additionalInputRaster', dir, {
    task: 'Classify',
    scratchDir: context.scratchDir,
    signal: context.signal,
    onProgress: (fraction) => context.progress(10 + fraction * 40, 'Describing the segments (Orfeo ToolBox ZonalStatistics)'),
  });
  const predicted = path.join(dir, 'segment-classes.shp');
  context.progress(55, 'Classifying the segments (Orfeo ToolBox VectorClassifier)');
  await runOtb({
    task: 'Classify',
    app: 'VectorClassifier',
    args: ['-in', segments.statsFile, '-model', model, '-feat', ...fields, '-cfield', 'predicted', '-out', predicted],
    scratchDir: context.scratchDir,
    signal: context.signal,
    onProgress: (fraction) => context.progress(55 + fraction * 25, 'Classifying the segments (Orfeo ToolBox VectorClassifier)'),
  });
  const classOf = new Float64Array(segments.count + 1).fill(NaN);
  for (const row of await readSegmentRows(predicted, ['predicted'])) classOf[row.label] = row.values[0]!;
  const grid = await readGrid(raster);
  // A plain loop: TypedArray.from with a mapping function is some 30× slower on large grids.
  const { labels } = segments;
  grid.values = new Float64Array(labels.length);
  for (let i = 0; i < labels.length; i++) grid.values[i] = labels[i] === 0 ? NaN : classOf[labels[i]!]!;
  return grid;
}
