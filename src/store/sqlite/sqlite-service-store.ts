import { toServiceRecord, type ServiceRow } from '../rows/service-row.js';
import type { ServiceRecord, ServiceStore, ServiceType } from '../service-store.js';
import type { SqliteDatabase } from './database.js';
import { statementCache } from './statement-cache.js';
import { updateColumns } from '../rows/update-columns.js';

export class SqliteServiceStore implements ServiceStore {
  private readonly prepare: ReturnType<typeof statementCache>;

  constructor(db: SqliteDatabase) {
    this.prepare = statementCache(db);
  }

  async list(folder?: string): Promise<ServiceRecord[]> {
    const rows =
      folder === undefined
        ? this.prepare('SELECT * FROM services ORDER BY folder, name, type').all()
        : this.prepare('SELECT * FROM services WHERE folder = ? ORDER BY name, type').all(folder);
    return (rows as ServiceRow[]).map(toServiceRecord);
  }

  async folders(): Promise<string[]> {
    const rows = this.prepare("SELECT DISTINCT folder FROM services WHERE folder <> '' ORDER BY folder").all();
    return (rows as Array<{ folder: string }>).map((row) => row.folder);
  }

  async get(folder: string, name: string, type: ServiceType): Promise<ServiceRecord | undefined> {
    const row = this.prepare('SELECT * FROM services WHERE folder = ? AND name = ? AND type = ?')
      .get(folder, name, type) as ServiceRow | undefined;
    return row && toServiceRecord(row);
  }

  async create(service: ServiceRecord): Promise<void> {
    this.prepare(
        `INSERT INTO services (folder, name, type, owner, item_id, access, definition, created, modified)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        service.folder,
        service.name,
        service.type,
        service.owner,
        service.itemId,
        service.access,
        JSON.stringify(service.definition),
        service.created,
        service.modified,
      );
  }

  async update(
    folder: string,
    name: string,
    type: ServiceType,
    patch: Partial<Pick<ServiceRecord, 'owner' | 'itemId' | 'access' | 'definition'>>,
  ): Promise<void> {
    const columns: Record<string, unknown> = {
      owner: patch.owner,
      item_id: patch.itemId,
      access: patch.access,
      definition: patch.definition === undefined ? undefined : JSON.stringify(patch.definition),
    };
    const update = updateColumns(columns);
    if (!update) return;
    this.prepare(`UPDATE services SET ${update.set}, modified = ? WHERE folder = ? AND name = ? AND type = ?`)
      .run(...update.values, Date.now(), folder, name, type);
  }

  async delete(folder: string, name: string, type: ServiceType): Promise<void> {
    this.prepare('DELETE FROM services WHERE folder = ? AND name = ? AND type = ?').run(folder, name, type);
  }
}
