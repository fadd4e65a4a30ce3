import gdal from 'gdal-async';
import { toEpsg, toSpatialReferenceJson, type SpatialReference } from '../../geometry/spatial-reference.js';
import { ApiError } from '../../errors.js';
import { createPointTransformer, type PointTransformer } from '../../raster/point-transformer.js';
import { toSpatialReference } from '../../raster/srs-input.js';
import { transformBoundsWith, type Bounds } from '../../raster/transform-bounds.js';

/** A spatial reference ready for rendering: GDAL's object, the `-t_srs` text and the wire JSON. */
export interface ResolvedSrs {
  /** `EPSG:3857`, or WKT for references without a code; also the cache key. */
  text: string;
  epsg: number | null;
  json: SpatialReference;
  gdal: gdal.SpatialReference;
}

// Building a GDAL SpatialReference reads proj.db: do it once per reference and per pair.
const MAX_CACHED = 256;
const resolved = new Map<string, ResolvedSrs>();
const transformers = new Map<string, PointTransformer>();

/**
 * Resolves a client SR (`{wkid}`, `{wkt}`; 102100 ≡ 3857) or a collection's (`{srsWkt, epsg}`).
 * An SR GDAL does not know is a 400 naming `parameter`.
 *
 * @example resolveSrs({ wkid: 102100 }, 'imageSR').text // 'EPSG:3857'
 */
export function resolveSrs(sr: SpatialReference | { srsWkt: string; epsg: number | null }, parameter = 'spatialReference'): ResolvedSrs {
  const epsg = 'srsWkt' in sr ? sr.epsg : (toEpsg(sr) ?? null);
  const wkt = 'srsWkt' in sr ? sr.srsWkt : sr.wkt;
  const text = epsg !== null ? `EPSG:${epsg}` : (wkt ?? '');
  let entry = resolved.get(text);
  if (!entry) {
    let srs: gdal.SpatialReference;
    try {
      srs = toSpatialReference(epsg ?? { wkt });
    } catch {
      throw ApiError.invalidParameter(`'${parameter}' parameter is invalid: unknown spatial reference`);
    }
    if (resolved.size >= MAX_CACHED) resolved.clear();
    entry = { text, epsg, json: epsg !== null ? toSpatialReferenceJson(epsg) : { wkt: wkt ?? '' }, gdal: srs };
    resolved.set(text, entry);
  }
  if ('srsWkt' in sr || sr.wkid === undefined || entry.epsg === null) return entry;
  // Echo the wkid the client used (102100 stays 102100).
  return { ...entry, json: toSpatialReferenceJson(entry.epsg, sr.wkid) };
}

export function isSameSrs(a: ResolvedSrs, b: ResolvedSrs): boolean {
  return a.text === b.text || (a.epsg === null && b.epsg === null && a.gdal.isSame(b.gdal));
}

/** Bounds moved between references (edges densified); the same object when nothing changes. */
export function moveBounds(bounds: Bounds, from: ResolvedSrs, to: ResolvedSrs): Bounds {
  if (isSameSrs(from, to)) return bounds;
  return transformBoundsWith(bounds, pointTransformer(from, to));
}

/** A cached x/y transformer between two references (x = easting/longitude on both sides). */
export function pointTransformer(from: ResolvedSrs, to: ResolvedSrs): PointTransformer {
  if (isSameSrs(from, to)) return (x, y) => [x, y];
  const key = `${from.text}\u0000${to.text}`;
  let transform = transformers.get(key);
  if (!transform) {
    if (transformers.size >= MAX_CACHED) transformers.clear();
    transform = createPointTransformer(from.gdal, to.gdal);
    transformers.set(key, transform);
  }
  return transform;
}
