import type { ColumnType } from '../store/feature-store.js';

/** The esriFieldType* names a layer may declare. */
export const FIELD_TYPES = [
  'esriFieldTypeOID',
  'esriFieldTypeGlobalID',
  'esriFieldTypeGUID',
  'esriFieldTypeSmallInteger',
  'esriFieldTypeInteger',
  'esriFieldTypeBigInteger',
  'esriFieldTypeSingle',
  'esriFieldTypeDouble',
  'esriFieldTypeString',
  'esriFieldTypeDate',
  'esriFieldTypeDateOnly',
  'esriFieldTypeTimeOnly',
  'esriFieldTypeTimestampOffset',
  'esriFieldTypeBlob',
  'esriFieldTypeXML',
  'esriFieldTypeGeometry',
] as const;

export type FieldType = (typeof FIELD_TYPES)[number];

interface FieldTypeInfo {
  /** How values are stored; undefined for the shape field, which is not an attribute column. */
  column?: ColumnType;
  sqlType: string;
  /** Fixed `length` the field reports (dates, GUIDs); strings report their own. */
  length?: number;
  /** May appear in where, outFields, orderBy and statistics. */
  queryable: boolean;
  /** Numeric: allowed in sum/avg/stddev/var. */
  numeric: boolean;
}

/**
 * What each field type means for storage and querying. Dates are stored as INTEGER epoch
 * milliseconds (UTC), GUIDs and GlobalIDs as `{UPPER-CASE}` text, date-only and time-only values
 * as their ISO text, which sorts and compares correctly.
 */
export const FIELD_TYPE_INFO: Record<FieldType, FieldTypeInfo> = {
  esriFieldTypeOID: { column: 'integer', sqlType: 'sqlTypeOther', queryable: true, numeric: true },
  esriFieldTypeGlobalID: { column: 'text', sqlType: 'sqlTypeOther', length: 38, queryable: true, numeric: false },
  esriFieldTypeGUID: { column: 'text', sqlType: 'sqlTypeOther', length: 38, queryable: true, numeric: false },
  esriFieldTypeSmallInteger: { column: 'integer', sqlType: 'sqlTypeSmallInt', queryable: true, numeric: true },
  esriFieldTypeInteger: { column: 'integer', sqlType: 'sqlTypeInteger', queryable: true, numeric: true },
  esriFieldTypeBigInteger: { column: 'integer', sqlType: 'sqlTypeBigInt', queryable: true, numeric: true },
  esriFieldTypeSingle: { column: 'real', sqlType: 'sqlTypeReal', queryable: true, numeric: true },
  esriFieldTypeDouble: { column: 'real', sqlType: 'sqlTypeDouble', queryable: true, numeric: true },
  esriFieldTypeString: { column: 'text', sqlType: 'sqlTypeNVarchar', queryable: true, numeric: false },
  esriFieldTypeDate: { column: 'integer', sqlType: 'sqlTypeTimestamp2', length: 8, queryable: true, numeric: false },
  esriFieldTypeDateOnly: { column: 'text', sqlType: 'sqlTypeDate', length: 8, queryable: true, numeric: false },
  esriFieldTypeTimeOnly: { column: 'text', sqlType: 'sqlTypeTime', length: 8, queryable: true, numeric: false },
  esriFieldTypeTimestampOffset: { column: 'text', sqlType: 'sqlTypeTimestampWithTimeZone', length: 10, queryable: true, numeric: false },
  esriFieldTypeBlob: { column: 'blob', sqlType: 'sqlTypeBlob', queryable: false, numeric: false },
  esriFieldTypeXML: { column: 'text', sqlType: 'sqlTypeSQLXML', queryable: false, numeric: false },
  esriFieldTypeGeometry: { sqlType: 'sqlTypeGeometry', queryable: false, numeric: false },
};

export function isFieldType(value: unknown): value is FieldType {
  return typeof value === 'string' && (FIELD_TYPES as readonly string[]).includes(value);
}

/** Integer ranges of the integer field types (BigInteger: what JSON numbers carry exactly). */
export const INTEGER_RANGES: Partial<Record<FieldType, [number, number]>> = {
  esriFieldTypeSmallInteger: [-32768, 32767],
  esriFieldTypeInteger: [-2147483648, 2147483647],
  esriFieldTypeBigInteger: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  esriFieldTypeOID: [1, Number.MAX_SAFE_INTEGER],
};
