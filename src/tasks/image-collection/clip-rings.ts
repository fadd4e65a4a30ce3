import gdal from 'gdal-async';
import type { Bounds } from '../../imagery/store/catalog-store.js';
import { toEsriRings } from '../../raster/esri-rings.js';

export type Rings = [number, number][][];

/**
 * Clips footprint rings (Esri winding) to an extent with GEOS, through GDAL's geometry API.
 * Returns Esri-wound rings of what lies inside, or none.
 */
export function clipRings(rings: Rings, extent: Bounds): Rings {
  const polygon = gdal.Geometry.fromGeoJson({ type: 'Polygon', coordinates: rings });
  const box = gdal.Geometry.fromGeoJson({
    type: 'Polygon',
    coordinates: [[[extent.xmin, extent.ymin], [extent.xmax, extent.ymin], [extent.xmax, extent.ymax], [extent.xmin, extent.ymax], [extent.xmin, extent.ymin]]],
  });
  const clipped = polygon.intersection(box);
  if (clipped.isEmpty()) return [];
  const json = clipped.toObject() as { type: string; coordinates: number[][][] | number[][][][] };
  const polygons = json.type === 'Polygon' ? [json.coordinates as number[][][]] : json.type === 'MultiPolygon' ? (json.coordinates as number[][][][]) : [];
  // A footprint is one outline: keep exterior rings, as computeFootprint does.
  return toEsriRings(polygons.map((p) => [p[0].map(([x, y]) => [x, y] as [number, number])]));
}
