import { rangeOf } from '../../geometry/bounds-of.js';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import gdal from 'gdal-async';
import { TaskError, type TaskContext, type TaskDefinition } from '../../jobs/task.js';
import { RasterError } from '../../raster/raster-error.js';
import { runGdalCommand } from '../../raster/run-gdal-command.js';
import { toSpatialReference } from '../../raster/srs-input.js';
import { ANALYSIS_CONTEXT_PARAM, choiceParam, isGiven, outputNameParam, rasterResultParam } from './analysis-params.js';
import { defaultSearchRadius, readAreaUnit, readLinearDistance } from './density/density-settings.js';
import { startEngineJob } from './engine-job.js';
import { timeSection } from './engines/section-times.js';
import { runSaga } from './engines/run-saga.js';
import { wktAsWritten, wktNamed } from './esri-json-srs.js';
import { resolveFeatureInput } from './feature-input.js';
import { writeScaledResult } from './gdal-library.js';
import { readGridShape } from './grid-io.js';
import type { Grid } from './hydrology/grid.js';
import { rollbackAnalysis } from './output-service.js';
import { publishResultFile } from './publish-result-file.js';
import { layerPoints, type InputPoint } from './read-points.js';
import { layerFacts, withVectorLayer } from './vector-facts.js';

/**
 * CalculateDensity (raster-analysis.md §8): a kernel density surface from points, with ArcGIS's
 * quartic kernel (density = Σ 3/(π r²) · w · (1 − (d/r)²)², per output area unit). SAGA's
 * "Kernel Density Estimation" computes the sum on the output grid; its per-cell values are turned
 * into per-area ones here. Defaults as ArcGIS: radius by Silverman's rule, cell size = the
 * shorter side of the points' extent / 250.
 */
export const calculateDensity: TaskDefinition = {
  name: 'CalculateDensity',
  displayName: 'Calculate Density',
  description: 'Creates a density map from point features by spreading known quantities across the map.',
  parameters: [
    { name: 'inputPointOrLineFeatures', dataType: 'GPString', displayName: 'Input Point Features', description: 'A feature set, or {"url": <layer>, "filter": <where>}.', direction: 'input', required: true },
    outputNameParam('outputName', 'Output Name'),
    { name: 'countField', dataType: 'GPString', displayName: 'Count Field', description: 'Numeric field weighting each point (empty: each point counts 1).', direction: 'input', required: false },
    { name: 'searchDistance', dataType: 'GPString', displayName: 'Search Distance', description: '{"distance": 2, "units": "Kilometers"}', direction: 'input', required: false },
    choiceParam('outputAreaUnits', 'Output Area Units', ['SquareKilometers', 'SquareMiles'], 'SquareKilometers'),
    { name: 'outputCellSize', dataType: 'GPString', displayName: 'Output Cell Size', description: '{"distance": 100, "units": "Meters"}', direction: 'input', required: false },
    { name: 'inBarriers', dataType: 'GPString', displayName: 'Input Barriers', direction: 'input', required: false },
    ANALYSIS_CONTEXT_PARAM,
    rasterResultParam(),
  ],
  execute: runCalculateDensity,
  rollback: rollbackAnalysis,
};

async function runCalculateDensity(context: TaskContext): Promise<Record<string, unknown>> {
  const { inputs } = context;
  const area = readAreaUnit(inputs.outputAreaUnits);
  const job = await startEngineJob(context, ['outputName']);
  // Points that stay in their own SR: an inline set's `wkt` is read apart, without OGR's search
  // of PROJ's database (esri-json-srs.ts).
  const apart = !job.env.outSR && !job.env.extent?.spatialReference;
  const features = await timeSection('resolve features', () => resolveFeatureInput('inputPointOrLineFeatures', inputs.inputPointOrLineFeatures, job.deps, job.work, { wktApart: apart }));
  // One open of the features for their facts and their points (OGR parses the whole file on open).
  const { facts, srs, points } = await timeSection('read points', () =>
    withVectorLayer('inputPointOrLineFeatures', features.source, (layer) => {
      const facts = layerFacts(layer);
      if (!facts.points) throw new TaskError('CalculateDensity handles point features on this server; line features are not supported yet.');
      // context.outSR: the points are projected to it, and the surface is made there.
      const srs = projectedSrs(job.env.outSR ? toSpatialReference(job.env.outSR).toWKT() : features.wkt !== undefined ? (wktAsWritten(features.wkt)?.toWKT() ?? null) : facts.srsWkt);
      return { facts, srs, points: layerPoints('inputPointOrLineFeatures', layer, srs.toWKT()) };
    }),
  );
  const metersPerUnit = srs.getLinearUnits().value;
  const countField = readCountField(inputs.countField, points);
  if (isGiven(inputs.inBarriers)) context.warning('inBarriers is not supported by this server and was ignored.');
  const radiusMeters = readLinearDistance('searchDistance', inputs.searchDistance);
  const radius = radiusMeters === undefined ? defaultSearchRadius(points) : radiusMeters / metersPerUnit;
  const cellMeters = readLinearDistance('outputCellSize', inputs.outputCellSize) ?? (typeof job.env.cellSize === 'number' ? job.env.cellSize * metersPerUnit : undefined);
  // A `wkt` read apart: the result takes the system the server names it by (esri-json-srs.ts).
  const resultWkt = features.wkt === undefined ? srs.toWKT() : (wktNamed(features.wkt) ?? srs).toWKT();
  const grid = outputGrid(job.env.extent ? extentIn(job.env.extent, srs) : boundsOf(points, radius), cellMeters, metersPerUnit, resultWkt);
  const cell = grid.geoTransform[1]!;
  context.info(`Kernel radius ${round(radius * metersPerUnit)} m, cell size ${round(cell * metersPerUnit)} m, ${grid.width}×${grid.height} cells.`);
  const geojson = path.join(job.work, 'points.geojson');
  if (facts.singlePoints) {
    // The points are in memory, projected already: written as they are, without starting ogr2ogr.
    await writeFile(geojson, pointsGeoJson(points, countField));
  } else {
    await runGdalCommand('ogr2ogr', ['-f', 'GeoJSON', '-t_srs', srs.toWKT(), geojson, features.source], { signal: context.signal }).catch((error: unknown) => {
      if (error instanceof RasterError) throw new TaskError(`'inputPointOrLineFeatures' could not be read: ${error.message}`);
      throw error;
    });
  }
  // SAGA's own grid (`.sdat`: raw Float32), not a GeoTIFF it would LZW-encode for the next step to decode.
  const out = path.join(context.scratchDir, 'saga', 'density.sdat');
  context.progress(10, 'Kernel density (SAGA)');
  await runSaga({
    task: 'CalculateDensity',
    library: 'grid_gridding',
    tool: '6',
    options: {
      POINTS: geojson,
      ...(countField ? { POPULATION: countField } : {}),
      RADIUS: radius,
      KERNEL: 0,
      TARGET_DEFINITION: 0,
      TARGET_USER_SIZE: cell,
      // SAGA's grid system is given by its outer cell centres.
      TARGET_USER_XMIN: grid.geoTransform[0]! + cell / 2,
      TARGET_USER_XMAX: grid.geoTransform[0]! + (grid.width - 0.5) * cell,
      TARGET_USER_YMIN: grid.geoTransform[3]! - (grid.height - 0.5) * cell,
      TARGET_USER_YMAX: grid.geoTransform[3]! - cell / 2,
      TARGET_OUT_GRID: out,
    },
    scratchDir: context.scratchDir,
    signal: context.signal,
    onProgress: (fraction) => context.progress(10 + fraction * 70, 'Kernel density (SAGA)'),
  });
  const size = await readGridShape(out);
  if (size.width !== grid.width || size.height !== grid.height) throw new TaskError('CalculateDensity: SAGA returned a grid of another size.');
  // SAGA sums 3/(π r²)·w·k with r in cells: a density per cell. Per square metre, then per unit,
  // scaled as SAGA's file becomes the result (no-data cells 0), without reading it into the worker.
  const factor = area.squareMeters / (cell * metersPerUnit) ** 2;
  context.progress(85, 'Publishing');
  const outputRaster = await publishResultFile(job, 'outputName', `Density per ${area.name}`, (file) =>
    timeSection('write result grid', () => writeScaledResult(out, grid, factor, 0, 'zero', file, context.signal)),
  );
  context.progress(100, 'Done');
  return { outputRaster };
}

/** Points as a GeoJSON FeatureCollection (the count field their only property) for SAGA. */
function pointsGeoJson(points: InputPoint[], countField: string | undefined): string {
  const features = points.map((p) => JSON.stringify({ type: 'Feature', properties: countField ? { [countField]: p.attributes[countField] ?? null } : {}, geometry: { type: 'Point', coordinates: [p.x, p.y] } }));
  return `{"type":"FeatureCollection","features":[${features.join(',')}]}`;
}

function projectedSrs(wkt: string | null): gdal.SpatialReference {
  if (!wkt) throw new TaskError("'inputPointOrLineFeatures' names no spatial reference.");
  const srs = gdal.SpatialReference.fromWKT(wkt);
  if (!srs.isProjected()) throw new TaskError('CalculateDensity needs features (or context.outSR) in a projected spatial reference (distances in metres or feet).');
  return srs;
}

function readCountField(value: unknown, points: InputPoint[]): string | undefined {
  if (typeof value !== 'string' || !value.trim() || value.trim().toUpperCase() === 'NONE') return undefined;
  const field = Object.keys(points[0]?.attributes ?? {}).find((k) => k.toLowerCase() === value.trim().toLowerCase());
  if (!field) throw new TaskError(`countField '${value}' is not a field of the input features.`);
  return field;
}

type Bounds = { xmin: number; ymin: number; xmax: number; ymax: number };

/** The points' extent (a lone point gets a square of the kernel's size). */
function boundsOf(points: InputPoint[], radius: number): Bounds {
  // Not Math.min(...xs): that overflows the stack past ~120,000 points.
  let [xmin, xmax] = rangeOf(points.map((p) => p.x));
  let [ymin, ymax] = rangeOf(points.map((p) => p.y));
  if (xmax - xmin === 0 || ymax - ymin === 0) [xmin, xmax, ymin, ymax] = [xmin - radius, xmax + radius, ymin - radius, ymax + radius];
  return { xmin, ymin, xmax, ymax };
}

/** `context.extent` in the output SR (its corners transformed when it names another). */
function extentIn(extent: Bounds & { spatialReference?: unknown }, srs: gdal.SpatialReference): Bounds {
  if (!extent.spatialReference) return extent;
  const from = toSpatialReference(extent.spatialReference as Parameters<typeof toSpatialReference>[0]);
  if (from.isSame(srs)) return extent;
  const t = new gdal.CoordinateTransformation(from, srs);
  const corners = [[extent.xmin, extent.ymin], [extent.xmin, extent.ymax], [extent.xmax, extent.ymin], [extent.xmax, extent.ymax]].map(([x, y]) => t.transformPoint(x!, y!));
  return { xmin: Math.min(...corners.map((p) => p.x)), ymin: Math.min(...corners.map((p) => p.y)), xmax: Math.max(...corners.map((p) => p.x)), ymax: Math.max(...corners.map((p) => p.y)) };
}

/** The output grid over `bounds`; cell size default: the shorter side / 250, as ArcGIS. */
function outputGrid(bounds: Bounds, cellMeters: number | undefined, metersPerUnit: number, srsWkt: string): Grid {
  const { xmin, xmax, ymin, ymax } = bounds;
  const cell = cellMeters === undefined ? Math.min(xmax - xmin, ymax - ymin) / 250 : cellMeters / metersPerUnit;
  const width = Math.max(1, Math.ceil((xmax - xmin) / cell));
  const height = Math.max(1, Math.ceil((ymax - ymin) / cell));
  if (width * height > 100_000_000) throw new TaskError('The output would exceed 100 million cells: choose a larger outputCellSize.');
  return { width, height, values: new Float64Array(0), geoTransform: [xmin, cell, 0, ymax, 0, -cell], srsWkt };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
