import type { Principal } from '../../auth/principal.js';
import { canManageService, canSeeService } from '../../catalog/service-access.js';
import { HOSTED_FOLDER, imageServiceDefinition, parseImageServiceUrl } from '../../imagery/image-service-definition.js';
import type { CatalogStore, CollectionRecord } from '../../imagery/store/catalog-store.js';
import { TaskError } from '../../jobs/task.js';
import type { Stores } from '../../store/index.js';
import type { ItemRecord } from '../../store/item-store.js';
import type { ServiceRecord } from '../../store/service-store.js';
import { readKey } from './param-values.js';
import { classifyServiceUrl } from './service-url.js';

export interface CollectionDeps {
  stores: Pick<Stores, 'items' | 'services'>;
  catalog: CatalogStore;
  principal: Principal | null;
  /** This server's base URLs (public and as submitted): a URL elsewhere never names a local collection. */
  serverUrls: readonly string[];
}

/** An existing collection with the service that publishes it and that service's portal item. */
export interface LocatedCollection {
  collection: CollectionRecord;
  service: ServiceRecord;
  item: ItemRecord | null;
}

/**
 * The collection a URL or path of this server names (`…/rest/services/Hosted/<name>/ImageServer`,
 * or a bare collection name as a `uri`), when the caller may see it; undefined when it names none
 * (URLs of other servers name none).
 */
export async function findCollectionByUrl(text: string, deps: CollectionDeps): Promise<CollectionRecord | undefined> {
  const parsed = classifyServiceUrl(text, deps.serverUrls);
  if (parsed.kind !== 'local') return undefined;
  const service = await deps.stores.services.get(parsed.folder, parsed.name, 'ImageServer');
  if (!service || !canSeeService(service, deps.principal)) return undefined;
  const id = imageServiceDefinition(service).collectionId;
  return id ? deps.catalog.getCollection(id) : undefined;
}

/**
 * Finds the service an `imageCollection` value names — `{"itemId"}`, `{"url"}`, `{"uri"}`, a
 * `serviceProperties` block, or a plain name — without requiring a collection behind it.
 */
export async function findImageService(value: unknown, deps: CollectionDeps): Promise<{ service: ServiceRecord | undefined; label: string; item: ItemRecord | null }> {
  if (typeof value === 'string') return { service: await deps.stores.services.get(HOSTED_FOLDER, value, 'ImageServer'), label: value, item: null };
  const object = (value ?? {}) as Record<string, unknown>;
  // The documents: "A JSON object supports three case sensitive keys: itemId, url, and uri".
  const itemId = object.itemId ?? readKey((readKey(object, 'itemProperties') ?? {}) as Record<string, unknown>, 'itemId');
  if (typeof itemId === 'string' && itemId) {
    const item = (await deps.stores.items.get(itemId.toLowerCase())) ?? null;
    const parsed = item?.url ? parseImageServiceUrl(item.url) : null;
    const service = parsed ? await deps.stores.services.get(parsed.folder, parsed.name, 'ImageServer') : undefined;
    return { service, label: itemId, item };
  }
  const serviceProperties = (readKey(object, 'serviceProperties') ?? {}) as Record<string, unknown>;
  const text = [object.url, object.uri, readKey(serviceProperties, 'serviceUrl'), readKey(serviceProperties, 'name')].find(
    (v): v is string => typeof v === 'string' && v !== '',
  );
  if (!text) throw new TaskError("'imageCollection' must give an itemId, url, uri or service name.");
  const parsed = localServiceName(text, deps.serverUrls);
  const service = await deps.stores.services.get(parsed.folder, parsed.name, 'ImageServer');
  const item = service?.itemId ? ((await deps.stores.items.get(service.itemId)) ?? null) : null;
  return { service, label: text, item };
}

/**
 * The existing collection an `imageCollection` value names, which the submitter must be allowed
 * to change (owner or administrator). Fails the job with a message when there is none.
 */
export async function locateCollection(value: unknown, deps: CollectionDeps): Promise<LocatedCollection> {
  const { service, label, item } = await findImageService(value, deps);
  const collectionId = service ? imageServiceDefinition(service).collectionId : undefined;
  const collection = collectionId ? await deps.catalog.getCollection(collectionId) : undefined;
  if (!service || !collection || !canSeeService(service, deps.principal)) {
    throw new TaskError(`Image collection '${label}' does not exist or is not accessible.`);
  }
  if (!canManageService(service, deps.principal)) throw new TaskError(`You may not change image collection '${service.name}'.`);
  const serviceItem = item ?? (service.itemId ? ((await deps.stores.items.get(service.itemId)) ?? null) : null);
  return { collection, service, item: serviceItem };
}

/**
 * The service a text names on this server. A URL of another server fails the job: a task may read
 * a remote image service but never change one, and must not change a local namesake instead.
 */
function localServiceName(text: string, serverUrls: readonly string[]): { folder: string; name: string } {
  const target = classifyServiceUrl(text, serverUrls);
  if (target.kind === 'local') return target;
  if (target.kind === 'remote-service' || target.kind === 'remote-file') {
    throw new TaskError(`'imageCollection' names '${text}', which is not on this server (${serverUrls[0] ?? 'its base URL'}): a task can only change image collections this server hosts.`);
  }
  return parseImageServiceUrl(text) ?? { folder: HOSTED_FOLDER, name: text.replace(/^\/+/, '').replace(/^Hosted\//i, '') };
}
