import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import gdal from 'gdal-async';
import { TaskError } from '../../../jobs/task.js';
import { runOtb } from '../engines/run-otb.js';
import { countBands, readBands, writeGrid, type Grid } from '../hydrology/grid.js';
import { segmentLabels } from './segment-majority.js';

/**
 * Object-based classification (TrainClassifier with `segmentedRaster`, Classify of a segmented
 * input): each segment is one sample, described by Orfeo ToolBox's ZonalStatistics of the input
 * raster over it (per band: mean_i, stdev_i, min_i, max_i; and count).
 */

/** ArcGIS segment attributes and the ZonalStatistics fields that stand for them. */
const ATTRIBUTES: Record<string, (bands: number) => string[]> = {
  // ArcGIS's converted colour of the segment: the means of its first three bands.
  COLOR: (bands) => Array.from({ length: Math.min(3, bands) }, (_, i) => `mean_${i}`),
  MEAN: (bands) => Array.from({ length: bands }, (_, i) => `mean_${i}`),
  STD: (bands) => Array.from({ length: bands }, (_, i) => `stdev_${i}`),
  COUNT: () => ['count'],
};

/**
 * The feature fields for `segmentAttributes` ("COLOR;MEAN"): unique, in order. COMPACTNESS and
 * RECTANGULARITY are shape measures ZonalStatistics does not compute: they are reported back.
 */
export function segmentFeatureFields(attributes: unknown, bands: number): { fields: string[]; unsupported: string[] } {
  const names = String(attributes ?? '').split(/[;,\s]+/).map((a) => a.trim().toUpperCase()).filter(Boolean);
  const fields: string[] = [];
  const unsupported: string[] = [];
  for (const name of names.length > 0 ? names : ['COLOR', 'MEAN']) {
    const make = ATTRIBUTES[name];
    if (!make) {
      if (name === 'COMPACTNESS' || name === 'RECTANGULARITY') unsupported.push(name);
      else throw new TaskError(`'segmentAttributes' may hold COLOR, MEAN, STD, COUNT, COMPACTNESS and RECTANGULARITY (found '${name}').`);
      continue;
    }
    for (const field of make(bands)) if (!fields.includes(field)) fields.push(field);
  }
  if (fields.length === 0) throw new TaskError("'segmentAttributes' must include COLOR, MEAN, STD or COUNT: Orfeo ToolBox computes no shape measures.");
  return { fields, unsupported };
}

export interface SegmentTable {
  /** Segment labels per cell (0 = no segment) and the number of segments. */
  labels: Int32Array;
  count: number;
  /** The shapefile ZonalStatistics wrote: one polygon per segment, polygon_id = label. */
  statsFile: string;
}

/**
 * Labels the segments of `segmented` (which must cover `raster` cell for cell) and has OTB's
 * ZonalStatistics describe each one from `raster`'s bands.
 */
export async function describeSegments(raster: string, segmented: string, param: string, dir: string, run: { task: string; scratchDir: string; signal: AbortSignal; onProgress?: (fraction: number) => void }): Promise<SegmentTable> {
  const bands = await readBands(segmented, Array.from({ length: await countBands(segmented) }, (_, i) => i + 1));
  const template: Grid = bands[0]!;
  const image = await readBands(raster, [1]);
  if (template.width !== image[0]!.width || template.height !== image[0]!.height) throw new TaskError(`'${param}' must cover the input raster cell for cell.`);
  const { labels, count } = segmentLabels(bands.map((band) => band.values), template.width, template.height);
  if (count === 0) throw new TaskError(`'${param}' has no segments.`);
  const labelFile = path.join(dir, 'segment-labels.tif');
  await writeGrid(labelFile, template, labels, 'Int32', true);
  const statsFile = path.join(dir, 'segment-stats.shp');
  await runOtb({
    task: run.task,
    app: 'ZonalStatistics',
    args: ['-in', raster, '-inzone', 'labelimage', '-inzone.labelimage.in', labelFile, '-inzone.labelimage.nodata', '0', '-out', 'vector', '-out.vector.filename', statsFile],
    scratchDir: run.scratchDir,
    signal: run.signal,
    onProgress: run.onProgress,
  });
  return { labels, count, statsFile };
}

/** Each feature's label (polygon_id) and the numeric values of `fields`. */
export async function readSegmentRows(file: string, fields: string[]): Promise<Array<{ label: number; values: number[] }>> {
  const dataset = await gdal.openAsync(file);
  try {
    const layer = dataset.layers.get(0);
    const rows: Array<{ label: number; values: number[] }> = [];
    for await (const feature of layer.features) {
      const attributes = feature.fields.toObject() as Record<string, unknown>;
      rows.push({ label: Number(attributes.polygon_id), values: fields.map((f) => Number(attributes[f])) });
    }
    return rows;
  } finally {
    dataset.close();
  }
}

/**
 * The training table for TrainVectorClassifier: one point per labelled segment (OTB reads only
 * the fields) with its features and `classvalue`, as GeoJSON.
 */
export async function writeTrainingTable(file: string, rows: Array<{ label: number; values: number[] }>, fields: string[], classOf: Map<number, number>): Promise<number> {
  const features = rows
    .filter((row) => classOf.has(row.label) && row.values.every(Number.isFinite))
    .map((row) => ({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [0, 0] },
      properties: { ...Object.fromEntries(fields.map((f, i) => [f, row.values[i]])), classvalue: classOf.get(row.label) },
    }));
  await writeFile(file, JSON.stringify({ type: 'FeatureCollection', features }));
  return features.length;
}
