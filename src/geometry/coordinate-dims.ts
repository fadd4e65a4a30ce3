import type { EsriGeometry, Position } from './esri-geometry.js';

/** Which extra ordinates a coordinate array carries after x and y. */
export interface Dims {
  hasZ: boolean;
  hasM: boolean;
}

/**
 * How to read a geometry's coordinate arrays: its own hasZ/hasM if it has either, else the
 * feature set's (`fallback`) if that has either, else what the first vertex holds (3 values = z,
 * 4 = z and m). A flag absent beside a present one means false.
 *
 * @example inputDimsOf({ paths: [[[0, 0, 5]]] })              // { hasZ: true, hasM: false }
 * @example inputDimsOf({ hasM: true, paths: [[[0, 0, 5]]] })  // { hasZ: false, hasM: true }
 */
export function inputDimsOf(geometry: EsriGeometry, fallback: Partial<Dims> = {}): Dims {
  for (const flags of [geometry, fallback]) {
    if (flags.hasZ !== undefined || flags.hasM !== undefined) return { hasZ: flags.hasZ === true, hasM: flags.hasM === true };
  }
  const [hasZ, hasM] = inferDims(geometry);
  return { hasZ, hasM };
}

function inferDims(geometry: EsriGeometry): [boolean, boolean] {
  if ('x' in geometry) return [geometry.z !== undefined, geometry.m !== undefined];
  if ('xmin' in geometry) return [geometry.zmin !== undefined, geometry.mmin !== undefined];
  const first = firstPosition(geometry);
  return [first !== undefined && first.length >= 3, first !== undefined && first.length >= 4];
}

function firstPosition(geometry: EsriGeometry): Position | undefined {
  if ('points' in geometry) return geometry.points[0];
  if ('paths' in geometry) return geometry.paths[0]?.[0];
  if ('rings' in geometry) return geometry.rings[0]?.[0];
  return undefined;
}

/** The z of a vertex, 0 when the input has none. */
export function zOf(position: Position, input: Dims): number {
  return input.hasZ ? (position[2] ?? 0) : 0;
}

/** The m of a vertex, NaN (no value) when the input has none. */
export function mOf(position: Position, input: Dims): number {
  return input.hasM ? (position[input.hasZ ? 3 : 2] ?? NaN) : NaN;
}

/** Rewrites a vertex from the input layout to the output layout. */
export function convertPosition(position: Position, input: Dims, output: Dims): Position {
  const out: Position = [position[0], position[1]];
  if (output.hasZ) out.push(zOf(position, input));
  if (output.hasM) out.push(mOf(position, input));
  return out;
}
