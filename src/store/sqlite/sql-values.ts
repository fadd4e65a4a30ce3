import { FeatureStoreError } from '../feature-store.js';

/** SQL and its bound values; `sql` is empty when there is no condition. */
export interface SqlPart {
  sql: string;
  params: unknown[];
}

/**
 * An SRID as a SQL literal. SpatiaLite functions insist on INTEGER arguments and better-sqlite3
 * binds every JS number as REAL, so SRIDs (validated integers) are written into the SQL.
 */
export function sridSql(srid: number): string {
  if (!Number.isInteger(srid) || srid < 0) throw new FeatureStoreError(`Invalid spatial reference ${srid}`);
  return String(srid);
}

/** better-sqlite3 binds numbers, strings, bigints, buffers and null only. */
export function toSqlValue(value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'number' && !Number.isFinite(value)) return null;
  if (value instanceof Uint8Array && !Buffer.isBuffer(value)) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  return value;
}
