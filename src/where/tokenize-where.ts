import { WhereClauseError } from './where-clause-error.js';

export type TokenKind = 'word' | 'number' | 'string' | 'ident' | 'op' | 'open' | 'close' | 'comma';

export interface Token {
  kind: TokenKind;
  /** The source text of the token. */
  text: string;
  /** Unescaped content for strings and quoted identifiers, otherwise the text. */
  value: string;
  /** True when whitespace separates this token from the previous one. */
  spaceBefore: boolean;
}

/** Long enough for big `IN (...)` lists, short enough that a request cannot pin the parser. */
export const MAX_WHERE_LENGTH = 200_000;
/** The parser recurses per parenthesis; deeper than this is an attack, not a query. */
export const MAX_NESTING = 64;

const WORD = /[\p{L}_][\p{L}\p{N}_]*/uy;
const NUMBER = /(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y;
const OPERATOR = /<=|>=|<>|!=|\|\||[=<>+\-*/]/y;
const WORD_CHAR = /[\p{L}\p{N}_]/u;

/**
 * Splits a where clause into tokens and refuses, before any parser sees it, everything that
 * standardized queries forbid at the character level: comments, statement separators,
 * qualified names and characters no allowed construct uses (`$ ? : @ [ ] \` and friends).
 * Only what passes here is ever handed to node-sql-parser.
 */
export function tokenizeWhere(where: string): Token[] {
  if (where.length > MAX_WHERE_LENGTH) throw new WhereClauseError('Where clause is too long');
  const tokens: Token[] = [];
  let depth = 0;
  let pos = 0;
  let spaceBefore = false;
  while (pos < where.length) {
    const ch = where[pos];
    if (/\s/.test(ch)) {
      spaceBefore = true;
      pos += 1;
      continue;
    }
    const token = readToken(where, pos, spaceBefore);
    if (token.kind === 'open') depth += 1;
    if (token.kind === 'close') depth -= 1;
    if (depth < 0) throw new WhereClauseError("Unbalanced parentheses: unexpected ')'");
    if (depth > MAX_NESTING) throw new WhereClauseError('Where clause is nested too deeply');
    tokens.push(token);
    pos += token.text.length;
    spaceBefore = false;
  }
  if (depth !== 0) throw new WhereClauseError("Unbalanced parentheses: missing ')'");
  return tokens;
}

function readToken(where: string, pos: number, spaceBefore: boolean): Token {
  const ch = where[pos];
  const next = where[pos + 1];
  if (ch === "'") return readQuoted(where, pos, "'", 'string', spaceBefore);
  if (ch === '"') return readQuoted(where, pos, '"', 'ident', spaceBefore);
  if ((ch === '-' && next === '-') || (ch === '/' && next === '*')) {
    throw new WhereClauseError('Comments are not allowed in a where clause');
  }
  if (ch === ';') throw new WhereClauseError('Multiple statements are not allowed (found ;)');
  if (ch === '(') return simple('open', ch, spaceBefore);
  if (ch === ')') return simple('close', ch, spaceBefore);
  if (ch === ',') return simple('comma', ch, spaceBefore);
  const number = match(NUMBER, where, pos);
  if (number !== null) {
    const after = where[pos + number.length];
    if (after !== undefined && (WORD_CHAR.test(after) || after === '.')) {
      throw new WhereClauseError(`Invalid number near '${clip(where.slice(pos, pos + number.length + 8))}'`);
    }
    return simple('number', number, spaceBefore);
  }
  if (ch === '.') throw new WhereClauseError('Qualified names (table.field) are not allowed');
  const word = match(WORD, where, pos);
  if (word !== null) return simple('word', word, spaceBefore);
  const operator = match(OPERATOR, where, pos);
  if (operator !== null) return simple('op', operator, spaceBefore);
  throw new WhereClauseError(`Invalid character '${ch}' in where clause`);
}

/** Reads a '...' string or "..." identifier; a doubled quote stands for one quote (SQL-92). */
function readQuoted(where: string, start: number, quote: string, kind: TokenKind, spaceBefore: boolean): Token {
  let pos = start + 1;
  let value = '';
  for (;;) {
    const end = where.indexOf(quote, pos);
    if (end < 0) {
      throw new WhereClauseError(kind === 'string' ? 'Unterminated string literal' : 'Unterminated quoted identifier');
    }
    value += where.slice(pos, end);
    if (where[end + 1] !== quote) {
      pos = end + 1;
      break;
    }
    value += quote;
    pos = end + 2;
  }
  if (kind === 'ident' && value.trim() === '') throw new WhereClauseError('Empty quoted identifier');
  return { kind, text: where.slice(start, pos), value, spaceBefore };
}

function simple(kind: TokenKind, text: string, spaceBefore: boolean): Token {
  return { kind, text, value: text, spaceBefore };
}

function match(pattern: RegExp, text: string, pos: number): string | null {
  pattern.lastIndex = pos;
  const found = pattern.exec(text);
  return found ? found[0] : null;
}

/** Echoes a short piece of the client's own text in an error message. */
export function clip(text: string, max = 30): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
