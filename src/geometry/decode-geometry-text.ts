import { jsonTooDeep, MAX_JSON_DEPTH } from '../json-depth.js';
import { GeometryError } from './geometry-error.js';
import { parseGeometryParam } from './geometry-param.js';
import type { GeometryType } from './esri-geometry.js';
import type { SpatialReference } from './spatial-reference.js';
import { esriToWkb } from './wkb.js';

/** A `geometry` parameter already in the stores' form: 2-D WKB (null when empty) and what it said of itself. */
export interface EncodedGeometryParam {
  wkb: Uint8Array | null;
  geometryType: GeometryType;
  spatialReference?: SpatialReference;
}

/**
 * Decodes, validates and encodes a `geometry` parameter's text in one go (parseGeometryParam, then
 * esriToWkb), so a large one can be handled away from the event loop without its parsed arrays
 * ever crossing back. Throws GeometryError.
 */
export function decodeGeometryText(text: string, geometryType?: unknown): EncodedGeometryParam | undefined {
  if (jsonTooDeep(text)) throw new GeometryError(`Invalid geometry: JSON nested deeper than ${MAX_JSON_DEPTH} levels`);
  const param = parseGeometryParam(text, geometryType);
  if (!param) return undefined;
  const wkb = esriToWkb(param.geometry, { hasZ: false, hasM: false });
  const encoded: EncodedGeometryParam = { wkb: wkb ? new Uint8Array(wkb.buffer, wkb.byteOffset, wkb.byteLength) : null, geometryType: param.geometryType };
  if (param.spatialReference) encoded.spatialReference = param.spatialReference;
  return encoded;
}
