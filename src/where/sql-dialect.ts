import type { Literal, Value, ValueType } from './compiled-value.js';
import type { SqlPart } from './sql-parts.js';
import type { WhereDialect } from './where-types.js';

export type ExtractUnit = 'YEAR' | 'MONTH' | 'DAY' | 'HOUR' | 'MINUTE' | 'SECOND';
export type TrimMode = 'BOTH' | 'LEADING' | 'TRAILING';
export type NumericCast = 'integer' | 'smallint' | 'bigint' | 'double' | 'real';

/**
 * Where the two stores differ. SQLite keeps esriFieldTypeDate as INTEGER epoch ms (UTC),
 * DateOnly/TimeOnly as ISO text and TimestampOffset as ISO text with offset; PostgreSQL uses
 * timestamptz, date, time and timestamptz. Both keep GlobalID/GUID as `{UPPER}` text.
 * The compiler checks types first, so these only render already-valid combinations.
 */
export interface SqlDialect {
  name: WhereDialect;
  /** A literal bound as a value of `type`. */
  literal(literal: Literal, type: ValueType): SqlPart[];
  /** Reading a column of the given esriFieldType. */
  column(quoted: string, esriType: string): SqlPart[];
  dateOnlyToDate(value: SqlPart[]): SqlPart[];
  /** A number of days as something that can be added to a date. */
  daysToInterval(days: SqlPart[]): SqlPart[];
  /**
   * Always real division: `POP / 2` is 3.5 for 7 in both stores. (PostgreSQL would truncate
   * integers, SQLite would not, depending on how a value happens to be bound.)
   */
  divide(dividend: SqlPart[], divisor: SqlPart[]): SqlPart[];
  extract(unit: ExtractUnit, value: Value): SqlPart[];
  like(expr: SqlPart[], pattern: SqlPart[], escape: SqlPart[] | null, negated: boolean): SqlPart[];
  concatOperand(value: Value): SqlPart[];
  call(name: string, args: Value[]): SqlPart[];
  trim(mode: TrimMode, value: SqlPart[], chars: SqlPart[] | null): SqlPart[];
  position(needle: SqlPart[], haystack: SqlPart[]): SqlPart[];
  toNumber(value: Value, target: NumericCast): SqlPart[];
  toText(value: Value): SqlPart[];
  /** The first `length` characters (CAST(x AS VARCHAR(n))). */
  truncateText(text: SqlPart[], length: number): SqlPart[];
  /** A date value cut to midnight UTC (CAST(date AS DATE)). */
  startOfDay(value: SqlPart[]): SqlPart[];
  /** A string expression read as a date, optionally cut to midnight. */
  stringToDate(value: SqlPart[], dayOnly: boolean): SqlPart[];
}
