import gdal from 'gdal-async';
import { envelopeToPolygon } from '../geometry/envelope.js';
import type { EsriGeometry, Position } from '../geometry/esri-geometry.js';
import { GeometryError } from '../geometry/geometry-error.js';
import { toEpsg, type SpatialReference } from '../geometry/spatial-reference.js';
import { createPointTransformer } from '../raster/point-transformer.js';
import { toSpatialReference } from '../raster/srs-input.js';
import { densifyRing, type Ring } from '../raster/transform-bounds.js';

/** A collection's spatial reference for transformations: its WKT (and EPSG code when known). */
export interface CollectionSrs {
  srsWkt: string;
  epsg: number | null;
}

/** True when `sr` is the collection's own spatial reference (no transformation needed). */
export function isCollectionSrs(sr: SpatialReference | undefined, collection: CollectionSrs): boolean {
  if (!sr) return true;
  const epsg = toEpsg(sr);
  if (epsg !== undefined && collection.epsg !== null) return epsg === collection.epsg;
  return gdalSrs(sr).isSame(gdal.SpatialReference.fromWKT(collection.srsWkt));
}

/**
 * Moves an Esri geometry between a client SR and the collection's. Envelopes become densified
 * polygons first (a box is not a box in another projection). Points that cannot be transformed
 * fail the request with a GeometryError.
 */
export function transformGeometry(geometry: EsriGeometry, from: SpatialReference | CollectionSrs, to: SpatialReference | CollectionSrs): EsriGeometry {
  const transform = createPointTransformer(toGdal(from), toGdal(to));
  const move = (p: Position): Position => {
    const moved = transform(p[0], p[1]);
    if (!moved) throw new GeometryError('The geometry cannot be projected to the requested spatial reference');
    return [moved[0], moved[1], ...p.slice(2)];
  };
  if ('xmin' in geometry) {
    const polygon = envelopeToPolygon(geometry);
    return { rings: polygon.rings.map((ring) => densifyRing(ring as Ring, 16).map(move)) };
  }
  if ('rings' in geometry) return { ...geometry, rings: geometry.rings.map((ring) => ring.map(move)) };
  if ('paths' in geometry) return { ...geometry, paths: geometry.paths.map((path) => path.map(move)) };
  if ('points' in geometry) return { ...geometry, points: geometry.points.map(move) };
  if (geometry.x === null || geometry.y === null || geometry.y === undefined) return geometry;
  const [x, y] = move([geometry.x, geometry.y]);
  return { ...geometry, x, y };
}

function toGdal(sr: SpatialReference | CollectionSrs): gdal.SpatialReference {
  return 'srsWkt' in sr ? gdal.SpatialReference.fromWKT(sr.srsWkt) : gdalSrs(sr);
}

function gdalSrs(sr: SpatialReference): gdal.SpatialReference {
  const epsg = toEpsg(sr);
  try {
    return toSpatialReference(epsg !== undefined ? epsg : { wkt: sr.wkt });
  } catch {
    throw new GeometryError('Invalid spatial reference');
  }
}
