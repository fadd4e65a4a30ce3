import type gdal from 'gdal-async';
import { createPointTransformer, type PointTransformer } from './point-transformer.js';
import { RasterError } from './raster-error.js';

export interface Bounds {
  xmin: number;
  ymin: number;
  xmax: number;
  ymax: number;
}

export type Ring = [number, number][];

/**
 * Adds `pointsPerEdge - 1` evenly spaced vertices on every edge of a closed ring, so that a
 * straight edge stays close to its true curved shape once projected.
 */
export function densifyRing(ring: Ring, pointsPerEdge: number): Ring {
  const out: Ring = [];
  const steps = Math.max(1, Math.floor(pointsPerEdge));
  for (let i = 0; i < ring.length - 1; i++) {
    const [x0, y0] = ring[i];
    const [x1, y1] = ring[i + 1];
    for (let s = 0; s < steps; s++) out.push([x0 + ((x1 - x0) * s) / steps, y0 + ((y1 - y0) * s) / steps]);
  }
  out.push(ring[ring.length - 1]);
  return out;
}

/** The closed ring (clockwise, y up) of a bounding box. */
export function boundsToRing(b: Bounds): Ring {
  return [
    [b.xmin, b.ymin],
    [b.xmin, b.ymax],
    [b.xmax, b.ymax],
    [b.xmax, b.ymin],
    [b.xmin, b.ymin],
  ];
}

/** The bounding box of a set of points. */
export function ringBounds(points: Ring): Bounds {
  const b = { xmin: Infinity, ymin: Infinity, xmax: -Infinity, ymax: -Infinity };
  for (const [x, y] of points) {
    b.xmin = Math.min(b.xmin, x);
    b.ymin = Math.min(b.ymin, y);
    b.xmax = Math.max(b.xmax, x);
    b.ymax = Math.max(b.ymax, y);
  }
  return b;
}

/**
 * Bounds of `bounds` once transformed from `src` to `dst`: densifies the edges and transforms the
 * points (what GDAL's OCTTransformBounds does; gdal-async lacks it). Points that fail to transform
 * are skipped. Boxes crossing the antimeridian in `dst` come out as the full longitude span.
 */
export function transformBounds(bounds: Bounds, src: gdal.SpatialReference, dst: gdal.SpatialReference, pointsPerEdge = 21): Bounds {
  return transformBoundsWith(bounds, createPointTransformer(src, dst), pointsPerEdge);
}

/** The same with a transformer already built (building one costs more than using it). */
export function transformBoundsWith(bounds: Bounds, transform: PointTransformer, pointsPerEdge = 21): Bounds {
  const projected: Ring = [];
  for (const [x, y] of densifyRing(boundsToRing(bounds), pointsPerEdge)) {
    const p = transform(x, y);
    if (p) projected.push(p);
  }
  if (projected.length === 0) throw new RasterError('RASTER_TRANSFORM_FAILED', 'The extent cannot be transformed to the target spatial reference');
  return ringBounds(projected);
}
