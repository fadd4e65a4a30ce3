import type pg from 'pg';
import type { FolderRecord, ItemQuery, ItemRecord, ItemStore } from '../item-store.js';
import { withItemFilter } from '../rows/item-filter-sql.js';
import { buildItemQuery, numberPlaceholders } from '../rows/item-query.js';
import { toItemColumns, toItemRecord, type ItemRow } from '../rows/item-row.js';
import { updateColumns } from '../rows/update-columns.js';
import { placeholders } from './database.js';

export class PgItemStore implements ItemStore {
  constructor(private readonly pool: pg.Pool) {}

  async get(id: string): Promise<ItemRecord | undefined> {
    const { rows } = await this.pool.query<ItemRow>('SELECT * FROM items WHERE id = $1', [id]);
    return rows[0] && toItemRecord(rows[0]);
  }

  async create(item: ItemRecord): Promise<void> {
    const columns = { id: item.id, ...toItemColumns(item), created: item.created, modified: item.modified };
    const names = Object.keys(columns);
    await this.pool.query(
      `INSERT INTO items (${names.join(', ')}) VALUES (${placeholders(names.length)})`,
      Object.values(columns).map((value) => value ?? null),
    );
  }

  async update(id: string, patch: Partial<Omit<ItemRecord, 'id' | 'created'>>): Promise<void> {
    const update = updateColumns({ ...toItemColumns(patch), modified: patch.modified ?? Date.now() });
    if (!update) return;
    await this.pool.query(numberPlaceholders(`UPDATE items SET ${update.set} WHERE id = ?`), [...update.values, id]);
  }

  async delete(id: string): Promise<void> {
    await this.pool.query('DELETE FROM items WHERE id = $1', [id]);
  }

  async query(query: ItemQuery): Promise<{ total: number; items: ItemRecord[] }> {
    const { where, order, values } = withItemFilter(buildItemQuery(query, 'postgres'), query.filter, 'postgres');
    const count = await this.pool.query<{ n: string }>(numberPlaceholders(`SELECT count(*) AS n FROM items ${where}`), values);
    const page = await this.pool.query<ItemRow>(
      numberPlaceholders(`SELECT * FROM items ${where} ORDER BY ${order} LIMIT ? OFFSET ?`),
      [...values, query.num, Math.max(0, query.start - 1)],
    );
    return { total: Number(count.rows[0]!.n), items: page.rows.map(toItemRecord) };
  }

  async createFolder(folder: FolderRecord): Promise<void> {
    await this.pool.query('INSERT INTO folders (id, owner, title, created) VALUES ($1, $2, $3, $4)', [
      folder.id, folder.owner, folder.title, folder.created,
    ]);
  }

  async getFolder(id: string): Promise<FolderRecord | undefined> {
    return (await this.pool.query<FolderRecord>('SELECT * FROM folders WHERE id = $1', [id])).rows[0];
  }

  async findFolder(owner: string, idOrTitle: string): Promise<FolderRecord | undefined> {
    const { rows } = await this.pool.query<FolderRecord>(
      'SELECT * FROM folders WHERE lower(owner) = lower($1) AND (id = $2 OR title = $2)',
      [owner, idOrTitle],
    );
    return rows[0];
  }

  async listFolders(owner: string): Promise<FolderRecord[]> {
    return (await this.pool.query<FolderRecord>('SELECT * FROM folders WHERE lower(owner) = lower($1) ORDER BY title', [owner])).rows;
  }

  async deleteFolder(id: string): Promise<void> {
    await this.pool.query('DELETE FROM folders WHERE id = $1', [id]);
  }
}
