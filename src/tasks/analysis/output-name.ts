import type { Principal } from '../../auth/principal.js';
import { canManageService } from '../../catalog/service-access.js';
import { HOSTED_FOLDER, imageServiceDefinition, parseImageServiceUrl } from '../../imagery/image-service-definition.js';
import type { CatalogStore } from '../../imagery/store/catalog-store.js';
import { TaskError } from '../../jobs/task.js';
import type { Stores } from '../../store/index.js';
import type { ItemRecord } from '../../store/item-store.js';
import type { ServiceRecord } from '../../store/service-store.js';
import { readKey } from '../image-collection/param-values.js';

/** Where an analysis output goes: a new hosted service, or one the portal created empty for it. */
export interface OutputName {
  /** The output parameter, for messages. */
  param: string;
  name: string;
  folderId: string | null;
  /** A service (and item) created beforehand through the portal (ArcGIS API for Python flow). */
  existing?: { service: ServiceRecord; item: ItemRecord | null };
}

export interface OutputDeps {
  stores: Pick<Stores, 'items' | 'services'>;
  catalog: CatalogStore;
  principal: Principal | null;
}

const SERVICE_NAME = /^[A-Za-z0-9_]{1,120}$/;

/**
 * Reads an output parameter (§2.2): a plain name, `{"serviceProperties": {"name", "serviceUrl"},
 * "itemProperties": {"itemId", "folderId"}}`, or `{"itemId"}` / `{"url"}` of a pre-created empty
 * service. A name already taken by a service with content fails the job.
 *
 * @example await readOutputName('outputName', 'slope', 'ImageServer', deps)
 */
export async function readOutputName(param: string, value: unknown, type: 'ImageServer' | 'FeatureServer', deps: OutputDeps): Promise<OutputName> {
  const parsed = parseValue(param, value);
  if (parsed === undefined) throw new TaskError(`'${param}' is required: give a service name.`);
  const itemProperties = (typeof parsed === 'object' ? readKey(parsed, 'itemProperties') : undefined) as Record<string, unknown> | undefined;
  const folderId = typeof itemProperties?.folderId === 'string' && itemProperties.folderId ? itemProperties.folderId : null;
  const itemId = typeof parsed === 'object' ? (readKey(parsed, 'itemId') ?? itemProperties?.itemId) : undefined;
  const item = typeof itemId === 'string' && itemId ? ((await deps.stores.items.get(itemId.toLowerCase())) ?? null) : null;
  const name = typeof parsed === 'string' ? parsed : nameOf(parsed, item, type);
  if (!name) throw new TaskError(`'${param}' must give a service name.`);
  if (!SERVICE_NAME.test(name)) throw new TaskError(`'${param}': '${name}' is not a valid service name: use letters, digits and underscores (at most 120).`);
  const service = await deps.stores.services.get(HOSTED_FOLDER, name, type);
  if (!service) {
    if (type === 'ImageServer' && (await deps.catalog.getCollection(name))) throw new TaskError(`'${param}': an image service named '${name}' already exists.`);
    return { param, name, folderId };
  }
  const empty = type === 'ImageServer' ? !imageServiceDefinition(service).collectionId : isEmptyFeatureService(service);
  const precreated = item !== null && service.itemId === item.id;
  if (!empty || !precreated) throw new TaskError(`'${param}': a service named '${name}' already exists.`);
  if (!canManageService(service, deps.principal)) throw new TaskError(`'${param}': you may not change the service '${name}'.`);
  return { param, name, folderId, existing: { service, item } };
}

function parseValue(param: string, value: unknown): string | Record<string, unknown> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') {
    const text = value.trim();
    if (text === '') return undefined;
    if (!text.startsWith('{')) return text;
    try {
      return JSON.parse(text) as Record<string, unknown>;
    } catch {
      throw new TaskError(`'${param}' is not valid JSON.`);
    }
  }
  if (typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  throw new TaskError(`'${param}' must be a service name or a JSON object.`);
}

function nameOf(object: Record<string, unknown>, item: ItemRecord | null, type: string): string | undefined {
  const properties = (readKey(object, 'serviceProperties') ?? {}) as Record<string, unknown>;
  const name = readKey(properties, 'name');
  if (typeof name === 'string' && name) return name;
  const url = [readKey(properties, 'serviceUrl'), readKey(object, 'url'), item?.url].find((v): v is string => typeof v === 'string' && v !== '');
  if (!url) return undefined;
  if (type === 'ImageServer') return parseImageServiceUrl(url)?.name;
  return /\/rest\/services\/(?:[^/?#]+\/)?([^/?#]+)\/FeatureServer/i.exec(url)?.[1];
}

function isEmptyFeatureService(service: ServiceRecord): boolean {
  const definition = service.definition as { layers?: unknown[]; tables?: unknown[] };
  return (definition.layers?.length ?? 0) === 0 && (definition.tables?.length ?? 0) === 0;
}
