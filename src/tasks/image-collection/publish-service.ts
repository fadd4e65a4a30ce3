import type { Principal } from '../../auth/principal.js';
import type { Config } from '../../config.js';
import { DEFAULT_CAPABILITIES, HOSTED_FOLDER, imageServiceDefinition, imageServiceUrl, type ImageServiceDefinition } from '../../imagery/image-service-definition.js';
import type { Bounds, CatalogStore, NewCatalogItem, NewCollection } from '../../imagery/store/catalog-store.js';
import { TaskError, type TaskContext } from '../../jobs/task.js';
import { newItemId } from '../../portal/item-service.js';
import { removeItemFiles } from '../../portal/item-files.js';
import type { Stores } from '../../store/index.js';
import type { ItemRecord } from '../../store/item-store.js';
import type { ServiceRecord } from '../../store/service-store.js';
import type { JobJournal } from './job-journal.js';
import { extentInWgs84, newCollectionId } from './task-deps.js';

/** Type keywords of a hosted dynamic imagery layer made from an image collection. */
const TYPE_KEYWORDS = ['Data', 'Service', 'Image Service', 'Dynamic Imagery Layer', 'Hosted Service', 'Image Collection', 'ArcGIS Server'];

export interface PublishRequest {
  name: string;
  collectionId: string;
  jobId: string;
  owner: string | null;
  baseUrl: string;
  /** An existing (pre-created, empty) service to point at the collection, with its item. */
  existing?: { service: ServiceRecord; item: ItemRecord | null };
  folderId?: string | null;
  /** Collection extent in WGS84, for the item. */
  extentWgs84: Bounds | null;
  spatialReference: string;
  description?: string;
}

/**
 * Publishes a collection: the `Hosted/<name>/ImageServer` row in the services catalog and its
 * portal item (type "Image Service"), each announced in the journal before it is written. A
 * service and item the portal created beforehand (Python client flow) are reused and updated.
 * Returns the item id and the service URL.
 */
export async function publishImageService(
  request: PublishRequest,
  deps: { stores: Stores; config: Config },
  journal: JobJournal,
): Promise<{ itemId: string | null; url: string }> {
  const url = imageServiceUrl(request.baseUrl, HOSTED_FOLDER, request.name);
  const definition: ImageServiceDefinition = { collectionId: request.collectionId, jobId: request.jobId, capabilities: DEFAULT_CAPABILITIES, description: request.description ?? '' };
  const now = Date.now();
  const extent = request.extentWgs84 ? [[request.extentWgs84.xmin, request.extentWgs84.ymin], [request.extentWgs84.xmax, request.extentWgs84.ymax]] : null;
  if (request.existing) {
    const { service, item } = request.existing;
    await journal.record({ type: 'serviceUpdated', folder: service.folder, name: service.name, previous: imageServiceDefinition(service) });
    await deps.stores.services.update(service.folder, service.name, 'ImageServer', { definition: { ...imageServiceDefinition(service), ...definition } });
    if (item) await deps.stores.items.update(item.id, { url, extent, spatialReference: request.spatialReference, modified: now });
    return { itemId: item?.id ?? service.itemId, url };
  }
  if (await deps.stores.services.get(HOSTED_FOLDER, request.name, 'ImageServer')) {
    throw new TaskError(`A service named '${request.name}' already exists.`);
  }
  const itemId = request.owner ? newItemId() : null;
  await journal.record({ type: 'serviceCreated', folder: HOSTED_FOLDER, name: request.name });
  await deps.stores.services.create({
    folder: HOSTED_FOLDER,
    name: request.name,
    type: 'ImageServer',
    owner: request.owner,
    itemId,
    access: 'private',
    definition: definition as Record<string, unknown>,
    created: now,
    modified: now,
  });
  if (itemId && request.owner) {
    await journal.record({ type: 'itemCreated', id: itemId });
    await deps.stores.items.create(imageServiceItem(itemId, request, url, extent, now));
  }
  return { itemId, url };
}

/** A collection a job makes and publishes; its id and job id are given here. */
export interface HostedCollection {
  collection: Omit<NewCollection, 'id' | 'jobId'>;
  items: NewCatalogItem[];
  /** The job's failure message when a collection of the same name was committed meanwhile. */
  duplicateMessage: string;
  existing?: PublishRequest['existing'];
  folderId: string | null;
  description?: string;
}

/**
 * Writes a new collection and its catalog rows (one transaction), then publishes it with its
 * item (publishImageService). CreateImageCollection and the raster analysis outputs end so.
 */
export async function createAndPublishCollection(
  hosted: HostedCollection,
  catalog: CatalogStore,
  context: Pick<TaskContext, 'jobId' | 'baseUrl' | 'signal' | 'stores' | 'config'>,
  journal: JobJournal,
): Promise<{ itemId: string | null; url: string }> {
  const id = newCollectionId();
  try {
    await catalog.createCollection({ ...hosted.collection, id, jobId: context.jobId }, hosted.items);
  } catch (error) {
    if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') throw new TaskError(hosted.duplicateMessage);
    throw error;
  }
  context.signal.throwIfAborted();
  const collection = (await catalog.getCollection(id))!;
  return publishImageService(
    {
      name: hosted.collection.name,
      collectionId: id,
      jobId: context.jobId,
      owner: hosted.collection.owner,
      baseUrl: context.baseUrl,
      ...(hosted.existing ? { existing: hosted.existing } : {}),
      folderId: hosted.folderId,
      extentWgs84: extentInWgs84(collection),
      spatialReference: String(collection.epsg ?? ''),
      ...(hosted.description !== undefined ? { description: hosted.description } : {}),
    },
    context,
    journal,
  );
}

function imageServiceItem(id: string, request: PublishRequest, url: string, extent: number[][] | null, now: number): ItemRecord {
  return {
    id,
    owner: request.owner!,
    folderId: request.folderId ?? null,
    title: request.name,
    type: 'Image Service',
    typeKeywords: TYPE_KEYWORDS,
    description: request.description ?? '',
    snippet: 'Image collection',
    tags: ['Image Collection'],
    url,
    fileName: null,
    size: 0,
    textData: null,
    access: 'private',
    extent,
    spatialReference: request.spatialReference,
    properties: null,
    created: now,
    modified: now,
  };
}

/** Removes a collection's service and its portal item (DeleteImageCollection and rollbacks). */
export async function unpublishImageService(deps: { stores: Stores; config: Config }, service: { folder: string; name: string } | undefined, itemId: string | null | undefined): Promise<void> {
  if (service) await deps.stores.services.delete(service.folder, service.name, 'ImageServer');
  if (itemId && (await deps.stores.items.get(itemId))) {
    await deps.stores.items.delete(itemId);
    await removeItemFiles(deps.config, itemId);
  }
}

/** The submitter's name, or a job failure: hosted services need an owner who may publish imagery. */
export function requirePublisher(principal: Principal | null): string {
  if (!principal) throw new TaskError('Creating an image collection needs a signed-in user.');
  if (!principal.privileges.includes('portal:publisher:publishImagery')) {
    throw new TaskError('You need the privilege to publish hosted imagery layers to create an image collection.');
  }
  return principal.username;
}
