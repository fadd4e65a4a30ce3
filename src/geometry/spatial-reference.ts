import { createRequire } from 'node:module';
import type * as Gdal from 'gdal-async';
import { identifyEsriWkt } from './esri-wkt.js';
import { GeometryError } from './geometry-error.js';
import { parseJsonText } from '../json-text.js';

/**
 * An ArcGIS spatial reference as it appears on the wire. `wkid` is the id a layer was created
 * with (possibly an old Esri id such as 102100), `latestWkid` the current EPSG id.
 *
 * @example { wkid: 102100, latestWkid: 3857 }
 */
export interface SpatialReference {
  wkid?: number;
  latestWkid?: number;
  vcsWkid?: number;
  latestVcsWkid?: number;
  wkt?: string;
}

export type SpatialReferenceUnits = 'esriMeters' | 'esriFeet' | 'esriDecimalDegrees';

/** Ids clients use for Web Mercator; all mean EPSG:3857 (3785 is its deprecated EPSG twin). */
const WEB_MERCATOR_IDS = new Set([3857, 102100, 102113, 900913, 3785]);
const WEB_MERCATOR_DEFAULT_WKID = 102100;
/** Esri-specific ids start here; below it a wkid is an EPSG code. */
const FIRST_ESRI_ID = 100000;

/**
 * Reads any form clients send for `inSR`, `outSR` or a geometry's `spatialReference`: a bare
 * number, a numeric string, JSON text, or an object with `wkid`, `latestWkid` and/or `wkt`.
 * Returns undefined for an absent or blank value; throws GeometryError when malformed.
 *
 * @example parseSpatialReference('4326') // { wkid: 4326 }
 * @example parseSpatialReference('{"wkid":102100,"latestWkid":3857}')
 */
export function parseSpatialReference(input: unknown): SpatialReference | undefined {
  if (input === undefined || input === null) return undefined;
  if (typeof input === 'number') return { wkid: readWkid(input) };
  if (typeof input === 'string') return parseSpatialReferenceText(input);
  if (typeof input !== 'object' || Array.isArray(input)) throw invalid();
  return readSpatialReferenceObject(input as Record<string, unknown>);
}

function parseSpatialReferenceText(text: string): SpatialReference | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  if (/^\d+$/.test(trimmed)) return { wkid: readWkid(Number(trimmed)) };
  if (!trimmed.startsWith('{')) throw invalid();
  let parsed: unknown;
  try {
    parsed = parseJsonText(trimmed);
  } catch {
    throw invalid();
  }
  return parseSpatialReference(parsed);
}

function readSpatialReferenceObject(source: Record<string, unknown>): SpatialReference {
  const sr: SpatialReference = {};
  for (const key of ['wkid', 'latestWkid', 'vcsWkid', 'latestVcsWkid'] as const) {
    const value = source[key];
    if (value === undefined || value === null || value === '') continue;
    sr[key] = readWkid(typeof value === 'string' ? Number(value) : value);
  }
  if (typeof source.wkt === 'string' && source.wkt.trim() !== '') sr.wkt = source.wkt;
  if (sr.wkid === undefined && sr.latestWkid === undefined && sr.wkt === undefined) throw invalid();
  return sr;
}

function readWkid(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) throw invalid();
  return value;
}

function invalid(): GeometryError {
  return new GeometryError('Invalid spatial reference');
}

/**
 * The EPSG code to hand to GDAL/SpatiaLite/PostGIS: every Web Mercator alias becomes 3857; an
 * Esri-only wkid yields to its `latestWkid`; a WKT-only reference is identified with GDAL.
 *
 * @example toEpsg({ wkid: 102100, latestWkid: 3857 }) // 3857
 */
export function toEpsg(sr: SpatialReference | number | undefined): number | undefined {
  if (sr === undefined) return undefined;
  if (typeof sr === 'number') return WEB_MERCATOR_IDS.has(sr) ? 3857 : sr;
  const { wkid, latestWkid } = sr;
  if ((wkid !== undefined && WEB_MERCATOR_IDS.has(wkid)) || (latestWkid !== undefined && WEB_MERCATOR_IDS.has(latestWkid))) {
    return 3857;
  }
  if (wkid !== undefined && (wkid < FIRST_ESRI_ID || latestWkid === undefined)) return wkid;
  if (latestWkid !== undefined) return latestWkid;
  return sr.wkt === undefined ? undefined : identifyEpsgFromWkt(sr.wkt);
}

/**
 * The JSON a response carries for a spatial reference. Web Mercator always gets
 * `latestWkid: 3857` beside the wkid the layer was created with (102100 when unknown, which is what
 * ArcGIS servers emit and what older clients recognise); any other code is `{wkid}` unless the
 * layer was created with a different (Esri) id.
 *
 * @example toSpatialReferenceJson(3857, 102100) // { wkid: 102100, latestWkid: 3857 }
 * @example toSpatialReferenceJson(4326)          // { wkid: 4326 }
 */
export function toSpatialReferenceJson(epsgOrSr: number | SpatialReference, preferredWkid?: number): SpatialReference {
  if (typeof epsgOrSr !== 'number') {
    const epsg = toEpsg(epsgOrSr);
    if (epsg === undefined) return epsgOrSr.wkt === undefined ? { ...epsgOrSr } : { wkt: epsgOrSr.wkt };
    return toSpatialReferenceJson(epsg, preferredWkid ?? epsgOrSr.wkid);
  }
  const epsg = toEpsg(epsgOrSr) as number;
  if (epsg === 3857) {
    const wkid = preferredWkid !== undefined && WEB_MERCATOR_IDS.has(preferredWkid) ? preferredWkid : WEB_MERCATOR_DEFAULT_WKID;
    return { wkid, latestWkid: 3857 };
  }
  if (preferredWkid !== undefined && preferredWkid !== epsg) return { wkid: preferredWkid, latestWkid: epsg };
  return { wkid: epsg };
}

const unitsCache = new Map<number, SpatialReferenceUnits | undefined>();
const US_FOOT = 1200 / 3937;
const INTERNATIONAL_FOOT = 0.3048;

/**
 * The `units` value of service and layer JSON for an EPSG (or Esri) code, asked of GDAL and
 * cached; undefined for a code GDAL does not know.
 *
 * @example unitsOf(4326) // 'esriDecimalDegrees'
 * @example unitsOf(2263) // 'esriFeet' (NY State Plane, US survey feet)
 */
export function unitsOf(epsg: number): SpatialReferenceUnits | undefined {
  const code = toEpsg(epsg) as number;
  if (!unitsCache.has(code)) unitsCache.set(code, lookUpUnits(code));
  return unitsCache.get(code);
}

function lookUpUnits(code: number): SpatialReferenceUnits | undefined {
  const srs = createGdalSrs(code);
  if (srs === undefined) return undefined;
  if (srs.isGeographic()) return 'esriDecimalDegrees';
  const metres = srs.getLinearUnits().value;
  const isFoot = Math.abs(metres - US_FOOT) < 1e-9 || Math.abs(metres - INTERNATIONAL_FOOT) < 1e-9;
  return isFoot ? 'esriFeet' : 'esriMeters';
}

function createGdalSrs(code: number): Gdal.SpatialReference | undefined {
  const { SpatialReference: Srs } = loadGdal();
  try {
    return Srs.fromEPSG(code);
  } catch {
    try {
      return Srs.fromUserInput(`ESRI:${code}`);
    } catch {
      return undefined;
    }
  }
}

const wktCache = new Map<string, number | undefined>();
/** Clients choose the WKT they send, so the answers kept are bounded (oldest out first). */
const MAX_CACHED_WKTS = 256;

function identifyEpsgFromWkt(wkt: string): number | undefined {
  if (wktCache.has(wkt)) return wktCache.get(wkt);
  const code = lookUpEpsgFromWkt(wkt);
  if (wktCache.size >= MAX_CACHED_WKTS) wktCache.delete(wktCache.keys().next().value!);
  wktCache.set(wkt, code);
  return code;
}

function lookUpEpsgFromWkt(wkt: string): number | undefined {
  try {
    const srs = loadGdal().SpatialReference.fromUserInput(wkt);
    srs.autoIdentifyEPSG();
    const code = Number(srs.getAuthorityCode(null));
    return Number.isInteger(code) && code > 0 ? code : identifyEsriWkt(wkt, loadGdal());
  } catch {
    // Esri-flavour WKT (no AUTHORITY nodes) is what ArcGIS clients send.
    return identifyEsriWkt(wkt, loadGdal());
  }
}

// GDAL is loaded on first use so that pure geometry code does not pay for the native module.
let gdal: typeof Gdal | undefined;
function loadGdal(): typeof Gdal {
  gdal ??= createRequire(import.meta.url)('gdal-async') as typeof Gdal;
  return gdal;
}
