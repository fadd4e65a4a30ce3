import type { Literal, Value, ValueType } from './compiled-value.js';
import { formatDate } from './literal-values.js';
import type { ExtractUnit, NumericCast, SqlDialect, TrimMode } from './sql-dialect.js';
import { joinParts, param, sql, type SqlPart } from './sql-parts.js';

const NUMERIC_TYPES: Record<NumericCast, string> = {
  integer: 'integer', smallint: 'smallint', bigint: 'bigint', double: 'double precision', real: 'real',
};
const SIMPLE_FUNCTIONS: Record<string, string> = {
  UPPER: 'upper', LOWER: 'lower', CHAR_LENGTH: 'char_length', CONCAT: 'concat', ABS: 'abs', CEILING: 'ceiling',
  FLOOR: 'floor', SQRT: 'sqrt', LOG: 'ln', LOG10: 'log10', SIN: 'sin', COS: 'cos', TAN: 'tan', ASIN: 'asin',
  ACOS: 'acos', ATAN: 'atan', POWER: 'power', NULLIF: 'nullif', COALESCE: 'coalesce',
};

/** PostgreSQL has no round/trunc/mod for double precision with a scale, so those go via numeric. */
const asNumeric = (value: Value): SqlPart[] => sql`CAST(${value.sql} AS numeric)`;

/** Integer arguments (substring positions, scales) must be int4, not the bigint a column may be. */
function asInteger(value: Value): SqlPart[] {
  if (value.literal?.kind === 'number') return numberLiteral(value.literal.value, 'integer');
  return sql`CAST(${value.sql} AS integer)`;
}

function numberLiteral(value: number | bigint, cast?: string): SqlPart[] {
  // node-postgres sends values as text; a BigInt goes as its exact decimal string.
  if (typeof value === 'bigint') return param(value.toString(), cast ?? 'bigint');
  if (cast) return param(value, cast);
  // bigint, not integer: int4 columns compare with int8 through the index, and arithmetic
  // such as `POP * 1000` does not overflow 32 bits. Integers past 2^53 arrive here only when
  // they are past int64 too (1e300), and bigint would refuse them.
  return param(value, Number.isSafeInteger(value) ? 'bigint' : 'double precision');
}

export const postgresDialect: SqlDialect = {
  name: 'postgres',

  // Every placeholder carries a type, so expressions like `$1 + $2` or `upper($1)` resolve.
  // GUIDs stay untyped: the column may be text or uuid and `{…}` input suits both.
  literal(literal: Literal, type: ValueType): SqlPart[] {
    switch (literal.kind) {
      case 'null':
        return ['NULL'];
      case 'number':
        return numberLiteral(literal.value);
      case 'string':
        return param(literal.value, 'text');
      case 'guid':
        return param(literal.value);
      case 'date':
        return type === 'dateonly' ? param(formatDate(literal.ms), 'date') : param(new Date(literal.ms).toISOString(), 'timestamptz');
      case 'time':
        return param(literal.value, 'time');
      case 'interval':
        return sql`(${param(literal.ms, 'double precision')} * INTERVAL '1 millisecond')`;
    }
  },

  column: (quoted) => [quoted],
  dateOnlyToDate: (value) => sql`(CAST(${value} AS timestamp) AT TIME ZONE 'UTC')`,
  daysToInterval: (days) => sql`(${days} * INTERVAL '1 day')`,
  // NULLIF: a zero divisor yields NULL for that row, as in SQLite, instead of failing the query.
  divide: (dividend, divisor) => sql`(CAST(${dividend} AS double precision) / NULLIF(${divisor}, 0))`,

  // Dates are UTC by contract (dateFieldsTimeReference), whatever the session time zone is.
  extract(unit: ExtractUnit, value: Value): SqlPart[] {
    if (value.type === 'date') return sql`EXTRACT(${[unit]} FROM (${value.sql}) AT TIME ZONE 'UTC')`;
    return sql`EXTRACT(${[unit]} FROM ${value.sql})`;
  },

  // PostgreSQL's LIKE escapes with a backslash unless told otherwise; SQL-92 has no default escape.
  like(expr, pattern, escape, negated) {
    const op = [negated ? 'NOT LIKE' : 'LIKE'];
    return escape ? sql`${expr} ${op} ${pattern} ESCAPE ${escape}` : sql`${expr} ${op} ${pattern} ESCAPE ''`;
  },

  concatOperand: (value) => (value.type === 'string' || value.type === 'guid' ? value.sql : sql`CAST(${value.sql} AS text)`),

  call(name: string, args: Value[]): SqlPart[] {
    switch (name) {
      // round(double precision) rounds half to even (2.5 → 2); numeric rounds half away from
      // zero, as SQLite and ArcGIS do.
      case 'ROUND':
        return args.length === 1 ? sql`round(${asNumeric(args[0])})` : sql`round(${asNumeric(args[0])}, ${asInteger(args[1])})`;
      case 'TRUNCATE':
        return args.length === 1 ? sql`trunc(${args[0].sql})` : sql`trunc(${asNumeric(args[0])}, ${asInteger(args[1])})`;
      // A zero divisor yields NULL for that row, as with `/` and in SQLite.
      case 'MOD':
        return sql`mod(${asNumeric(args[0])}, NULLIF(${asNumeric(args[1])}, 0))`;
      case 'SUBSTRING':
        return args.length === 2
          ? sql`substring(${args[0].sql} FROM ${asInteger(args[1])})`
          : sql`substring(${args[0].sql} FROM ${asInteger(args[1])} FOR ${asInteger(args[2])})`;
      default:
        return [`${SIMPLE_FUNCTIONS[name]}(`, ...joinParts(args.map((arg) => arg.sql), ', '), ')'];
    }
  },

  trim(mode: TrimMode, value, chars) {
    const fn = [mode === 'BOTH' ? 'btrim' : mode === 'LEADING' ? 'ltrim' : 'rtrim'];
    return chars ? sql`${fn}(${value}, ${chars})` : sql`${fn}(${value})`;
  },

  position: (needle, haystack) => sql`position(${needle} IN ${haystack})`,

  toNumber(value: Value, target: NumericCast): SqlPart[] {
    // SQLite and SQL Server truncate when casting to an integer; PostgreSQL would round.
    const integral = target === 'integer' || target === 'smallint' || target === 'bigint';
    const source = integral && value.type === 'number' ? sql`trunc(${value.sql})` : value.sql;
    return sql`CAST(${source} AS ${[NUMERIC_TYPES[target]]})`;
  },

  toText(value: Value): SqlPart[] {
    if (value.type === 'date') return sql`to_char((${value.sql}) AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS')`;
    return sql`CAST(${value.sql} AS text)`;
  },

  truncateText: (text, length) => sql`left(${text}, ${param(length, 'integer')})`,
  startOfDay: (value) => sql`(date_trunc('day', (${value}) AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')`,
  stringToDate: (value, dayOnly) =>
    dayOnly
      ? sql`(CAST(CAST(${value} AS date) AS timestamp) AT TIME ZONE 'UTC')`
      : sql`(CAST(${value} AS timestamp) AT TIME ZONE 'UTC')`,
};
