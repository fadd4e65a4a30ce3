import gdal from 'gdal-async';
import { TaskError } from '../../jobs/task.js';
import { withVectorLayer } from './vector-facts.js';

export interface InputPoint {
  x: number;
  y: number;
  attributes: Record<string, unknown>;
}

/**
 * The points of a feature input (a polygon or line contributes its centroid), in `targetWkt`
 * when given. Attribute names are kept as OGR reads them.
 */
export function readPoints(param: string, source: string, targetWkt?: string): Promise<InputPoint[]> {
  return withVectorLayer(param, source, (layer) => layerPoints(param, layer, targetWkt));
}

/** `readPoints` on a layer already open. */
export function layerPoints(param: string, layer: gdal.Layer, targetWkt?: string): InputPoint[] {
  const transform = targetWkt && layer.srs && !layer.srs.isSame(gdal.SpatialReference.fromWKT(targetWkt)) ? new gdal.CoordinateTransformation(layer.srs, gdal.SpatialReference.fromWKT(targetWkt)) : undefined;
  const points: InputPoint[] = [];
  for (let feature = layer.features.first(); feature; feature = layer.features.next()) {
    const geometry = feature.getGeometry();
    if (!geometry || geometry.isEmpty()) continue;
    const point = geometry instanceof gdal.Point ? geometry : geometry.centroid();
    if (transform) point.transform(transform);
    points.push({ x: point.x, y: point.y, attributes: feature.fields.toObject() as Record<string, unknown> });
  }
  if (points.length === 0) throw new TaskError(`'${param}' holds no features with a location.`);
  return points;
}

/** A per-feature number: a field of the feature (`…Field` parameters), else a constant. */
export function pointValue(point: InputPoint, field: string | undefined, constant: number | undefined, fallback: number | undefined): number | undefined {
  if (field) {
    const key = Object.keys(point.attributes).find((k) => k.toLowerCase() === field.toLowerCase());
    if (key === undefined) throw new TaskError(`The observer features have no field '${field}'.`);
    const n = Number(point.attributes[key]);
    return Number.isFinite(n) ? n : fallback;
  }
  return constant ?? fallback;
}
