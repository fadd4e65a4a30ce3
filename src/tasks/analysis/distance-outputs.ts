import path from 'node:path';
import gdal from 'gdal-async';
import { createPointTransformer } from '../../raster/point-transformer.js';
import { runGdalCommand } from '../../raster/run-gdal-command.js';
import type { AnalysisDeps } from './analysis-task.js';
import { gdalStep } from './analysis-task.js';
import { distanceAroundBarriers } from './barrier-distance.js';
import { resolveFeatureInput } from './feature-input.js';
import { geodesicDistance } from './geodesic.js';
import { cellSizeOf, readGrid, writeGrid, type Grid } from './grid-io.js';
import { directionTo, nearestSources } from './nearest-source.js';
import { resolveRasterInput } from './raster-input.js';
import { isFeatureInput } from './source-input.js';
import { readVectorFacts } from './vector-facts.js';

/**
 * Barrier cells on the sources' grid: the cells with data of a barrier raster (warped onto the
 * grid, nearest), or every cell barrier features touch (`gdal_rasterize -at`, so a thin line
 * leaves no diagonal gap; features in another reference are projected by GDAL).
 */
export async function barrierCells(param: string, value: unknown, grid: Grid, options: { deps: AnalysisDeps; work: string; signal: AbortSignal }): Promise<Uint8Array> {
  const { deps, work, signal } = options;
  const [x0, , , y0] = grid.geoTransform;
  const x1 = x0 + grid.geoTransform[1] * grid.width;
  const y1 = y0 + grid.geoTransform[5] * grid.height;
  const file = path.join(work, 'barriers.tif');
  if (await isFeatureInput(param, value, deps)) {
    const features = await resolveFeatureInput(param, value, deps, work);
    const facts = await readVectorFacts(param, features);
    await writeGrid(file, grid, [new Uint8Array(grid.width * grid.height)], 'Byte');
    await gdalStep(`Rasterizing '${param}'`, () => runGdalCommand('gdal_rasterize', ['-q', '-at', '-burn', '1', '-l', facts.layerName, features.source, file], { signal }));
    const burnt = await readGrid(file);
    const barriers = new Uint8Array(burnt.values.length);
    for (let i = 0; i < barriers.length; i++) barriers[i] = burnt.values[i] === 1 ? 1 : 0;
    return barriers;
  }
  const raster = await resolveRasterInput(param, value, deps, work, signal);
  const args = ['-q', '-of', 'VRT', '-overwrite', '-r', 'near', '-te', String(Math.min(x0, x1)), String(Math.min(y0, y1)), String(Math.max(x0, x1)), String(Math.max(y0, y1)), '-ts', String(grid.width), String(grid.height)];
  if (grid.srsWkt) args.push('-t_srs', grid.srsWkt);
  const onGrid = path.join(work, 'barriers.vrt');
  await gdalStep(`Reading '${param}'`, () => runGdalCommand('gdalwarp', [...args, raster.source, onGrid], { signal }));
  return (await readGrid(onGrid)).valid;
}

/**
 * Distance (and direction, allocation, back direction) computed here rather than by
 * gdal_proximity: around barriers, and/or geodesic. Barrier cells and cells no path reaches are
 * NoData. Direction points to the source reached; back direction to the next corner on the way.
 */
export async function writeComputedOutputs(grid: Grid, how: { barriers?: Uint8Array; geodesic: boolean; maxDistance?: number }, wanted: string[], work: string): Promise<Record<string, string>> {
  const [cx, cy] = cellSizeOf(grid);
  const n = grid.width * grid.height;
  let distance: Float64Array;
  let source: Int32Array;
  let anchor: Int32Array;
  if (how.barriers) {
    ({ distance, source, anchor } = distanceAroundBarriers(grid.valid, how.barriers, grid.width, grid.height, cx, cy));
  } else {
    const nearest = nearestSources(grid.valid, grid.width, grid.height, cx, cy);
    source = nearest.nearest;
    anchor = nearest.nearest;
    distance = nearest.distance2.map(Math.sqrt);
  }
  if (how.geodesic) distance = geodesicAlongAnchors(grid, distance, anchor);
  const limit = how.maxDistance ?? Number.POSITIVE_INFINITY;
  const reach = new Uint8Array(n);
  for (let i = 0; i < n; i++) reach[i] = source[i] >= 0 && distance[i] <= limit ? 1 : 0;
  const files: Record<string, string> = { outputDistanceRaster: path.join(work, 'distance.tif') };
  await writeGrid(files.outputDistanceRaster, grid, [distance], 'Float32', reach);
  if (wanted.includes('outputAllocationRaster')) {
    const allocation = new Float64Array(n);
    let integers = true;
    for (let i = 0; i < n; i++) {
      allocation[i] = reach[i] ? grid.values[source[i]] : 0;
      if (!Number.isInteger(allocation[i])) integers = false;
    }
    files.outputAllocationRaster = path.join(work, 'allocation.tif');
    await writeGrid(files.outputAllocationRaster, grid, [allocation], integers ? 'Int32' : 'Float32', reach);
  }
  const towards = (targets: Int32Array) => {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) if (reach[i]) out[i] = directionTo(i, targets[i], grid.width, cx, cy);
    return out;
  };
  if (wanted.includes('outputDirectionRaster')) {
    files.outputDirectionRaster = path.join(work, 'direction.tif');
    await writeGrid(files.outputDirectionRaster, grid, [towards(source)], 'Float32', reach);
  }
  if (wanted.includes('outputBackDirectionRaster')) {
    files.outputBackDirectionRaster = path.join(work, 'back-direction.tif');
    await writeGrid(files.outputBackDirectionRaster, grid, [towards(anchor)], 'Float32', reach);
  }
  return files;
}

/**
 * Geodesic length of each cell's path: cell → anchor → … → source, each leg measured on the
 * ellipsoid of the grid's geographic reference between cell centres.
 */
function geodesicAlongAnchors(grid: Grid, planar: Float64Array, anchor: Int32Array): Float64Array {
  const srs = grid.srsWkt ? gdal.SpatialReference.fromWKT(grid.srsWkt) : gdal.SpatialReference.fromEPSG(4326);
  const geographic = srs.cloneGeogCS();
  const a = Number(geographic.getAttrValue('SPHEROID', 1));
  const inverseFlattening = Number(geographic.getAttrValue('SPHEROID', 2));
  const f = inverseFlattening > 0 ? 1 / inverseFlattening : 0;
  const toLonLat = createPointTransformer(srs, geographic);
  const [ox, px, rx, oy, ry, py] = grid.geoTransform;
  const lonLat = (i: number): [number, number] => {
    const col = (i % grid.width) + 0.5;
    const row = Math.floor(i / grid.width) + 0.5;
    return toLonLat(ox + col * px + row * rx, oy + col * ry + row * py) ?? [Number.NaN, Number.NaN];
  };
  const n = planar.length;
  const out = new Float64Array(n).fill(Number.NaN);
  const stack: number[] = [];
  for (let i = 0; i < n; i++) {
    if (!Number.isNaN(out[i]) || anchor[i] < 0 || !Number.isFinite(planar[i])) continue;
    // Walk back to a cell already measured (or the source), then measure forward.
    for (let j = i; Number.isNaN(out[j]); j = anchor[j]) {
      if (anchor[j] === j) {
        out[j] = 0;
        break;
      }
      stack.push(j);
    }
    while (stack.length > 0) {
      const j = stack.pop()!;
      const [lon1, lat1] = lonLat(j);
      const [lon2, lat2] = lonLat(anchor[j]);
      out[j] = out[anchor[j]] + geodesicDistance(lon1, lat1, lon2, lat2, a, f);
    }
  }
  for (let i = 0; i < n; i++) if (Number.isNaN(out[i])) out[i] = Number.POSITIVE_INFINITY;
  return out;
}
