import type { ItemFilter } from '../item-store.js';
import type { SqlDialect } from './item-query.js';

const COLUMNS = { id: 'id', owner: 'owner', title: 'title', type: 'type', description: 'description', snippet: 'snippet', access: 'access' } as const;
// Free words look in these; tags and type_keywords hold JSON arrays as text, so a substring match works.
const TEXT_COLUMNS = ['title', 'snippet', 'description', 'type', 'tags', 'type_keywords'];

/**
 * SQL for an ItemFilter (the store-side form of a portal search) with `?` placeholders; values are
 * pushed onto `values` in order. Column names come from the tables above, never from requests.
 *
 * @example compileItemFilter({ field: 'owner', value: 'ana' }, 'sqlite', values) → "lower(owner) = lower(?)"
 */
export function compileItemFilter(filter: ItemFilter, dialect: SqlDialect, values: unknown[]): string {
  if ('all' in filter) return group(filter.all.map((f) => compileItemFilter(f, dialect, values)), ' AND ', '1=1');
  if ('any' in filter) return group(filter.any.map((f) => compileItemFilter(f, dialect, values)), ' OR ', '1=0');
  if ('not' in filter) return `NOT ${compileItemFilter(filter.not, dialect, values)}`;
  const { field, value } = filter;
  if (field === 'text') return group(TEXT_COLUMNS.map((column) => match(column, value, false, dialect, values)), ' OR ', '1=0');
  if (field === 'tags' || field === 'typeKeywords') {
    const column = field === 'tags' ? 'items.tags' : 'items.type_keywords';
    const elements = dialect === 'postgres' ? `json_array_elements_text(${column}::json) AS e(value)` : `json_each(${column})`;
    return `EXISTS (SELECT 1 FROM ${elements} WHERE ${match('value', value, filter.exact ?? false, dialect, values)})`;
  }
  const equal = field === 'id' || field === 'owner' || field === 'access' || (field === 'type' && filter.exact === true);
  return match(COLUMNS[field], value, equal, dialect, values);
}

/** Appends a filter to the WHERE clause built by buildItemQuery (its values come first). */
export function withItemFilter<T extends { where: string; values: unknown[] }>(built: T, filter: ItemFilter | undefined, dialect: SqlDialect): T {
  if (!filter) return built;
  const values = [...built.values];
  const sql = compileItemFilter(filter, dialect, values);
  return { ...built, where: built.where ? `${built.where} AND ${sql}` : `WHERE ${sql}`, values };
}

function group(parts: string[], joiner: string, empty: string): string {
  return parts.length ? `(${parts.join(joiner)})` : empty;
}

/** Equality or containment, case-insensitive, `*` a wildcard; LIKE metacharacters in values are literal. */
function match(column: string, value: string, equal: boolean, dialect: SqlDialect, values: unknown[]): string {
  if (equal && !value.includes('*')) {
    values.push(value);
    return `lower(${column}) = lower(?)`;
  }
  const pattern = value.replace(/[\\%_]/g, (c) => `\\${c}`).replace(/\*/g, '%');
  values.push(equal ? pattern : `%${pattern}%`);
  return `${column} ${dialect === 'postgres' ? 'ILIKE' : 'LIKE'} ? ESCAPE '\\'`;
}
