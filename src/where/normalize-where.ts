import type { AggregateName, CompareOp, WhereNode } from './where-ast.js';
import { WhereClauseError } from './where-clause-error.js';

/** The parts of node-sql-parser's expression AST we read; everything else is refused. */
export interface ParsedNode {
  type?: string;
  operator?: string;
  left?: ParsedNode;
  right?: ParsedNode;
  expr?: ParsedNode;
  value?: unknown;
  parentheses?: boolean;
  args?: ParsedNode & { field?: string; cast_type?: string | null; source?: ParsedNode };
  name?: { name?: Array<{ value?: string }> } | string;
  table?: unknown;
  schema?: unknown;
  column?: { expr?: ParsedNode } | string;
  collate?: unknown;
  distinct?: unknown;
  escape?: { value?: ParsedNode };
  over?: unknown;
  symbol?: string;
  target?: Array<{ dataType?: string; length?: number }>;
  ast?: unknown;
}

const COMPARE: Record<string, CompareOp> = { '=': '=', '<>': '<>', '!=': '<>', '<': '<', '<=': '<=', '>': '>', '>=': '>=' };
const AGGREGATES = new Set(['COUNT', 'SUM', 'AVG', 'MIN', 'MAX', 'STDDEV', 'VARIANCE', 'VAR', 'STRING_AGG', 'ARRAY_AGG']);
const AGGREGATE_NAMES: Record<string, AggregateName | undefined> = {
  COUNT: 'COUNT', SUM: 'SUM', AVG: 'AVG', MIN: 'MIN', MAX: 'MAX', STDDEV: 'STDDEV', VAR: 'VAR', VARIANCE: 'VAR',
};
const PLACEHOLDER = /^~(\d+)~$/;

/**
 * Converts the parser's WHERE expression into a WhereNode tree.
 *
 * node-sql-parser 5.x builds AND/OR chains without precedence (`a OR b AND c` comes back as
 * `(a OR b) AND c`), but marks parenthesised groups. So each unparenthesised chain is flattened
 * in source order and regrouped with AND binding tighter than OR, as SQL-92 requires.
 */
export function normalizeWhere(where: ParsedNode): WhereNode {
  return normalizeChain(where);
}

function isLogical(node: ParsedNode | undefined): node is ParsedNode {
  return node?.type === 'binary_expr' && (node.operator === 'AND' || node.operator === 'OR');
}

function normalizeChain(root: ParsedNode): WhereNode {
  const operands: WhereNode[] = [];
  const ops: Array<'AND' | 'OR'> = [];
  const collect = (start: ParsedNode, isRoot: boolean): void => {
    // Walk the left spine iteratively: long `a OR b OR …` chains are left-deep.
    const rights: Array<{ op: 'AND' | 'OR'; node: ParsedNode }> = [];
    let node = start;
    while (isLogical(node) && (isRoot || !node.parentheses)) {
      rights.push({ op: node.operator as 'AND' | 'OR', node: node.right! });
      node = node.left!;
      isRoot = false;
    }
    if (node.type === 'unary_expr' && node.operator === 'NOT' && isLogical(node.expr) && !node.expr.parentheses) {
      // NOT binds tighter than AND/OR: it negates only the first operand of the chain.
      const first = operands.length;
      collect(node.expr, false);
      operands[first] = { kind: 'not', expr: operands[first] };
    } else {
      operands.push(normalize(node));
    }
    for (const right of rights.reverse()) {
      ops.push(right.op);
      collect(right.node, false);
    }
  };
  collect(root, true);

  const orItems: WhereNode[] = [];
  let andItems: WhereNode[] = [operands[0]];
  ops.forEach((op, i) => {
    if (op === 'AND') {
      andItems.push(operands[i + 1]);
    } else {
      orItems.push(combine('AND', andItems));
      andItems = [operands[i + 1]];
    }
  });
  orItems.push(combine('AND', andItems));
  return combine('OR', orItems);
}

function combine(op: 'AND' | 'OR', items: WhereNode[]): WhereNode {
  return items.length === 1 ? items[0] : { kind: 'logical', op, items };
}

function normalize(node: ParsedNode | undefined): WhereNode {
  if (!node) throw new WhereClauseError('Incomplete expression');
  if (node.ast !== undefined || node.type === 'select') throw new WhereClauseError('Subqueries are not allowed');
  switch (node.type) {
    case 'binary_expr':
      return normalizeBinary(node);
    case 'unary_expr':
      return normalizeUnary(node);
    case 'column_ref':
      return normalizeColumn(node);
    case 'number':
    case 'bigint':
      return { kind: 'number', text: String(node.value) };
    case 'single_quote_string':
      return { kind: 'slot', slot: readPlaceholder(node.value) };
    case 'double_quote_string':
      // Some grammar rules (SUBSTRING's) read "…" as a string; ours are always identifiers.
      return { kind: 'field', name: null, slot: readPlaceholder(node.value) };
    case 'date':
    case 'timestamp':
    case 'time':
      return { kind: 'typedLiteral', type: node.type.toUpperCase() as 'DATE', slot: readPlaceholder(node.value) };
    case 'null':
      return { kind: 'null' };
    case 'bool':
      throw new WhereClauseError('Boolean literals (TRUE/FALSE) are not supported');
    case 'function':
      return normalizeFunction(node);
    case 'aggr_func':
      return normalizeAggregate(String(node.name).toUpperCase(), node);
    case 'cast':
      return normalizeCast(node);
    case 'extract':
      return normalizeExtract(node);
    case 'case':
      throw new WhereClauseError('CASE expressions are not supported');
    case 'param':
    case 'var':
      throw new WhereClauseError('Parameters and variables are not allowed');
    case 'expr_list':
      throw new WhereClauseError('A list of values is only allowed after IN');
    default:
      throw new WhereClauseError(`Unsupported expression${node.type ? ` (${node.type})` : ''}`);
  }
}

function normalizeBinary(node: ParsedNode): WhereNode {
  const op = String(node.operator).toUpperCase();
  if (op === 'AND' || op === 'OR') return normalizeChain(node);
  if (COMPARE[op]) return { kind: 'compare', op: COMPARE[op], left: normalize(node.left), right: normalize(node.right) };
  switch (op) {
    case 'LIKE':
    case 'NOT LIKE': {
      const escape = node.right?.escape?.value;
      return { kind: 'like', negated: op !== 'LIKE', expr: normalize(node.left), pattern: normalize(node.right), escape: escape ? normalize(escape) : null };
    }
    case 'IN':
    case 'NOT IN':
      return { kind: 'in', negated: op !== 'IN', expr: normalize(node.left), list: readList(node.right, op).map(normalize) };
    case 'BETWEEN':
    case 'NOT BETWEEN': {
      const [low, high] = readList(node.right, op);
      return { kind: 'between', negated: op !== 'BETWEEN', expr: normalize(node.left), low: normalize(low), high: normalize(high) };
    }
    case 'IS':
    case 'IS NOT':
      if (node.right?.type !== 'null') throw new WhereClauseError('Only IS NULL and IS NOT NULL are supported');
      return { kind: 'isNull', negated: op === 'IS NOT', expr: normalize(node.left) };
    case '+':
    case '-':
    case '*':
    case '/':
      return { kind: 'arithmetic', op, left: normalize(node.left), right: normalize(node.right) };
    case '||':
      return { kind: 'concat', left: normalize(node.left), right: normalize(node.right) };
    default:
      throw new WhereClauseError(`Operator not allowed: ${op}`);
  }
}

function normalizeUnary(node: ParsedNode): WhereNode {
  const op = String(node.operator).toUpperCase();
  if (op === 'NOT') return { kind: 'not', expr: isLogical(node.expr) ? normalizeChain(node.expr) : normalize(node.expr) };
  if (op === '-') return { kind: 'negate', expr: normalize(node.expr) };
  if (op === '+') return normalize(node.expr);
  throw new WhereClauseError(`Operator not allowed: ${op}`);
}

function normalizeColumn(node: ParsedNode): WhereNode {
  if (node.table || node.schema) throw new WhereClauseError('Qualified names (table.field) are not allowed');
  if (node.collate) throw new WhereClauseError('COLLATE is not allowed');
  const expr = typeof node.column === 'object' ? node.column.expr : undefined;
  if (expr?.type === 'double_quote_string') return { kind: 'field', name: null, slot: readPlaceholder(expr.value) };
  if (expr?.type === 'default' && typeof expr.value === 'string') return { kind: 'field', name: expr.value, slot: null };
  throw new WhereClauseError('Unsupported column reference');
}

function readList(node: ParsedNode | undefined, op: string): ParsedNode[] {
  if (node?.type !== 'expr_list' || !Array.isArray(node.value)) throw new WhereClauseError(`${op} requires a list of values`);
  const items = node.value as ParsedNode[];
  if (items.some((item) => item.ast !== undefined)) throw new WhereClauseError('Subqueries are not allowed');
  if (op.endsWith('BETWEEN') && items.length !== 2) throw new WhereClauseError(`${op} requires two values`);
  return items;
}

function readPlaceholder(value: unknown): number {
  const m = typeof value === 'string' ? PLACEHOLDER.exec(value) : null;
  if (!m) throw new WhereClauseError('Unsupported literal');
  return Number(m[1]);
}

function functionArgs(node: ParsedNode): ParsedNode[] {
  const args = node.args;
  if (!args) return [];
  if (args.type !== 'expr_list' || !Array.isArray(args.value)) throw new WhereClauseError('Unsupported function arguments');
  const list = args.value as ParsedNode[];
  if (list.some((arg) => arg.ast !== undefined)) throw new WhereClauseError('Subqueries are not allowed');
  return list;
}

function normalizeFunction(node: ParsedNode): WhereNode {
  const parts = typeof node.name === 'object' ? (node.name.name ?? []) : [];
  if (parts.length !== 1 || typeof parts[0].value !== 'string') throw new WhereClauseError('Qualified function names are not allowed');
  const name = parts[0].value.toUpperCase();
  // A quoted name reaches us as its slot placeholder (~n~), which would mean nothing to the client.
  if (/^~\d+~$/.test(name)) throw new WhereClauseError('Quoted function names are not allowed');
  if (node.over) throw new WhereClauseError('Window functions are not allowed');
  if (AGGREGATES.has(name)) return normalizeAggregate(name, node);
  const args = functionArgs(node);
  if (name === 'NOT' && args.length === 1) return { kind: 'not', expr: normalizeChain(args[0]) };
  if ((name === 'CURRENT_DATE' || name === 'CURRENT_TIMESTAMP') && args.length === 0) return { kind: 'now', which: name };
  if (name === 'TRIM') return normalizeTrim(args);
  if (name === 'POSITION') return normalizePosition(args);
  if (args.some((arg) => arg.type === 'origin')) throw new WhereClauseError(`Unsupported syntax in ${name}()`);
  return { kind: 'call', name, args: args.map(normalize) };
}

/**
 * COUNT(*), COUNT([DISTINCT] x), SUM, AVG, MIN, MAX, STDDEV, VAR(IANCE) of one value: the
 * statistics a havingClause may test. Whether the clause may use them is the compiler's call.
 */
function normalizeAggregate(name: string, node: ParsedNode): WhereNode {
  const aggregate = AGGREGATE_NAMES[name];
  if (!aggregate) throw new WhereClauseError(`Aggregate function not allowed: ${name}`);
  if (node.over) throw new WhereClauseError('Window functions are not allowed');
  const args = node.type === 'aggr_func' ? (node.args as ParsedNode | undefined) : undefined;
  const distinct = String(args?.distinct ?? '').toUpperCase() === 'DISTINCT';
  const list = node.type === 'aggr_func' ? (args?.expr ? [args.expr as ParsedNode] : []) : functionArgs(node);
  if (list.length !== 1) throw new WhereClauseError(`${aggregate} expects 1 argument`);
  if (list[0]!.type === 'star') {
    if (aggregate !== 'COUNT' || distinct) throw new WhereClauseError(`${aggregate}(*) is not allowed`);
    return { kind: 'aggregate', name: aggregate, arg: null, distinct };
  }
  return { kind: 'aggregate', name: aggregate, arg: normalize(list[0]!), distinct };
}

/** TRIM([BOTH|LEADING|TRAILING] [chars] FROM s) or TRIM(s), as the parser lists them. */
function normalizeTrim(args: ParsedNode[]): WhereNode {
  const words = args.map((arg) => (arg.type === 'origin' ? String(arg.value).toUpperCase() : null));
  let i = 0;
  let mode: 'BOTH' | 'LEADING' | 'TRAILING' = 'BOTH';
  if (words[i] === 'BOTH' || words[i] === 'LEADING' || words[i] === 'TRAILING') mode = words[i++] as typeof mode;
  if (i === 0 && args.length === 1 && words[0] === null) return { kind: 'trim', mode, chars: null, expr: normalize(args[0]) };
  let chars: WhereNode | null = null;
  if (words[i] === null && words[i + 1] === 'FROM') chars = normalize(args[i++]);
  if (words[i] !== 'FROM' || i !== args.length - 2 || words[i + 1] !== null) {
    throw new WhereClauseError('TRIM must be written TRIM([BOTH|LEADING|TRAILING] [characters] FROM value)');
  }
  return { kind: 'trim', mode, chars, expr: normalize(args[i + 1]) };
}

function normalizePosition(args: ParsedNode[]): WhereNode {
  const word = args[1]?.type === 'origin' ? String(args[1].value).toUpperCase() : null;
  if (args.length !== 3 || word !== 'IN' || args[0].type === 'origin' || args[2].type === 'origin') {
    throw new WhereClauseError('POSITION must be written POSITION(substring IN value)');
  }
  return { kind: 'position', needle: normalize(args[0]), haystack: normalize(args[2]) };
}

function normalizeCast(node: ParsedNode): WhereNode {
  if (node.symbol !== 'as') throw new WhereClauseError('Only CAST(value AS type) is allowed');
  const target = node.target ?? [];
  if (target.length !== 1 || typeof target[0].dataType !== 'string') throw new WhereClauseError('Unsupported CAST target');
  const length = typeof target[0].length === 'number' ? target[0].length : null;
  return { kind: 'cast', expr: normalize(node.expr), target: target[0].dataType.toUpperCase(), length };
}

function normalizeExtract(node: ParsedNode): WhereNode {
  const unit = String(node.args?.field ?? '').toUpperCase();
  const source = node.args?.source;
  const castType = node.args?.cast_type?.toUpperCase();
  if (castType === 'DATE' || castType === 'TIMESTAMP' || castType === 'TIME') {
    return { kind: 'extract', unit, expr: { kind: 'typedLiteral', type: castType, slot: readPlaceholder(source?.value) } };
  }
  if (castType) throw new WhereClauseError(`Unsupported literal type in EXTRACT: ${castType}`);
  return { kind: 'extract', unit, expr: normalize(source) };
}
