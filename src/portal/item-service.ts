import { randomBytes } from 'node:crypto';
import { runItemHooks, type ItemHooks } from './item-hooks.js';
import path from 'node:path';
import type { Principal } from '../auth/principal.js';
import type { Config } from '../config.js';
import { ApiError } from '../errors.js';
import type { FolderRecord, ItemRecord, ItemStore } from '../store/item-store.js';
import { resolveItem, equalsIgnoreCase } from './item-access.js';
import type { ItemFields } from './item-fields.js';
import { contentTypeFor, itemFilePath, removeItemFiles, storeItemFile } from './item-files.js';

export { canManageItem, canSeeItem, resolveFolder, resolveItem, resolveManagedItem } from './item-access.js';

/** What the item operations need; an AppContext fits. */
export interface ItemDeps {
  config: Config;
  stores: { items: ItemStore };
  itemHooks?: ItemHooks[];
}

/** A file to become an item's data: an upload's temporary file or a task's output (it is moved). */
export interface ItemFileSource {
  path: string;
  fileName: string;
}

/** Item ids, like folder ids, are 32 lower-case hex digits as on the portal. */
export function newItemId(): string {
  return randomBytes(16).toString('hex');
}

/** The absolute path of an item's data file, or undefined for URL and text items. */
export function itemDataPath(config: Config, item: ItemRecord): string | undefined {
  return item.fileName ? itemFilePath(config, item.id, item.fileName) : undefined;
}

export type ItemData =
  | { kind: 'file'; path: string; fileName: string; contentType: string; size: number }
  | { kind: 'text'; text: string }
  | { kind: 'url'; url: string };

/**
 * What an item holds, for the `/data` endpoint and for tasks taking `itemId` inputs: its file, its
 * text, or its URL (a service item). Visibility is checked as resolveItem does.
 *
 * @example const { data } = await resolveItemData(context, 'a1b2…', principal); if (data?.kind === 'file') gdal.open(data.path);
 */
export async function resolveItemData(deps: ItemDeps, id: string, principal: Principal | null): Promise<{ item: ItemRecord; data?: ItemData }> {
  const item = await resolveItem(deps.stores, id, principal);
  const file = itemDataPath(deps.config, item);
  if (file) return { item, data: { kind: 'file', path: file, fileName: item.fileName!, contentType: contentTypeFor(item.fileName!), size: item.size } };
  if (item.textData !== null) return { item, data: { kind: 'text', text: item.textData } };
  if (item.url) return { item, data: { kind: 'url', url: item.url } };
  return { item };
}

/**
 * Adds an item for `owner` (in `folderId`, or the root folder): `type` is required, `title`
 * defaults to the file's name. The file, if any, is moved into `<dataDir>/items/<id>/`.
 */
export async function createItem(
  deps: ItemDeps,
  input: ItemFields & { owner: string; folderId?: string | null; file?: ItemFileSource },
): Promise<ItemRecord> {
  if (!input.type) throw ApiError.invalidParameter("'type' parameter is required");
  const title = input.title ?? (input.file ? path.parse(input.file.fileName).name : undefined);
  if (!title) throw ApiError.invalidParameter("'title' parameter is required");
  const id = newItemId();
  const now = Date.now();
  const stored = input.file ? await storeItemFile(deps.config, id, input.file) : undefined;
  const item: ItemRecord = {
    id,
    owner: input.owner,
    folderId: input.folderId ?? null,
    title,
    type: input.type,
    typeKeywords: input.typeKeywords ?? [],
    description: input.description ?? '',
    snippet: input.snippet ?? '',
    tags: input.tags ?? [],
    url: input.url ?? null,
    fileName: stored?.fileName ?? null,
    size: stored?.size ?? (input.text !== undefined ? Buffer.byteLength(input.text) : 0),
    textData: stored ? null : (input.text ?? null),
    access: input.access ?? 'private',
    extent: input.extent ?? null,
    spatialReference: input.spatialReference ?? null,
    properties: input.properties ?? null,
    created: now,
    modified: now,
  };
  try {
    await deps.stores.items.create(item);
  } catch (error) {
    await removeItemFiles(deps.config, id);
    throw error;
  }
  return item;
}

/** Changes the given fields; a new file or text replaces the item's data. */
export async function updateItem(deps: ItemDeps, item: ItemRecord, fields: ItemFields, file?: ItemFileSource): Promise<ItemRecord> {
  const { text, ...metadata } = fields;
  const patch: Partial<ItemRecord> = { ...metadata, modified: Date.now() };
  if (file) {
    const stored = await storeItemFile(deps.config, item.id, file, item.fileName);
    Object.assign(patch, { fileName: stored.fileName, size: stored.size, textData: null });
  } else if (text !== undefined) {
    if (item.fileName) await removeItemFiles(deps.config, item.id);
    Object.assign(patch, { fileName: null, size: Buffer.byteLength(text), textData: text });
  }
  await deps.stores.items.update(item.id, patch);
  const updated = { ...item, ...patch };
  if (patch.access !== undefined && patch.access !== item.access) await runItemHooks(deps.itemHooks, 'shared', updated);
  return updated;
}

/** Removes the item's record, then its files. */
export async function deleteItem(deps: ItemDeps, item: ItemRecord): Promise<void> {
  await deps.stores.items.delete(item.id);
  await removeItemFiles(deps.config, item.id);
  await runItemHooks(deps.itemHooks, 'deleted', item);
}

/** A new folder; titles are unique per user regardless of case. */
export async function createFolder(deps: ItemDeps, owner: string, title: string): Promise<FolderRecord> {
  const clean = title.trim();
  if (clean === '' || clean.length > 255 || /[\u0000-\u001f/\\]/.test(clean)) {
    throw ApiError.invalidParameter("'title' parameter is invalid");
  }
  const existing = await deps.stores.items.listFolders(owner);
  if (existing.some((folder) => equalsIgnoreCase(folder.title, clean))) {
    throw ApiError.unableToComplete(`Folder title '${clean}' not available.`);
  }
  const folder: FolderRecord = { id: newItemId(), owner, title: clean, created: Date.now() };
  await deps.stores.items.createFolder(folder);
  return folder;
}

/** Deletes a folder with the items in it, as the portal does. */
export async function deleteFolder(deps: ItemDeps, folder: FolderRecord): Promise<void> {
  for (;;) {
    const { items } = await deps.stores.items.query({ owner: folder.owner, folderId: folder.id, start: 1, num: 100 });
    if (items.length === 0) break;
    for (const item of items) await deleteItem(deps, item);
  }
  await deps.stores.items.deleteFolder(folder.id);
}
