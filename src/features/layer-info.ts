import { CURRENT_VERSION } from '../directory/version.js';
import { toEpsg, toSpatialReferenceJson, unitsOf, type SpatialReference } from '../geometry/spatial-reference.js';
import type { Extent, FeatureStore } from '../store/feature-store.js';
import { layerModelOf, SHAPE_FIELD_NAME } from './layer-model.js';
import { recordLimitsOf } from './record-limits.js';
import type { ResolvedService } from './service-access.js';
import { allLayers, normalizeCapabilities, type EnvelopeJson, type LayerDefinition } from './service-definition.js';

export const SUPPORTED_QUERY_FORMATS = 'JSON, geoJSON, PBF';

/** The spatial relationships query and deleteFeatures accept. */
export const SUPPORTED_SPATIAL_RELATIONSHIPS = [
  'esriSpatialRelIntersects',
  'esriSpatialRelContains',
  'esriSpatialRelCrosses',
  'esriSpatialRelEnvelopeIntersects',
  'esriSpatialRelIndexIntersects',
  'esriSpatialRelOverlaps',
  'esriSpatialRelTouches',
  'esriSpatialRelWithin',
];

/** What query implements, and `false` for the rest: clients branch on these (the ArcGIS REST API Layer / Table resource). */
const ADVANCED_QUERY_CAPABILITIES = {
  supportsPagination: true,
  supportsPaginationOnAggregatedQueries: true,
  supportsQueryWithDistance: true,
  supportsReturningQueryExtent: true,
  supportsStatistics: true,
  supportsPercentileStatistics: false,
  supportsHavingClause: true,
  supportsOrderBy: true,
  supportsDistinct: true,
  supportsCountDistinct: true,
  supportsQueryWithResultType: true,
  supportsReturningGeometryCentroid: false,
  supportsSqlExpression: false,
  supportsTopFeaturesQuery: false,
  supportsQueryAttachments: false,
  supportsTrueCurve: false,
  supportsQueryWithDatumTransformation: false,
  useStandardizedQueries: true,
};

export function layerCapabilities(service: ResolvedService, layer: LayerDefinition): string {
  return normalizeCapabilities(layer.capabilities ?? service.definition.capabilities);
}

function envelope(extent: Extent | EnvelopeJson | null | undefined, sr: SpatialReference | undefined): Record<string, unknown> | null {
  if (!extent) return null;
  const { xmin, ymin, xmax, ymax } = extent;
  return sr ? { xmin, ymin, xmax, ymax, spatialReference: sr } : { xmin, ymin, xmax, ymax };
}

function unitsFor(sr: SpatialReference | undefined): string {
  const epsg = sr ? toEpsg(sr) : undefined;
  return (epsg !== undefined ? unitsOf(epsg) : undefined) ?? 'esriMeters';
}

/** The full layer or table JSON (the ArcGIS REST API Layer / Table resource), with the live extent of its data. */
export async function buildLayerJson(store: FeatureStore, service: ResolvedService, layer: LayerDefinition, signal?: AbortSignal): Promise<Record<string, unknown>> {
  const model = layerModelOf(service.definition, layer);
  const definition = service.definition;
  const limits = recordLimitsOf(layer, definition.maxRecordCount);
  const sr = model.spatialReference;
  const { extent } = await store.describeLayer(definition.dataset, model.schema, signal);
  const json: Record<string, unknown> = {
    currentVersion: CURRENT_VERSION,
    id: layer.id,
    name: layer.name,
    type: layer.type,
    serviceItemId: service.item?.id,
    description: layer.description,
    copyrightText: layer.copyrightText,
    defaultVisibility: layer.defaultVisibility,
    editingInfo: { lastEditDate: null },
    isDataVersioned: false,
    supportsAppend: false,
    supportsCalculate: false,
    supportsTruncate: false,
    supportsAttachmentsByUploadId: false,
    supportsRollbackOnFailureParameter: true,
    supportsStatistics: true,
    supportsAdvancedQueries: true,
    supportsValidateSql: false,
    supportsCoordinatesQuantization: false,
    supportsReturningQueryExtent: true,
    supportsDatumTransformation: false,
    supportsApplyEditsWithGlobalIds: layer.globalIdField !== '',
    supportsExceedsLimitStatistics: false,
    advancedQueryCapabilities: ADVANCED_QUERY_CAPABILITIES,
    useStandardizedQueries: true,
    supportedSpatialRelationships: layer.geometryType ? SUPPORTED_SPATIAL_RELATIONSHIPS : [],
    geometryType: layer.geometryType ?? null,
    minScale: layer.minScale,
    maxScale: layer.maxScale,
    extent: layer.geometryType ? envelope(extent ?? layer.initialExtent, sr) : null,
    drawingInfo: layer.drawingInfo,
    allowGeometryUpdates: definition.allowGeometryUpdates,
    hasAttachments: false,
    htmlPopupType: layer.htmlPopupType,
    hasM: layer.hasM,
    hasZ: layer.hasZ,
    objectIdField: layer.objectIdField,
    uniqueIdField: { name: layer.objectIdField, isSystemMaintained: true },
    globalIdField: layer.globalIdField,
    typeIdField: layer.typeIdField,
    dateFieldsTimeReference: { timeZone: 'UTC', respectsDaylightSaving: false },
    fields: layer.fields,
    types: layer.types,
    templates: layer.templates,
    displayField: layer.displayField,
    relationships: [],
    indexes: layer.indexes ?? [],
    editFieldsInfo: null,
    ownershipBasedAccessControlForFeatures: null,
    maxRecordCount: limits.maxRecordCount,
    standardMaxRecordCount: limits.standardMaxRecordCount,
    tileMaxRecordCount: limits.tileMaxRecordCount,
    standardMaxRecordCountNoGeometry: limits.standardMaxRecordCountNoGeometry,
    maxRecordCountFactor: limits.maxRecordCountFactor,
    supportedQueryFormats: SUPPORTED_QUERY_FORMATS,
    capabilities: layerCapabilities(service, layer),
    hasMetadata: false,
  };
  if (layer.geometryType) {
    json.geometryField = { name: SHAPE_FIELD_NAME, type: 'esriFieldTypeGeometry', alias: SHAPE_FIELD_NAME };
    json.sourceSpatialReference = sr;
  }
  return json;
}

/** The service root JSON (the ArcGIS REST API Feature Service resource). */
export async function buildServiceJson(store: FeatureStore, service: ResolvedService, signal?: AbortSignal): Promise<Record<string, unknown>> {
  const definition = service.definition;
  const sr = toSpatialReferenceJson(definition.spatialReference);
  const fullExtent = await serviceExtent(store, service, sr, signal);
  const layers = allLayers(definition);
  return {
    currentVersion: CURRENT_VERSION,
    serviceItemId: service.item?.id,
    serviceDescription: definition.serviceDescription,
    hasVersionedData: false,
    supportsDisconnectedEditing: false,
    supportsDatumTransformation: false,
    supportsReturnDeleteResults: true,
    hasStaticData: false,
    maxRecordCount: definition.maxRecordCount,
    supportedQueryFormats: SUPPORTED_QUERY_FORMATS,
    supportsRelationshipsResource: false,
    supportsAppend: false,
    capabilities: normalizeCapabilities(definition.capabilities),
    description: definition.description,
    copyrightText: definition.copyrightText,
    advancedEditingCapabilities: { supportsAsyncApplyEdits: false, supportsReturnEditResults: true },
    spatialReference: sr,
    initialExtent: envelope(definition.initialExtent ?? fullExtent, sr),
    fullExtent: envelope(fullExtent ?? definition.initialExtent, sr),
    allowGeometryUpdates: definition.allowGeometryUpdates,
    units: unitsFor(sr),
    syncEnabled: false,
    editorTrackingInfo: { enableEditorTracking: false, enableOwnershipAccessControl: false, allowOthersToUpdate: true, allowOthersToDelete: true },
    supportsApplyEditsWithGlobalIds: layers.every((l) => l.globalIdField !== ''),
    layers: definition.layers.map((l) => ({
      id: l.id,
      name: l.name,
      parentLayerId: -1,
      defaultVisibility: l.defaultVisibility,
      subLayerIds: null,
      minScale: l.minScale,
      maxScale: l.maxScale,
      geometryType: l.geometryType,
    })),
    tables: definition.tables.map((t) => ({ id: t.id, name: t.name })),
    relationships: [],
  };
}

/** The union of the layers' extents, in the service SR. */
async function serviceExtent(store: FeatureStore, service: ResolvedService, sr: SpatialReference, signal?: AbortSignal): Promise<Extent | null> {
  const srid = toEpsg(sr);
  let union: Extent | null = null;
  for (const layer of service.definition.layers) {
    const model = layerModelOf(service.definition, layer);
    // A layer whose extent cannot be projected is left out; a client that hung up ends the loop.
    const extent = await store.queryExtent(service.definition.dataset, model.schema, {}, srid, signal).catch(() => {
      signal?.throwIfAborted();
      return null;
    });
    if (!extent) continue;
    union = union
      ? { xmin: Math.min(union.xmin, extent.xmin), ymin: Math.min(union.ymin, extent.ymin), xmax: Math.max(union.xmax, extent.xmax), ymax: Math.max(union.ymax, extent.ymax) }
      : extent;
  }
  return union;
}
