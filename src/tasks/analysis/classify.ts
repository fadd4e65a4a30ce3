import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { TaskError, type TaskContext, type TaskDefinition } from '../../jobs/task.js';
import { ANALYSIS_CONTEXT_PARAM, isGiven, outputNameParam, rasterInputParam, rasterResultParam } from './analysis-params.js';
import { engineRasters, publishEngineFile, startEngineJob } from './engine-job.js';
import { runOtb } from './engines/run-otb.js';
import { countBands, readGrid } from './hydrology/grid.js';
import { readClassifierDefinition } from './image/classifier-definition.js';
import { writeClassRaster } from './image/write-class-raster.js';
import { rollbackAnalysis } from './output-service.js';

/**
 * Classify (raster-analysis.md §8): applies a TrainClassifier definition to a raster with Orfeo
 * ToolBox's ImageClassifier. The classified raster carries the classes' colours (colour table);
 * their names are in the layer's description (the raster-store copy keeps no category names).
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
  if (isGiven(inputs.additionalInputRaster)) context.warning('additionalInputRaster is not used by this server yet: pixels are classified one by one.');
  const job = await startEngineJob(context, ['outputName']);
  const [raster] = (await engineRasters(job, ['inputRaster'])) as [string];
  const bands = await countBands(raster);
  if (bands !== definition.bandCount) throw new TaskError(`The classifier was trained on ${definition.bandCount} bands; the input raster has ${bands}.`);
  const dir = path.join(context.scratchDir, 'otb');
  await mkdir(dir, { recursive: true });
  const model = path.join(dir, 'model.txt');
  await writeFile(model, definition.model);
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
  const grid = await readGrid(classified);
  const out = path.join(context.scratchDir, 'results', 'classified.tif');
  await mkdir(path.dirname(out), { recursive: true });
  await writeClassRaster(out, grid, grid.values, definition.classes);
  context.progress(85, 'Publishing');
  const outputRaster = await publishEngineFile(job, 'outputName', out, `Classified (${definition.method}). Classes: ${definition.classes.map((c) => `${c.value} ${c.name}`).join(', ')}.`);
  context.progress(100, 'Done');
  return { outputRaster };
}
