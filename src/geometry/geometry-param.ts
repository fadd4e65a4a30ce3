import { geometryTypeOf, isGeometryType, validateEsriGeometry, type EsriGeometry, type GeometryType } from './esri-geometry.js';
import { GeometryError } from './geometry-error.js';
import type { SpatialReference } from './spatial-reference.js';
import { parseJsonText } from '../json-text.js';

/** A decoded `geometry` request parameter; the spatialReference is the one it carried, if any. */
export interface GeometryParam {
  geometry: EsriGeometry;
  geometryType: GeometryType;
  spatialReference?: SpatialReference;
}

/**
 * Decodes the `geometry` + `geometryType` parameters of query, deleteFeatures and friends. Takes
 * JSON text or an already-parsed object (with an optional `spatialReference` inside, moved out
 * to the result), or the simple syntax `x,y` (point) / `xmin,ymin,xmax,ymax` (envelope), whose
 * number count decides the type. `geometryType` defaults to the type the JSON's keys imply
 * (esriGeometryEnvelope when they imply none). Returns undefined when no geometry was sent;
 * throws GeometryError with a client-safe message otherwise.
 *
 * @example parseGeometryParam('-118.2,33.8') // { geometry: { x: -118.2, y: 33.8 }, geometryType: 'esriGeometryPoint' }
 * @example parseGeometryParam('{"rings":[...],"spatialReference":{"wkid":4326}}', 'esriGeometryPolygon')
 */
export function parseGeometryParam(geometry: unknown, geometryType?: unknown): GeometryParam | undefined {
  const explicitType = readGeometryType(geometryType);
  if (geometry === undefined || geometry === null) return undefined;
  if (typeof geometry === 'string') {
    const text = geometry.trim();
    if (text === '') return undefined;
    if (!text.startsWith('{')) return parseSimpleSyntax(text);
    return fromObject(parseJson(text), explicitType);
  }
  return fromObject(geometry, explicitType);
}

function readGeometryType(value: unknown): GeometryType | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (!isGeometryType(value)) throw new GeometryError(`Invalid geometryType: ${String(value)}`);
  return value;
}

function parseJson(text: string): unknown {
  try {
    return parseJsonText(text);
  } catch {
    throw new GeometryError("Invalid geometry: 'geometry' is not valid JSON");
  }
}

function fromObject(value: unknown, explicitType: GeometryType | undefined): GeometryParam {
  const geometryType = explicitType ?? geometryTypeOf(value) ?? 'esriGeometryEnvelope';
  const { spatialReference, ...geometry } = validateEsriGeometry(value, geometryType);
  return spatialReference === undefined ? { geometry, geometryType } : { geometry, geometryType, spatialReference };
}

function parseSimpleSyntax(text: string): GeometryParam {
  const numbers = text.split(',').map((part) => (part.trim() === '' ? NaN : Number(part)));
  if (numbers.some((n) => !Number.isFinite(n))) {
    throw new GeometryError("Invalid geometry: expected 'x,y' or 'xmin,ymin,xmax,ymax'");
  }
  if (numbers.length === 2) {
    const [x, y] = numbers;
    return { geometry: { x, y }, geometryType: 'esriGeometryPoint' };
  }
  if (numbers.length === 4) {
    const geometry = validateEsriGeometry({ xmin: numbers[0], ymin: numbers[1], xmax: numbers[2], ymax: numbers[3] });
    return { geometry, geometryType: 'esriGeometryEnvelope' };
  }
  throw new GeometryError("Invalid geometry: expected 'x,y' or 'xmin,ymin,xmax,ymax'");
}
