import type { WhereDialect } from './where-types.js';

/** A bound value; `cast` is the PostgreSQL type written after its `$n` placeholder. */
export interface SqlParam {
  param: unknown;
  cast?: string;
}

/** Generated SQL: our own text pieces and bound values, never client text. */
export type SqlPart = string | SqlParam;

/**
 * Builds SQL from a template whose interpolations are already-built parts, so client values
 * can only ever enter as SqlParam.
 *
 * @example sql`(${left} + ${right})`
 */
export function sql(strings: TemplateStringsArray, ...parts: SqlPart[][]): SqlPart[] {
  const out: SqlPart[] = [strings[0]];
  parts.forEach((part, i) => {
    append(out, part);
    out.push(strings[i + 1]);
  });
  return out;
}

export function joinParts(items: SqlPart[][], separator: string): SqlPart[] {
  const out: SqlPart[] = [];
  items.forEach((item, i) => {
    if (i > 0) out.push(separator);
    append(out, item);
  });
  return out;
}

/** A loop, not push(...parts): IN lists can have tens of thousands of parts. */
function append(out: SqlPart[], parts: SqlPart[]): void {
  for (const part of parts) out.push(part);
}

export function param(value: unknown, cast?: string): SqlPart[] {
  return [cast ? { param: value, cast } : { param: value }];
}

/** Turns parts into SQL text with `?` or `$n` placeholders, numbered in text order. */
export function renderParts(parts: SqlPart[], dialect: WhereDialect): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  let text = '';
  for (const part of parts) {
    if (typeof part === 'string') {
      text += part;
      continue;
    }
    params.push(part.param);
    text += dialect === 'sqlite' ? '?' : `$${params.length}${part.cast ? `::${part.cast}` : ''}`;
  }
  return { sql: text, params };
}
