import type { ItemRecord } from '../item-store.js';

/** An items row as both SQL stores read it, and the mapping to and from records. */
export interface ItemRow {
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

export function toItemRecord(row: ItemRow): ItemRecord {
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

export function toItemColumns(item: Partial<ItemRecord>): Record<string, unknown> {
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
