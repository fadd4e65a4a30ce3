import path from 'node:path';
import type { Principal } from '../auth/principal.js';
import type { Config } from '../config.js';
import { ApiError } from '../errors.js';
import type { CatalogStore, CollectionRecord } from '../imagery/store/catalog-store.js';
import { TaskError } from '../jobs/task.js';
import { canSeeItem, resolveFolder, resolveItem } from '../portal/item-access.js';
import { itemFilePath } from '../portal/item-files.js';
import type { ItemRecord } from '../store/item-store.js';
import type { Stores } from '../store/index.js';
import { resolveDataStorePath } from '../imagery/data-stores.js';
import { assertPublicUrl, urlPolicy } from './public-url.js';
import { findCollectionByUrl } from './image-collection/collection-ref.js';
import { readKey, readObjectParam } from './image-collection/param-values.js';
import { classifyServiceUrl } from './image-collection/service-url.js';
import { remoteImageServiceSource } from './remote-image-service.js';

/** One input of `inputRasters` after resolution: a raster (or scene folder) GDAL can open, or a collection. */
export type RasterInput =
  | {
      kind: 'raster';
      /** A local path, `/vsicurl/…`, `/vsis3/…`, or `/vsizip/…`: what GDAL opens. */
      source: string;
      /** The input as the client named it (item title, URL, uri): safe for messages. */
      label: string;
      /** File name, for matching `gps` rows and naming catalog items. */
      fileName: string;
      /** From a portal item: by value only (uploads are never referenced in place). */
      fromItem: boolean;
    }
  | { kind: 'collection'; collection: CollectionRecord; label: string };

export interface ResolvedInputs {
  inputs: RasterInput[];
  /** `byref: true`: register in place instead of copying into the raster store. */
  byRef: boolean;
}

export interface InputDeps {
  config: Config;
  stores: Pick<Stores, 'items' | 'services'>;
  catalog: CatalogStore;
  principal: Principal | null;
  /** This server's base URLs: only URLs under them name local collections. */
  serverUrls: readonly string[];
}

/** Extensions treated as rasters when a whole portal folder is given. */
const RASTER_EXTENSIONS = new Set(['.tif', '.tiff', '.jpg', '.jpeg', '.png', '.jp2', '.img', '.vrt', '.zip', '.ntf', '.dt2', '.hgt', '.crf', '.mrf']);

/**
 * Resolves `inputRasters` in any documented form: `itemIds`, `itemId`, `folderId`, `urls`, `url`,
 * `uris`, `uri` (exactly one is used; item ids win, then folder, then URLs, then URIs), with
 * `byref`. Items are checked for read access by the submitter; `uri` paths must lie in a
 * registered data store; URLs are read over HTTP with GDAL's `/vsicurl/`; a URL or uri naming one
 * of our image collections yields that collection.
 *
 * @example await resolveInputRasters({ uris: ['/share/a.tif'], byref: true }, deps)
 */
export async function resolveInputRasters(value: unknown, deps: InputDeps): Promise<ResolvedInputs> {
  const input = readObjectParam('inputRasters', value);
  const byRef = readBoolean(readKey(input, 'byref'));
  const itemIds = readList(input, 'itemIds', 'itemId');
  if (itemIds) return { inputs: await Promise.all(itemIds.map((id) => fromItem(id, deps))), byRef };
  const folderId = readKey(input, 'folderId');
  if (typeof folderId === 'string' && folderId) return { inputs: await fromFolder(folderId, deps), byRef };
  const urls = readList(input, 'urls', 'url');
  if (urls) return { inputs: await Promise.all(urls.map((url) => fromUrl(url, deps))), byRef };
  const uris = readList(input, 'uris', 'uri');
  if (uris) return { inputs: await Promise.all(uris.map((uri) => fromUri(uri, deps))), byRef };
  throw new TaskError("'inputRasters' names no rasters: give itemIds, itemId, folderId, urls, url, uris or uri.");
}

function readList(input: Record<string, unknown>, plural: string, single: string): string[] | undefined {
  const many = readKey(input, plural);
  if (Array.isArray(many) && many.length > 0) return many.map((v) => String(v));
  if (typeof many === 'string' && many.trim()) return many.split(',').map((v) => v.trim()).filter(Boolean);
  const one = readKey(input, single);
  if (typeof one === 'string' && one.trim()) return [one.trim()];
  return undefined;
}

function readBoolean(value: unknown): boolean {
  return value === true || (typeof value === 'string' && value.toLowerCase() === 'true');
}

async function fromItem(id: string, deps: InputDeps): Promise<RasterInput> {
  let item: ItemRecord;
  try {
    item = await resolveItem(deps.stores, id, deps.principal);
  } catch (error) {
    if (error instanceof ApiError) throw new TaskError(`Input item '${id}' does not exist or is not accessible.`);
    throw error;
  }
  return fromItemRecord(item, deps);
}

async function fromItemRecord(item: ItemRecord, deps: InputDeps): Promise<RasterInput> {
  if (item.fileName) {
    const file = itemFilePath(deps.config, item.id, item.fileName);
    const isZip = item.fileName.toLowerCase().endsWith('.zip');
    return { kind: 'raster', source: isZip ? `/vsizip/${file}` : file, label: item.title || item.fileName, fileName: item.fileName, fromItem: true };
  }
  if (item.url) return fromUrl(item.url, deps);
  throw new TaskError(`Input item '${item.id}' has neither a file nor a URL.`);
}

async function fromFolder(folderId: string, deps: InputDeps): Promise<RasterInput[]> {
  if (!deps.principal) throw new TaskError('A folderId input needs a signed-in submitter.');
  let owner = deps.principal.username;
  let folder = await deps.stores.items.getFolder(folderId);
  if (folder && !deps.principal.isAdmin && folder.owner.toLowerCase() !== owner.toLowerCase()) folder = undefined;
  if (!folder) folder = await resolveFolder(deps.stores, owner, folderId).catch(() => undefined);
  if (!folder) throw new TaskError(`Input folder '${folderId}' does not exist or is not accessible.`);
  owner = folder.owner;
  const { items } = await deps.stores.items.query({ owner, folderId: folder.id, start: 1, num: 10_000 });
  const rasters = items.filter(
    (item) => canSeeItem(item, deps.principal) && item.fileName && (item.type === 'Image' || RASTER_EXTENSIONS.has(path.extname(item.fileName).toLowerCase())),
  );
  if (rasters.length === 0) throw new TaskError(`Input folder '${folder.title}' holds no image items.`);
  return Promise.all(rasters.map((item) => fromItemRecord(item, deps)));
}

async function fromUrl(url: string, deps: InputDeps): Promise<RasterInput> {
  const target = classifyServiceUrl(url, deps.serverUrls);
  if (target.kind === 'local') {
    const collection = await findCollectionByUrl(url, deps);
    if (collection) return { kind: 'collection', collection, label: url };
    throw new TaskError(`Input '${url}': the image service ${target.folder ? `${target.folder}/` : ''}${target.name} does not exist on this server or is not accessible.`);
  }
  if (target.kind === 'remote-service') {
    const policy = urlPolicy(deps.config);
    await assertPublicUrl(new URL(target.url), url, policy);
    const source = await remoteImageServiceSource(target.url, url, policy);
    return { kind: 'raster', source, label: url, fileName: `${path.posix.basename(new URL(target.url).pathname.replace(/\/ImageServer$/i, ''))}.tif`, fromItem: false };
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TaskError(`Input URL '${url}' is not a valid URL.`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new TaskError(`Input URL '${url}' must use http or https.`);
  await assertPublicUrl(parsed, url, urlPolicy(deps.config));
  const fileName = decodeURIComponent(path.posix.basename(parsed.pathname)) || parsed.hostname;
  return { kind: 'raster', source: `/vsicurl/${parsed.href}`, label: url, fileName, fromItem: false };
}

/** Public cloud buckets by their URI scheme; GDAL reads them unsigned (byref needs public buckets). */
const CLOUD_SCHEMES: Record<string, string> = { 's3:': '/vsis3/', 'gs:': '/vsigs/', 'az:': '/vsiaz/' };

async function fromUri(uri: string, deps: InputDeps): Promise<RasterInput> {
  if (/^https?:\/\//i.test(uri)) return fromUrl(uri, deps);
  const scheme = /^([a-z0-9]+:)\/\//i.exec(uri)?.[1]?.toLowerCase();
  if (scheme && CLOUD_SCHEMES[scheme]) {
    const rest = uri.slice(scheme.length + 2);
    return { kind: 'raster', source: `${CLOUD_SCHEMES[scheme]}${rest}`, label: uri, fileName: path.posix.basename(rest), fromItem: false };
  }
  const collection = await findCollectionByUrl(uri, deps);
  if (collection) return { kind: 'collection', collection, label: uri };
  const local = await resolveDataStorePath(uri, await deps.catalog.listDataStores());
  return { kind: 'raster', source: local, label: uri, fileName: path.basename(local), fromItem: false };
}
