import { toSpatialReferenceJson, type SpatialReference } from '../geometry/spatial-reference.js';
import type { CollectionSrs } from './transform-geometry.js';

/** The spatial reference JSON of a collection: `{wkid, latestWkid}` for EPSG codes, else `{wkt}`. */
export function collectionSrJson(collection: CollectionSrs): SpatialReference {
  return collection.epsg !== null ? toSpatialReferenceJson(collection.epsg) : { wkt: collection.srsWkt };
}
