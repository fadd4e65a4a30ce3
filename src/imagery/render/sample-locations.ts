import type { EsriGeometry, Position } from '../../geometry/esri-geometry.js';
import { ApiError } from '../../errors.js';
import { isInsideRings, signedArea } from '../../geometry/rings.js';

export interface SamplingOptions {
  /** Spacing along lines, or of the grid inside areas, in the geometry's units. */
  sampleDistance?: number;
  /** How many samples along lines or inside areas (default 100 inside areas, 100 along lines). */
  sampleCount?: number;
  /** Most locations allowed; more explicit points are a 400, generated ones are capped. */
  maxCount: number;
}

const DEFAULT_COUNT = 100;

/**
 * Where getSamples reads (ArcGIS Get Samples): the point itself, each point of a multipoint,
 * evenly spaced points along polylines (every `sampleDistance`, or `sampleCount` in all, ends
 * included), and the centres of a square grid inside polygons and envelopes (spacing
 * `sampleDistance`, or chosen to give about `sampleCount` points).
 *
 * @example sampleLocations({ paths: [[[0, 0], [10, 0]]] }, { sampleCount: 3, maxCount: 1000 }) // [[0,0],[5,0],[10,0]]
 */
export function sampleLocations(geometry: EsriGeometry, options: SamplingOptions): Array<[number, number]> {
  if ('x' in geometry) return geometry.x === null || geometry.y === undefined || geometry.y === null ? [] : [[geometry.x, geometry.y]];
  if ('points' in geometry) {
    if (geometry.points.length > options.maxCount) throw ApiError.invalidParameter(`'geometry' parameter is invalid: at most ${options.maxCount} points`);
    return geometry.points.map((p) => [p[0], p[1]]);
  }
  if ('paths' in geometry) return alongPaths(geometry.paths, options);
  const rings = 'rings' in geometry ? geometry.rings : envelopeRing(geometry);
  return insideRings(rings, options);
}

function envelopeRing(envelope: EsriGeometry): Position[][] {
  const { xmin, ymin, xmax, ymax } = envelope as { xmin: number; ymin: number; xmax: number; ymax: number };
  if ([xmin, ymin, xmax, ymax].some((v) => typeof v !== 'number')) return [];
  return [[[xmin, ymin], [xmin, ymax], [xmax, ymax], [xmax, ymin], [xmin, ymin]]];
}

function alongPaths(paths: Position[][], options: SamplingOptions): Array<[number, number]> {
  const lengths = paths.map(pathLength);
  const total = lengths.reduce((a, b) => a + b, 0);
  const count = Math.min(options.maxCount, options.sampleDistance ? Math.floor(total / options.sampleDistance) + 1 : (options.sampleCount ?? DEFAULT_COUNT));
  if (total === 0 || count <= 1) return paths[0]?.[0] ? [[paths[0][0][0], paths[0][0][1]]] : [];
  const step = options.sampleDistance ?? total / (count - 1);
  const out: Array<[number, number]> = [];
  for (let k = 0; k < count; k++) out.push(pointAt(paths, Math.min(total, k * step)));
  return out;
}

function pathLength(path: Position[]): number {
  let length = 0;
  for (let i = 1; i < path.length; i++) length += Math.hypot(path[i][0] - path[i - 1][0], path[i][1] - path[i - 1][1]);
  return length;
}

/** The point `distance` along the paths taken one after the other. */
function pointAt(paths: Position[][], distance: number): [number, number] {
  let left = distance;
  let last: Position = paths[0][0];
  for (const path of paths) {
    for (let i = 1; i < path.length; i++) {
      const [x0, y0] = path[i - 1];
      const [x1, y1] = path[i];
      const segment = Math.hypot(x1 - x0, y1 - y0);
      if (left <= segment && segment > 0) return [x0 + ((x1 - x0) * left) / segment, y0 + ((y1 - y0) * left) / segment];
      left -= segment;
      last = path[i];
    }
  }
  return [last[0], last[1]];
}

function insideRings(rings: Position[][], options: SamplingOptions): Array<[number, number]> {
  const all = rings.flat();
  if (all.length === 0) return [];
  const xs = all.map((p) => p[0]);
  const ys = all.map((p) => p[1]);
  const [xmin, xmax, ymin, ymax] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const area = Math.abs(rings.reduce((sum, ring) => sum + signedArea(ring), 0)) / 2 || (xmax - xmin) * (ymax - ymin);
  const wanted = Math.min(options.maxCount, options.sampleCount ?? DEFAULT_COUNT);
  let step = options.sampleDistance ?? Math.sqrt(area / wanted);
  if (!(step > 0)) return [[(xmin + xmax) / 2, (ymin + ymax) / 2]];
  // Never more cells than the cap, whatever sampleDistance asks.
  step = Math.max(step, Math.sqrt(((xmax - xmin) * (ymax - ymin)) / options.maxCount));
  const out: Array<[number, number]> = [];
  for (let y = ymax - step / 2; y > ymin; y -= step) {
    for (let x = xmin + step / 2; x < xmax; x += step) if (isInsideRings(x, y, rings) && out.length < options.maxCount) out.push([x, y]);
  }
  return out.length > 0 ? out : [[(xmin + xmax) / 2, (ymin + ymax) / 2]];
}
