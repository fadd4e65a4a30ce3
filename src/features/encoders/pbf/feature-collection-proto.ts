/**
 * Field numbers and enums of `esriPBuffer.FeatureCollectionPBuffer`, from Esri's published
 * FeatureCollection.proto (github.com/Esri/arcgis-pbf, proto/FeatureCollection, Apache-2.0).
 * Enum values past the first published version (BigInteger..TimestampOffset, GeometryType None)
 * are those of the newer schema that ArcGIS clients carry.
 */

/** Top-level and QueryResult field numbers. */
export const MESSAGE = {
  version: 1,
  queryResult: 2,
  featureResult: 1,
  countResult: 2,
  idsResult: 3,
} as const;

export const FEATURE_RESULT = {
  objectIdFieldName: 1,
  uniqueIdField: 2,
  globalIdFieldName: 3,
  geometryProperties: 5,
  geometryType: 7,
  spatialReference: 8,
  exceededTransferLimit: 9,
  hasZ: 10,
  hasM: 11,
  transform: 12,
  fields: 13,
  features: 15,
} as const;

export const FIELD = { name: 1, fieldType: 2, alias: 3, sqlType: 4, domain: 5, defaultValue: 6 } as const;
export const FEATURE = { attributes: 1, geometry: 2, centroid: 4 } as const;
export const GEOMETRY = { lengths: 2, coords: 3 } as const;
/** `lastestWkid` is spelled so in the proto. */
export const SPATIAL_REFERENCE = { wkid: 1, lastestWkid: 2, vcsWkid: 3, latestVcsWkid: 4, wkt: 5 } as const;
/** `quantizeOriginPostion` is spelled so in the proto. */
export const TRANSFORM = { quantizeOriginPostion: 1, scale: 2, translate: 3 } as const;
/** Scale and Translate share numbering; note m comes before z. */
export const SCALE_OR_TRANSLATE = { x: 1, y: 2, m: 3, z: 4 } as const;
export const UNIQUE_ID_FIELD = { name: 1, isSystemMaintained: 2 } as const;
export const GEOMETRY_PROPERTIES = { shapeAreaFieldName: 1, shapeLengthFieldName: 2, units: 3 } as const;
export const COUNT_RESULT = { count: 1 } as const;
export const IDS_RESULT = { objectIdFieldName: 1, objectIds: 3 } as const;

export const VALUE = {
  string: 1,
  float: 2,
  double: 3,
  sint: 4,
  uint: 5,
  int64: 6,
  uint64: 7,
  sint64: 8,
  bool: 9,
} as const;

export const ORIGIN_UPPER_LEFT = 0;
export const ORIGIN_LOWER_LEFT = 1;

export const GEOMETRY_TYPE_CODES = {
  esriGeometryPoint: 0,
  esriGeometryMultipoint: 1,
  esriGeometryPolyline: 2,
  esriGeometryPolygon: 3,
  esriGeometryMultipatch: 4,
  esriGeometryNone: 127,
} as const;

export const FIELD_TYPE_CODES: Record<string, number> = {
  esriFieldTypeSmallInteger: 0,
  esriFieldTypeInteger: 1,
  esriFieldTypeSingle: 2,
  esriFieldTypeDouble: 3,
  esriFieldTypeString: 4,
  esriFieldTypeDate: 5,
  esriFieldTypeOID: 6,
  esriFieldTypeGeometry: 7,
  esriFieldTypeBlob: 8,
  esriFieldTypeRaster: 9,
  esriFieldTypeGUID: 10,
  esriFieldTypeGlobalID: 11,
  esriFieldTypeXML: 12,
  esriFieldTypeBigInteger: 13,
  esriFieldTypeDateOnly: 14,
  esriFieldTypeTimeOnly: 15,
  esriFieldTypeTimestampOffset: 16,
};

export const SQL_TYPE_CODES: Record<string, number> = {
  sqlTypeBigInt: 0,
  sqlTypeBinary: 1,
  sqlTypeBit: 2,
  sqlTypeChar: 3,
  sqlTypeDate: 4,
  sqlTypeDecimal: 5,
  sqlTypeDouble: 6,
  sqlTypeFloat: 7,
  sqlTypeGeometry: 8,
  sqlTypeGUID: 9,
  sqlTypeInteger: 10,
  sqlTypeLongNVarchar: 11,
  sqlTypeLongVarbinary: 12,
  sqlTypeLongVarchar: 13,
  sqlTypeNChar: 14,
  sqlTypeNVarchar: 15,
  sqlTypeOther: 16,
  sqlTypeReal: 17,
  sqlTypeSmallInt: 18,
  sqlTypeSqlXml: 19,
  sqlTypeTime: 20,
  sqlTypeTimestamp: 21,
  sqlTypeTimestamp2: 22,
  sqlTypeTinyInt: 23,
  sqlTypeVarbinary: 24,
  sqlTypeVarchar: 25,
  sqlTypeTimestampWithTimezone: 26,
};

/** Reverse look-up for decoders: code → name. */
export function nameOfCode(codes: Record<string, number>, code: number): string | undefined {
  for (const [name, value] of Object.entries(codes)) if (value === code) return name;
  return undefined;
}
