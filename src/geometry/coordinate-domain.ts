import type { EsriGeometry } from './esri-geometry.js';
import { GeometryError } from './geometry-error.js';

/**
 * Largest coordinate magnitude stored: ±400 in geographic spatial references (ArcGIS's own XY
 * domain starts at -400 there), 2^53 elsewhere. Beyond that a value is a mistake or an attack:
 * 1e39 overflows the 32-bit floats of the spatial index and the layer's extent becomes null.
 */
export function coordinateLimit(srid: number): number {
  return isGeographicEpsg(srid) ? 400 : 2 ** 53;
}

/** EPSG geographic 2D/3D codes live in 4000–4999 (4326, 4269, 4258, 4979…). */
function isGeographicEpsg(srid: number): boolean {
  return srid >= 4000 && srid < 5000;
}

/** Throws a GeometryError when a coordinate is not finite or lies outside the SR's domain. */
export function checkCoordinateDomain(geometry: EsriGeometry, srid: number): void {
  const limit = coordinateLimit(srid);
  const check = (value: number | null | undefined, axis: 'xy' | 'zm') => {
    if (value === null || value === undefined) return;
    if (!Number.isFinite(value) && !(axis === 'zm' && Number.isNaN(value))) {
      throw new GeometryError('Invalid geometry: coordinates must be finite numbers');
    }
    if (axis === 'xy' && Math.abs(value) > limit) {
      throw new GeometryError(`Invalid geometry: a coordinate lies outside the spatial reference's domain (±${limit})`);
    }
  };
  const g = geometry as unknown as Record<string, unknown>;
  for (const key of ['x', 'y', 'xmin', 'ymin', 'xmax', 'ymax']) check(g[key] as number | undefined, 'xy');
  for (const key of ['z', 'm', 'zmin', 'zmax', 'mmin', 'mmax']) check(g[key] as number | undefined, 'zm');
  const parts = 'points' in geometry ? [geometry.points] : 'paths' in geometry ? geometry.paths : 'rings' in geometry ? geometry.rings : [];
  for (const part of parts) {
    for (const position of part) {
      check(position[0], 'xy');
      check(position[1], 'xy');
      for (let i = 2; i < position.length; i++) check(position[i], 'zm');
    }
  }
}

/** True when the client sent a point whose x was given but not a number (`"x": "NaN"`). */
export function isNotANumberPoint(raw: unknown): boolean {
  if (typeof raw !== 'object' || raw === null || !('x' in raw)) return false;
  const x = (raw as { x: unknown }).x;
  return x !== null && x !== undefined && !Number.isFinite(Number(x));
}
