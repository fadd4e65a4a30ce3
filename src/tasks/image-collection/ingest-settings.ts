import { availableParallelism } from 'node:os';
import type { CogCompression } from '../../raster/cog-creation-options.js';
import { parseSpatialReference, type SpatialReference } from '../../geometry/spatial-reference.js';
import { isValidFieldName, toCatalogFieldType, type CatalogField } from '../../imagery/catalog-fields.js';
import type { Bounds } from '../../imagery/store/catalog-store.js';
import { TaskError } from '../../jobs/task.js';
import { readKey, readOptionalObjectParam } from './param-values.js';
import { parseJsonText } from '../../json-text.js';

export type CellSizeSetting = number | 'MaxOfIn' | 'MinOfIn';

/** What `context` asks of an ingest (the ArcGIS Raster Analysis `context` parameter). */
export interface IngestSettings {
  outSR?: SpatialReference;
  /** Clip extent with its own spatial reference (default: outSR). */
  extent?: Bounds & { spatialReference?: SpatialReference };
  cellSize?: CellSizeSetting;
  resampling?: 'near' | 'bilinear' | 'cubic';
  /** How many images are ingested at once. */
  parallelism: number;
  /** Extra catalog fields (`context.fields`). */
  fields: CatalogField[];
  /** Footprint tracing grid, cells on the long side (`footprintsArguments.requestSize`). */
  footprintGrid: number;
  /** COG compression of by-value copies; absent: chosen from the pixels (JPEG for 8-bit RGB). */
  compression?: CogCompression;
}

/**
 * Footprints are traced on a 256-cell grid by default: about 0.4 % of an image's side, well
 * within what a simplified footprint keeps, and 2× faster than 512 (bench/ingest.ts).
 */
const DEFAULT_FOOTPRINT_GRID = 256;

const RESAMPLING: Record<string, IngestSettings['resampling']> = { nearest: 'near', bilinear: 'bilinear', cubic: 'cubic' };

/**
 * Reads `context`. Unknown keys are ignored (spec); malformed known ones fail the job with a
 * message naming them. `parallelProcessingFactor` is a count (`"2"`) or a share of this
 * machine's processors (`"60%"`); the default is one image per processor.
 */
export function readIngestSettings(value: unknown): IngestSettings {
  const context = readOptionalObjectParam('context', value);
  const settings: IngestSettings = {
    parallelism: readParallelism(readKey(context, 'parallelProcessingFactor')),
    fields: readFields(readKey(context, 'fields')),
    footprintGrid: readFootprintGrid(readKey(context, 'footprintsArguments')),
  };
  const outSR = readKey(context, 'outSR');
  if (outSR !== undefined && outSR !== null && outSR !== '') settings.outSR = readSr('context.outSR', outSR);
  const extent = readKey(context, 'extent');
  if (extent) settings.extent = readExtent(extent);
  const cellSize = readKey(context, 'cellSize');
  if (cellSize !== undefined && cellSize !== null && cellSize !== '') settings.cellSize = readCellSize(cellSize);
  const resampling = readKey(context, 'resamplingMethod');
  if (typeof resampling === 'string' && resampling) {
    settings.resampling = RESAMPLING[resampling.toLowerCase()];
    if (!settings.resampling) throw new TaskError(`context.resamplingMethod '${resampling}' is not one of NEAREST, BILINEAR, CUBIC.`);
  }
  return settings;
}

function readSr(name: string, value: unknown): SpatialReference {
  try {
    const sr = parseSpatialReference(value);
    if (sr) return sr;
  } catch {
    // reported below
  }
  throw new TaskError(`${name} is not a valid spatial reference.`);
}

function readExtent(value: unknown): IngestSettings['extent'] {
  const e = (typeof value === 'string' ? safeJson(value) : value) as Record<string, unknown> | null;
  const numbers = ['xmin', 'ymin', 'xmax', 'ymax'].map((k) => Number(e?.[k]));
  if (!e || numbers.some((n) => !Number.isFinite(n)) || numbers[0] >= numbers[2] || numbers[1] >= numbers[3]) {
    throw new TaskError('context.extent must be an envelope {xmin, ymin, xmax, ymax, spatialReference}.');
  }
  const [xmin, ymin, xmax, ymax] = numbers;
  const sr = e.spatialReference === undefined ? undefined : readSr('context.extent.spatialReference', e.spatialReference);
  return { xmin, ymin, xmax, ymax, ...(sr ? { spatialReference: sr } : {}) };
}

function readCellSize(value: unknown): CellSizeSetting {
  if (typeof value === 'number' && value > 0) return value;
  if (typeof value === 'string') {
    const lower = value.trim().toLowerCase();
    if (lower === 'maxofin' || lower === 'maxof') return 'MaxOfIn';
    if (lower === 'minofin' || lower === 'minof') return 'MinOfIn';
    const n = Number(lower);
    if (Number.isFinite(n) && n > 0) return n;
  }
  const object = (typeof value === 'object' && value) as Record<string, unknown> | false;
  if (object && Number(readKey(object, 'distance')) > 0) return Number(readKey(object, 'distance'));
  throw new TaskError("context.cellSize must be a positive number, 'MaxOfIn' or 'MinOfIn'.");
}

export function readParallelism(value: unknown, processors = availableParallelism()): number {
  if (value === undefined || value === null || value === '') return Math.max(1, processors);
  const text = String(value).trim();
  const percent = /^(\d+(?:\.\d+)?)\s*%$/.exec(text);
  const n = percent ? Math.round((Number(percent[1]) / 100) * processors) : Number(text);
  if (!Number.isFinite(n) || n < 0) throw new TaskError(`context.parallelProcessingFactor '${text}' is not a number or a percentage.`);
  // More than a few per processor only queues child processes; cap it.
  return Math.min(Math.max(1, Math.floor(n)), processors * 4);
}

function readFootprintGrid(value: unknown): number {
  const args = (typeof value === 'string' ? safeJson(value) : value) as Record<string, unknown> | null | undefined;
  const size = Number(args && typeof args === 'object' ? readKey(args, 'requestSize') : undefined);
  return Number.isFinite(size) && size > 0 ? Math.min(4096, Math.max(64, Math.round(size))) : DEFAULT_FOOTPRINT_GRID;
}

function readFields(value: unknown): CatalogField[] {
  if (value === undefined || value === null || value === '') return [];
  const list = typeof value === 'string' ? safeJson(value) : value;
  if (!Array.isArray(list)) throw new TaskError('context.fields must be an array of {name, type}.');
  return list.map((f: Record<string, unknown>) => {
    const name = String(f?.name ?? '');
    const type = toCatalogFieldType(String(f?.type ?? ''));
    if (!isValidFieldName(name)) throw new TaskError(`context.fields: '${name}' is not a valid new field name.`);
    if (!type) throw new TaskError(`context.fields: field '${name}' has an unknown type '${String(f?.type)}'.`);
    return { name, type, alias: typeof f.alias === 'string' ? f.alias : name };
  });
}

function safeJson(text: string): unknown {
  try {
    return parseJsonText(text);
  } catch {
    return null;
  }
}
