import { readdir, rm, rmdir } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config.js';
import { isInside } from './data-stores.js';

/** `<dataDir>/rasters`: the raster store, where by-value copies (COGs) and our recipe files live. */
export function rasterStoreRoot(config: Config): string {
  return path.join(config.dataDir, 'rasters');
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

/** True for files we wrote (inside the raster store); sources anywhere else are never deleted. */
export function isOwnedFile(config: Config, file: string): boolean {
  return !file.startsWith('/vsi') && isInside(path.resolve(file), rasterStoreRoot(config));
}

/**
 * Deletes files we own (and GDAL side-cars such as `.aux.xml`, `.ovr`), then the folders they
 * leave empty up to the raster store. Anything outside the raster store is left alone.
 */
export async function removeOwnedFiles(config: Config, files: string[]): Promise<void> {
  const folders = new Set<string>();
  for (const file of files) {
    if (!isOwnedFile(config, file)) continue;
    for (const suffix of ['', '.aux.xml', '.ovr', '.msk']) await rm(`${file}${suffix}`, { force: true });
    folders.add(path.dirname(path.resolve(file)));
  }
  for (const folder of folders) await pruneEmptyFolders(config, folder);
}

/** Removes a folder we own with everything in it, then empty parents up to the raster store. */
export async function removeOwnedFolder(config: Config, folder: string): Promise<void> {
  if (!isOwnedFile(config, folder) || path.resolve(folder) === rasterStoreRoot(config)) return;
  await rm(folder, { recursive: true, force: true });
  await pruneEmptyFolders(config, path.dirname(path.resolve(folder)));
}

async function pruneEmptyFolders(config: Config, start: string): Promise<void> {
  const root = rasterStoreRoot(config);
  for (let folder = start; isInside(folder, root) && folder !== root; folder = path.dirname(folder)) {
    const entries = await readdir(folder).catch(() => null);
    if (entries === null) continue;
    if (entries.length > 0) return;
    await rmdir(folder).catch(() => undefined);
  }
}
