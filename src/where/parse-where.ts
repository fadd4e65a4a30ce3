import nodeSqlParser from 'node-sql-parser/build/postgresql.js';
import { normalizeWhere, type ParsedNode } from './normalize-where.js';
import type { RewrittenWhere } from './rewrite-where.js';
import { clip } from './tokenize-where.js';
import type { WhereNode } from './where-ast.js';
import { WhereClauseError } from './where-clause-error.js';

// The PostgreSQL grammar is the closest to SQL-92: double-quoted identifiers, typed literals
// (DATE '…'), EXTRACT, CAST, POSITION, TRIM(BOTH … FROM …), LIKE … ESCAPE. Only this one
// grammar is loaded (300 kB instead of the 2.5 MB all-dialect bundle).
const parser = new nodeSqlParser.Parser();
// The clause is wrapped in parentheses; the tokenizer guarantees its own are balanced, so it
// cannot close ours and append ORDER BY, UNION or anything else after the predicate.
const PREFIX = 'SELECT * FROM t WHERE (';
const SUFFIX = ')';
const CACHE_SIZE = 1000;
/** Longer texts are parsed every time, so the cache stays small whatever clients send. */
const MAX_CACHED_LENGTH = 2000;

type CacheEntry = { tree: WhereNode } | { syntaxErrorAt: number } | { error: string };
// Parsing costs ~0.5–1 ms; rewritten texts repeat across requests because values are slots.
const cache = new Map<string, CacheEntry>();

/** Parses rewritten clause text into a WhereNode tree (cached), or throws WhereClauseError. */
export function parseWhere(rewritten: RewrittenWhere): WhereNode {
  const entry = lookup(rewritten.text);
  if ('tree' in entry) return entry.tree;
  if ('error' in entry) throw new WhereClauseError(entry.error);
  const near = entry.syntaxErrorAt >= rewritten.text.length ? null : rewritten.sourceAt(entry.syntaxErrorAt);
  throw new WhereClauseError(near === null ? 'Syntax error: unexpected end of where clause' : `Syntax error near '${clip(near)}'`);
}

/** A least-recently-used cache: a Map iterates in insertion order, so re-inserting refreshes. */
function lookup(text: string): CacheEntry {
  if (text.length > MAX_CACHED_LENGTH) return parseUncached(text);
  let entry = cache.get(text);
  if (entry) cache.delete(text);
  else entry = parseUncached(text);
  cache.set(text, entry);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return entry;
}

function parseUncached(text: string): CacheEntry {
  let statement: ParsedNode;
  try {
    statement = parser.astify(PREFIX + text + SUFFIX, { database: 'postgresql' }) as unknown as ParsedNode;
  } catch (error) {
    if (error instanceof RangeError) return { error: 'Where clause is too complex' };
    const offset = (error as { location?: { start?: { offset?: number } } }).location?.start?.offset;
    return { syntaxErrorAt: typeof offset === 'number' ? offset - PREFIX.length : text.length };
  }
  try {
    return { tree: normalizeWhere(checkStatement(statement)) };
  } catch (error) {
    if (error instanceof WhereClauseError) return { error: error.message };
    if (error instanceof RangeError) return { error: 'Where clause is too complex' };
    throw error;
  }
}

/** Defence in depth: the statement must be exactly our SELECT with a WHERE and nothing else. */
function checkStatement(statement: ParsedNode): ParsedNode {
  const s = statement as ParsedNode & Record<string, unknown>;
  const limit = s.limit as { value?: unknown[] } | null | undefined;
  const extra = s.groupby || s.having || s.orderby || s._next || s.union || s.with || (limit?.value?.length ?? 0) > 0;
  if (Array.isArray(statement) || s.type !== 'select' || !s.where || extra) {
    throw new WhereClauseError('Only a single where condition is allowed');
  }
  return s.where as ParsedNode;
}
