import { readdir, rm, rmdir } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config.js';
import { deleteFolderObjects, deleteObjects, parseVsis3Path, vsis3Path } from '../raster/s3-objects.js';
import { isInside } from './data-stores.js';

/**
 * The raster store, where by-value copies (COGs) and our recipe files live: `<dataDir>/rasters`,
 * or `/vsis3/bucket/prefix` with `rasterStore: 's3://bucket/prefix'` (shared by every node).
 */
export function rasterStoreRoot(config: Config): string {
  return config.rasterStore ? vsis3Path(config.rasterStore) : path.join(config.dataDir, 'rasters');
}

/** True when the raster store is object storage: no folders to make, objects to delete. */
export function isObjectStore(config: Config): boolean {
  return rasterStoreRoot(config).startsWith('/vsis3/');
}

/** `<dataDir>/rasters/<collection>`. Names are service names (letters, digits, `_`, `-`). */
export function collectionRasterDir(config: Config, collectionName: string): string {
  return path.join(rasterStoreRoot(config), collectionName);
}

/**
 * `<dataDir>/rasters/<collection>/<jobId>`: everything one job writes goes here, so that undoing
 * the job's files is removing one folder, and two jobs never write the same name.
 */
export function jobRasterDir(config: Config, collectionName: string, jobId: string): string {
  return path.join(collectionRasterDir(config, collectionName), jobId.replace(/[^\w-]/g, '_'));
}

/**
 * True for files we wrote: inside the raster store, or inside `collectionDir`, the data-store
 * folder a collection was given for its copies. Sources anywhere else are never deleted.
 */
export function isOwnedFile(config: Config, file: string, collectionDir?: string): boolean {
  if (collectionDir && !file.startsWith('/vsi') && isInside(path.resolve(file), path.resolve(collectionDir))) return true;
  if (file.startsWith('/vsi') && !isObjectStore(config)) return false;
  return isInside(path.resolve(file), rasterStoreRoot(config));
}

/** A collection's folder for copies: its data-store folder, or `<raster store>/<name>`. */
export function collectionFolder(config: Config, collection: { name: string; properties: { rasterDir?: string } }): string {
  return collection.properties.rasterDir ?? collectionRasterDir(config, collection.name);
}

/**
 * Deletes files we own (and GDAL side-cars such as `.aux.xml`, `.ovr`), then the folders they
 * leave empty up to the raster store. Anything outside the raster store is left alone.
 */
export async function removeOwnedFiles(config: Config, files: string[], collectionDir?: string): Promise<void> {
  if (isObjectStore(config) && !collectionDir) return removeOwnedObjects(config, files);
  const folders = new Set<string>();
  for (const file of files) {
    if (!isOwnedFile(config, file, collectionDir)) continue;
    for (const suffix of ['', '.aux.xml', '.ovr', '.msk']) await rm(`${file}${suffix}`, { force: true });
    folders.add(path.dirname(path.resolve(file)));
  }
  for (const folder of folders) await pruneEmptyFolders(config, folder, collectionDir);
}

/** Removes a folder we own with everything in it, then empty parents up to the raster store. */
export async function removeOwnedFolder(config: Config, folder: string, collectionDir?: string): Promise<void> {
  if (!isOwnedFile(config, folder, collectionDir) || path.resolve(folder) === rasterStoreRoot(config)) return;
  if (isObjectStore(config) && !collectionDir) return deleteFolderObjects(folder);
  await rm(folder, { recursive: true, force: true });
  await pruneEmptyFolders(config, path.dirname(path.resolve(folder)), collectionDir);
}

/** Removes empty folders from `start` up to the raster store (or up to and including `collectionDir`). */
async function pruneEmptyFolders(config: Config, start: string, collectionDir?: string): Promise<void> {
  const inCollection = collectionDir !== undefined && isInside(path.resolve(start), path.resolve(collectionDir));
  const root = inCollection ? path.dirname(path.resolve(collectionDir)) : rasterStoreRoot(config);
  for (let folder = start; isInside(folder, root) && folder !== root; folder = path.dirname(folder)) {
    const entries = await readdir(folder).catch(() => null);
    if (entries === null) continue;
    if (entries.length > 0) return;
    await rmdir(folder).catch(() => undefined);
  }
}

/** Object storage has no folders: each file and its side-cars is one object to delete. */
async function removeOwnedObjects(config: Config, files: string[]): Promise<void> {
  const byBucket = new Map<string, string[]>();
  for (const file of files.filter((f) => isOwnedFile(config, f))) {
    const { bucket, key } = parseVsis3Path(path.resolve(file));
    const keys = byBucket.get(bucket) ?? [];
    keys.push(...['', '.aux.xml', '.ovr', '.msk'].map((suffix) => `${key}${suffix}`));
    byBucket.set(bucket, keys);
  }
  for (const [bucket, keys] of byBucket) await deleteObjects(bucket, keys);
}
