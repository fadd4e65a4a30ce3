import { isEmptyGeometry, type EsriEnvelope, type EsriGeometry, type EsriPolygon, type Position } from './esri-geometry.js';

/** An envelope whose four bounds are numbers. */
export interface Bounds extends EsriEnvelope {
  xmin: number;
  ymin: number;
  xmax: number;
  ymax: number;
}

/**
 * The x/y extent of a geometry, or undefined when it is empty.
 *
 * @example envelopeOf({ points: [[1, 5], [3, 2]] }) // { xmin: 1, ymin: 2, xmax: 3, ymax: 5 }
 */
export function envelopeOf(geometry: EsriGeometry): Bounds | undefined {
  if (isEmptyGeometry(geometry)) return undefined;
  if ('xmin' in geometry) {
    const { xmin, ymin, xmax, ymax } = geometry as Bounds;
    return { xmin, ymin, xmax, ymax };
  }
  if ('x' in geometry) {
    const x = geometry.x as number;
    const y = geometry.y as number;
    return { xmin: x, ymin: y, xmax: x, ymax: y };
  }
  const parts = 'points' in geometry ? [geometry.points] : 'paths' in geometry ? geometry.paths : geometry.rings;
  return boundsOfParts(parts);
}

function boundsOfParts(parts: Position[][]): Bounds | undefined {
  let xmin = Infinity;
  let ymin = Infinity;
  let xmax = -Infinity;
  let ymax = -Infinity;
  for (const part of parts) {
    for (const p of part) {
      if (p[0] < xmin) xmin = p[0];
      if (p[0] > xmax) xmax = p[0];
      if (p[1] < ymin) ymin = p[1];
      if (p[1] > ymax) ymax = p[1];
    }
  }
  return xmin === Infinity ? undefined : { xmin, ymin, xmax, ymax };
}

/**
 * The smallest envelope covering both; either may be undefined (empty).
 *
 * @example unionEnvelopes(layerExtent, envelopeOf(feature.geometry))
 */
export function unionEnvelopes(a: Bounds | undefined, b: Bounds | undefined): Bounds | undefined {
  if (a === undefined) return b === undefined ? undefined : { ...b };
  if (b === undefined) return { ...a };
  return {
    xmin: Math.min(a.xmin, b.xmin),
    ymin: Math.min(a.ymin, b.ymin),
    xmax: Math.max(a.xmax, b.xmax),
    ymax: Math.max(a.ymax, b.ymax),
  };
}

/** True when the two envelopes share at least one point (touching counts). */
export function envelopesIntersect(a: Bounds, b: Bounds): boolean {
  return a.xmin <= b.xmax && b.xmin <= a.xmax && a.ymin <= b.ymax && b.ymin <= a.ymax;
}

/**
 * The envelope as an Esri polygon (one clockwise ring), keeping its spatialReference; an empty
 * envelope gives a polygon with no rings.
 */
export function envelopeToPolygon(envelope: EsriEnvelope): EsriPolygon {
  const polygon: EsriPolygon = { rings: [] };
  if (envelope.spatialReference !== undefined) polygon.spatialReference = envelope.spatialReference;
  if (envelope.xmin === null) return polygon;
  const { xmin, ymin, xmax, ymax } = envelope as Bounds;
  polygon.rings.push([
    [xmin, ymin],
    [xmin, ymax],
    [xmax, ymax],
    [xmax, ymin],
    [xmin, ymin],
  ]);
  return polygon;
}
