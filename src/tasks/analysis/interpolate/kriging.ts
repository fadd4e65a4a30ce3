import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { TaskContext } from '../../../jobs/task.js';
import { runGdalCommand } from '../../../raster/run-gdal-command.js';
import { gdalStep } from '../analysis-task.js';
import { runSaga } from '../engines/run-saga.js';

export type KrigingType = 'ORDINARY' | 'UNIVERSAL';

export interface KrigingRun {
  /** An OGR source of the points and its layer. */
  points: string;
  layer: string;
  field: string;
  type: KrigingType;
  /** Cells of `cell` map units from (xmin, ymax), `width` × `height` of them. */
  grid: { xmin: number; ymax: number; cell: number; width: number; height: number };
  neighbors: number;
  /** Kriging of the logarithm (ArcGIS `transformData`). */
  logTransform: boolean;
}

/**
 * SAGA's kriging tool and options for a run (exported for the engine comparison test): ordinary
 * kriging (statistics_kriging 0) or universal kriging with a linear trend in the coordinates
 * (2, COORDS), the default variogram fitted by SAGA, the `neighbors` nearest points; prediction
 * error as a standard deviation, and leave-one-out cross validation.
 */
export function krigingOptions(run: KrigingRun, files: { points: string; prediction: string; error: string; crossValidation: string }): { tool: string; options: Record<string, string | number> } {
  const { xmin, ymax, cell, width, height } = run.grid;
  return {
    tool: run.type === 'UNIVERSAL' ? '2' : '0',
    options: {
      POINTS: files.points,
      FIELD: run.field,
      TARGET_DEFINITION: 0,
      TARGET_USER_SIZE: cell,
      // SAGA's grid system is given by its outer cell centres.
      TARGET_USER_XMIN: xmin + cell / 2,
      TARGET_USER_XMAX: xmin + (width - 0.5) * cell,
      TARGET_USER_YMIN: ymax - (height - 0.5) * cell,
      TARGET_USER_YMAX: ymax - cell / 2,
      PREDICTION: files.prediction,
      VARIANCE: files.error,
      TQUALITY: 0,
      LOG: run.logTransform ? 1 : 0,
      CV_METHOD: 1,
      CV_SUMMARY: files.crossValidation,
      SEARCH_RANGE: 0,
      SEARCH_RADIUS: 1e12,
      SEARCH_POINTS_ALL: 0,
      SEARCH_POINTS_MIN: 1,
      SEARCH_POINTS_MAX: run.neighbors,
      ...(run.type === 'UNIVERSAL' ? { COORDS: 1 } : {}),
    },
  };
}

/** Runs the kriging in `work`: the prediction and error GeoTIFFs, and the cross-validation figures. */
export async function runKriging(context: TaskContext, run: KrigingRun, work: string): Promise<{ prediction: string; error: string; crossValidation: Record<string, number> }> {
  const files = { points: path.join(work, 'kriging-points.geojson'), prediction: path.join(work, 'kriging.tif'), error: path.join(work, 'kriging-error.tif'), crossValidation: path.join(work, 'kriging-cv.csv') };
  // SAGA reads shapes through OGR; a GeoJSON copy keeps only the field it needs.
  await gdalStep('Reading the points', () => runGdalCommand('ogr2ogr', ['-f', 'GeoJSON', '-select', run.field, files.points, run.points, run.layer], { signal: context.signal }));
  const { tool, options } = krigingOptions(run, files);
  await runSaga({
    task: 'InterpolatePoints',
    library: 'statistics_kriging',
    tool,
    options,
    scratchDir: context.scratchDir,
    signal: context.signal,
    onProgress: (fraction) => context.progress(10 + fraction * 55, `${run.type === 'UNIVERSAL' ? 'Universal' : 'Ordinary'} kriging (SAGA)`),
  });
  return { prediction: files.prediction, error: files.error, crossValidation: await readCrossValidation(files.crossValidation) };
}

/** SAGA's summary table: `"RMSE",0.80` lines. */
async function readCrossValidation(file: string): Promise<Record<string, number>> {
  const text = await readFile(file, 'utf8').catch(() => '');
  const figures: Record<string, number> = {};
  for (const line of text.split('\n').slice(1)) {
    const [key, value] = line.split(',');
    if (key && value !== undefined && Number.isFinite(Number(value))) figures[key.replace(/"/g, '')] = Number(value);
  }
  return figures;
}
