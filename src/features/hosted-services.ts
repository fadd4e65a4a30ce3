import { GeometryError } from '../geometry/geometry-error.js';
import { parseSpatialReference, toEpsg, type SpatialReference } from '../geometry/spatial-reference.js';
import { ApiError } from '../errors.js';
import { createItem } from '../portal/item-service.js';
import type { ItemAccess, ItemRecord } from '../store/item-store.js';
import type { ServiceRecord } from '../store/service-store.js';
import { HOSTED_FOLDER, type FeatureDeps } from './feature-deps.js';
import { normalizeLayerInput } from './layer-input.js';
import { layerSchemaOf } from './layer-model.js';
import { normalizeCapabilities, type EnvelopeJson, type FeatureServiceDefinition, type LayerDefinition } from './service-definition.js';
import type { ResolvedService } from './service-access.js';

const SERVICE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_-]{0,119}$/;
export const DEFAULT_MAX_RECORD_COUNT = 2000;
const DEFAULT_CAPABILITIES = 'Create,Delete,Query,Update,Editing';

export interface CreateServiceInput {
  owner: string;
  /** The createParameters JSON of createService. */
  parameters: Record<string, unknown>;
  /** `https://host/arcgis`, for the item's URL. */
  baseUrl: string;
  folderId?: string | null;
  title?: string;
  tags?: string[];
  access?: ItemAccess;
}

/** The catalog and portal records of a new hosted service. */
export interface CreatedService {
  record: ServiceRecord;
  item: ItemRecord;
  definition: FeatureServiceDefinition;
  url: string;
}

export function serviceUrl(baseUrl: string, name: string): string {
  return `${baseUrl}/rest/services/${HOSTED_FOLDER}/${name}/FeatureServer`;
}

/**
 * Creates an empty hosted feature service as createService does: a "Feature Service" item owned
 * by `owner`, a service in the Hosted folder and an empty dataset. Layers come with
 * addToDefinition (or a publish). The name must be free (case-insensitively).
 */
export async function createHostedService(deps: FeatureDeps, input: CreateServiceInput): Promise<CreatedService> {
  const parameters = input.parameters;
  const name = typeof parameters.name === 'string' ? parameters.name.trim().replace(/\s+/g, '_') : '';
  if (!SERVICE_NAME.test(name)) throw ApiError.invalidParameter("'name' in createParameters is missing or not a valid service name");
  if (await deps.stores.services.get(HOSTED_FOLDER, name, 'FeatureServer')) {
    throw ApiError.unableToComplete(`Service name '${name}' already exists for '${input.owner}'`);
  }
  const spatialReference = readServiceSpatialReference(parameters.spatialReference);
  const url = serviceUrl(input.baseUrl, name);
  const item = await createItem(deps, {
    owner: input.owner,
    folderId: input.folderId ?? null,
    title: input.title ?? name,
    type: 'Feature Service',
    typeKeywords: ['ArcGIS Server', 'Data', 'Feature Access', 'Feature Service', 'Service', 'Hosted Service'],
    tags: input.tags ?? [],
    description: typeof parameters.description === 'string' ? parameters.description : '',
    url,
    access: input.access ?? 'private',
  });
  const definition: FeatureServiceDefinition = {
    dataset: item.id,
    revision: 1,
    serviceDescription: typeof parameters.serviceDescription === 'string' ? parameters.serviceDescription : '',
    description: typeof parameters.description === 'string' ? parameters.description : '',
    copyrightText: typeof parameters.copyrightText === 'string' ? parameters.copyrightText : '',
    capabilities: normalizeCapabilities(typeof parameters.capabilities === 'string' ? parameters.capabilities : DEFAULT_CAPABILITIES),
    maxRecordCount: readMaxRecordCount(parameters.maxRecordCount),
    spatialReference,
    allowGeometryUpdates: parameters.allowGeometryUpdates !== false,
    allowAnonymousEdits: parameters.allowAnonymousEdits === true,
    layers: [],
    tables: [],
  };
  const extent = readEnvelope(parameters.initialExtent);
  if (extent) definition.initialExtent = extent;
  const now = Date.now();
  const record: ServiceRecord = {
    folder: HOSTED_FOLDER,
    name,
    type: 'FeatureServer',
    owner: input.owner,
    itemId: item.id,
    access: item.access === 'public' ? 'public' : 'private',
    definition: definition as unknown as Record<string, unknown>,
    created: now,
    modified: now,
  };
  try {
    await deps.features.createDataset(definition.dataset);
    await deps.stores.services.create(record);
  } catch (error) {
    await deps.features.dropDataset(definition.dataset);
    await deps.stores.items.delete(item.id);
    throw error;
  }
  return { record, item, definition, url };
}

function readServiceSpatialReference(value: unknown): SpatialReference {
  try {
    return parseSpatialReference(value) ?? { wkid: 102100, latestWkid: 3857 };
  } catch (error) {
    if (error instanceof GeometryError) throw ApiError.invalidParameter(`'spatialReference' in createParameters is invalid`);
    throw error;
  }
}

function readMaxRecordCount(value: unknown): number {
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : DEFAULT_MAX_RECORD_COUNT;
}

function readEnvelope(value: unknown): EnvelopeJson | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const e = value as Record<string, unknown>;
  if (![e.xmin, e.ymin, e.xmax, e.ymax].every((n) => typeof n === 'number' && Number.isFinite(n))) return undefined;
  const envelope: EnvelopeJson = { xmin: e.xmin as number, ymin: e.ymin as number, xmax: e.xmax as number, ymax: e.ymax as number };
  const sr = parseSpatialReference(e.spatialReference);
  if (sr) envelope.spatialReference = sr;
  return envelope;
}

/** Removes a hosted service: catalog entry, item (when asked) and data. */
export async function deleteHostedService(deps: FeatureDeps, service: ResolvedService, options: { deleteItem: boolean }): Promise<void> {
  await deps.stores.services.delete(service.record.folder, service.record.name, 'FeatureServer');
  if (options.deleteItem && service.record.itemId) await deps.stores.items.delete(service.record.itemId);
  await deps.features.dropDataset(service.definition.dataset);
}

/**
 * addToDefinition: creates the store table of each new layer and table and records them.
 * Ids are kept when given and free, otherwise the next free id; layers and tables share ids.
 */
export async function addToServiceDefinition(
  deps: FeatureDeps,
  service: ResolvedService,
  input: { layers?: unknown[]; tables?: unknown[] },
): Promise<LayerDefinition[]> {
  const definition = structuredClone(service.definition);
  const taken = new Set([...definition.layers, ...definition.tables].map((l) => l.id));
  const added: LayerDefinition[] = [];
  const inputs = [
    ...(input.layers ?? []).map((layer) => ({ layer, asTable: false })),
    ...(input.tables ?? []).map((layer) => ({ layer, asTable: true })),
  ];
  for (const { layer, asTable } of inputs) {
    const requested = (layer as { id?: unknown } | null)?.id;
    let id = typeof requested === 'number' && Number.isInteger(requested) && requested >= 0 && !taken.has(requested) ? requested : 0;
    while (taken.has(id)) id++;
    taken.add(id);
    const normalized = normalizeLayerInput(layer, { id, serviceSpatialReference: definition.spatialReference, asTable });
    await checkSpatialReference(deps, normalized);
    added.push(normalized);
  }
  const created: number[] = [];
  try {
    for (const layer of added) {
      await deps.features.createLayer(definition.dataset, layerSchemaOf(layer));
      created.push(layer.id);
      (layer.type === 'Table' ? definition.tables : definition.layers).push(layer);
    }
  } catch (error) {
    for (const id of created) await deps.features.dropLayer(definition.dataset, id);
    throw error;
  }
  await saveDefinition(deps, service, definition);
  return added;
}

async function checkSpatialReference(deps: FeatureDeps, layer: LayerDefinition): Promise<void> {
  if (!layer.geometryType) return;
  const epsg = toEpsg(layer.spatialReference ?? { wkid: 4326 });
  if (epsg === undefined || !(await deps.features.supportsSrid(epsg))) {
    throw ApiError.invalidParameter(`Invalid layer definition: spatial reference of '${layer.name}' is not supported`);
  }
}

/** deleteFromDefinition: drops the named layers and tables (by id) with their data. */
export async function deleteFromServiceDefinition(deps: FeatureDeps, service: ResolvedService, ids: number[]): Promise<void> {
  const definition = structuredClone(service.definition);
  for (const id of ids) {
    const exists = [...definition.layers, ...definition.tables].some((l) => l.id === id);
    if (!exists) throw ApiError.invalidParameter(`Layer ${id} does not exist`);
  }
  for (const id of ids) await deps.features.dropLayer(definition.dataset, id);
  definition.layers = definition.layers.filter((l) => !ids.includes(l.id));
  definition.tables = definition.tables.filter((l) => !ids.includes(l.id));
  await saveDefinition(deps, service, definition);
}

export async function saveDefinition(deps: FeatureDeps, service: ResolvedService, definition: FeatureServiceDefinition): Promise<void> {
  definition.revision = (definition.revision ?? 0) + 1;
  await deps.stores.services.update(service.record.folder, service.record.name, 'FeatureServer', {
    definition: definition as unknown as Record<string, unknown>,
  });
  service.definition = definition;
}
