import { ApiError } from '../../errors.js';

/** How catalog items are ordered (ArcGIS mosaic rule); `lockRaster` also restricts them. */
export type MosaicMethod = 'none' | 'center' | 'northwest' | 'nadir' | 'viewpoint' | 'attribute' | 'lockRaster' | 'seamline';

/** How overlapping pixels are resolved. */
export type MosaicOperation = 'first' | 'last' | 'min' | 'max' | 'mean' | 'blend' | 'sum';

/** A mosaic rule, validated; coordinates of `viewpoint` are in `viewpointSR` (or the service SR). */
export interface MosaicRule {
  method: MosaicMethod;
  operation: MosaicOperation;
  ascending: boolean;
  where?: string;
  lockRasterIds?: number[];
  fids?: number[];
  sortField?: string;
  sortValue?: number | string | null;
  viewpoint?: { x: number; y: number; spatialReference?: unknown };
}

/** `esriMosaic*` names of the mosaicRule parameter and the short names of the service JSON. */
const METHODS: Record<string, MosaicMethod> = {
  none: 'none',
  center: 'center',
  northwest: 'northwest',
  nadir: 'nadir',
  viewpoint: 'viewpoint',
  attribute: 'attribute',
  byattribute: 'attribute',
  lockraster: 'lockRaster',
  seamline: 'seamline',
};

const OPERATIONS: Record<string, MosaicOperation> = {
  first: 'first',
  last: 'last',
  min: 'min',
  max: 'max',
  mean: 'mean',
  blend: 'blend',
  sum: 'sum',
};

/** The service defaults (`defaultMosaicMethod`, `mosaicOperator`, `sortAscending`) as a rule. */
export const DEFAULT_MOSAIC_RULE: MosaicRule = { method: 'northwest', operation: 'first', ascending: true };

/** Reads `esriMosaicLockRaster`, `LockRaster`, `ByAttribute`… (case-insensitive). */
export function readMosaicMethod(name: string): MosaicMethod | undefined {
  return METHODS[name.replace(/^esriMosaic/i, '').toLowerCase()];
}

/** Reads `MT_FIRST`, `First`… (case-insensitive). */
export function readMosaicOperation(name: string): MosaicOperation | undefined {
  return OPERATIONS[name.replace(/^MT_/i, '').toLowerCase()];
}

/**
 * Validates a `mosaicRule` parameter (already parsed JSON) over the service defaults. Unknown
 * methods or operations, and ids that are not integers, are 400s naming the parameter.
 *
 * @example parseMosaicRule({ mosaicMethod: 'esriMosaicLockRaster', lockRasterIds: [3, 7] })
 * // → { method: 'lockRaster', operation: 'first', ascending: true, lockRasterIds: [3, 7] }
 */
export function parseMosaicRule(value: unknown, defaults: MosaicRule = DEFAULT_MOSAIC_RULE): MosaicRule {
  if (value === undefined || value === null || value === '') return { ...defaults };
  if (typeof value !== 'object' || Array.isArray(value)) throw invalid('it must be a JSON object');
  const input = value as Record<string, unknown>;
  const rule: MosaicRule = { ...defaults };
  if (input.mosaicMethod !== undefined && input.mosaicMethod !== null) {
    const method = readMosaicMethod(String(input.mosaicMethod));
    if (!method) throw invalid(`unknown mosaicMethod '${String(input.mosaicMethod)}'`);
    rule.method = method;
  }
  if (input.mosaicOperation !== undefined && input.mosaicOperation !== null) {
    const operation = readMosaicOperation(String(input.mosaicOperation));
    if (!operation) throw invalid(`unknown mosaicOperation '${String(input.mosaicOperation)}'`);
    rule.operation = operation;
  }
  if (input.ascending !== undefined && input.ascending !== null) rule.ascending = input.ascending !== false && input.ascending !== 'false';
  if (typeof input.where === 'string' && input.where.trim() !== '') rule.where = input.where;
  const lockRasterIds = readIds(input.lockRasterIds, 'lockRasterIds');
  if (lockRasterIds) rule.lockRasterIds = lockRasterIds;
  const fids = readIds(input.fids, 'fids');
  if (fids) rule.fids = fids;
  if (typeof input.sortField === 'string' && input.sortField !== '') rule.sortField = input.sortField;
  if (input.sortValue !== undefined) rule.sortValue = input.sortValue as number | string | null;
  if (input.viewpoint && typeof input.viewpoint === 'object') {
    const { x, y, spatialReference } = input.viewpoint as Record<string, unknown>;
    if (typeof x !== 'number' || typeof y !== 'number') throw invalid("'viewpoint' must be a point with x and y");
    rule.viewpoint = { x, y, spatialReference };
  }
  if (rule.method === 'lockRaster' && !rule.lockRasterIds) rule.lockRasterIds = [];
  return rule;
}

function readIds(value: unknown, name: string): number[] | undefined {
  if (value === undefined || value === null) return undefined;
  const list = Array.isArray(value) ? value : String(value).split(',').filter((s) => s.trim() !== '');
  const ids = list.map((v) => Number(v));
  if (ids.some((id) => !Number.isInteger(id))) throw invalid(`'${name}' must list integer raster ids`);
  return ids;
}

function invalid(detail: string): ApiError {
  return ApiError.invalidParameter(`'mosaicRule' parameter is invalid: ${detail}`);
}
