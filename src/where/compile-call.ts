import { TYPE_NAMES, type Value, type ValueType } from './compiled-value.js';
import type { CompileContext } from './compile-context.js';
import { checkScalar, coerceTo, convertLiteral, literalValue, unify } from './coerce-value.js';
import { MS_PER_DAY } from './literal-values.js';
import type { ExtractUnit, NumericCast, TrimMode } from './sql-dialect.js';
import { WhereClauseError } from './where-clause-error.js';

type ArgKind = 'number' | 'string' | 'text' | 'any';

interface Signature {
  args: ArgKind[];
  min: number;
  /** Kind of every argument past `args` (CONCAT, COALESCE). */
  variadic?: ArgKind;
  /** 'unified': all arguments are made comparable and the result has their type. */
  returns: ValueType | 'unified';
  /** Positions that PostgreSQL needs as integers (substring positions, scales). */
  integerArgs?: number[];
}

const MATH: Signature = { args: ['number'], min: 1, returns: 'number' };
const SCALED: Signature = { args: ['number', 'number'], min: 1, returns: 'number', integerArgs: [1] };
const BINARY_MATH: Signature = { args: ['number', 'number'], min: 2, returns: 'number' };

/** The allow-list: the functions of ArcGIS standardized queries. */
const FUNCTIONS: Record<string, Signature> = {
  UPPER: { args: ['string'], min: 1, returns: 'string' },
  LOWER: { args: ['string'], min: 1, returns: 'string' },
  CHAR_LENGTH: { args: ['string'], min: 1, returns: 'number' },
  CONCAT: { args: [], min: 2, variadic: 'text', returns: 'string' },
  SUBSTRING: { args: ['string', 'number', 'number'], min: 2, returns: 'string', integerArgs: [1, 2] },
  ABS: MATH, CEILING: MATH, FLOOR: MATH, SQRT: MATH, LOG: MATH, LOG10: MATH,
  SIN: MATH, COS: MATH, TAN: MATH, ASIN: MATH, ACOS: MATH, ATAN: MATH,
  ROUND: SCALED, TRUNCATE: SCALED, MOD: BINARY_MATH, POWER: BINARY_MATH,
  NULLIF: { args: ['any', 'any'], min: 2, returns: 'unified' },
  COALESCE: { args: [], min: 1, variadic: 'any', returns: 'unified' },
};

export function compileCall(name: string, args: Value[], ctx: CompileContext): Value {
  const signature = FUNCTIONS[name];
  if (!signature) throw new WhereClauseError(`Function not allowed: ${name}`);
  const max = signature.variadic ? Infinity : signature.args.length;
  if (args.length < signature.min || args.length > max) {
    const count = max === Infinity ? `at least ${signature.min}` : signature.min === max ? `${max}` : `${signature.min} to ${max}`;
    throw new WhereClauseError(`${name} expects ${count} argument${max === 1 ? '' : 's'}`);
  }
  const typed = signature.returns === 'unified'
    ? unify(ctx, args)
    : args.map((arg, i) => coerceArgument(arg, signature.args[i] ?? signature.variadic!, name, ctx));
  for (const i of signature.integerArgs ?? []) {
    const literal = typed[i]?.literal;
    if (literal?.kind === 'number' && !Number.isInteger(Number(literal.value))) {
      throw new WhereClauseError(`${name} argument ${i + 1} must be an integer`);
    }
  }
  const type = signature.returns === 'unified' ? (typed.find((v) => v.type !== 'null')?.type ?? 'null') : signature.returns;
  return { type, sql: ctx.dialect.call(name, typed) };
}

function coerceArgument(value: Value, kind: ArgKind, name: string, ctx: CompileContext): Value {
  if (kind === 'number' || kind === 'string') return coerceTo(ctx, value, kind, name);
  checkScalar(value);
  if (kind === 'text' && !['string', 'number', 'guid', 'null'].includes(value.type)) {
    throw new WhereClauseError(`${name} expects string or number values, not ${TYPE_NAMES[value.type]}`);
  }
  return value;
}

type CastTarget = { kind: 'number'; numeric: NumericCast } | { kind: 'text' | 'date' | 'timestamp' };

const CAST_TARGETS: Record<string, CastTarget> = {
  INT: { kind: 'number', numeric: 'integer' },
  INTEGER: { kind: 'number', numeric: 'integer' },
  SMALLINT: { kind: 'number', numeric: 'smallint' },
  BIGINT: { kind: 'number', numeric: 'bigint' },
  FLOAT: { kind: 'number', numeric: 'double' },
  DOUBLE: { kind: 'number', numeric: 'double' },
  'DOUBLE PRECISION': { kind: 'number', numeric: 'double' },
  REAL: { kind: 'number', numeric: 'real' },
  VARCHAR: { kind: 'text' },
  CHAR: { kind: 'text' },
  CHARACTER: { kind: 'text' },
  'CHARACTER VARYING': { kind: 'text' },
  DATE: { kind: 'date' },
  TIMESTAMP: { kind: 'timestamp' },
};

export function compileCast(value: Value, targetName: string, length: number | null, ctx: CompileContext): Value {
  const target = CAST_TARGETS[targetName];
  if (!target) throw new WhereClauseError(`Unsupported CAST type: ${targetName}`);
  checkScalar(value);
  const cannot = (): WhereClauseError => new WhereClauseError(`Cannot CAST a ${TYPE_NAMES[value.type]} value to ${targetName}`);
  if (value.type === 'null') return { type: target.kind === 'number' ? 'number' : target.kind === 'text' ? 'string' : 'date', sql: ['NULL'] };
  switch (target.kind) {
    case 'number': {
      const source = value.literal ? coerceTo(ctx, value, 'number', 'CAST') : value;
      if (source.type !== 'number' && source.type !== 'string') throw cannot();
      return { type: 'number', sql: ctx.dialect.toNumber(source, target.numeric) };
    }
    case 'text': {
      if (value.type === 'interval') throw cannot();
      const text = value.type === 'string' ? value.sql : ctx.dialect.toText(value);
      const sized = length === null ? text : ctx.dialect.truncateText(text, length);
      return { type: 'string', sql: sized };
    }
    default:
      return castToDate(value, target.kind === 'date', ctx, cannot);
  }
}

function castToDate(value: Value, dayOnly: boolean, ctx: CompileContext, cannot: () => WhereClauseError): Value {
  if (value.literal) {
    const literal = convertLiteral(value.literal, 'date');
    if (literal?.kind !== 'date') throw cannot();
    const ms = dayOnly ? literal.ms - (((literal.ms % MS_PER_DAY) + MS_PER_DAY) % MS_PER_DAY) : literal.ms;
    return literalValue(ctx, { kind: 'date', ms, dateOnly: dayOnly }, 'date');
  }
  switch (value.type) {
    case 'date':
      return dayOnly ? { type: 'date', sql: ctx.dialect.startOfDay(value.sql) } : value;
    case 'dateonly':
      return dayOnly ? value : { type: 'date', sql: ctx.dialect.dateOnlyToDate(value.sql) };
    case 'string':
      return { type: 'date', sql: ctx.dialect.stringToDate(value.sql, dayOnly) };
    default:
      throw cannot();
  }
}

const EXTRACT_UNITS: ExtractUnit[] = ['YEAR', 'MONTH', 'DAY', 'HOUR', 'MINUTE', 'SECOND'];

export function compileExtract(unitName: string, value: Value, ctx: CompileContext): Value {
  const unit = EXTRACT_UNITS.find((u) => u === unitName);
  if (!unit) throw new WhereClauseError(`Unsupported EXTRACT field: ${unitName}`);
  checkScalar(value);
  if (value.literal) return literalValue(ctx, { kind: 'number', ...extractFromLiteral(unit, value) });
  if (value.type === 'time' ? unit === 'YEAR' || unit === 'MONTH' || unit === 'DAY' : value.type !== 'date' && value.type !== 'dateonly') {
    throw new WhereClauseError(`Cannot EXTRACT ${unit} from a ${TYPE_NAMES[value.type]} value`);
  }
  return { type: 'number', sql: ctx.dialect.extract(unit, value) };
}

/** EXTRACT of a literal is computed here, in UTC, and bound as a number. */
function extractFromLiteral(unit: ExtractUnit, value: Value): { value: number; text: string } {
  const literal = value.literal!.kind === 'time' ? value.literal : convertLiteral(value.literal!, 'date');
  let result: number;
  if (literal?.kind === 'time') {
    const [h, m, s] = literal.value.split(':').map(Number);
    if (unit === 'YEAR' || unit === 'MONTH' || unit === 'DAY') throw new WhereClauseError(`Cannot EXTRACT ${unit} from a time-only value`);
    result = unit === 'HOUR' ? h : unit === 'MINUTE' ? m : s;
  } else if (literal?.kind === 'date') {
    const d = new Date(literal.ms);
    const parts = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds() + d.getUTCMilliseconds() / 1000];
    result = parts[EXTRACT_UNITS.indexOf(unit)];
  } else {
    throw new WhereClauseError(`Cannot EXTRACT ${unit} from a ${TYPE_NAMES[value.type]} value`);
  }
  return { value: result, text: String(result) };
}

export function compileTrim(mode: TrimMode, value: Value, chars: Value | null, ctx: CompileContext): Value {
  const text = coerceTo(ctx, value, 'string', 'TRIM');
  const set = chars && coerceTo(ctx, chars, 'string', 'TRIM');
  return { type: 'string', sql: ctx.dialect.trim(mode, text.sql, set ? set.sql : null) };
}

export function compilePosition(needle: Value, haystack: Value, ctx: CompileContext): Value {
  const [n, h] = [coerceTo(ctx, needle, 'string', 'POSITION'), coerceTo(ctx, haystack, 'string', 'POSITION')];
  return { type: 'number', sql: ctx.dialect.position(n.sql, h.sql) };
}
