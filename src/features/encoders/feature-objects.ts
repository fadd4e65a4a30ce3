import type { EsriGeometry } from '../../geometry/esri-geometry.js';
import { esriToGeoJSON } from '../../geometry/geojson.js';
import type { PbfFeatureSet, PbfQueryResult } from '../encoders/pbf/encode-feature-collection-pbf.js';
import type { FeatureSetResult, QueryResult } from '../run-query.js';
import { outputField, statisticsBody, geometryOutputOf } from './esri-json.js';
import { decodeGeometry } from './feature-geometry.js';

export interface FeatureObject {
  attributes: Record<string, unknown>;
  geometry?: EsriGeometry | null;
  /** The object id, also when outFields left it out. */
  id?: number;
}

/** The rows of a feature set as `{attributes, geometry}` objects (GeoJSON and PBF want objects). */
export function toFeatureObjects(result: FeatureSetResult): FeatureObject[] {
  const names = result.fields.map((f) => f.name);
  const geometry = geometryOutputOf(result);
  return result.rows.map((row) => {
    const attributes: Record<string, unknown> = {};
    for (let i = 0; i < names.length; i++) attributes[names[i]!] = row[i] ?? null;
    const feature: FeatureObject = { attributes };
    if (geometry) feature.geometry = decodeGeometry(row, result.geometryIndex, geometry);
    if (result.idIndex !== undefined) feature.id = row[result.idIndex] as number;
    return feature;
  });
}

/**
 * A query result as a GeoJSON FeatureCollection (RFC 7946 winding; `id` = objectId). Results
 * without features (count, ids, extent) keep their JSON shape, as ArcGIS answers them.
 */
export function toGeoJson(result: QueryResult): unknown {
  if (result.kind === 'statistics') return geoJsonCollection(statisticsBody(result).features as FeatureObject[], false);
  if (result.kind !== 'features') return undefined;
  return geoJsonCollection(toFeatureObjects(result), result.exceededTransferLimit);
}

function geoJsonCollection(features: FeatureObject[], exceeded: boolean): unknown {
  const collection: Record<string, unknown> = {
    type: 'FeatureCollection',
    features: features.map((f) => {
      const feature: Record<string, unknown> = { type: 'Feature' };
      if (f.id !== undefined) feature.id = f.id;
      feature.geometry = f.geometry ? esriToGeoJSON(f.geometry) : null;
      feature.properties = f.attributes;
      return feature;
    }),
  };
  if (exceeded) {
    collection.exceededTransferLimit = true;
    collection.properties = { exceededTransferLimit: true };
  }
  return collection;
}

/** The PBF encoder's input for a query result; statistics and extents have no PBF form here. */
export function toPbfResult(result: QueryResult): PbfQueryResult | undefined {
  switch (result.kind) {
    case 'count':
      return { count: result.count };
    case 'ids':
      return { objectIdFieldName: result.objectIdFieldName, objectIds: result.objectIds };
    case 'features': {
      const set: PbfFeatureSet = {
        objectIdFieldName: result.objectIdFieldName,
        uniqueIdField: { name: result.objectIdFieldName, isSystemMaintained: true },
        globalIdFieldName: result.globalIdFieldName,
        geometryType: result.geometryType ?? null,
        hasZ: result.hasZ,
        hasM: result.hasM,
        fields: result.fields.map((f) => outputField(f) as unknown as PbfFeatureSet['fields'][number]),
        features: toFeatureObjects(result).map(({ attributes, geometry }) => (geometry === undefined ? { attributes } : { attributes, geometry })),
        exceededTransferLimit: result.exceededTransferLimit,
      };
      if (result.spatialReference) set.spatialReference = result.spatialReference;
      return set;
    }
    default:
      return undefined;
  }
}
