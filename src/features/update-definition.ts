import { ApiError } from '../errors.js';
import type { FeatureDeps } from './feature-deps.js';
import { saveDefinition } from './hosted-services.js';
import { normalizeLayerInput } from './layer-input.js';
import { layerSchemaOf } from './layer-model.js';
import type { ResolvedService } from './service-access.js';
import { findLayer, normalizeCapabilities, type FeatureServiceDefinition, type LayerDefinition } from './service-definition.js';

type Json = Record<string, unknown>;

const SERVICE_KEYS = ['serviceDescription', 'description', 'copyrightText'] as const;
const LAYER_TEXT_KEYS = ['name', 'description', 'copyrightText', 'displayField', 'typeIdField', 'htmlPopupType'] as const;

/**
 * updateDefinition (minimal): service description texts, capabilities, maxRecordCount,
 * allowGeometryUpdates and allowAnonymousEdits; per layer (`layers:[{id,…}]`) its texts,
 * drawingInfo, templates, types, scales, capabilities, maxRecordCount, and the presentation of
 * existing fields (alias, domain, default value). Schema changes (new, dropped or
 * retyped fields) go through addToDefinition / deleteFromDefinition.
 */
export async function updateServiceDefinition(deps: FeatureDeps, service: ResolvedService, input: Json): Promise<void> {
  const definition = structuredClone(service.definition);
  for (const key of SERVICE_KEYS) if (typeof input[key] === 'string') definition[key] = input[key] as string;
  if (typeof input.capabilities === 'string') definition.capabilities = normalizeCapabilities(input.capabilities);
  if (typeof input.maxRecordCount === 'number' && Number.isInteger(input.maxRecordCount) && input.maxRecordCount > 0) {
    definition.maxRecordCount = input.maxRecordCount;
  }
  if (typeof input.allowGeometryUpdates === 'boolean') definition.allowGeometryUpdates = input.allowGeometryUpdates;
  if (typeof input.allowAnonymousEdits === 'boolean') definition.allowAnonymousEdits = input.allowAnonymousEdits;
  for (const entry of [...asArray(input.layers), ...asArray(input.tables)]) updateLayer(definition, entry);
  await saveDefinition(deps, service, definition);
}

function asArray(value: unknown): Json[] {
  return Array.isArray(value) ? (value.filter((v) => typeof v === 'object' && v !== null) as Json[]) : [];
}

function layerOf(definition: FeatureServiceDefinition, id: unknown): LayerDefinition {
  const layer = typeof id === 'number' ? findLayer(definition, id) : undefined;
  if (!layer) throw ApiError.invalidParameter(`Layer ${String(id)} does not exist`);
  return layer;
}

function updateLayer(definition: FeatureServiceDefinition, input: Json): void {
  const layer = layerOf(definition, input.id);
  for (const key of LAYER_TEXT_KEYS) if (typeof input[key] === 'string') layer[key] = input[key] as string;
  if (input.drawingInfo !== undefined) layer.drawingInfo = input.drawingInfo;
  if (Array.isArray(input.templates)) layer.templates = input.templates;
  if (Array.isArray(input.types)) layer.types = input.types;
  if (typeof input.minScale === 'number') layer.minScale = input.minScale;
  if (typeof input.maxScale === 'number') layer.maxScale = input.maxScale;
  if (typeof input.defaultVisibility === 'boolean') layer.defaultVisibility = input.defaultVisibility;
  if (typeof input.capabilities === 'string') layer.capabilities = normalizeCapabilities(input.capabilities);
  if (typeof input.maxRecordCount === 'number' && input.maxRecordCount > 0) layer.maxRecordCount = Math.floor(input.maxRecordCount);
  for (const field of asArray(input.fields)) updateField(layer, field);
}

/** Alias, domain and default value of an existing field; its name and type stay. */
function updateField(layer: LayerDefinition, input: Json): void {
  const name = typeof input.name === 'string' ? input.name.toLowerCase() : undefined;
  const field = layer.fields.find((f) => f.name.toLowerCase() === name);
  if (!field) throw ApiError.invalidParameter(`Field ${String(input.name)} does not exist in layer ${layer.id}`);
  if (typeof input.alias === 'string') field.alias = input.alias;
  if (input.domain === null || (typeof input.domain === 'object' && input.domain !== undefined)) field.domain = input.domain as typeof field.domain;
  if (input.defaultValue !== undefined) field.defaultValue = input.defaultValue;
}

/** Layer-level addToDefinition: new fields become new columns. */
export async function addFieldsToLayer(deps: FeatureDeps, service: ResolvedService, layerId: number, fields: unknown[]): Promise<void> {
  const definition = structuredClone(service.definition);
  const layer = layerOf(definition, layerId);
  // Normalise the new fields the way a layer's are, then keep only those.
  const probe = normalizeLayerInput(
    { name: layer.name, geometryType: layer.geometryType, fields: [...layer.fields.filter((f) => f.type !== 'esriFieldTypeOID'), ...fields], objectIdField: layer.objectIdField },
    { id: layer.id, serviceSpatialReference: definition.spatialReference, asTable: !layer.geometryType },
  );
  const added = probe.fields.filter((f) => !layer.fields.some((existing) => existing.name === f.name));
  if (added.some((f) => f.type === 'esriFieldTypeOID' || f.type === 'esriFieldTypeGlobalID')) {
    throw ApiError.invalidParameter('Invalid layer definition: objectId and GlobalID fields cannot be added to an existing layer');
  }
  layer.fields.push(...added);
  const columns = layerSchemaOf({ ...layer, fields: added }).columns;
  await deps.features.addColumns(definition.dataset, layer.id, columns);
  await saveDefinition(deps, service, definition);
}

/** Layer-level deleteFromDefinition: drops the named fields (never the objectId or GlobalID). */
export async function deleteFieldsFromLayer(deps: FeatureDeps, service: ResolvedService, layerId: number, names: string[]): Promise<void> {
  const definition = structuredClone(service.definition);
  const layer = layerOf(definition, layerId);
  const doomed = names.map((name) => {
    const field = layer.fields.find((f) => f.name.toLowerCase() === name.toLowerCase());
    if (!field) throw ApiError.invalidParameter(`Field '${name}' does not exist`);
    if (field.type === 'esriFieldTypeOID' || field.type === 'esriFieldTypeGlobalID') throw ApiError.invalidParameter(`Field '${name}' cannot be deleted`);
    return field.name;
  });
  await deps.features.dropColumns(definition.dataset, layer.id, doomed);
  layer.fields = layer.fields.filter((f) => !doomed.includes(f.name));
  if (doomed.includes(layer.displayField)) layer.displayField = layer.fields.find((f) => f.type === 'esriFieldTypeString')?.name ?? '';
  await saveDefinition(deps, service, definition);
}
