import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Principal } from '../../auth/principal.js';
import { canManageService } from '../../catalog/service-access.js';
import { imageServiceDefinition, parseImageServiceUrl } from '../../imagery/image-service-definition.js';
import { TaskError } from '../../jobs/task.js';
import type { ItemRecord } from '../../store/item-store.js';
import type { ServiceRecord } from '../../store/service-store.js';
import { findImageService, type CollectionDeps } from './collection-ref.js';
import { resolveDataStorePath } from '../../imagery/data-stores.js';
import { readKey } from './param-values.js';
import { parseJsonText } from '../../json-text.js';

/** Where CreateImageCollection puts its result. */
export interface OutputCollection {
  name: string;
  folderId: string | null;
  /** A data-store folder made for the collection's copies (`{"uri": "/fileShares/x/<name>"}`). */
  rasterDir?: string;
  /** A service (and item) the portal created beforehand, empty, for this job to fill. */
  existing?: { service: ServiceRecord; item: ItemRecord | null };
}

/** Service names as ArcGIS allows them for hosted services. */
const SERVICE_NAME = /^[A-Za-z0-9_]{1,120}$/;

/**
 * Reads the `imageCollection` output of CreateImageCollection: a plain name,
 * `{"serviceProperties":{"name"[,"serviceUrl"]},"itemProperties":{"itemId","folderId"}}`, or
 * `{"itemId"|"url"|"uri"}` of an existing empty image service. A name already in use by a
 * collection fails the job (AddImage adds to an existing collection).
 */
export async function readOutputCollection(value: unknown, deps: CollectionDeps & { principal: Principal | null }): Promise<OutputCollection> {
  const parsed = parseValue(value);
  const itemProperties = (typeof parsed === 'object' ? readKey(parsed, 'itemProperties') : undefined) as Record<string, unknown> | undefined;
  const folderId = typeof itemProperties?.folderId === 'string' && itemProperties.folderId ? itemProperties.folderId : null;
  const { service, label, item } = await findImageService(parsed, deps);
  if (!service && typeof parsed === 'object') refuseUnknownTarget(parsed, item);
  if (service) {
    if (imageServiceDefinition(service).collectionId) {
      throw new TaskError(`An image collection named '${service.name}' already exists; use AddImage to add images to it.`);
    }
    if (!canManageService(service, deps.principal)) throw new TaskError(`You may not change the service '${service.name}'.`);
    return { name: service.name, folderId, existing: { service, item } };
  }
  const uri = typeof parsed === 'object' && typeof parsed.uri === 'string' ? parsed.uri.trim() : '';
  if (uri.includes('/')) return { ...(await readDataStoreOutput(uri, deps)), folderId };
  const name = typeof parsed === 'string' ? parsed : (serviceName(parsed) ?? parseImageServiceUrl(label)?.name ?? label);
  if (!SERVICE_NAME.test(name)) {
    throw new TaskError(`'${name}' is not a valid service name: use letters, digits and underscores (at most 120).`);
  }
  if (await deps.catalog.getCollection(name)) throw new TaskError(`An image collection named '${name}' already exists.`);
  return { name, folderId };
}

function parseValue(value: unknown): string | Record<string, unknown> {
  if (typeof value === 'string') {
    const text = value.trim();
    if (!text.startsWith('{')) return text;
    try {
      return parseJsonText(text) as Record<string, unknown>;
    } catch {
      throw new TaskError("'imageCollection' is not valid JSON.");
    }
  }
  if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  throw new TaskError("'imageCollection' must be a service name or a JSON object.");
}

function serviceName(object: Record<string, unknown>): string | undefined {
  const properties = readKey(object, 'serviceProperties') as Record<string, unknown> | undefined;
  const name = properties && readKey(properties, 'name');
  return typeof name === 'string' && name ? name : undefined;
}

/**
 * An `itemId` or `url` names an existing service to fill; when it names none, the job fails
 * rather than inventing a service named after the id or URL (a `serviceProperties` name creates one).
 */
function refuseUnknownTarget(object: Record<string, unknown>, item: ItemRecord | null): void {
  const itemId = object.itemId;
  if (typeof itemId === 'string' && itemId) {
    throw new TaskError(
      item
        ? `The item '${itemId}' is not an image service; give the item of an empty hosted image service, or a new name as {"serviceProperties":{"name":…}}.`
        : `The item '${itemId}' does not exist or is not accessible.`,
    );
  }
  const url = object.url;
  if (typeof url === 'string' && url) {
    throw new TaskError(`The image service '${url}' does not exist on this server; to create one, give its name as {"serviceProperties":{"name":…}}.`);
  }
}

/**
 * `{"uri": "<shared data path>"}`: the collection is named after the path's last part and its
 * copies live in that folder of a registered data store, which the job creates (an existing
 * non-empty folder is refused, so that deleting the collection never removes anything else).
 * Cloud URIs would need credentials for writing, which data stores do not hold yet.
 */
async function readDataStoreOutput(uri: string, deps: CollectionDeps): Promise<{ name: string; rasterDir: string }> {
  if (/^[a-z0-9]+:\/\//i.test(uri)) {
    throw new TaskError(`'imageCollection' uri '${uri}': cloud output locations are not supported; give a folder of a registered file share, e.g. /fileShares/<share>/<name>.`);
  }
  const trimmed = uri.replace(/\/+$/, '');
  const name = path.posix.basename(trimmed);
  if (!SERVICE_NAME.test(name)) throw new TaskError(`'${name}' (the last part of '${uri}') is not a valid service name: use letters, digits and underscores (at most 120).`);
  if (await deps.catalog.getCollection(name)) throw new TaskError(`An image collection named '${name}' already exists.`);
  let parent: string;
  try {
    parent = await resolveDataStorePath(path.posix.dirname(trimmed), await deps.catalog.listDataStores());
  } catch (error) {
    if (error instanceof TaskError) throw new TaskError(`'imageCollection' uri '${uri}' is not in a registered data store folder that exists.`);
    throw error;
  }
  const rasterDir = path.join(parent, name);
  const entries = await readdir(rasterDir).catch(() => null);
  if (entries && entries.length > 0) throw new TaskError(`'imageCollection' uri '${uri}' already holds files; give a new folder for the collection's rasters.`);
  return { name, rasterDir };
}
