import type { ServiceRecord, ServiceType } from '../service-store.js';

/** A services row as both SQL stores read it. */
export interface ServiceRow {
  folder: string;
  name: string;
  type: ServiceType;
  owner: string | null;
  item_id: string | null;
  access: ServiceRecord['access'];
  definition: string;
  created: number;
  modified: number;
}

export function toServiceRecord(row: ServiceRow): ServiceRecord {
  return {
    folder: row.folder,
    name: row.name,
    type: row.type,
    owner: row.owner,
    itemId: row.item_id,
    access: row.access,
    definition: JSON.parse(row.definition) as Record<string, unknown>,
    created: row.created,
    modified: row.modified,
  };
}
