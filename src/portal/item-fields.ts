import { ApiError } from '../errors.js';
import type { Params } from '../params.js';
import type { ItemAccess } from '../store/item-store.js';

/** Item metadata a client may set on addItem and update; absent = unchanged (or default). */
export interface ItemFields {
  title?: string;
  type?: string;
  typeKeywords?: string[];
  tags?: string[];
  description?: string;
  snippet?: string;
  /** `[[xmin, ymin], [xmax, ymax]]`, WGS84 as on the portal. */
  extent?: number[][];
  spatialReference?: string;
  properties?: Record<string, unknown>;
  url?: string;
  /** Item data given as text (web map JSON and the like). */
  text?: string;
  access?: ItemAccess;
}

const ACCESS: ItemAccess[] = ['private', 'shared', 'org', 'public'];

/**
 * Reads item fields as clients send them: lists comma-separated or as JSON arrays, `extent` as
 * `xmin,ymin,xmax,ymax`, `[[xmin,ymin],[xmax,ymax]]` or `{"xmin":…}`, `properties` as JSON text.
 *
 * @example readItemFields(new Params({ title: 'Roads', tags: 'a, b' })) → { title: 'Roads', tags: ['a', 'b'] }
 */
export function readItemFields(params: Params): ItemFields {
  const fields: ItemFields = {};
  const set = <K extends keyof ItemFields>(key: K, value: ItemFields[K] | undefined) => {
    if (value !== undefined) fields[key] = value;
  };
  set('title', params.string('title')?.trim());
  set('type', params.string('type')?.trim());
  set('typeKeywords', params.list('typeKeywords'));
  set('tags', params.list('tags'));
  set('description', params.string('description'));
  set('snippet', params.string('snippet'));
  set('extent', readExtent(params));
  set('spatialReference', readSpatialReference(params));
  set('properties', readProperties(params));
  set('url', params.string('url'));
  set('text', params.string('text'));
  set('access', readAccess(params));
  return fields;
}

function readExtent(params: Params): number[][] | undefined {
  const raw = params.jsonOrText('extent');
  if (raw === undefined) return undefined;
  let numbers: unknown[] | undefined;
  if (typeof raw === 'string') numbers = raw.split(',').map((part) => (part.trim() === '' ? NaN : Number(part)));
  else if (Array.isArray(raw)) numbers = raw.flat();
  else if (raw && typeof raw === 'object') {
    const e = raw as Record<string, unknown>;
    numbers = [e.xmin, e.ymin, e.xmax, e.ymax];
  }
  if (!numbers || numbers.length !== 4 || !numbers.every((n) => typeof n === 'number' && Number.isFinite(n))) {
    throw ApiError.invalidParameter("'extent' parameter is invalid: expected xmin,ymin,xmax,ymax");
  }
  const [xmin, ymin, xmax, ymax] = numbers as number[];
  return [
    [xmin!, ymin!],
    [xmax!, ymax!],
  ];
}

function readSpatialReference(params: Params): string | undefined {
  const raw = params.jsonOrText('spatialReference');
  if (raw === undefined) return undefined;
  if (typeof raw === 'string') return raw.trim();
  const sr = raw as Record<string, unknown>;
  const wkid = sr.latestWkid ?? sr.wkid;
  if (typeof wkid === 'number' || typeof wkid === 'string') return String(wkid);
  throw ApiError.invalidParameter("'spatialReference' parameter is invalid");
}

function readProperties(params: Params): Record<string, unknown> | undefined {
  const value = params.json('properties');
  if (value === undefined) return undefined;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw ApiError.invalidParameter("'properties' parameter is invalid: expected a JSON object");
  }
  return value as Record<string, unknown>;
}

function readAccess(params: Params): ItemAccess | undefined {
  const value = params.string('access')?.toLowerCase();
  if (value === undefined) return undefined;
  if (!ACCESS.includes(value as ItemAccess)) {
    throw ApiError.invalidParameter(`'access' parameter is invalid: expected one of ${ACCESS.join(', ')}`);
  }
  return value as ItemAccess;
}
