import { FIELD_VALUE_TYPES, TYPE_NAMES, type Literal, type Value } from './compiled-value.js';
import { compileAggregate } from './compile-aggregate.js';
import { compileCall, compileCast, compileExtract, compilePosition, compileTrim } from './compile-call.js';
import { readSlot, resolveField, type CompileContext } from './compile-context.js';
import { checkScalar, coerceTo, literalValue } from './coerce-value.js';
import { MS_PER_DAY, parseDateLiteral, parseNumber, parseTime, parseTimestampLiteral } from './literal-values.js';
import { sql } from './sql-parts.js';
import type { ArithmeticOp, WhereNode } from './where-ast.js';
import { WhereClauseError } from './where-clause-error.js';

/** Compiles a node that yields a value (not a condition). */
export function compileValue(node: WhereNode, ctx: CompileContext): Value {
  switch (node.kind) {
    case 'field':
      return compileField(node.slot === null ? node.name! : readSlot(ctx, node.slot, 'ident').value, ctx);
    case 'number':
      return literalValue(ctx, readNumber(node.text));
    case 'slot':
      return literalValue(ctx, readSlotLiteral(node.slot, ctx));
    case 'typedLiteral':
      return literalValue(ctx, readTypedLiteral(node.type, readSlot(ctx, node.slot, 'string').value));
    case 'null':
      return literalValue(ctx, { kind: 'null' });
    case 'now':
      return literalValue(ctx, readNow(node.which, ctx.now));
    case 'negate':
      return compileNegate(compileValue(node.expr, ctx), ctx);
    case 'arithmetic':
      return compileArithmetic(node.op, compileValue(node.left, ctx), compileValue(node.right, ctx), ctx);
    case 'concat': {
      const [left, right] = [node.left, node.right].map((n) => concatOperand(compileValue(n, ctx), ctx));
      return { type: 'string', sql: sql`(${left} || ${right})` };
    }
    case 'call':
      return compileCall(node.name, node.args.map((arg) => compileValue(arg, ctx)), ctx);
    case 'aggregate':
      return compileAggregate(node, ctx, compileValue);
    case 'cast':
      return compileCast(compileValue(node.expr, ctx), node.target, node.length, ctx);
    case 'extract':
      return compileExtract(node.unit, compileValue(node.expr, ctx), ctx);
    case 'trim':
      return compileTrim(node.mode, compileValue(node.expr, ctx), node.chars && compileValue(node.chars, ctx), ctx);
    case 'position':
      return compilePosition(compileValue(node.needle, ctx), compileValue(node.haystack, ctx), ctx);
    default:
      throw new WhereClauseError('A condition cannot be used as a value');
  }
}

function compileField(name: string, ctx: CompileContext): Value {
  const field = resolveField(ctx, name);
  const type = FIELD_VALUE_TYPES[field.type];
  if (!type) throw new WhereClauseError(`Field ${field.name} cannot be used in a where clause`);
  return { type, sql: ctx.dialect.column(ctx.quoteColumn(field.name), field.type), field: field.name };
}

export function readNumber(text: string): Literal {
  const value = parseNumber(text);
  if (value === null) throw new WhereClauseError(`Invalid number '${text}'`);
  return { kind: 'number', value, text };
}

function readSlotLiteral(index: number, ctx: CompileContext): Literal {
  const slot = ctx.slots[index];
  switch (slot?.kind) {
    case 'string':
      return { kind: 'string', value: slot.value };
    case 'number':
      return readNumber(slot.text);
    case 'interval':
      return { kind: 'interval', ms: slot.ms };
    case 'currentUser':
      if (ctx.currentUser === undefined) throw new WhereClauseError('CURRENT_USER is not available for this request');
      return { kind: 'string', value: ctx.currentUser };
    case 'list':
      throw new WhereClauseError('A list of values is only allowed after IN');
    default:
      throw new WhereClauseError('Unsupported literal');
  }
}

function readTypedLiteral(type: 'DATE' | 'TIMESTAMP' | 'TIME', text: string): Literal {
  if (type === 'DATE') return { kind: 'date', ...parseDateLiteral(text) };
  if (type === 'TIMESTAMP') return { kind: 'date', ...parseTimestampLiteral(text) };
  const time = parseTime(text);
  if (time === null) throw new WhereClauseError(`Invalid TIME literal '${text.slice(0, 30)}' (expected hh:mm:ss)`);
  return { kind: 'time', value: time };
}

/** CURRENT_DATE is midnight UTC today: layer dates are UTC (dateFieldsTimeReference). */
function readNow(which: 'CURRENT_DATE' | 'CURRENT_TIMESTAMP', now: Date): Literal {
  const ms = now.getTime();
  if (which === 'CURRENT_TIMESTAMP') return { kind: 'date', ms, dateOnly: false };
  return { kind: 'date', ms: ms - (((ms % MS_PER_DAY) + MS_PER_DAY) % MS_PER_DAY), dateOnly: true };
}

function compileNegate(value: Value, ctx: CompileContext): Value {
  const literal = value.literal;
  if (literal?.kind === 'number') {
    const value = typeof literal.value === 'bigint' ? -literal.value : -literal.value; // narrowed apart for TypeScript
    const text = literal.text.startsWith('-') ? literal.text.slice(1) : `-${literal.text}`;
    return literalValue(ctx, { kind: 'number', value, text });
  }
  if (literal?.kind === 'interval') return literalValue(ctx, { kind: 'interval', ms: -literal.ms });
  const number = coerceTo(ctx, value, 'number', 'Unary minus');
  return { type: 'number', sql: sql`(-${number.sql})` };
}

function isTemporal(value: Value): boolean {
  return value.type === 'date' || value.type === 'dateonly' || value.type === 'interval';
}

function compileArithmetic(op: ArithmeticOp, left: Value, right: Value, ctx: CompileContext): Value {
  if (isTemporal(left) || isTemporal(right)) return compileDateArithmetic(op, left, right, ctx);
  const what = `Operator ${op}`;
  const [a, b] = [coerceTo(ctx, left, 'number', what), coerceTo(ctx, right, 'number', what)];
  if (op === '/') return { type: 'number', sql: ctx.dialect.divide(a.sql, b.sql) };
  return { type: 'number', sql: sql`(${a.sql} ${[op]} ${b.sql})` };
}

/** date ± INTERVAL, date ± days, INTERVAL + date. Literal-only sums fold into one bound date. */
function compileDateArithmetic(op: ArithmeticOp, left: Value, right: Value, ctx: CompileContext): Value {
  const swap = op === '+' && !isDate(left) && isDate(right);
  const [date, amount] = swap ? [right, left] : [left, right];
  if (!isDate(date) || (op !== '+' && op !== '-') || !(amount.type === 'interval' || amount.type === 'number' || amount.type === 'null')) {
    throw new WhereClauseError(
      `Unsupported date arithmetic: ${TYPE_NAMES[left.type]} ${op} ${TYPE_NAMES[right.type]} (use date + or - INTERVAL or a number of days)`,
    );
  }
  const sign = op === '-' ? -1 : 1;
  const shiftMs = amount.literal?.kind === 'interval' ? amount.literal.ms : amount.literal?.kind === 'number' ? Number(amount.literal.value) * MS_PER_DAY : null;
  if (date.literal?.kind === 'date' && shiftMs !== null) {
    return literalValue(ctx, { kind: 'date', ms: date.literal.ms + sign * shiftMs, dateOnly: false }, 'date');
  }
  const base = date.type === 'dateonly' ? ctx.dialect.dateOnlyToDate(date.sql) : date.literal ? literalValue(ctx, date.literal, 'date').sql : date.sql;
  const shift = amount.type === 'interval' || amount.type === 'null' ? amount.sql : ctx.dialect.daysToInterval(amount.sql);
  return { type: 'date', sql: sql`(${base} ${[op]} ${shift})` };
}

function isDate(value: Value): boolean {
  return value.type === 'date' || value.type === 'dateonly';
}

function concatOperand(value: Value, ctx: CompileContext): Value['sql'] {
  checkScalar(value);
  if (value.type === 'null' || value.type === 'string' || value.type === 'guid' || value.type === 'number') {
    return ctx.dialect.concatOperand(value);
  }
  throw new WhereClauseError(`|| expects string or number values, not ${TYPE_NAMES[value.type]}`);
}
