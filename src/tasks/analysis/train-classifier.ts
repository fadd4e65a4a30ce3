import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import gdal from 'gdal-async';
import { TaskError, type TaskContext, type TaskDefinition } from '../../jobs/task.js';
import { cleanGdalMessage } from '../../raster/clean-gdal-message.js';
import { runGdalCommand } from '../../raster/run-gdal-command.js';
import { ANALYSIS_CONTEXT_PARAM, isGiven, rasterInputParam } from './analysis-params.js';
import { engineRasters, startEngineJob } from './engine-job.js';
import { runOtb } from './engines/run-otb.js';
import { timeSection } from './engines/section-times.js';
import { countBands, readGrid } from './hydrology/grid.js';
import { wktAsWritten } from './esri-json-srs.js';
import { resolveFeatureInput } from './feature-input.js';
import { defaultColor, METHODS, type ClassifierDefinition, type ClassInfo } from './image/classifier-definition.js';
import { describeSegments, readSegmentRows, segmentFeatureFields, writeTrainingTable } from './image/segment-features.js';
import { segmentMajority } from './image/segment-majority.js';
import { layerPoints, type InputPoint } from './read-points.js';
import { openVector } from './vector-facts.js';

/**
 * TrainClassifier (raster-analysis.md §8): trains a classifier on labelled polygons with Orfeo
 * ToolBox — random trees (`rt`), SVM (`svm`) or maximum likelihood (`mlc`, OTB's normal Bayes
 * classifier): per pixel on every band of the input (TrainImagesClassifier), or, with
 * `segmentedRaster`, per segment on the `segmentAttributes` statistics (trainOnSegments). The result is JSON text
 * carrying the trained model, for Classify. Samples name their class in `classvalue` (or
 * `value`), with `classname` and optional `red`/`green`/`blue` fields, as ArcGIS training
 * samples do.
 */
export const trainClassifier: TaskDefinition = {
  name: 'TrainClassifier',
  displayName: 'Train Classifier',
  description: 'Trains a classifier (random trees, SVM or maximum likelihood) from labelled training samples.',
  parameters: [
    rasterInputParam('inputRaster', 'Input Raster'),
    { name: 'inputTrainingSampleJSON', dataType: 'GPString', displayName: 'Input Training Sample JSON', description: 'A feature set of labelled polygons (classvalue, classname).', direction: 'input', required: true },
    rasterInputParam('segmentedRaster', 'Segmented Raster', false),
    { name: 'classifierParameters', dataType: 'GPString', displayName: 'Classifier Parameters', description: '{"method": "rt"|"svm"|"mlc", "params": {"maxSampleClass": 1000, "maxNumTrees": 50, "maxTreeDepth": 30}}', direction: 'input', required: true },
    { name: 'segmentAttributes', dataType: 'GPString', displayName: 'Segment Attributes', direction: 'input', required: false, defaultValue: 'COLOR;MEAN' },
    ANALYSIS_CONTEXT_PARAM,
    { name: 'outputClassifierDefinition', dataType: 'GPString', displayName: 'Output Classifier Definition', direction: 'output', required: false },
  ],
  execute: runTrainClassifier,
};

async function runTrainClassifier(context: TaskContext): Promise<Record<string, unknown>> {
  const { inputs } = context;
  const { method, params } = readClassifierParameters(inputs.classifierParameters);
  const bySegment = isGiven(inputs.segmentedRaster);
  const job = await startEngineJob(context, []);
  const [raster, segmented] = (await engineRasters(job, ['inputRaster', ...(bySegment ? ['segmentedRaster'] : [])])) as [string, string | undefined];
  // An inline set's `wkt` is read apart, without OGR's search of PROJ's database on open
  // (esri-json-srs.ts), and given to the GeoPackage conversion as the polygons' SRS.
  const samples = await timeSection('resolve features', () => resolveFeatureInput('inputTrainingSampleJSON', inputs.inputTrainingSampleJSON, job.deps, job.work, { wktApart: true }));
  const input = await timeSection('read points', () => openVector('inputTrainingSampleJSON', samples.source));
  const dir = path.join(context.scratchDir, 'otb');
  const vector = path.join(job.work, 'samples.gpkg');
  let classField: string | undefined;
  let classes: ClassInfo[];
  try {
    // Only the attributes are used here; OTB reads the polygons themselves.
    const features = layerPoints('inputTrainingSampleJSON', input.layers.get(0));
    classField = findField(features, ['classvalue', 'value', 'class']);
    if (!classField) throw new TaskError("The training samples need a 'classvalue' field holding each polygon's class.");
    classes = readClasses(features, classField);
    const wktFile = path.join(job.work, 'raster.wkt');
    await writeFile(wktFile, await readSrsWkt(raster));
    const sourceWkt = samples.wkt === undefined ? undefined : wktAsWritten(samples.wkt)?.toWKT();
    const sourceFile = path.join(job.work, 'samples.wkt');
    if (sourceWkt) await writeFile(sourceFile, sourceWkt);
    await timeSection('write samples', () => writeSamples(input, vector, wktFile, sourceWkt ? sourceFile : undefined));
  } finally {
    input.close();
  }
  context.signal.throwIfAborted();
  const modelFile = path.join(dir, 'model.txt');
  const bandCount = await countBands(raster);
  let segmentFeatures: string[] | undefined;
  if (segmented) {
    segmentFeatures = await trainOnSegments({ context, raster, segmented, vector, classField, bandCount, method: method.otb, params, modelFile });
  } else {
    context.progress(10, `Training (${method.method}, Orfeo ToolBox)`);
    await runOtb({
      task: 'TrainClassifier',
      app: 'TrainImagesClassifier',
      args: [
        '-io.il', raster,
        '-io.vd', vector,
        '-sample.vfn', classField,
        '-sample.mt', String(params.maxSampleClass ?? 1000),
        '-sample.vtr', '0.3',
        '-classifier', method.otb,
        ...classifierArgs(method.otb, params),
        '-rand', '1',
        '-io.out', modelFile,
      ],
      scratchDir: context.scratchDir,
      signal: context.signal,
      onProgress: (fraction) => context.progress(10 + fraction * 80, `Training (${method.method}, Orfeo ToolBox)`),
    });
  }
  const definition: ClassifierDefinition = {
    classifierDefinitionVersion: 1,
    engine: 'OrfeoToolBox',
    method: method.method,
    otbClassifier: method.otb,
    bandCount,
    classes,
    ...(segmentFeatures ? { segmentFeatures } : {}),
    model: await readFile(modelFile, 'utf8'),
  };
  context.info(`Trained a ${method.method} classifier on ${classes.length} classes${segmentFeatures ? `, one sample per segment (${segmentFeatures.join(', ')})` : ''}.`);
  context.progress(100, 'Done');
  return { outputClassifierDefinition: JSON.stringify(definition) };
}

type Params = { maxSampleClass?: number; maxNumTrees?: number; maxTreeDepth?: number };

/** The raster's SRS as WKT ('' when it has none), without reading its pixels. */
async function readSrsWkt(raster: string): Promise<string> {
  const dataset = await gdal.openAsync(raster);
  try {
    return (await dataset.srsAsync)?.toWKT() ?? '';
  } finally {
    dataset.close();
  }
}

/**
 * The training polygons as the GeoPackage layer `samples` in the raster's SRS, for OTB; from
 * `sourceWktFile`'s SRS when the set was read without its own. GDAL's ogr2ogr run in this
 * process: an ogr2ogr process took ~0.55 s on 60 polygons (load 14), this ~0.08 s, nearly all of
 * it the process start-up.
 */
async function writeSamples(input: gdal.Dataset, vector: string, wktFile: string, sourceWktFile: string | undefined): Promise<void> {
  try {
    (await gdal.vectorTranslateAsync(vector, input, ['-f', 'GPKG', ...(sourceWktFile ? ['-s_srs', sourceWktFile] : []), '-t_srs', wktFile, '-nln', 'samples'])).close();
  } catch (error) {
    throw new TaskError(`'inputTrainingSampleJSON' could not be read: ${cleanGdalMessage(error instanceof Error ? error.message : String(error), 'GDAL could not convert the polygons')}`);
  }
}

function readClassifierParameters(value: unknown): { method: (typeof METHODS)[string]; params: Params } {
  let parsed = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      throw new TaskError("'classifierParameters' is not valid JSON.");
    }
  }
  const object = (parsed ?? {}) as { method?: unknown; params?: Params };
  const method = METHODS[String(object.method ?? '').replace(/[\s_]/g, '').toLowerCase()];
  if (!method) throw new TaskError("classifierParameters.method must be 'rt' (random trees), 'svm' or 'mlc' (maximum likelihood).");
  return { method, params: object.params ?? {} };
}

function classifierArgs(otb: ClassifierDefinition['otbClassifier'], params: Params): string[] {
  if (otb === 'rf') return ['-classifier.rf.nbtrees', String(params.maxNumTrees ?? 50), '-classifier.rf.max', String(params.maxTreeDepth ?? 30), '-classifier.rf.min', '1'];
  if (otb === 'libsvm') return ['-classifier.libsvm.k', 'linear'];
  return [];
}

function findField(features: InputPoint[], names: string[]): string | undefined {
  const keys = Object.keys(features[0]?.attributes ?? {});
  for (const name of names) {
    const key = keys.find((k) => k.toLowerCase() === name);
    if (key) return key;
  }
  return undefined;
}

function readClasses(features: InputPoint[], classField: string): ClassInfo[] {
  const nameField = findField(features, ['classname', 'name']);
  const [red, green, blue] = ['red', 'green', 'blue'].map((c) => findField(features, [c]));
  const classes = new Map<number, ClassInfo>();
  for (const feature of features) {
    const { attributes } = feature;
    const value = Number(attributes[classField]);
    if (!Number.isInteger(value) || value < 1 || value > 254) throw new TaskError(`Class values must be whole numbers from 1 to 254 (found '${String(attributes[classField])}').`);
    if (classes.has(value)) continue;
    const color: [number, number, number] = red && green && blue ? [Number(attributes[red]), Number(attributes[green]), Number(attributes[blue])] : defaultColor(classes.size);
    classes.set(value, { value, name: nameField ? String(attributes[nameField]) : `Class ${value}`, color });
  }
  if (classes.size < 2) throw new TaskError('The training samples must hold at least two classes.');
  return [...classes.values()].sort((a, b) => a.value - b.value);
}

interface SegmentTraining {
  context: TaskContext;
  raster: string;
  segmented: string;
  vector: string;
  classField: string;
  bandCount: number;
  method: ClassifierDefinition['otbClassifier'];
  params: Params;
  modelFile: string;
}

/**
 * Object-based training: every segment of `segmentedRaster` that training polygons cover takes
 * the class most of its covered cells have; OTB's ZonalStatistics describes the segments
 * (`segmentAttributes`) and TrainVectorClassifier learns from one row per segment. Returns the
 * feature fields, which Classify computes the same way.
 */
async function trainOnSegments(run: SegmentTraining): Promise<string[]> {
  const { context } = run;
  const dir = path.join(context.scratchDir, 'otb');
  await mkdir(dir, { recursive: true });
  const { fields, unsupported } = segmentFeatureFields(context.inputs.segmentAttributes, run.bandCount);
  if (unsupported.length > 0) context.warning(`Segment attributes ${unsupported.join(' and ')} are not computed by Orfeo ToolBox's ZonalStatistics and were left out.`);
  context.progress(5, 'Describing the segments (Orfeo ToolBox ZonalStatistics)');
  const segments = await describeSegments(run.raster, run.segmented, 'segmentedRaster', dir, {
    task: 'TrainClassifier',
    scratchDir: context.scratchDir,
    signal: context.signal,
    onProgress: (fraction) => context.progress(5 + fraction * 45, 'Describing the segments (Orfeo ToolBox ZonalStatistics)'),
  });
  // The training polygons on the segments' grid: each covered cell votes for its segment's class.
  const grid = await readGrid(run.raster);
  const [x0, dx, , y0, , dy] = grid.geoTransform as [number, number, number, number, number, number];
  const sampleCells = path.join(dir, 'sample-classes.tif');
  await runGdalCommand('gdal_rasterize', ['-q', '-a', run.classField, '-ot', 'Int16', '-init', '0', '-a_nodata', '0', '-te', String(x0), String(y0 + grid.height * dy), String(x0 + grid.width * dx), String(y0), '-ts', String(grid.width), String(grid.height), run.vector, sampleCells], { signal: context.signal });
  const votes = segmentMajority((await readGrid(sampleCells)).values, segments.labels, segments.count);
  const classOf = new Map<number, number>();
  votes.forEach((value, label) => {
    if (!Number.isNaN(value)) classOf.set(label, value);
  });
  if (new Set(classOf.values()).size < 2) throw new TaskError('The training polygons must cover segments of at least two classes.');
  const table = path.join(dir, 'segment-samples.geojson');
  const count = await writeTrainingTable(table, await readSegmentRows(segments.statsFile, fields), fields, classOf);
  context.info(`${count} of ${segments.count} segments are training samples.`);
  context.progress(60, 'Training on segments (Orfeo ToolBox TrainVectorClassifier)');
  await runOtb({
    task: 'TrainClassifier',
    app: 'TrainVectorClassifier',
    args: ['-io.vd', table, '-feat', ...fields, '-cfield', 'classvalue', '-classifier', run.method, ...classifierArgs(run.method, run.params), '-rand', '1', '-io.out', run.modelFile],
    scratchDir: context.scratchDir,
    signal: context.signal,
    onProgress: (fraction) => context.progress(60 + fraction * 30, 'Training on segments (Orfeo ToolBox TrainVectorClassifier)'),
  });
  return fields;
}
