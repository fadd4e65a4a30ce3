import gdal from 'gdal-async';
import { RasterError } from './raster-error.js';

/**
 * A spatial reference as callers give it: an EPSG/ESRI code, text GDAL understands
 * (`EPSG:32633`, WKT, PROJ string), or an ArcGIS spatial reference object.
 */
export type SrsInput = number | string | { wkid?: number; latestWkid?: number; wkt?: string };

// Web Mercator has had several codes; 102100 is what ArcGIS clients send most.
const WEB_MERCATOR_ALIASES = new Set([102100, 102113, 900913, 3785]);

/**
 * Turns an SR input into text accepted by GDAL's `-t_srs` and `SpatialReference.fromUserInput`.
 * Codes above 100000 are Esri's own (`ESRI:102003`); PROJ knows most of them.
 */
export function toSrsText(input: SrsInput): string {
  if (typeof input === 'number') return codeToText(input);
  if (typeof input === 'string') {
    const trimmed = input.trim();
    return /^\d+$/.test(trimmed) ? codeToText(Number(trimmed)) : trimmed;
  }
  const code = input.latestWkid ?? input.wkid;
  if (code !== undefined) return codeToText(code);
  if (input.wkt) return input.wkt;
  throw new RasterError('RASTER_INVALID_SRS', 'Spatial reference has neither wkid nor wkt');
}

function codeToText(code: number): string {
  if (!Number.isInteger(code) || code <= 0) throw new RasterError('RASTER_INVALID_SRS', `Invalid spatial reference code ${code}`);
  if (WEB_MERCATOR_ALIASES.has(code)) return 'EPSG:3857';
  return code >= 100000 ? `ESRI:${code}` : `EPSG:${code}`;
}

/** Builds a GDAL SpatialReference; throws RasterError when GDAL does not know it. */
export function toSpatialReference(input: SrsInput): gdal.SpatialReference {
  const text = toSrsText(input);
  try {
    return gdal.SpatialReference.fromUserInput(text);
  } catch (cause) {
    const shown = text.length > 60 ? `${text.slice(0, 60)}…` : text;
    throw new RasterError('RASTER_INVALID_SRS', `Unknown spatial reference: ${shown}`, { cause });
  }
}

/** The EPSG code of a spatial reference, identifying it from its definition when not tagged. */
export function findEpsgCode(srs: gdal.SpatialReference): number | null {
  const tagged = srs.getAuthorityName(null) === 'EPSG' ? srs.getAuthorityCode(null) : null;
  if (tagged) return Number(tagged);
  try {
    const probe = srs.clone();
    probe.autoIdentifyEPSG();
    const code = probe.getAuthorityName(null) === 'EPSG' ? probe.getAuthorityCode(null) : null;
    return code ? Number(code) : null;
  } catch {
    return null;
  }
}
