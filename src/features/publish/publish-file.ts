import type * as Gdal from 'gdal-async';
import { wkbToEsri } from '../../geometry/wkb-reader.js';
import { esriToWkb } from '../../geometry/wkb-writer.js';
import { ApiError } from '../../errors.js';
import type { ItemAccess } from '../../store/item-store.js';
import type { FeatureWrite, GeometryValue, LayerSchema } from '../../store/feature-store.js';
import type { FeatureDeps } from '../feature-deps.js';
import { addToServiceDefinition, createHostedService, deleteHostedService, type CreatedService } from '../hosted-services.js';
import { layerSchemaOf } from '../layer-model.js';
import type { ResolvedService } from '../service-access.js';
import { openSource, scanSource, type CsvLocation, type SourceFormat, type SourceLayer } from './vector-source.js';

const BATCH = 1000;

export interface PublishInput {
  owner: string;
  file: string;
  format: SourceFormat;
  /** Service name (becomes `Hosted/<name>/FeatureServer`). */
  name: string;
  baseUrl: string;
  title?: string;
  folderId?: string | null;
  tags?: string[];
  access?: ItemAccess;
  /** CSV: the columns holding longitude/x and latitude/y (else guessed from their names). */
  location?: CsvLocation;
  /** Called once the service exists, before its features load (asynchronous publishing). */
  onCreated?: (created: CreatedService) => void;
  /** Called after each stored batch: the layer, features stored so far, features in the layer. */
  onProgress?: (layer: string, loaded: number, total: number) => void;
}

/**
 * Publishes a vector file as a new hosted feature service: one layer (or table) per layer of the
 * file, fields typed from the source, features loaded in batches of one transaction each. On any
 * failure the half-made service is removed again.
 *
 * @example await publishFile(context, { owner: 'admin', file: '/tmp/places.geojson', format: 'geojson', name: 'places', baseUrl })
 */
export async function publishFile(deps: FeatureDeps, input: PublishInput): Promise<CreatedService> {
  const dataset = await openSource(input.file, input.format);
  try {
    const layers = await scanSource(dataset, input.format, input.location);
    const firstSpatial = layers.find((l) => l.geometryType);
    const created = await createHostedService(deps, {
      owner: input.owner,
      parameters: { name: input.name, spatialReference: { wkid: firstSpatial?.srid ?? 4326 } },
      baseUrl: input.baseUrl,
      ...(input.title ? { title: input.title } : {}),
      ...(input.folderId !== undefined ? { folderId: input.folderId } : {}),
      ...(input.tags ? { tags: input.tags } : {}),
      ...(input.access ? { access: input.access } : {}),
    });
    const service: ResolvedService = { record: created.record, definition: created.definition, item: created.item };
    input.onCreated?.(created);
    try {
      await loadLayers(deps, service, dataset, layers, input.onProgress);
      return { ...created, definition: service.definition };
    } catch (error) {
      await deleteHostedService(deps, service, { deleteItem: true });
      throw error;
    }
  } finally {
    dataset.close();
  }
}

/**
 * Loads every layer of a vector file into an existing (empty) hosted service: the analysis
 * tasks fill services the portal created beforehand this way. The caller undoes on failure.
 */
export async function publishFileInto(deps: FeatureDeps, service: ResolvedService, file: string, format: SourceFormat): Promise<void> {
  const dataset = await openSource(file, format);
  try {
    await loadLayers(deps, service, dataset, await scanSource(dataset, format));
  } finally {
    dataset.close();
  }
}

async function loadLayers(deps: FeatureDeps, service: ResolvedService, dataset: Gdal.Dataset, layers: SourceLayer[], onProgress?: PublishInput['onProgress']): Promise<void> {
  const added = await addToServiceDefinition(deps, service, {
    layers: layers.filter((l) => l.geometryType).map(toLayerInput),
    tables: layers.filter((l) => !l.geometryType).map(toLayerInput),
  });
  for (const [i, source] of [...layers.filter((l) => l.geometryType), ...layers.filter((l) => !l.geometryType)].entries()) {
    await loadFeatures(deps, service.definition.dataset, dataset, source, layerSchemaOf(added[i]!), onProgress);
  }
}

function toLayerInput(source: SourceLayer): Record<string, unknown> {
  const input: Record<string, unknown> = {
    name: source.name,
    fields: source.fields.map((f) => ({ name: f.name, type: f.type, alias: f.source, ...(f.length ? { length: f.length } : {}) })),
  };
  if (source.geometryType) {
    Object.assign(input, { geometryType: source.geometryType, hasZ: source.hasZ, spatialReference: { wkid: source.srid } });
  }
  return input;
}

async function loadFeatures(
  deps: FeatureDeps,
  datasetKey: string,
  dataset: Gdal.Dataset,
  source: SourceLayer,
  schema: LayerSchema,
  onProgress?: PublishInput['onProgress'],
): Promise<void> {
  const layer = await dataset.layers.getAsync(source.index);
  let batch: FeatureWrite[] = [];
  let loaded = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const outcome = await deps.features.applyEdits(datasetKey, [{ layer: schema, adds: batch }], { rollbackOnFailure: true, useGlobalIds: false });
    if (!outcome.committed) throw ApiError.unableToComplete(`A feature of layer '${source.name}' could not be stored.`);
    loaded += batch.length;
    onProgress?.(source.name, loaded, source.featureCount);
    batch = [];
  };
  for (let feature = await layer.features.firstAsync(); feature; feature = await layer.features.nextAsync()) {
    const values = feature.fields.toObject() as Record<string, unknown>;
    const write: FeatureWrite = { values: Object.fromEntries(source.fields.map((f) => [f.name, f.convert(values[f.source])])) };
    if (source.geometryType) write.geometry = geometryOf(feature, values, source, schema);
    batch.push(write);
    if (batch.length >= BATCH) await flush();
  }
  await flush();
}

/** The feature's geometry as WKB in the layer's type and dimensions (via Esri JSON, which normalises both). */
function geometryOf(feature: Gdal.Feature, values: Record<string, unknown>, source: SourceLayer, schema: LayerSchema): GeometryValue | null {
  const srid = schema.geometry!.srid;
  if (source.xy) {
    const x = Number(values[source.xy.x]);
    const y = Number(values[source.xy.y]);
    const wkb = values[source.xy.x] !== '' && Number.isFinite(x) && Number.isFinite(y) ? esriToWkb({ x, y }) : null;
    return wkb ? { wkb, srid } : null;
  }
  const geometry = feature.getGeometry();
  if (!geometry) return null;
  if (source.toLonLat) geometry.transform(source.toLonLat);
  const esri = wkbToEsri(geometry.toWKB('LSB', 'ISO'), source.geometryType);
  const wkb = esri ? esriToWkb(esri, { hasZ: source.hasZ, hasM: false }) : null;
  return wkb ? { wkb, srid } : null;
}
