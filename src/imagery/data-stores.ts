import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { DataStoreRecord } from './store/catalog-store.js';
import { TaskError } from '../jobs/task.js';

/** Where registered folders are listed, as on ArcGIS Server (`/fileShares/<name>`). */
export const FILE_SHARES = '/fileShares';

/**
 * Turns a data-store path from a `uri` input into a local path, or refuses it. Accepted forms:
 * `/<store>/a/b.tif` (the store's name first, as in the documented `/fileshare/a/a.tif`),
 * `/fileShares/<store>/a/b.tif` (the full data item path), and an absolute local path that lies
 * inside a registered folder. Symbolic links are resolved before the check, so a link inside a
 * store cannot lead outside it. `..` segments are refused outright.
 *
 * @example await resolveDataStorePath('/imagery/flight1/img_0001.tif', await catalog.listDataStores())
 */
export async function resolveDataStorePath(uri: string, stores: DataStoreRecord[]): Promise<string> {
  const posix = uri.replace(/\\/g, '/');
  if (!posix.startsWith('/') || posix.split('/').includes('..')) throw outside(uri);
  const candidates = candidatePaths(posix, stores);
  if (candidates.length === 0) throw outside(uri);
  for (const { store, local } of candidates) {
    const resolved = await realpathOrNull(local);
    if (resolved === null) continue;
    const root = (await realpathOrNull(store.localPath)) ?? path.resolve(store.localPath);
    if (!isInside(resolved, root)) throw outside(uri);
    return resolved;
  }
  throw new TaskError(`Input '${uri}' does not exist in data store '${candidates[0].store.name}'.`);
}

function candidatePaths(uri: string, stores: DataStoreRecord[]): Array<{ store: DataStoreRecord; local: string }> {
  const segments = uri.split('/').filter((s) => s !== '');
  const out: Array<{ store: DataStoreRecord; local: string }> = [];
  const byName = (name: string | undefined) => stores.find((s) => s.name.toLowerCase() === name?.toLowerCase());
  if (segments[0]?.toLowerCase() === FILE_SHARES.slice(1).toLowerCase()) {
    const store = byName(segments[1]);
    if (store) out.push({ store, local: path.join(store.localPath, ...segments.slice(2)) });
  }
  const named = byName(segments[0]);
  if (named) out.push({ store: named, local: path.join(named.localPath, ...segments.slice(1)) });
  for (const store of stores) {
    if (isInside(path.resolve(uri), path.resolve(store.localPath))) out.push({ store, local: path.resolve(uri) });
  }
  return out;
}

/** True when `child` is `parent` or below it (both absolute, normalised). */
export function isInside(child: string, parent: string): boolean {
  const relative = path.relative(parent, child);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

async function realpathOrNull(file: string): Promise<string | null> {
  try {
    await stat(file);
    return await realpath(file);
  } catch {
    return null;
  }
}

function outside(uri: string): TaskError {
  return new TaskError(`Input '${uri}' is not inside a registered data store; an administrator must register its folder first.`);
}
