import { isIntervalUnit, parseInterval, type IntervalUnit } from './literal-values.js';
import { clip, tokenizeWhere, type Token } from './tokenize-where.js';
import { WhereClauseError } from './where-clause-error.js';

/** A value lifted out of the clause text, referenced from the rewritten text as `'~n~'` / `"~n~"`. */
export type Slot =
  | { kind: 'string'; value: string }
  | { kind: 'number'; text: string }
  | { kind: 'ident'; value: string }
  | { kind: 'interval'; ms: number }
  | { kind: 'currentUser' }
  | { kind: 'list'; items: ListItem[] };

export type ListItem = { kind: 'number'; text: string } | { kind: 'string'; value: string };

export interface RewrittenWhere {
  /** What node-sql-parser sees: literals and quoted names replaced by numbered placeholders. */
  text: string;
  slots: Slot[];
  /** The client's own token at an offset of `text`, to name it in a syntax error. */
  sourceAt(offset: number): string | null;
}

/**
 * Words that carry syntax here. A bare word that matches a field name and is not one of these
 * becomes a quoted identifier, so fields named e.g. ORDER, GROUP or DESC work unquoted as in ArcGIS.
 */
const KEYWORDS = new Set(
  ('AND OR NOT IN IS NULL LIKE ESCAPE BETWEEN FROM FOR AS CAST EXTRACT DATE TIMESTAMP TIME INTERVAL ' +
    'CURRENT_DATE CURRENT_TIMESTAMP CURRENT_USER YEAR MONTH DAY HOUR MINUTE SECOND BOTH LEADING ' +
    'TRAILING TO TRUE FALSE INT INTEGER SMALLINT BIGINT FLOAT REAL DOUBLE PRECISION VARCHAR CHAR ' +
    'CHARACTER VARYING NUMERIC DECIMAL').split(' '),
);
/** Words that may directly precede a quoted string: typed literals and N'national' strings. */
const STRING_PREFIXES = new Set(['DATE', 'TIMESTAMP', 'TIME', 'N']);

/**
 * Rewrites a where clause into text node-sql-parser handles correctly:
 * - every literal and quoted identifier becomes a numbered placeholder, so the parser's own
 *   escaping rules (backslashes in its PostgreSQL grammar) never apply and clauses that differ
 *   only in values share one cached parse;
 * - `INTERVAL '…' DAY TO SECOND` (which the parser lacks) and `CURRENT_USER` become placeholders;
 * - `SUBSTRING(s FROM a FOR b)` becomes `SUBSTRING(s, a, b)`;
 * - `IN (<literals>)` collapses to one placeholder, because the parser spends ~50 µs per item.
 */
export function rewriteWhere(where: string, fieldNames: ReadonlySet<string>): RewrittenWhere {
  const tokens = tokenizeWhere(where);
  const out: string[] = [];
  const sources: Array<{ offset: number; text: string }> = [];
  const slots: Slot[] = [];
  let length = 0;
  const emit = (text: string, source: string): void => {
    sources.push({ offset: length, text: source });
    out.push(text);
    length += text.length + 1;
  };
  const addSlot = (slot: Slot, quote: string): string => `${quote}~${slots.push(slot) - 1}~${quote}`;

  const substringDepths: number[] = [];
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    const next = tokens[i + 1];
    const upper = token.kind === 'word' ? token.value.toUpperCase() : '';
    const list = upper === 'IN' && next?.kind === 'open' ? readLiteralList(tokens, i + 2) : null;
    if (token.kind === 'open') depth += 1;
    if (token.kind === 'close') {
      if (substringDepths.at(-1) === depth) substringDepths.pop();
      depth -= 1;
    }
    if (token.kind === 'string') {
      emit(addSlot({ kind: 'string', value: token.value }, "'"), token.text);
    } else if (token.kind === 'number' && !isTypeLength(tokens, i)) {
      emit(addSlot({ kind: 'number', text: token.text }, "'"), token.text);
    } else if (token.kind === 'ident') {
      emit(addSlot({ kind: 'ident', value: token.value }, '"'), token.text);
    } else if (token.kind !== 'word') {
      emit(token.text, token.text);
    } else if (next?.kind === 'string' && !next.spaceBefore && !STRING_PREFIXES.has(upper)) {
      throw new WhereClauseError(`Unsupported string literal prefix '${clip(token.text)}'`);
    } else if (upper === 'N' && next?.kind === 'string' && !next.spaceBefore) {
      continue;
    } else if (upper === 'INTERVAL') {
      const consumed = readInterval(tokens, i);
      emit(addSlot({ kind: 'interval', ms: consumed.ms }, "'"), token.text);
      i = consumed.last;
    } else if (upper === 'CURRENT_USER') {
      emit(addSlot({ kind: 'currentUser' }, "'"), token.text);
    } else if (list !== null) {
      emit('IN', token.text);
      emit(`( ${addSlot({ kind: 'list', items: list.items }, "'")} )`, next.text);
      i = list.close;
    } else if ((upper === 'FROM' || upper === 'FOR') && substringDepths.at(-1) === depth) {
      emit(',', token.text);
    } else if (upper === 'SUBSTRING' && next?.kind === 'open') {
      substringDepths.push(depth + 1);
      emit(token.text, token.text);
    } else if (next?.kind !== 'open' && !KEYWORDS.has(upper) && fieldNames.has(token.value.toLowerCase())) {
      emit(addSlot({ kind: 'ident', value: token.value }, '"'), token.text);
    } else {
      emit(token.text, token.text);
    }
  }
  return { text: out.join(' '), slots, sourceAt: (offset) => findSource(sources, offset) };
}

/** `VARCHAR(10)`, `NUMERIC(10, 2)`: the parser needs real numbers for a type's length and scale. */
function isTypeLength(tokens: Token[], i: number): boolean {
  const start = tokens[i - 1]?.kind === 'comma' && tokens[i - 2]?.kind === 'number' ? i - 2 : i;
  const type = tokens[start - 2];
  return tokens[start - 1]?.kind === 'open' && type?.kind === 'word' && KEYWORDS.has(type.value.toUpperCase());
}

/** `INTERVAL '<value>' <unit> [TO <unit>]` starting at `tokens[start]`. */
function readInterval(tokens: Token[], start: number): { ms: number; last: number } {
  const value = tokens[start + 1];
  const from = tokens[start + 2];
  if (value?.kind !== 'string' || from?.kind !== 'word') {
    throw new WhereClauseError("INTERVAL must be written INTERVAL '<value>' DAY|HOUR|MINUTE|SECOND");
  }
  const fromUnit = readIntervalUnit(from);
  const to = tokens[start + 3];
  if (to?.kind === 'word' && to.value.toUpperCase() === 'TO') {
    const toUnit = tokens[start + 4];
    if (toUnit?.kind !== 'word') throw new WhereClauseError('INTERVAL ... TO must name a unit');
    return { ms: parseInterval(value.value, fromUnit, readIntervalUnit(toUnit)), last: start + 4 };
  }
  return { ms: parseInterval(value.value, fromUnit), last: start + 2 };
}

function readIntervalUnit(token: Token): IntervalUnit {
  const unit = token.value.toUpperCase();
  if (isIntervalUnit(unit)) return unit;
  throw new WhereClauseError(`Unsupported INTERVAL unit '${clip(token.value)}' (use DAY, HOUR, MINUTE or SECOND)`);
}

/** A parenthesised list of plain literals (`1, -2, 'a'`) starting after its `(`, or null. */
function readLiteralList(tokens: Token[], start: number): { items: ListItem[]; close: number } | null {
  const items: ListItem[] = [];
  let i = start;
  for (;;) {
    let sign = '';
    if (tokens[i]?.kind === 'op' && (tokens[i].text === '-' || tokens[i].text === '+')) {
      sign = tokens[i].text === '-' ? '-' : '';
      i += 1;
      if (tokens[i]?.kind !== 'number') return null;
    }
    const item = tokens[i];
    if (item?.kind === 'number') items.push({ kind: 'number', text: sign + item.text });
    else if (item?.kind === 'string') items.push({ kind: 'string', value: item.value });
    else return null;
    const after = tokens[i + 1];
    if (after?.kind === 'close') return { items, close: i + 1 };
    if (after?.kind !== 'comma') return null;
    i += 2;
  }
}

function findSource(sources: Array<{ offset: number; text: string }>, offset: number): string | null {
  let found: string | null = null;
  for (const source of sources) {
    if (source.offset > offset) break;
    found = source.text;
  }
  return found;
}
