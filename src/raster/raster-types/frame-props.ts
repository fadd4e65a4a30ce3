import { RasterTypeError } from '../raster-error.js';
import { getNumberProp, getProp, type RasterTypeProps } from './ingest-item.js';
import { parseJsonText } from '../../json-text.js';

/** One row of the `gps` parameter: [imageName, latitude, longitude, altitude?]. */
export interface GpsRow {
  name: string;
  latitude: number;
  longitude: number;
  altitude: number | null;
  /** Position in the list: the flight order. */
  order: number;
}

/** `cameraProperties`, normalised; lengths in millimetres. */
export interface CameraProps {
  maker?: string;
  model?: string;
  focalLengthMm?: number;
  pixelSizeMm?: number;
  principalPointMm?: { x: number; y: number };
  columns?: number;
  rows?: number;
}

/**
 * Parses the `gps` rows (values may be text or numbers, altitude may be absent) into a lookup by
 * image name; both `IMG_1.JPG` and `img_1` find the row.
 */
export function parseGpsRows(value: unknown): Map<string, GpsRow> {
  const rows = typeof value === 'string' ? safeJson(value) : value;
  const out = new Map<string, GpsRow>();
  if (rows === undefined || rows === null) return out;
  if (!Array.isArray(rows)) throw new RasterTypeError('gps must be a list of [imageName, latitude, longitude, altitude] rows');
  rows.forEach((row, order) => {
    if (!Array.isArray(row) || row.length < 3) throw new RasterTypeError(`gps row ${order + 1} must be [imageName, latitude, longitude, altitude]`);
    const [name, lat, lon, alt] = row as unknown[];
    const latitude = Number(lat);
    const longitude = Number(lon);
    const altitude = alt === undefined || alt === null || alt === '' ? null : Number(alt);
    if (!(Math.abs(latitude) <= 90) || !(Math.abs(longitude) <= 180) || (altitude !== null && !Number.isFinite(altitude))) {
      throw new RasterTypeError(`gps row ${order + 1} (${String(name)}) has an invalid latitude, longitude or altitude`);
    }
    const entry = { name: String(name), latitude, longitude, altitude, order };
    out.set(entry.name.toLowerCase(), entry);
    out.set(entry.name.toLowerCase().replace(/\.[^.]+$/, ''), entry);
  });
  return out;
}

/**
 * Parses `cameraProperties` (keys in any case). PixelSize is in microns as in the documented
 * example (10 = 10 µm); values below 0.1 can only be millimetres (no sensor has 0.1 µm pixels)
 * and are taken as such. FocalLength and the principal point (x0, y0) are in millimetres.
 */
export function parseCameraProperties(value: unknown): CameraProps {
  const props = (typeof value === 'string' ? safeJson(value) : value) as RasterTypeProps | undefined;
  if (!props || typeof props !== 'object') return {};
  const pixel = getNumberProp(props, 'PixelSize');
  const x0 = getNumberProp(props, 'x0') ?? 0;
  const y0 = getNumberProp(props, 'y0') ?? 0;
  const text = (name: string): string | undefined => (getProp(props, name) ? String(getProp(props, name)) : undefined);
  return {
    maker: text('Maker'),
    model: text('Model'),
    focalLengthMm: positive(getNumberProp(props, 'FocalLength')),
    pixelSizeMm: positive(pixel === undefined ? undefined : pixel < 0.1 ? pixel : pixel / 1000),
    principalPointMm: x0 || y0 ? { x: x0, y: y0 } : undefined,
    columns: positive(getNumberProp(props, 'columns')),
    rows: positive(getNumberProp(props, 'rows')),
  };
}

/** Booleans arrive as true/false or as "true"/"false" text. */
export function parseBooleanProp(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value.trim())) return value.trim().toLowerCase() === 'true';
  if (typeof value === 'number') return value !== 0;
  return undefined;
}

function positive(n: number | undefined): number | undefined {
  return n !== undefined && n > 0 ? n : undefined;
}

function safeJson(text: string): unknown {
  try {
    return parseJsonText(text);
  } catch {
    throw new RasterTypeError('A raster type parameter is not valid JSON');
  }
}
