import type { FolderRecord, ItemQuery, ItemRecord, ItemStore } from '../item-store.js';
import type { SqliteDatabase } from './database.js';
import { updateColumns } from './update-columns.js';

interface ItemRow {
  id: string;
  owner: string;
  folder_id: string | null;
  title: string;
  type: string;
  type_keywords: string;
  description: string;
  snippet: string;
  tags: string;
  url: string | null;
  file_name: string | null;
  size: number;
  text_data: string | null;
  access: ItemRecord['access'];
  extent: string | null;
  spatial_reference: string | null;
  properties: string | null;
  created: number;
  modified: number;
}

const parse = <T>(text: string | null): T | null => (text === null ? null : (JSON.parse(text) as T));
const stringify = (value: unknown) => (value === undefined ? undefined : value === null ? null : JSON.stringify(value));

function toRecord(row: ItemRow): ItemRecord {
  return {
    id: row.id,
    owner: row.owner,
    folderId: row.folder_id,
    title: row.title,
    type: row.type,
    typeKeywords: parse<string[]>(row.type_keywords) ?? [],
    description: row.description,
    snippet: row.snippet,
    tags: parse<string[]>(row.tags) ?? [],
    url: row.url,
    fileName: row.file_name,
    size: row.size,
    textData: row.text_data,
    access: row.access,
    extent: parse<number[][]>(row.extent),
    spatialReference: row.spatial_reference,
    properties: parse<Record<string, unknown>>(row.properties),
    created: row.created,
    modified: row.modified,
  };
}

function toColumns(item: Partial<ItemRecord>): Record<string, unknown> {
  return {
    owner: item.owner,
    folder_id: item.folderId,
    title: item.title,
    type: item.type,
    type_keywords: stringify(item.typeKeywords),
    description: item.description,
    snippet: item.snippet,
    tags: stringify(item.tags),
    url: item.url,
    file_name: item.fileName,
    size: item.size,
    text_data: item.textData,
    access: item.access,
    extent: stringify(item.extent),
    spatial_reference: item.spatialReference,
    properties: stringify(item.properties),
  };
}

const SORT_COLUMNS: Record<NonNullable<ItemQuery['sortField']>, string> = {
  title: 'title COLLATE NOCASE',
  created: 'created',
  modified: 'modified',
  type: 'type',
  owner: 'owner',
};

export class SqliteItemStore implements ItemStore {
  constructor(private readonly db: SqliteDatabase) {}

  async get(id: string): Promise<ItemRecord | undefined> {
    const row = this.db.prepare('SELECT * FROM items WHERE id = ?').get(id) as ItemRow | undefined;
    return row && toRecord(row);
  }

  async create(item: ItemRecord): Promise<void> {
    const columns = { id: item.id, ...toColumns(item), created: item.created, modified: item.modified };
    const names = Object.keys(columns);
    this.db
      .prepare(`INSERT INTO items (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`)
      .run(...Object.values(columns).map((value) => value ?? null));
  }

  async update(id: string, patch: Partial<Omit<ItemRecord, 'id' | 'created'>>): Promise<void> {
    const update = updateColumns({ ...toColumns(patch), modified: patch.modified ?? Date.now() });
    if (!update) return;
    this.db.prepare(`UPDATE items SET ${update.set} WHERE id = ?`).run(...update.values, id);
  }

  async delete(id: string): Promise<void> {
    this.db.prepare('DELETE FROM items WHERE id = ?').run(id);
  }

  async query(query: ItemQuery): Promise<{ total: number; items: ItemRecord[] }> {
    const where: string[] = [];
    const values: unknown[] = [];
    const add = (sql: string, ...bound: unknown[]) => {
      where.push(sql);
      values.push(...bound);
    };
    const placeholders = (list: unknown[]) => list.map(() => '?').join(', ');
    if (query.owner !== undefined) add('owner = ? COLLATE NOCASE', query.owner);
    if (query.folderId === null) add('folder_id IS NULL');
    else if (query.folderId !== undefined) add('folder_id = ?', query.folderId);
    if (query.types?.length) add(`type COLLATE NOCASE IN (${placeholders(query.types)})`, ...query.types);
    if (query.ids?.length) add(`id IN (${placeholders(query.ids)})`, ...query.ids);
    if (query.title !== undefined) add("title LIKE ? ESCAPE '\\'", likePattern(query.title));
    for (const word of query.text ?? []) {
      const pattern = likePattern(word);
      add(
        "(title LIKE ? ESCAPE '\\' OR tags LIKE ? ESCAPE '\\' OR description LIKE ? ESCAPE '\\' OR snippet LIKE ? ESCAPE '\\')",
        pattern, pattern, pattern, pattern,
      );
    }
    if (query.visibleTo && !query.visibleTo.isAdmin) {
      if (query.visibleTo.username === null) add("access = 'public'");
      else add("(owner = ? OR access IN ('public', 'org'))", query.visibleTo.username);
    }
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total = (this.db.prepare(`SELECT count(*) AS n FROM items ${clause}`).get(...values) as { n: number }).n;
    const order = `${SORT_COLUMNS[query.sortField ?? 'created']} ${query.sortOrder === 'desc' ? 'DESC' : 'ASC'}, id`;
    const rows = this.db
      .prepare(`SELECT * FROM items ${clause} ORDER BY ${order} LIMIT ? OFFSET ?`)
      .all(...values, query.num, Math.max(0, query.start - 1)) as ItemRow[];
    return { total, items: rows.map(toRecord) };
  }

  async createFolder(folder: FolderRecord): Promise<void> {
    this.db
      .prepare('INSERT INTO folders (id, owner, title, created) VALUES (?, ?, ?, ?)')
      .run(folder.id, folder.owner, folder.title, folder.created);
  }

  async getFolder(id: string): Promise<FolderRecord | undefined> {
    return this.db.prepare('SELECT * FROM folders WHERE id = ?').get(id) as FolderRecord | undefined;
  }

  async findFolder(owner: string, idOrTitle: string): Promise<FolderRecord | undefined> {
    return this.db
      .prepare('SELECT * FROM folders WHERE owner = ? COLLATE NOCASE AND (id = ? OR title = ?)')
      .get(owner, idOrTitle, idOrTitle) as FolderRecord | undefined;
  }

  async listFolders(owner: string): Promise<FolderRecord[]> {
    return this.db.prepare('SELECT * FROM folders WHERE owner = ? COLLATE NOCASE ORDER BY title').all(owner) as FolderRecord[];
  }

  async deleteFolder(id: string): Promise<void> {
    this.db.prepare('DELETE FROM folders WHERE id = ?').run(id);
  }
}

/** Substring match with LIKE metacharacters in user text taken literally. */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
