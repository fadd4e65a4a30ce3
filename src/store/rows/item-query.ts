import type { ItemQuery } from '../item-store.js';

export type SqlDialect = 'sqlite' | 'postgres';

const SORT_COLUMNS: Record<NonNullable<ItemQuery['sortField']>, string> = {
  title: 'lower(title)',
  created: 'created',
  modified: 'modified',
  type: 'type',
  owner: 'owner',
};

/**
 * The WHERE and ORDER BY of an item search, with `?` placeholders for both engines (the
 * PostgreSQL store numbers them). Only fixed SQL text is built here; every value is bound.
 */
export function buildItemQuery(query: ItemQuery, dialect: SqlDialect): { where: string; order: string; values: unknown[] } {
  const where: string[] = [];
  const values: unknown[] = [];
  const add = (sql: string, ...bound: unknown[]) => {
    where.push(sql);
    values.push(...bound);
  };
  const like = dialect === 'postgres' ? 'ILIKE' : 'LIKE';
  const list = (items: unknown[]) => items.map(() => '?').join(', ');
  if (query.owner !== undefined) add('lower(owner) = lower(?)', query.owner);
  if (query.folderId === null) add('folder_id IS NULL');
  else if (query.folderId !== undefined) add('folder_id = ?', query.folderId);
  if (query.types?.length) add(`lower(type) IN (${list(query.types)})`, ...query.types.map((t) => t.toLowerCase()));
  if (query.ids?.length) add(`id IN (${list(query.ids)})`, ...query.ids);
  if (query.title !== undefined) add(`title ${like} ? ESCAPE '\\'`, likePattern(query.title));
  for (const word of query.text ?? []) {
    const pattern = likePattern(word);
    const columns = ['title', 'tags', 'description', 'snippet'].map((c) => `${c} ${like} ? ESCAPE '\\'`);
    add(`(${columns.join(' OR ')})`, pattern, pattern, pattern, pattern);
  }
  if (query.visibleTo && !query.visibleTo.isAdmin) {
    if (query.visibleTo.username === null) add("access = 'public'");
    else add("(lower(owner) = lower(?) OR access IN ('public', 'org'))", query.visibleTo.username);
  }
  const order = `${SORT_COLUMNS[query.sortField ?? 'created']} ${query.sortOrder === 'desc' ? 'DESC' : 'ASC'}, id`;
  return { where: where.length ? `WHERE ${where.join(' AND ')}` : '', order, values };
}

/** Substring match with LIKE metacharacters in user text taken literally. */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** `?` → `$1, $2, …` for PostgreSQL (our SQL text never has `?` inside literals). */
export function numberPlaceholders(sql: string, offset = 0): string {
  let n = offset;
  return sql.replace(/\?/g, () => `$${++n}`);
}
