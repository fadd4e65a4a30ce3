import gdal from 'gdal-async';
import { TaskError } from '../../jobs/task.js';
import type { AnalysisFeatures } from './feature-input.js';

/** What the rasterising tasks need to know about a feature input before running GDAL. */
export interface VectorFacts {
  layerName: string;
  /** Field names, as OGR reads them. */
  fields: Map<string, { name: string; integer: boolean; numeric: boolean }>;
  extent: { xmin: number; ymin: number; xmax: number; ymax: number };
  srsWkt: string | null;
  featureCount: number;
  /** Points or multipoints only (OGR's flat geometry type). */
  points: boolean;
  /** Single points only (no multipoints). */
  singlePoints: boolean;
}

export function readVectorFacts(param: string, features: AnalysisFeatures): Promise<VectorFacts> {
  return withVectorLayer(param, features.source, layerFacts);
}

/** A feature source opened, or the task's error naming the parameter. */
export async function openVector(param: string, source: string): Promise<gdal.Dataset> {
  try {
    return await gdal.openAsync(source);
  } catch {
    throw new TaskError(`'${param}': the features could not be read.`);
  }
}

/** Opens a feature source and hands its first layer to `use`, closing it afterwards. */
export async function withVectorLayer<T>(param: string, source: string, use: (layer: gdal.Layer) => T): Promise<T> {
  const dataset = await openVector(param, source);
  try {
    return use(dataset.layers.get(0));
  } finally {
    dataset.close();
  }
}

export function layerFacts(layer: gdal.Layer): VectorFacts {
  const fields = new Map<string, { name: string; integer: boolean; numeric: boolean }>();
  for (const field of layer.fields) {
    const integer = field.type === 'integer' || field.type === 'integer64';
    fields.set(field.name.toLowerCase(), { name: field.name, integer, numeric: integer || field.type === 'real' });
  }
  const e = layer.getExtent();
  return {
    layerName: layer.name,
    fields,
    extent: { xmin: e.minX, ymin: e.minY, xmax: e.maxX, ymax: e.maxY },
    srsWkt: layer.srs?.toWKT() ?? null,
    featureCount: layer.features.count(),
    points: [gdal.wkbPoint, gdal.wkbMultiPoint].includes((layer.geomType & 0x7fffffff) % 1000),
    singlePoints: (layer.geomType & 0x7fffffff) % 1000 === gdal.wkbPoint,
  };
}

/** A field of the input by name (any case), which must exist (and be numeric when asked). */
export function requireField(param: string, facts: VectorFacts, name: string, numeric: boolean): { name: string; integer: boolean } {
  const field = facts.fields.get(name.toLowerCase());
  if (!field) throw new TaskError(`'${param}': the input has no field '${name}'.`);
  if (numeric && !field.numeric) throw new TaskError(`'${param}': field '${field.name}' is not numeric.`);
  return field;
}
