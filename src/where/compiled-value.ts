import type { SqlPart } from './sql-parts.js';

/**
 * What a value is in the where clause, which decides how literals bind and which operators
 * apply. `date` is a point in time (epoch ms in SQLite, timestamptz in PostgreSQL); `dateonly`
 * and `time` are esriFieldTypeDateOnly / TimeOnly; `guid` is GlobalID / GUID text.
 */
export type ValueType = 'number' | 'string' | 'date' | 'dateonly' | 'time' | 'guid' | 'geometry' | 'interval' | 'null';

/** A literal keeps its value until we know what it is compared with. */
export type Literal =
  | { kind: 'number'; value: number | bigint; text: string }
  | { kind: 'string'; value: string }
  | { kind: 'date'; ms: number; dateOnly: boolean }
  | { kind: 'time'; value: string }
  | { kind: 'guid'; value: string }
  | { kind: 'interval'; ms: number }
  | { kind: 'null' };

export interface Value {
  type: ValueType;
  sql: SqlPart[];
  literal?: Literal;
  /** The canonical field name when the value is a plain column, for messages. */
  field?: string;
}

/** Names for types in client-facing messages. */
export const TYPE_NAMES: Record<ValueType, string> = {
  number: 'number',
  string: 'string',
  date: 'date',
  dateonly: 'date-only',
  time: 'time-only',
  guid: 'GUID',
  geometry: 'geometry',
  interval: 'INTERVAL',
  null: 'NULL',
};

/** esriFieldType → ValueType for the field types a where clause may read. */
export const FIELD_VALUE_TYPES: Record<string, ValueType> = {
  esriFieldTypeOID: 'number',
  esriFieldTypeSmallInteger: 'number',
  esriFieldTypeInteger: 'number',
  esriFieldTypeBigInteger: 'number',
  esriFieldTypeSingle: 'number',
  esriFieldTypeDouble: 'number',
  esriFieldTypeString: 'string',
  esriFieldTypeDate: 'date',
  esriFieldTypeTimestampOffset: 'date',
  esriFieldTypeDateOnly: 'dateonly',
  esriFieldTypeTimeOnly: 'time',
  esriFieldTypeGlobalID: 'guid',
  esriFieldTypeGUID: 'guid',
  esriFieldTypeGeometry: 'geometry',
};
