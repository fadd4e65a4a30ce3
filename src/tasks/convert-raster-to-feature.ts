import path from 'node:path';
import { writeFile } from 'node:fs/promises';
import gdal from 'gdal-async';
import { TaskError, type TaskContext, type TaskDefinition } from '../jobs/task.js';
import { runGdalCommand } from '../raster/run-gdal-command.js';
import { prepareRasters, readAnalysisEnvironment } from './analysis/analysis-environment.js';
import { polygonizeToGeoPackage } from './analysis/gdal-library.js';
import { ANALYSIS_CONTEXT_PARAM, analysisDeps, gdalStep, input, output, outputNameParam, readBool, readChoice, readPositive, workFolder } from './analysis/analysis-task.js';
import { cellSizeOf, readGrid, type Grid } from './analysis/grid-io.js';
import { readOutputName } from './analysis/output-name.js';
import { publishFeatureOutput, rollbackAnalysis } from './analysis/output-service.js';
import { resolveRasterInput } from './analysis/raster-input.js';

/**
 * ConvertRasterToFeature (§8) into a hosted feature layer, with ArcGIS's field names:
 * - Polygon: `gdal_polygonize.py` (4-connected regions of equal value, field `gridcode`);
 *   `simplifyLinesOrPolygons` (default true) smooths the cell steps (`ogr2ogr -simplify`, half
 *   a cell); `createMultipartFeatures` dissolves regions of one value into one feature.
 * - Point: one point per cell with data, at its centre (`pointid`, `grid_code`).
 * - Line: the centre lines of linear cell groups (nonzero cells; 0 is background, as in ArcGIS's
 *   RasterToPolyline): neighbouring cells of one value joined, then merged into lines (`grid_code`).
 * `maxVerticesPerFeature` cuts bigger polygons (SpatiaLite ST_Subdivide) and lines into pieces,
 * each its own feature. Only the cell values (`field` Value) are read, not attribute tables.
 */
export const convertRasterToFeature: TaskDefinition = {
  name: 'ConvertRasterToFeature',
  displayName: 'Convert Raster To Feature',
  description: 'Converts a raster to polygons, lines or points.',
  requiredPrivilege: 'premium:publisher:rasteranalysis',
  parameters: [
    input('inputRaster', 'Input Raster', 'The raster: {"url"}, {"itemId"} or {"uri"}.', true),
    input('field', 'Field', 'Value (default): the cell values.'),
    input('outputType', 'Output Type', 'Polygon (default), Line or Point.'),
    input('simplifyLinesOrPolygons', 'Simplify Lines Or Polygons', 'Smooth cell steps (default true).', false, 'GPBoolean'),
    outputNameParam(),
    input('createMultipartFeatures', 'Create Multipart Features', 'One feature per value (default false).', false, 'GPBoolean'),
    input('maxVerticesPerFeature', 'Max Vertices Per Feature', 'Polygons and lines with more vertices are cut into pieces of at most this many (at least 8 for polygons).', false, 'GPLong'),
    ANALYSIS_CONTEXT_PARAM,
    output('outputFeatures', 'Output Features'),
  ],
  execute: runConvertRasterToFeature,
  rollback: rollbackAnalysis,
};

async function runConvertRasterToFeature(context: TaskContext): Promise<Record<string, unknown>> {
  const { inputs, signal } = context;
  const deps = analysisDeps(context);
  const work = await workFolder(context);
  const outputName = await readOutputName('outputName', inputs.outputName, 'FeatureServer', deps);
  const type = readChoice('outputType', inputs.outputType, ['Polygon', 'Line', 'Point'], 'Polygon');
  if (typeof inputs.field === 'string' && inputs.field && inputs.field.toLowerCase() !== 'value') {
    throw new TaskError(`'field': only "Value" (the cell values) can be converted; raster attribute tables are not read.`);
  }
  const maxVertices = readMaxVertices(inputs.maxVerticesPerFeature, type, context);
  const simplify = readBool(inputs.simplifyLinesOrPolygons, true);
  const multipart = readBool(inputs.createMultipartFeatures, false);
  const env = await readAnalysisEnvironment(inputs.context, deps, work);
  const raster = await resolveRasterInput('inputRaster', inputs.inputRaster, deps, work, signal);
  const [source] = await gdalStep("Reading 'inputRaster'", () => prepareRasters([raster], env, work, signal));
  context.progress(10, `Converting to ${type.toLowerCase()}s`);
  const file = path.join(work, `${outputName.name}.gpkg`);
  const shaping = { simplify, multipart, maxVertices, work, signal };
  if (type === 'Polygon') await polygons(source, file, outputName.name, shaping);
  else {
    const grid = await readGrid(source);
    if (type === 'Point') await writePoints(grid, file, outputName.name, shaping);
    else await lines(grid, file, outputName.name, shaping);
  }
  context.progress(60, 'Publishing the feature layer');
  const outputFeatures = await publishFeatureOutput(file, 'geopackage', outputName, context, `ConvertRasterToFeature (${type}) of ${raster.label}`);
  context.progress(100, 'Done');
  return { outputFeatures };
}

/** gdal_polygonize.py arguments (exported for the tests and the bench). */
export function polygonizeArgs(): string[] {
  return ['-q', '-b', '1', '-f', 'GPKG'];
}

interface Shaping {
  simplify: boolean;
  multipart: boolean;
  /** Most vertices per feature (larger ones are cut), or none. */
  maxVertices?: number;
  work: string;
  signal: AbortSignal;
}

async function polygons(source: string, file: string, layer: string, shaping: Shaping): Promise<void> {
  const raw = shaping.simplify || shaping.multipart || shaping.maxVertices ? path.join(shaping.work, 'polygons.gpkg') : file;
  // The library call runs what `gdal_polygonize.py polygonizeArgs() source raw layer gridcode` runs.
  await gdalStep('Converting to polygons', () => polygonizeToGeoPackage(source, raw, layer, 'gridcode', shaping.signal));
  if (raw === file) return;
  const grid = await readGrid(source);
  const half = cellSizeOf(grid)[0] / 2;
  const merged = shaping.multipart ? 'ST_Union(geom)' : 'geom';
  let geometry = shaping.simplify ? `ST_SimplifyPreserveTopology(${merged}, ${half})` : merged;
  // SpatiaLite's ST_Subdivide: pieces of at most N vertices, cut along a quadtree, as ArcGIS's Dice.
  if (shaping.maxVertices) geometry = `ST_Subdivide(${geometry}, ${shaping.maxVertices})`;
  const sql = `SELECT gridcode, ${geometry} AS geom FROM "${layer}"${shaping.multipart ? ' GROUP BY gridcode' : ''}`;
  const pieces = shaping.maxVertices ? ['-explodecollections', '-nlt', 'POLYGON'] : ['-nlt', shaping.multipart ? 'MULTIPOLYGON' : 'POLYGON'];
  await gdalStep('Shaping the polygons', () => runGdalCommand('ogr2ogr', ['-f', 'GPKG', '-nln', layer, ...pieces, '-dialect', 'SQLite', '-sql', sql, file, raw], { signal: shaping.signal }));
}

/**
 * `maxVerticesPerFeature`: a positive integer, or none. SpatiaLite cannot cut polygons into
 * fewer than 8 vertices (and loops when asked to), so polygons use at least 8, with a warning.
 */
function readMaxVertices(value: unknown, type: string, context: TaskContext): number | undefined {
  const max = readPositive('maxVerticesPerFeature', value);
  if (max === undefined) return undefined;
  if (!Number.isInteger(max)) throw new TaskError("'maxVerticesPerFeature' must be a whole number.");
  if (type === 'Point') return undefined;
  if (type === 'Polygon' && max < 8) {
    context.warning('maxVerticesPerFeature below 8 is taken as 8 for polygons.');
    return 8;
  }
  return Math.max(2, max);
}

async function writePoints(grid: Grid, file: string, layerName: string, shaping: Shaping): Promise<void> {
  const [ox, px, , oy, , py] = grid.geoTransform;
  const features: string[] = [];
  for (let row = 0; row < grid.height; row++) {
    for (let col = 0; col < grid.width; col++) {
      const i = row * grid.width + col;
      if (!grid.valid[i]) continue;
      features.push(`{"type":"Feature","properties":{"pointid":${features.length + 1},"grid_code":${grid.values[i]}},"geometry":{"type":"Point","coordinates":[${ox + (col + 0.5) * px},${oy + (row + 0.5) * py}]}}`);
    }
  }
  if (features.length === 0) throw new TaskError("'inputRaster' has no cells with data to convert.");
  const raw = await writeGeoJson(shaping.work, 'points', features);
  await toGeoPackage(raw, file, layerName, grid, [], shaping);
}

/** Joins the centres of 8-neighbouring nonzero cells of one value, then merges them into lines. */
async function lines(grid: Grid, file: string, layerName: string, shaping: Shaping): Promise<void> {
  const [ox, px, , oy, , py] = grid.geoTransform;
  const on = (c: number, r: number) => c >= 0 && r >= 0 && c < grid.width && r < grid.height && grid.valid[r * grid.width + c] === 1 && grid.values[r * grid.width + c] !== 0;
  const same = (c: number, r: number, v: number) => on(c, r) && grid.values[r * grid.width + c] === v;
  const features: string[] = [];
  for (let r = 0; r < grid.height; r++) {
    for (let c = 0; c < grid.width; c++) {
      if (!on(c, r)) continue;
      const v = grid.values[r * grid.width + c];
      for (const [dc, dr] of [[1, 0], [0, 1], [1, 1], [-1, 1]]) {
        if (!same(c + dc, r + dr, v)) continue;
        // A diagonal is only needed where no orthogonal step links the two cells already.
        if (dc !== 0 && dr !== 0 && (same(c + dc, r, v) || same(c, r + dr, v))) continue;
        const from = `[${ox + (c + 0.5) * px},${oy + (r + 0.5) * py}]`;
        const to = `[${ox + (c + dc + 0.5) * px},${oy + (r + dr + 0.5) * py}]`;
        features.push(`{"type":"Feature","properties":{"grid_code":${v}},"geometry":{"type":"LineString","coordinates":[${from},${to}]}}`);
      }
    }
  }
  if (features.length === 0) throw new TaskError("'inputRaster' has no linear cell groups to convert (nonzero cells touching cells of the same value).");
  const raw = await writeGeoJson(shaping.work, 'segments', features);
  const merged = 'ST_LineMerge(ST_Union(geometry))';
  const geometry = shaping.simplify ? `ST_SimplifyPreserveTopology(${merged}, ${cellSizeOf(grid)[0] / 2})` : merged;
  const sql = `SELECT grid_code, ${geometry} AS geom FROM segments GROUP BY grid_code`;
  if (!shaping.maxVertices) {
    await toGeoPackage(raw, file, layerName, grid, ['-nlt', 'MULTILINESTRING', ...(shaping.multipart ? [] : ['-explodecollections']), '-dialect', 'SQLite', '-sql', sql], shaping);
    return;
  }
  const mergedFile = path.join(shaping.work, 'lines.gpkg');
  await toGeoPackage(raw, mergedFile, 'lines', grid, ['-nlt', 'LINESTRING', '-explodecollections', '-dialect', 'SQLite', '-sql', sql], shaping);
  const cut = await writeGeoJson(shaping.work, 'cut-lines', await cutLines(mergedFile, shaping.maxVertices));
  await toGeoPackage(cut, file, layerName, grid, ['-nlt', 'LINESTRING'], shaping);
}

/** Lines longer than `max` vertices cut into consecutive pieces of at most `max` (sharing their ends). */
async function cutLines(file: string, max: number): Promise<string[]> {
  const dataset = await gdal.openAsync(file);
  const features: string[] = [];
  try {
    const layer = await dataset.layers.getAsync(0);
    for (let feature = await layer.features.nextAsync(); feature; feature = await layer.features.nextAsync()) {
      const code = feature.fields.get('grid_code') as number;
      const coordinates = (JSON.parse(feature.getGeometry()!.toJSON()) as { coordinates: number[][] }).coordinates;
      for (let start = 0; start < coordinates.length - 1; start += max - 1) {
        const piece = coordinates.slice(start, start + max);
        features.push(`{"type":"Feature","properties":{"grid_code":${code}},"geometry":{"type":"LineString","coordinates":${JSON.stringify(piece)}}}`);
      }
    }
  } finally {
    dataset.close();
  }
  return features;
}

/** Features as GeoJSON text (coordinates in the grid's SR, assigned when converting). */
async function writeGeoJson(work: string, name: string, features: string[]): Promise<string> {
  const file = path.join(work, `${name}.geojson`);
  await writeFile(file, `{"type":"FeatureCollection","features":[${features.join(',')}]}`);
  return file;
}

/** `ogr2ogr` into the output GeoPackage (one transaction per 20 000 rows), in the grid's SR. */
async function toGeoPackage(raw: string, file: string, layerName: string, grid: Grid, extra: string[], shaping: Shaping): Promise<void> {
  const srs = path.join(shaping.work, 'grid.wkt');
  await writeFile(srs, grid.srsWkt);
  await gdalStep('Writing the features', () =>
    runGdalCommand('ogr2ogr', ['-f', 'GPKG', '-nln', layerName, '-a_srs', srs, '-gt', '20000', ...extra, file, raw], { signal: shaping.signal }),
  );
}
