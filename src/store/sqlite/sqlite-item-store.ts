import type { FolderRecord, ItemQuery, ItemRecord, ItemStore } from '../item-store.js';
import { buildItemQuery } from '../rows/item-query.js';
import { withItemFilter } from '../rows/item-filter-sql.js';
import { toItemColumns, toItemRecord, type ItemRow } from '../rows/item-row.js';
import type { SqliteDatabase } from './database.js';
import { statementCache } from './statement-cache.js';
import { updateColumns } from '../rows/update-columns.js';


export class SqliteItemStore implements ItemStore {
  private readonly prepare: ReturnType<typeof statementCache>;

  constructor(db: SqliteDatabase) {
    this.prepare = statementCache(db);
  }

  async get(id: string): Promise<ItemRecord | undefined> {
    const row = this.prepare('SELECT * FROM items WHERE id = ?').get(id) as ItemRow | undefined;
    return row && toItemRecord(row);
  }

  async create(item: ItemRecord): Promise<void> {
    const columns = { id: item.id, ...toItemColumns(item), created: item.created, modified: item.modified };
    const names = Object.keys(columns);
    this.prepare(`INSERT INTO items (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`)
      .run(...Object.values(columns).map((value) => value ?? null));
  }

  async update(id: string, patch: Partial<Omit<ItemRecord, 'id' | 'created'>>): Promise<void> {
    const update = updateColumns({ ...toItemColumns(patch), modified: patch.modified ?? Date.now() });
    if (!update) return;
    this.prepare(`UPDATE items SET ${update.set} WHERE id = ?`).run(...update.values, id);
  }

  async delete(id: string): Promise<void> {
    this.prepare('DELETE FROM items WHERE id = ?').run(id);
  }

  async query(query: ItemQuery): Promise<{ total: number; items: ItemRecord[] }> {
    const { where, order, values } = withItemFilter(buildItemQuery(query, 'sqlite'), query.filter, 'sqlite');
    const total = (this.prepare(`SELECT count(*) AS n FROM items ${where}`).get(...values) as { n: number }).n;
    const rows = this.prepare(`SELECT * FROM items ${where} ORDER BY ${order} LIMIT ? OFFSET ?`)
      .all(...values, query.num, Math.max(0, query.start - 1)) as ItemRow[];
    return { total, items: rows.map(toItemRecord) };
  }

  async createFolder(folder: FolderRecord): Promise<void> {
    this.prepare('INSERT INTO folders (id, owner, title, created) VALUES (?, ?, ?, ?)')
      .run(folder.id, folder.owner, folder.title, folder.created);
  }

  async getFolder(id: string): Promise<FolderRecord | undefined> {
    return this.prepare('SELECT * FROM folders WHERE id = ?').get(id) as FolderRecord | undefined;
  }

  async findFolder(owner: string, idOrTitle: string): Promise<FolderRecord | undefined> {
    return this.prepare('SELECT * FROM folders WHERE owner = ? COLLATE NOCASE AND (id = ? OR title = ?)')
      .get(owner, idOrTitle, idOrTitle) as FolderRecord | undefined;
  }

  async listFolders(owner: string): Promise<FolderRecord[]> {
    return this.prepare('SELECT * FROM folders WHERE owner = ? COLLATE NOCASE ORDER BY title').all(owner) as FolderRecord[];
  }

  async deleteFolder(id: string): Promise<void> {
    this.prepare('DELETE FROM folders WHERE id = ?').run(id);
  }
}
