import { TYPE_NAMES, type Literal, type Value, type ValueType } from './compiled-value.js';
import type { CompileContext } from './compile-context.js';
import { normalizeGuid, parseNumber, parseTime, parseTimestamp } from './literal-values.js';
import { clip } from './tokenize-where.js';
import { WhereClauseError } from './where-clause-error.js';

export function literalValue(ctx: CompileContext, literal: Literal, type: ValueType = defaultType(literal)): Value {
  return { type, sql: ctx.dialect.literal(literal, type), literal };
}

function defaultType(literal: Literal): ValueType {
  return literal.kind;
}

/** Refuses values that only make sense in one place (the shape field, intervals). */
export function checkScalar(value: Value): Value {
  if (value.type === 'geometry') {
    throw new WhereClauseError(`Field ${value.field ?? 'shape'} can only be used with IS NULL or IS NOT NULL`);
  }
  if (value.type === 'interval') throw new WhereClauseError('An INTERVAL can only be added to or subtracted from a date');
  return value;
}

function mismatch(a: ValueType, b: ValueType): WhereClauseError {
  return new WhereClauseError(`Type mismatch: cannot compare ${TYPE_NAMES[a]} with ${TYPE_NAMES[b]}`);
}

/**
 * Converts a literal to the type it is compared with: `POP = '5'` binds 5, `D > '2020-01-01'`
 * binds a date, `GlobalID = '{abc…}'` binds the upper-case form. Returns null when a date-only
 * column has to become a timestamp instead (compared with a time of day).
 */
export function convertLiteral(literal: Literal, target: ValueType): Literal | null {
  if (literal.kind === 'null' || literal.kind === target) return literal;
  const text = literal.kind === 'string' ? literal.value : null;
  switch (target) {
    case 'number': {
      const value = text === null ? null : parseNumber(text);
      if (value === null) throw invalidValue(literal, target);
      return { kind: 'number', value, text: text!.trim() };
    }
    case 'string':
      if (literal.kind === 'number') return { kind: 'string', value: literal.text };
      throw invalidValue(literal, target);
    case 'date':
    case 'dateonly': {
      const instant = text !== null ? parseTimestamp(text) : literal.kind === 'date' ? literal : null;
      if (instant) return target === 'dateonly' && !instant.dateOnly ? null : { kind: 'date', ms: instant.ms, dateOnly: instant.dateOnly };
      if (literal.kind === 'number' && target === 'date' && typeof literal.value === 'number') {
        return { kind: 'date', ms: literal.value, dateOnly: false };
      }
      throw invalidValue(literal, target);
    }
    case 'time': {
      const time = text === null ? null : parseTime(text);
      if (time === null) throw invalidValue(literal, target);
      return { kind: 'time', value: time };
    }
    case 'guid': {
      const guid = text === null ? null : normalizeGuid(text);
      if (guid === null) throw invalidValue(literal, target);
      return { kind: 'guid', value: guid };
    }
    default:
      throw mismatch(target, literal.kind);
  }
}

function invalidValue(literal: Literal, target: ValueType): WhereClauseError {
  if (literal.kind !== 'string') return mismatch(target, literal.kind);
  return new WhereClauseError(`Invalid ${TYPE_NAMES[target]} value '${clip(literal.value)}'`);
}

function compatible(a: ValueType, b: ValueType): boolean {
  return a === b || (a === 'string' && b === 'guid') || (a === 'guid' && b === 'string');
}

/**
 * Makes values comparable with each other (`=`, IN, BETWEEN, COALESCE): literals take the type
 * of the first non-literal; non-literals must already agree. Date-only columns compared with a
 * point in time become timestamps at midnight UTC.
 */
export function unify(ctx: CompileContext, values: Value[]): Value[] {
  values.forEach(checkScalar);
  const anchor = values.find((v) => !v.literal) ?? values.find((v) => v.type !== 'null') ?? values[0];
  let target = anchor.type;
  if (target === 'dateonly' && needsTimestamp(values)) target = 'date';
  return values.map((value) => {
    if (value.literal) {
      const literal = convertLiteral(value.literal, target);
      if (literal === null) throw mismatch(target, value.type);
      return literalValue(ctx, literal, literal.kind === 'null' ? 'null' : target);
    }
    if (value.type === 'dateonly' && target === 'date') return { type: 'date', sql: ctx.dialect.dateOnlyToDate(value.sql) };
    if (!compatible(target, value.type)) throw mismatch(target, value.type);
    return value;
  });
}

function needsTimestamp(values: Value[]): boolean {
  return values.some((v) => (v.literal ? convertLiteral(v.literal, 'dateonly') === null : v.type === 'date'));
}

/** One value as `target`, for function arguments and operands. */
export function coerceTo(ctx: CompileContext, value: Value, target: ValueType, what: string): Value {
  checkScalar(value);
  if (value.literal) {
    if (value.literal.kind === 'null') return value;
    const literal = convertLiteral(value.literal, target);
    if (literal === null) throw mismatch(target, value.type);
    return literalValue(ctx, literal, target);
  }
  if (compatible(target, value.type) || (target === 'string' && value.type === 'guid')) return value;
  throw new WhereClauseError(`${what} expects a ${TYPE_NAMES[target]} value, not ${TYPE_NAMES[value.type]}`);
}
