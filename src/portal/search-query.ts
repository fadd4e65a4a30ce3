import type { ItemFilter, ItemFilterField } from '../store/item-store.js';

/** Portal field names (lower-case) → filter fields. */
const FIELDS: Record<string, ItemFilterField> = {
  id: 'id',
  owner: 'owner',
  title: 'title',
  type: 'type',
  tags: 'tags',
  tag: 'tags',
  typekeywords: 'typeKeywords',
  description: 'description',
  snippet: 'snippet',
  access: 'access',
};
// One organisation: clients add `orgid:<id>` to scope searches, which always holds here.
const ALWAYS_TRUE_FIELDS = new Set(['orgid']);
const MATCH_ALL: ItemFilter = { all: [] };
const MATCH_NONE: ItemFilter = { any: [] };

type Token =
  | { kind: 'close' | 'and' | 'or' | 'not' }
  | { kind: 'open'; field?: string; prefix?: '-' | '+' }
  | { kind: 'term'; field?: string; value: string; quoted: boolean; prefix?: '-' | '+' };

/**
 * Parses the portal search syntax (`q`) into an ItemFilter: free words and "phrases" (title,
 * tags, snippet, description, type, type keywords), `field:value` and `field:"quoted value"`,
 * AND / OR / NOT (upper case, also && || ! and a leading - or +), parentheses, `*` wildcards.
 * Terms without an operator between them must all match, as on the portal. Unknown fields and
 * ranges match nothing rather than everything, so a query never widens by accident.
 *
 * @example parseSearchQuery('owner:ana AND type:"Web Map"')
 *   → { all: [{ field: 'owner', value: 'ana' }, { field: 'type', value: 'Web Map', exact: true }] }
 */
export function parseSearchQuery(q: string | undefined): ItemFilter | undefined {
  if (!q || q.trim() === '' || q.trim() === '*') return undefined;
  const tokens = tokenize(q);
  const parser = { tokens, position: 0 };
  const filter = parseOr(parser);
  return simplify(filter);
}

interface Parser {
  tokens: Token[];
  position: number;
}

function parseOr(parser: Parser): ItemFilter {
  const parts = [parseAnd(parser)];
  while (parser.tokens[parser.position]?.kind === 'or') {
    parser.position++;
    parts.push(parseAnd(parser));
  }
  return parts.length === 1 ? parts[0]! : { any: parts };
}

function parseAnd(parser: Parser): ItemFilter {
  const parts: ItemFilter[] = [];
  for (;;) {
    const token = parser.tokens[parser.position];
    if (!token || token.kind === 'or' || token.kind === 'close') break;
    if (token.kind === 'and') {
      parser.position++;
      continue;
    }
    parts.push(parseUnary(parser));
  }
  return parts.length === 1 ? parts[0]! : { all: parts };
}

function parseUnary(parser: Parser): ItemFilter {
  const token = parser.tokens[parser.position]!;
  if (token.kind === 'not') {
    parser.position++;
    return parser.tokens[parser.position] ? { not: parseUnary(parser) } : MATCH_ALL;
  }
  parser.position++;
  if (token.kind === 'open') {
    const inner = parseOr(parser);
    if (parser.tokens[parser.position]?.kind === 'close') parser.position++;
    const scoped = token.field === undefined ? inner : applyField(inner, token.field);
    return token.prefix === '-' ? { not: scoped } : scoped;
  }
  if (token.kind === 'term') {
    const leaf = toLeaf(token);
    return token.prefix === '-' ? { not: leaf } : leaf;
  }
  return MATCH_ALL;
}

/** `type:("Web Map" OR "Web Scene")`: free terms inside the group take the group's field. */
function applyField(filter: ItemFilter, field: string): ItemFilter {
  if ('all' in filter) return { all: filter.all.map((f) => applyField(f, field)) };
  if ('any' in filter) return { any: filter.any.map((f) => applyField(f, field)) };
  if ('not' in filter) return { not: applyField(filter.not, field) };
  if (filter.field !== 'text') return filter;
  return toLeaf({ kind: 'term', field, value: filter.value, quoted: filter.exact === true });
}

function toLeaf(token: Extract<Token, { kind: 'term' }>): ItemFilter {
  if (token.field === undefined) {
    if (token.value === '*') return MATCH_ALL;
    return token.quoted ? { field: 'text', value: token.value, exact: true } : { field: 'text', value: token.value };
  }
  const name = token.field.toLowerCase();
  if (ALWAYS_TRUE_FIELDS.has(name)) return MATCH_ALL;
  const field = FIELDS[name];
  if (!field || /^[[{]/.test(token.value)) return MATCH_NONE;
  return token.quoted ? { field, value: token.value, exact: true } : { field, value: token.value };
}

/** Splits the query into operators, parentheses and terms (`field:value`, `field:"a b"`, words). */
function tokenize(q: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < q.length) {
    const char = q[i]!;
    if (/\s/.test(char)) {
      i++;
    } else if (char === '(' || char === ')') {
      tokens.push({ kind: char === '(' ? 'open' : 'close' });
      i++;
    } else {
      const { token, next } = readTerm(q, i);
      tokens.push(token);
      i = next;
    }
  }
  return tokens;
}

function readTerm(q: string, start: number): { token: Token; next: number } {
  let i = start;
  let prefix: '-' | '+' | undefined;
  if ((q[i] === '-' || q[i] === '+' || q[i] === '!') && i + 1 < q.length && !/\s/.test(q[i + 1]!)) {
    prefix = q[i] === '+' ? '+' : '-';
    i++;
    if (q[i] === '(') return { token: { kind: 'open', prefix }, next: i + 1 };
  }
  let field: string | undefined;
  const fieldMatch = /^([A-Za-z_][\w.]*):/.exec(q.slice(i));
  if (fieldMatch) {
    field = fieldMatch[1];
    i += fieldMatch[0].length;
    if (q[i] === '(') return { token: { kind: 'open', field, prefix }, next: i + 1 };
  }
  const { value, quoted, next } = readValue(q, i);
  if (!field && !quoted && !prefix) {
    const operator = ({ AND: 'and', '&&': 'and', OR: 'or', '||': 'or', NOT: 'not' } as const)[value];
    if (operator) return { token: { kind: operator }, next };
  }
  return { token: { kind: 'term', field, value, quoted, prefix }, next };
}

function readValue(q: string, start: number): { value: string; quoted: boolean; next: number } {
  if (q[start] === '"') {
    const end = q.indexOf('"', start + 1);
    const stop = end === -1 ? q.length : end;
    return { value: q.slice(start + 1, stop), quoted: true, next: stop + 1 };
  }
  if (q[start] === '[' || q[start] === '{') {
    const end = q.slice(start).search(/[\]}]/);
    const stop = end === -1 ? q.length : start + end + 1;
    return { value: q.slice(start, stop), quoted: false, next: stop };
  }
  let i = start;
  while (i < q.length && !/[\s()]/.test(q[i]!)) i++;
  return { value: q.slice(start, i), quoted: false, next: i };
}

/** Flattens single-child groups so simple queries compile to simple SQL. */
function simplify(filter: ItemFilter): ItemFilter {
  if ('all' in filter) {
    const parts = filter.all.map(simplify).filter((f) => !('all' in f && f.all.length === 0));
    return parts.length === 1 ? parts[0]! : { all: parts };
  }
  if ('any' in filter) {
    const parts = filter.any.map(simplify);
    if (parts.some((f) => 'all' in f && f.all.length === 0)) return MATCH_ALL;
    return parts.length === 1 ? parts[0]! : { any: parts };
  }
  if ('not' in filter) return { not: simplify(filter.not) };
  return filter;
}
