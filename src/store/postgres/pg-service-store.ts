import type pg from 'pg';
import { numberPlaceholders } from '../rows/item-query.js';
import { toServiceRecord, type ServiceRow } from '../rows/service-row.js';
import type { ServiceRecord, ServiceStore, ServiceType } from '../service-store.js';
import { updateColumns } from '../rows/update-columns.js';

const KEY = 'lower(folder) = lower(?) AND lower(name) = lower(?) AND type = ?';

export class PgServiceStore implements ServiceStore {
  constructor(private readonly pool: pg.Pool) {}

  async list(folder?: string): Promise<ServiceRecord[]> {
    const { rows } =
      folder === undefined
        ? await this.pool.query<ServiceRow>('SELECT * FROM services ORDER BY folder, name, type')
        : await this.pool.query<ServiceRow>('SELECT * FROM services WHERE lower(folder) = lower($1) ORDER BY name, type', [folder]);
    return rows.map(toServiceRecord);
  }

  async folders(): Promise<string[]> {
    const { rows } = await this.pool.query<{ folder: string }>("SELECT DISTINCT folder FROM services WHERE folder <> '' ORDER BY folder");
    return rows.map((row) => row.folder);
  }

  async get(folder: string, name: string, type: ServiceType): Promise<ServiceRecord | undefined> {
    const { rows } = await this.pool.query<ServiceRow>(numberPlaceholders(`SELECT * FROM services WHERE ${KEY}`), [folder, name, type]);
    return rows[0] && toServiceRecord(rows[0]);
  }

  async create(service: ServiceRecord): Promise<void> {
    await this.pool.query(
      `INSERT INTO services (folder, name, type, owner, item_id, access, definition, created, modified)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [service.folder, service.name, service.type, service.owner, service.itemId, service.access,
        JSON.stringify(service.definition), service.created, service.modified],
    );
  }

  async update(folder: string, name: string, type: ServiceType, patch: Partial<Pick<ServiceRecord, 'owner' | 'itemId' | 'access' | 'definition'>>): Promise<void> {
    const update = updateColumns({
      owner: patch.owner,
      item_id: patch.itemId,
      access: patch.access,
      definition: patch.definition === undefined ? undefined : JSON.stringify(patch.definition),
    });
    if (!update) return;
    const sql = numberPlaceholders(`UPDATE services SET ${update.set}, modified = ? WHERE ${KEY}`);
    await this.pool.query(sql, [...update.values, Date.now(), folder, name, type]);
  }

  async delete(folder: string, name: string, type: ServiceType): Promise<void> {
    await this.pool.query(numberPlaceholders(`DELETE FROM services WHERE ${KEY}`), [folder, name, type]);
  }
}
