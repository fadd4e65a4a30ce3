import { ApiError } from '../errors.js';
import { createItem, type ItemDeps } from '../portal/item-service.js';
import type { Stores } from '../store/index.js';
import { DEFAULT_CAPABILITIES, HOSTED_FOLDER, imageServiceUrl, type ImageServiceDefinition } from './image-service-definition.js';

/** Type keywords of a hosted dynamic imagery layer (the item the ArcGIS API for Python pre-creates). */
const TYPE_KEYWORDS = ['Data', 'Service', 'Image Service', 'Dynamic Imagery Layer', 'Hosted Service', 'ArcGIS Server'];
const SERVICE_NAME = /^[A-Za-z0-9_]{1,120}$/;

export interface CreateImageServiceInput {
  owner: string;
  /** createParameters: `{"name", "description", "capabilities", "properties": {...}}`. */
  parameters: Record<string, unknown>;
  baseUrl: string;
  folderId: string | null;
  title?: string;
  tags?: string[];
}

/**
 * `createService` with `outputType=imageService`: an empty hosted image service and its "Image
 * Service" item, which a Raster Analysis task then fills when given
 * `{"serviceProperties":{"name","serviceUrl"},"itemProperties":{"itemId"}}` — the ArcGIS API for
 * Python always creates its outputs this way. The service has no collection until a job fills it.
 */
export async function createEmptyImageService(deps: ItemDeps & { stores: Stores }, input: CreateImageServiceInput): Promise<{ itemId: string; name: string; url: string; typeKeywords: string[] }> {
  const name = typeof input.parameters.name === 'string' ? input.parameters.name.trim() : '';
  if (!SERVICE_NAME.test(name)) throw ApiError.invalidParameter("'name' in createParameters is missing or not a valid service name (letters, digits and underscores)");
  if (await deps.stores.services.get(HOSTED_FOLDER, name, 'ImageServer')) {
    throw ApiError.unableToComplete(`Service name '${name}' already exists for '${input.owner}'`);
  }
  const url = imageServiceUrl(input.baseUrl, HOSTED_FOLDER, name);
  const description = typeof input.parameters.description === 'string' ? input.parameters.description : '';
  const item = await createItem(deps, {
    owner: input.owner,
    folderId: input.folderId,
    title: input.title ?? name,
    type: 'Image Service',
    typeKeywords: TYPE_KEYWORDS,
    description,
    tags: input.tags ?? [],
    url,
  });
  const definition: ImageServiceDefinition = { capabilities: DEFAULT_CAPABILITIES, description };
  const now = Date.now();
  await deps.stores.services.create({
    folder: HOSTED_FOLDER,
    name,
    type: 'ImageServer',
    owner: input.owner,
    itemId: item.id,
    access: 'private',
    definition: definition as Record<string, unknown>,
    created: now,
    modified: now,
  });
  return { itemId: item.id, name, url, typeKeywords: TYPE_KEYWORDS };
}
