import type { WhereNode } from './where-ast.js';

/**
 * Value expressions (`a || b || …`, `x + y + …`) nest at most this deep. AND/OR chains do not count:
 * they are flat lists, rendered balanced. SQLite refuses expression trees deeper than 1,000 and
 * PostgreSQL's stack limits recursion too, so deeper clauses are refused here with a 400.
 */
export const MAX_EXPRESSION_DEPTH = 200;

/** Depth of value nesting in a where tree (logical lists add nothing). */
export function expressionDepth(node: WhereNode): number {
  const children = childrenOf(node);
  let deepest = 0;
  for (const child of children) deepest = Math.max(deepest, expressionDepth(child));
  return node.kind === 'logical' ? deepest : deepest + 1;
}

function childrenOf(node: WhereNode): WhereNode[] {
  switch (node.kind) {
    case 'logical':
      return node.items;
    case 'not':
    case 'negate':
    case 'isNull':
    case 'cast':
    case 'extract':
      return [node.expr];
    case 'compare':
    case 'arithmetic':
    case 'concat':
      return [node.left, node.right];
    case 'like':
      return [node.expr, node.pattern, ...(node.escape ? [node.escape] : [])];
    case 'in':
      return [node.expr, ...node.list];
    case 'between':
      return [node.expr, node.low, node.high];
    case 'call':
      return node.args;
    case 'aggregate':
      return node.arg ? [node.arg] : [];
    case 'trim':
      return [node.expr, ...(node.chars ? [node.chars] : [])];
    case 'position':
      return [node.needle, node.haystack];
    default:
      return [];
  }
}
