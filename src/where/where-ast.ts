/**
 * The where clause as we compile it: node-sql-parser's AST reduced to the constructs
 * standardized queries allow, with AND/OR precedence repaired. Values of literals and quoted
 * names live in the per-call slot table (see rewrite-where.ts), so one parsed tree serves every
 * clause that differs only in its values.
 */
export type WhereNode =
  | { kind: 'logical'; op: 'AND' | 'OR'; items: WhereNode[] }
  | { kind: 'not'; expr: WhereNode }
  | { kind: 'compare'; op: CompareOp; left: WhereNode; right: WhereNode }
  | { kind: 'like'; negated: boolean; expr: WhereNode; pattern: WhereNode; escape: WhereNode | null }
  | { kind: 'in'; negated: boolean; expr: WhereNode; list: WhereNode[] }
  | { kind: 'between'; negated: boolean; expr: WhereNode; low: WhereNode; high: WhereNode }
  | { kind: 'isNull'; negated: boolean; expr: WhereNode }
  | { kind: 'arithmetic'; op: ArithmeticOp; left: WhereNode; right: WhereNode }
  | { kind: 'concat'; left: WhereNode; right: WhereNode }
  | { kind: 'negate'; expr: WhereNode }
  | { kind: 'field'; name: string | null; slot: number | null }
  | { kind: 'number'; text: string }
  | { kind: 'slot'; slot: number }
  | { kind: 'typedLiteral'; type: 'DATE' | 'TIMESTAMP' | 'TIME'; slot: number }
  | { kind: 'null' }
  | { kind: 'now'; which: 'CURRENT_DATE' | 'CURRENT_TIMESTAMP' }
  | { kind: 'call'; name: string; args: WhereNode[] }
  /** Only in a havingClause; `arg` null is COUNT(*). */
  | { kind: 'aggregate'; name: AggregateName; arg: WhereNode | null; distinct: boolean }
  | { kind: 'cast'; expr: WhereNode; target: string; length: number | null }
  | { kind: 'extract'; unit: string; expr: WhereNode }
  | { kind: 'trim'; mode: 'BOTH' | 'LEADING' | 'TRAILING'; chars: WhereNode | null; expr: WhereNode }
  | { kind: 'position'; needle: WhereNode; haystack: WhereNode };

export type AggregateName = 'COUNT' | 'SUM' | 'AVG' | 'MIN' | 'MAX' | 'STDDEV' | 'VAR';

export type CompareOp = '=' | '<>' | '<' | '<=' | '>' | '>=';
export type ArithmeticOp = '+' | '-' | '*' | '/';
