import type { Literal, Value, ValueType } from './compiled-value.js';
import { formatDate } from './literal-values.js';
import type { ExtractUnit, NumericCast, SqlDialect, TrimMode } from './sql-dialect.js';
import { joinParts, param, sql, type SqlPart } from './sql-parts.js';

const STRFTIME: Record<ExtractUnit, string> = { YEAR: '%Y', MONTH: '%m', DAY: '%d', HOUR: '%H', MINUTE: '%M', SECOND: '%f' };

// SQLite's math functions (3.35+) are used by name. `log` is avoided on purpose: SQLite's log(x)
// is base 10 but SpatiaLite replaces it with the natural log, so we emit ln() and log10().
const SIMPLE_FUNCTIONS: Record<string, string> = {
  UPPER: 'upper', LOWER: 'lower', CHAR_LENGTH: 'length', CONCAT: 'concat', ABS: 'abs', CEILING: 'ceiling',
  FLOOR: 'floor', SQRT: 'sqrt', LOG: 'ln', LOG10: 'log10', SIN: 'sin', COS: 'cos', TAN: 'tan', ASIN: 'asin',
  ACOS: 'acos', ATAN: 'atan', POWER: 'power', MOD: 'mod', ROUND: 'round', NULLIF: 'nullif', COALESCE: 'coalesce',
  SUBSTRING: 'substr',
};

export const sqliteDialect: SqlDialect = {
  name: 'sqlite',

  literal(literal: Literal, type: ValueType): SqlPart[] {
    switch (literal.kind) {
      case 'null':
        return ['NULL'];
      case 'date':
        return param(type === 'dateonly' ? formatDate(literal.ms) : literal.ms);
      case 'interval':
        return param(literal.ms);
      default:
        return param(literal.value);
    }
  },

  column(quoted: string, esriType: string): SqlPart[] {
    // TimestampOffset is ISO text with an offset; unixepoch() honours the offset.
    if (esriType === 'esriFieldTypeTimestampOffset') return [`(unixepoch(${quoted}, 'subsec') * 1000)`];
    return [quoted];
  },

  dateOnlyToDate: (value) => sql`(unixepoch(${value}) * 1000)`,
  daysToInterval: (days) => sql`(${days} * 86400000)`,
  divide: (dividend, divisor) => sql`(CAST(${dividend} AS REAL) / ${divisor})`,

  extract(unit: ExtractUnit, value: Value): SqlPart[] {
    const format = [`'${STRFTIME[unit]}'`];
    const type = unit === 'SECOND' ? ['REAL'] : ['INTEGER'];
    if (value.type === 'date') return sql`CAST(strftime(${format}, ${value.sql} / 1000.0, 'unixepoch') AS ${type})`;
    return sql`CAST(strftime(${format}, ${value.sql}) AS ${type})`;
  },

  like(expr, pattern, escape, negated) {
    const op = [negated ? 'NOT LIKE' : 'LIKE'];
    return escape ? sql`${expr} ${op} ${pattern} ESCAPE ${escape}` : sql`${expr} ${op} ${pattern}`;
  },

  concatOperand: (value) => value.sql,

  call(name: string, args: Value[]): SqlPart[] {
    const parts = args.map((arg) => arg.sql);
    if (name === 'TRUNCATE') {
      if (parts.length === 1) return sql`trunc(${parts[0]})`;
      // round(…, 9) absorbs binary noise such as 1.15 * 100 = 114.99999999999999.
      return sql`(trunc(round(${parts[0]} * power(10, ${parts[1]}), 9)) / power(10, ${parts[1]}))`;
    }
    return [`${SIMPLE_FUNCTIONS[name]}(`, ...joinParts(parts, ', '), ')'];
  },

  trim(mode: TrimMode, value, chars) {
    const fn = [mode === 'BOTH' ? 'trim' : mode === 'LEADING' ? 'ltrim' : 'rtrim'];
    return chars ? sql`${fn}(${value}, ${chars})` : sql`${fn}(${value})`;
  },

  position: (needle, haystack) => sql`instr(${haystack}, ${needle})`,

  toNumber(value: Value, target: NumericCast): SqlPart[] {
    const type = target === 'double' || target === 'real' ? ['REAL'] : ['INTEGER'];
    return sql`CAST(${value.sql} AS ${type})`;
  },

  toText(value: Value): SqlPart[] {
    if (value.type === 'date') return sql`strftime('%Y-%m-%d %H:%M:%S', ${value.sql} / 1000.0, 'unixepoch')`;
    return sql`CAST(${value.sql} AS TEXT)`;
  },

  truncateText: (text, length) => sql`substr(${text}, 1, ${param(length)})`,
  startOfDay: (value) => sql`CAST(unixepoch(${value} / 1000.0, 'unixepoch', 'start of day') * 1000 AS INTEGER)`,
  stringToDate: (value, dayOnly) =>
    dayOnly
      ? sql`CAST(unixepoch(${value}, 'start of day') * 1000 AS INTEGER)`
      : sql`CAST(unixepoch(${value}, 'subsec') * 1000 AS INTEGER)`,
};
