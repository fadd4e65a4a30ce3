import { TYPE_NAMES, type Value } from './compiled-value.js';
import { readSlot, type CompileContext } from './compile-context.js';
import { checkScalar, coerceTo, literalValue, unify } from './coerce-value.js';
import { compileValue, readNumber } from './compile-value.js';
import { joinParts, sql, type SqlPart } from './sql-parts.js';
import type { CompareOp, WhereNode } from './where-ast.js';
import { WhereClauseError } from './where-clause-error.js';

/** A compiled condition; `constant` when it folded to always true / always false. */
export interface Predicate {
  sql: SqlPart[];
  constant?: boolean;
}

const TRUE: Predicate = { sql: ['1=1'], constant: true };
const FALSE: Predicate = { sql: ['1=0'], constant: false };

/**
 * Compiles a condition. `bare` leaves an AND/OR list unparenthesised (top level, under NOT);
 * everything nested is parenthesised, so the output never depends on operator precedence.
 */
export function compilePredicate(node: WhereNode, ctx: CompileContext, bare = false): Predicate {
  switch (node.kind) {
    case 'logical':
      return compileLogical(node.op, node.items.map((item) => compilePredicate(item, ctx)), bare);
    case 'not': {
      const inner = compilePredicate(node.expr, ctx, true);
      if (inner.constant !== undefined) return inner.constant ? FALSE : TRUE;
      return { sql: sql`NOT (${inner.sql})` };
    }
    case 'compare':
      return compileCompare(node.op, compileValue(node.left, ctx), compileValue(node.right, ctx), ctx);
    case 'like':
      return compileLike(node, ctx);
    case 'in': {
      const [expr, ...list] = unify(ctx, [compileValue(node.expr, ctx), ...node.list.flatMap((item) => compileListItem(item, ctx))]);
      return { sql: sql`${expr.sql} ${[node.negated ? 'NOT IN' : 'IN']} (${joinParts(list.map((v) => v.sql), ', ')})` };
    }
    case 'between': {
      const [expr, low, high] = unify(ctx, [node.expr, node.low, node.high].map((n) => compileValue(n, ctx)));
      return { sql: sql`${expr.sql} ${[node.negated ? 'NOT BETWEEN' : 'BETWEEN']} ${low.sql} AND ${high.sql}` };
    }
    case 'isNull': {
      const value = compileValue(node.expr, ctx);
      return { sql: sql`${value.sql} ${[node.negated ? 'IS NOT NULL' : 'IS NULL']}` };
    }
    default:
      throw new WhereClauseError('Expected a condition (such as FIELD = value) but found a value');
  }
}

function compileLogical(op: 'AND' | 'OR', items: Predicate[], bare: boolean): Predicate {
  // Fold 1=1 / 1=0 idioms: `1=1 AND x` is x, `1=0 OR x` is x.
  const absorbing = op === 'AND' ? false : true;
  if (items.some((item) => item.constant === absorbing)) return absorbing ? TRUE : FALSE;
  const kept = items.filter((item) => item.constant === undefined);
  if (kept.length === 0) return absorbing ? FALSE : TRUE;
  if (kept.length === 1) return kept[0];
  const joined = joinParts(kept.map((item) => item.sql), ` ${op} `);
  return { sql: bare ? joined : sql`(${joined})` };
}

const COMPARE: Record<CompareOp, (a: number, b: number) => boolean> = {
  '=': (a, b) => a === b,
  '<>': (a, b) => a !== b,
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
};

function compileCompare(op: CompareOp, left: Value, right: Value, ctx: CompileContext): Predicate {
  const [a, b] = unify(ctx, [left, right]);
  if (a.literal?.kind === 'number' && b.literal?.kind === 'number') {
    return COMPARE[op](Number(a.literal.value), Number(b.literal.value)) ? TRUE : FALSE;
  }
  return { sql: sql`${a.sql} ${[op]} ${b.sql}` };
}

/** `IN ('~n~')` placeholders stand for a whole list of literals (see rewrite-where.ts). */
function compileListItem(node: WhereNode, ctx: CompileContext): Value[] {
  if (node.kind !== 'slot' || ctx.slots[node.slot]?.kind !== 'list') return [compileValue(node, ctx)];
  return readSlot(ctx, node.slot, 'list').items.map((item) =>
    literalValue(ctx, item.kind === 'number' ? readNumber(item.text) : { kind: 'string', value: item.value }),
  );
}

/**
 * LIKE keeps the database's case rules, as ArcGIS does: case-insensitive for ASCII in SQLite,
 * case-sensitive in PostgreSQL. Clients that need either use UPPER()/LOWER() on both sides.
 */
function compileLike(node: Extract<WhereNode, { kind: 'like' }>, ctx: CompileContext): Predicate {
  const expr = checkScalar(compileValue(node.expr, ctx));
  if (expr.type !== 'string' && expr.type !== 'guid' && expr.type !== 'null') {
    throw new WhereClauseError(`LIKE needs a string value, not ${TYPE_NAMES[expr.type]}${expr.field ? ` (field ${expr.field})` : ''}`);
  }
  const pattern = coerceTo(ctx, compileValue(node.pattern, ctx), 'string', 'LIKE');
  let escape: SqlPart[] | null = null;
  if (node.escape) {
    const value = compileValue(node.escape, ctx);
    if (value.literal?.kind !== 'string' || [...value.literal.value].length !== 1) {
      throw new WhereClauseError('ESCAPE must be a single character string');
    }
    escape = value.sql;
  }
  return { sql: ctx.dialect.like(expr.sql, pattern.sql, escape, node.negated) };
}
