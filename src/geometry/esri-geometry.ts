import { GeometryError } from './geometry-error.js';
import { parseSpatialReference, type SpatialReference } from './spatial-reference.js';

export type GeometryType =
  | 'esriGeometryPoint'
  | 'esriGeometryMultipoint'
  | 'esriGeometryPolyline'
  | 'esriGeometryPolygon'
  | 'esriGeometryEnvelope';

export const GEOMETRY_TYPES: readonly GeometryType[] = [
  'esriGeometryPoint',
  'esriGeometryMultipoint',
  'esriGeometryPolyline',
  'esriGeometryPolygon',
  'esriGeometryEnvelope',
];

/**
 * `[x, y]`, `[x, y, z]`, `[x, y, m]` (hasM only) or `[x, y, z, m]`, as the geometry's (or the
 * feature set's) hasZ/hasM say. A missing m is NaN, which JSON.stringify writes as null.
 */
export type Position = number[];

interface GeometryBase {
  hasZ?: boolean;
  hasM?: boolean;
  spatialReference?: SpatialReference;
}

/** `x: null` is the empty point. */
export interface EsriPoint extends GeometryBase {
  x: number | null;
  y?: number | null;
  z?: number;
  m?: number;
}

export interface EsriMultipoint extends GeometryBase {
  points: Position[];
}

export interface EsriPolyline extends GeometryBase {
  paths: Position[][];
}

/** Rings are closed; exterior rings clockwise, holes counter-clockwise (the reverse of GeoJSON). */
export interface EsriPolygon extends GeometryBase {
  rings: Position[][];
}

/** `xmin: null` is the empty envelope. */
export interface EsriEnvelope extends GeometryBase {
  xmin: number | null;
  ymin?: number | null;
  xmax?: number | null;
  ymax?: number | null;
  zmin?: number;
  zmax?: number;
  mmin?: number;
  mmax?: number;
}

export type EsriGeometry = EsriPoint | EsriMultipoint | EsriPolyline | EsriPolygon | EsriEnvelope;

/**
 * The type a geometry's keys imply, or undefined when they imply none.
 *
 * @example geometryTypeOf({ rings: [] }) // 'esriGeometryPolygon'
 */
export function geometryTypeOf(geometry: unknown): GeometryType | undefined {
  if (typeof geometry !== 'object' || geometry === null) return undefined;
  if ('rings' in geometry) return 'esriGeometryPolygon';
  if ('paths' in geometry) return 'esriGeometryPolyline';
  if ('points' in geometry) return 'esriGeometryMultipoint';
  if ('xmin' in geometry) return 'esriGeometryEnvelope';
  if ('x' in geometry) return 'esriGeometryPoint';
  return undefined;
}

/** True for the empty point, envelope, or a geometry with no parts. */
export function isEmptyGeometry(geometry: EsriGeometry): boolean {
  if ('rings' in geometry) return geometry.rings.length === 0;
  if ('paths' in geometry) return geometry.paths.length === 0;
  if ('points' in geometry) return geometry.points.length === 0;
  if ('xmin' in geometry) return geometry.xmin === null;
  return geometry.x === null;
}

export function isGeometryType(value: unknown): value is GeometryType {
  return typeof value === 'string' && (GEOMETRY_TYPES as readonly string[]).includes(value);
}

/**
 * Checks a client geometry and returns a clean copy: numbers only (numeric strings and "NaN" are
 * read leniently), unclosed rings closed, reversed envelope bounds swapped, spatialReference
 * parsed. Throws GeometryError with a client-safe message for anything unusable.
 *
 * @example validateEsriGeometry({ rings: [[[0,0],[0,1],[1,1]]] }, 'esriGeometryPolygon')
 *          // { rings: [[[0,0],[0,1],[1,1],[0,0]]] }
 */
export function validateEsriGeometry(geometry: unknown, expectedType?: GeometryType): EsriGeometry {
  if (typeof geometry !== 'object' || geometry === null || Array.isArray(geometry)) {
    throw new GeometryError('Invalid geometry: expected a JSON object');
  }
  const source = geometry as Record<string, unknown>;
  if ('curveRings' in source || 'curvePaths' in source) {
    throw new GeometryError('Invalid geometry: true curves are not supported');
  }
  const type = geometryTypeOf(source);
  if (type === undefined) throw new GeometryError('Invalid geometry: unknown geometry shape');
  if (expectedType !== undefined && type !== expectedType) {
    throw new GeometryError(`Invalid geometry: expected ${expectedType} but got ${type}`);
  }
  const base = readBase(source);
  switch (type) {
    case 'esriGeometryPoint':
      return { ...readPoint(source), ...base };
    case 'esriGeometryMultipoint':
      return { points: readPositions(source.points, 'multipoint points'), ...base };
    case 'esriGeometryPolyline':
      return { paths: readParts(source.paths, 'polyline').map(checkPath), ...base };
    case 'esriGeometryPolygon':
      return { rings: readParts(source.rings, 'polygon').map(closeAndCheckRing), ...base };
    case 'esriGeometryEnvelope':
      return { ...readEnvelope(source), ...base };
  }
}

function readBase(source: Record<string, unknown>): GeometryBase {
  const base: GeometryBase = {};
  if (source.hasZ === true) base.hasZ = true;
  if (source.hasM === true) base.hasM = true;
  const sr = parseSpatialReference(source.spatialReference);
  if (sr !== undefined) base.spatialReference = sr;
  return base;
}

function readPoint(source: Record<string, unknown>): EsriPoint {
  const x = readOptionalNumber(source.x, 'x');
  if (x === null || Number.isNaN(x)) return { x: null };
  const y = readOptionalNumber(source.y, 'y');
  if (y === null || Number.isNaN(y)) throw new GeometryError('Invalid geometry: point has x but no y');
  const point: EsriPoint = { x, y };
  const z = readOptionalNumber(source.z, 'z');
  if (z !== null && !Number.isNaN(z)) point.z = z;
  const m = readOptionalNumber(source.m, 'm');
  if (m !== null && !Number.isNaN(m)) point.m = m;
  return point;
}

function readEnvelope(source: Record<string, unknown>): EsriEnvelope {
  const [xmin, ymin, xmax, ymax] = (['xmin', 'ymin', 'xmax', 'ymax'] as const).map((key) => readOptionalNumber(source[key], key));
  if (xmin === null || Number.isNaN(xmin)) return { xmin: null };
  if ([ymin, xmax, ymax].some((v) => v === null || Number.isNaN(v))) {
    throw new GeometryError('Invalid geometry: envelope needs xmin, ymin, xmax and ymax');
  }
  const envelope: EsriEnvelope = {
    xmin: Math.min(xmin, xmax as number),
    ymin: Math.min(ymin as number, ymax as number),
    xmax: Math.max(xmin, xmax as number),
    ymax: Math.max(ymin as number, ymax as number),
  };
  for (const key of ['zmin', 'zmax', 'mmin', 'mmax'] as const) {
    const value = readOptionalNumber(source[key], key);
    if (value !== null && !Number.isNaN(value)) envelope[key] = value;
  }
  return envelope;
}

/** A number, null for absent/null, NaN for "NaN"; throws for anything else or an infinity. */
function readOptionalNumber(value: unknown, name: string): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string' && value.trim() === 'NaN') return NaN;
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number !== 'number' || number === Infinity || number === -Infinity || (typeof value === 'string' && Number.isNaN(number))) {
    throw new GeometryError(`Invalid geometry: ${name} is not a number`);
  }
  return number;
}

function readParts(value: unknown, what: string): Position[][] {
  if (!Array.isArray(value)) throw new GeometryError(`Invalid geometry: ${what} parts must be an array`);
  return value.map((part) => readPositions(part, `${what} vertices`));
}

function readPositions(value: unknown, what: string): Position[] {
  if (!Array.isArray(value)) throw new GeometryError(`Invalid geometry: ${what} must be an array`);
  return value.map(readPosition);
}

/** Keeps up to four values; which of them are z and m is for hasZ/hasM to say. */
function readPosition(value: unknown): Position {
  if (!Array.isArray(value) || value.length < 2) {
    throw new GeometryError('Invalid geometry: a vertex must be an array of at least 2 numbers');
  }
  const position = new Array<number>(Math.min(value.length, 4));
  for (let i = 0; i < position.length; i++) {
    const n = readOptionalNumber(value[i], 'a coordinate');
    if (i < 2 && (n === null || Number.isNaN(n))) throw new GeometryError('Invalid geometry: a coordinate is not a number');
    position[i] = n === null ? NaN : n;
  }
  return position;
}

function checkPath(path: Position[]): Position[] {
  if (path.length < 2) throw new GeometryError('Invalid geometry: polyline path has fewer than 2 points');
  return path;
}

function closeAndCheckRing(ring: Position[]): Position[] {
  const first = ring[0];
  const last = ring[ring.length - 1];
  if (first !== undefined && last !== undefined && (first[0] !== last[0] || first[1] !== last[1])) {
    ring.push([...first]);
  }
  if (ring.length < 4) throw new GeometryError('Invalid geometry: polygon ring has fewer than 4 points');
  return ring;
}
