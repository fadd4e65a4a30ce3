import { copyFile, mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config.js';
import { ApiError } from '../errors.js';
import { toSafeFileName } from './safe-file-name.js';

const ITEM_ID = /^[0-9a-f]{32}$/;

/** `<dataDir>/items/<id>`: one folder per item holding its data file. */
export function itemDirectory(config: Config, id: string): string {
  // Ids are ours (32 hex), but they also arrive in URLs: never let one shape a path.
  if (!ITEM_ID.test(id)) throw ApiError.invalidParameter(`Invalid item id '${id}'.`);
  return path.join(config.dataDir, 'items', id);
}

/** Where a file named `fileName` of item `id` lives; refuses anything that would leave the item folder. */
export function itemFilePath(config: Config, id: string, fileName: string): string {
  const directory = itemDirectory(config, id);
  const target = path.resolve(directory, fileName);
  if (path.dirname(target) !== directory) throw ApiError.invalidParameter('Invalid file name.');
  return target;
}

/**
 * Moves a file (an upload's temporary file, or a task's output) into the item's folder under a
 * sanitised name, replacing the item's previous file. A move, not a copy, so large uploads are
 * never read again; across filesystems it falls back to copy + delete.
 */
export async function storeItemFile(
  config: Config,
  id: string,
  source: { path: string; fileName: string },
  previousFileName?: string | null,
): Promise<{ fileName: string; size: number }> {
  const fileName = toSafeFileName(source.fileName);
  const target = itemFilePath(config, id, fileName);
  await mkdir(path.dirname(target), { recursive: true });
  await moveFile(source.path, target);
  if (previousFileName && previousFileName !== fileName) {
    await rm(itemFilePath(config, id, previousFileName), { force: true });
  }
  return { fileName, size: (await stat(target)).size };
}

export async function removeItemFiles(config: Config, id: string): Promise<void> {
  await rm(itemDirectory(config, id), { recursive: true, force: true });
}

async function moveFile(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    await copyFile(from, to);
    await rm(from, { force: true });
  }
}

const CONTENT_TYPES: Record<string, string> = {
  '.csv': 'text/csv',
  '.geojson': 'application/geo+json',
  '.gif': 'image/gif',
  '.gpkg': 'application/geopackage+sqlite3',
  '.htm': 'text/html',
  '.html': 'text/html',
  '.jp2': 'image/jp2',
  '.jpeg': 'image/jpeg',
  '.jpg': 'image/jpeg',
  '.json': 'application/json',
  '.kml': 'application/vnd.google-earth.kml+xml',
  '.kmz': 'application/vnd.google-earth.kmz',
  '.las': 'application/vnd.las',
  '.laz': 'application/vnd.laszip',
  '.pdf': 'application/pdf',
  '.png': 'image/png',
  '.tif': 'image/tiff',
  '.tiff': 'image/tiff',
  '.txt': 'text/plain',
  '.xml': 'application/xml',
  '.zip': 'application/zip',
};

/** The content type for a stored file, by extension; unknown kinds download as bytes. */
export function contentTypeFor(fileName: string): string {
  return CONTENT_TYPES[path.extname(fileName).toLowerCase()] ?? 'application/octet-stream';
}

/** `attachment` with an ASCII fallback name and the exact UTF-8 name (RFC 6266 / 5987). */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
