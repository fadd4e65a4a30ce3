import type { EsriGeometry } from '../../geometry/esri-geometry.js';
import { GeometryError } from '../../geometry/geometry-error.js';
import { parseGeometryParam } from '../../geometry/geometry-param.js';
import { ApiError } from '../../errors.js';
import type { Params } from '../../params.js';
import type { PointTransformer } from '../../raster/point-transformer.js';
import type { CollectionRecord } from '../store/catalog-store.js';
import { isCollectionSrs, transformGeometry } from '../transform-geometry.js';
import { readSrParam } from './export-params.js';
import { pointTransformer, resolveSrs, type ResolvedSrs } from './srs-cache.js';

export interface CollectionGeometry {
  /** The geometry as sent. */
  original: EsriGeometry;
  /** The same in the collection's SR. */
  geometry: EsriGeometry;
  /** The client's SR (the geometry's own, else `inSR`, else the collection's). */
  clientSrs: ResolvedSrs;
  /** Collection SR → client SR, for locations in answers. */
  toClient: PointTransformer;
}

/**
 * Reads `geometry` + `geometryType` (JSON or the `x,y` / `xmin,ymin,xmax,ymax` syntax) and moves
 * it into the collection's SR. A missing geometry is a 400 ("geometry" is required by identify,
 * getSamples and computeStatisticsHistograms).
 */
export function readCollectionGeometry(params: Params, collection: CollectionRecord): CollectionGeometry {
  let parsed;
  try {
    parsed = parseGeometryParam(params.string('geometry'), params.string('geometryType'));
  } catch (error) {
    if (error instanceof GeometryError) throw ApiError.invalidParameter(`'geometry' parameter is invalid: ${error.message}`);
    throw error;
  }
  if (!parsed) throw ApiError.invalidParameter("'geometry' parameter is required");
  const sr = parsed.spatialReference ?? readSrParam(params, 'inSR');
  const collectionSrs = resolveSrs(collection);
  const clientSrs = sr ? resolveSrs(sr, 'geometry') : collectionSrs;
  let geometry = parsed.geometry;
  if (sr && !isCollectionSrs(sr, collection)) {
    try {
      geometry = transformGeometry(parsed.geometry, sr, collection);
    } catch (error) {
      if (error instanceof GeometryError) throw ApiError.invalidParameter(`'geometry' parameter is invalid: ${error.message}`);
      throw error;
    }
  }
  return { original: parsed.geometry, geometry, clientSrs, toClient: pointTransformer(collectionSrs, clientSrs) };
}

/** A representative point: the point itself, else the centre of the geometry's extent. */
export function centreOf(geometry: EsriGeometry): [number, number] | null {
  if ('x' in geometry) return geometry.x === null || geometry.y === null || geometry.y === undefined ? null : [geometry.x, geometry.y];
  const points = 'points' in geometry ? geometry.points : 'paths' in geometry ? geometry.paths.flat() : 'rings' in geometry ? geometry.rings.flat() : null;
  if (points) {
    if (points.length === 0) return null;
    const xs = points.map((p) => p[0]);
    const ys = points.map((p) => p[1]);
    return [(Math.min(...xs) + Math.max(...xs)) / 2, (Math.min(...ys) + Math.max(...ys)) / 2];
  }
  const e = geometry as { xmin: number; ymin: number; xmax: number; ymax: number };
  return [(e.xmin + e.xmax) / 2, (e.ymin + e.ymax) / 2];
}
