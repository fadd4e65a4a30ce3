import { TYPE_NAMES, type Value } from './compiled-value.js';
import type { CompileContext } from './compile-context.js';
import { sql, type SqlPart } from './sql-parts.js';
import type { AggregateName, WhereNode } from './where-ast.js';
import { WhereClauseError } from './where-clause-error.js';

/** SQL function per aggregate; the sample statistics, as outStatistics computes them. */
const FUNCTION_NAMES: Record<'sqlite' | 'postgres', Record<AggregateName, string>> = {
  sqlite: { COUNT: 'count', SUM: 'sum', AVG: 'avg', MIN: 'min', MAX: 'max', STDDEV: 'StdDev_Samp', VAR: 'Var_Samp' },
  postgres: { COUNT: 'count', SUM: 'sum', AVG: 'avg', MIN: 'min', MAX: 'max', STDDEV: 'stddev_samp', VAR: 'var_samp' },
};
const NUMERIC = new Set<AggregateName>(['SUM', 'AVG', 'STDDEV', 'VAR']);

/**
 * An aggregate of a havingClause (refused in a where clause). COUNT is a number, SUM, AVG,
 * STDDEV and VAR take and give numbers, MIN and MAX keep their argument's type. The argument is
 * compiled by the caller's `compileArg`, so that this module does not import compile-value.ts back.
 */
export function compileAggregate(
  node: Extract<WhereNode, { kind: 'aggregate' }>,
  ctx: CompileContext,
  compileArg: (arg: WhereNode, ctx: CompileContext) => Value,
): Value {
  if (!ctx.groupFields) throw new WhereClauseError(`Aggregate functions are not allowed in a where clause: ${node.name}`);
  if (ctx.inAggregate) throw new WhereClauseError(`Aggregate functions cannot be nested: ${node.name}`);
  const name: SqlPart[] = [FUNCTION_NAMES[ctx.dialect.name][node.name]];
  if (node.arg === null) return { type: 'number', sql: sql`${name}(*)` };
  ctx.inAggregate = true;
  let arg: Value;
  try {
    arg = compileArg(node.arg, ctx);
  } finally {
    ctx.inAggregate = false;
  }
  if (NUMERIC.has(node.name) && arg.type !== 'number') throw new WhereClauseError(`${node.name} needs a number, not a ${TYPE_NAMES[arg.type]}`);
  if (arg.type === 'geometry' || arg.type === 'null') throw new WhereClauseError(`${node.name} cannot aggregate a ${TYPE_NAMES[arg.type]}`);
  const distinct: SqlPart[] = [node.distinct ? 'DISTINCT ' : ''];
  return { type: node.name === 'COUNT' ? 'number' : NUMERIC.has(node.name) ? 'number' : arg.type, sql: sql`${name}(${distinct}${arg.sql})` };
}
