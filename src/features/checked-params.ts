import type { Params } from '../params.js';
import { invalidQueryParameter } from './query-errors.js';

/**
 * Query parameters this server accepts but does not act on (`time`: layers have no time info;
 * `datumTransformation`: outSR projection uses PROJ's default) or only uses for some formats
 * (`quantizationParameters`: pbf). Malformed values are still refused, as ArcGIS does, so a client
 * mistake is not silently ignored.
 */
export function checkPassiveParams(params: Params): void {
  const time = params.string('time');
  if (time !== undefined && time !== 'null' && !/^\s*(?:-?\d+|null)\s*(?:,\s*(?:-?\d+|null)\s*)?$/.test(time)) {
    throw invalidQueryParameter("'time' parameter is invalid: expected epoch milliseconds, 't' or 't1,t2'");
  }
  const quantization = params.json('quantizationParameters');
  if (quantization !== undefined && (typeof quantization !== 'object' || quantization === null || Array.isArray(quantization))) {
    throw invalidQueryParameter("'quantizationParameters' parameter is invalid: expected a JSON object");
  }
  const datum = params.jsonOrText('datumTransformation');
  if (datum !== undefined && !isDatumTransformation(datum)) {
    throw invalidQueryParameter("'datumTransformation' parameter is invalid: expected a wkid, {\"wkid\":…}, {\"wkt\":…} or {\"geoTransforms\":[…]}");
  }
}

function isDatumTransformation(value: unknown): boolean {
  if (typeof value === 'string') return /^\s*\d+\s*$/.test(value);
  if (typeof value === 'number') return Number.isInteger(value);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const object = value as Record<string, unknown>;
  return typeof object.wkid === 'number' || typeof object.wkt === 'string' || Array.isArray(object.geoTransforms);
}
