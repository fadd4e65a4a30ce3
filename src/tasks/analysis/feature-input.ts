import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Principal } from '../../auth/principal.js';
import type { Config } from '../../config.js';
import { encodeFeatureSetJson } from '../../features/encoders/esri-json.js';
import { layerModelOf } from '../../features/layer-model.js';
import { readQueryRequest } from '../../features/query-request.js';
import { runQuery } from '../../features/run-query.js';
import { canSee } from '../../features/service-access.js';
import type { FeatureServiceDefinition } from '../../features/service-definition.js';
import { ApiError } from '../../errors.js';
import { Params } from '../../params.js';
import { TaskError } from '../../jobs/task.js';
import { canSeeItem } from '../../portal/item-access.js';
import { itemFilePath } from '../../portal/item-files.js';
import type { Stores } from '../../store/index.js';
import { readKey, readObjectParam } from '../image-collection/param-values.js';

/** A feature input as an OGR data source: a file we wrote, an uploaded file, or a remote query. */
export interface AnalysisFeatures {
  /** What OGR opens (`…/features.json`, `/vsizip/…`, `ESRIJSON:https://…`). */
  source: string;
  label: string;
  /** With `wktApart`: the inline set's `wkt` spatial reference, left out of `source` (esri-json-srs.ts). */
  wkt?: string;
}

export interface FeatureInputDeps {
  config: Config;
  stores: Pick<Stores, 'items' | 'services' | 'features'>;
  principal: Principal | null;
  /** Our public base URL: layers under it that do not exist are not looked for elsewhere. */
  baseUrl?: string;
}

/** Rows read per query page from our own layers. */
const PAGE = 5000;


/**
 * Resolves a feature input in any §2.1 form: `{"url": "<layer url>", "filter": "<where>"}` (our
 * hosted layers are read from the store with the submitter's rights; other servers through OGR's
 * ESRIJSON reader), `{"itemId"}` (a feature service item's first layer, or an uploaded file),
 * or an inline feature set (`{"features": […]}`, `{"featureSet": {…}}`, `{"layerDefinition", "featureSet"}`).
 * Our layers and inline sets are written as Esri JSON into `workDir`.
 */
export async function resolveFeatureInput(param: string, value: unknown, deps: FeatureInputDeps, workDir: string, options: { wktApart?: boolean } = {}): Promise<AnalysisFeatures> {
  if (value === undefined || value === null || value === '') throw new TaskError(`'${param}' is required.`);
  const object = typeof value === 'string' && !value.trim().startsWith('{') ? { url: value.trim() } : readObjectParam(param, value);
  await mkdir(workDir, { recursive: true });
  const file = path.join(workDir, `${param}.json`);
  const featureSet = (readKey(object, 'featureSet') as Record<string, unknown> | undefined) ?? (Array.isArray(readKey(object, 'features')) ? object : undefined);
  if (featureSet) {
    const inline = inlineFeatureSet(param, featureSet, object);
    const wkt = options.wktApart ? wktOnly(inline.spatialReference) : undefined;
    if (wkt === undefined) {
      await writeFile(file, JSON.stringify(inline));
      return { source: file, label: param };
    }
    await writeFile(file, JSON.stringify({ ...inline, spatialReference: undefined }));
    return { source: file, label: param, wkt };
  }
  const filter = typeof readKey(object, 'filter') === 'string' ? (readKey(object, 'filter') as string) : '';
  const itemId = readKey(object, 'itemId');
  if (typeof itemId === 'string' && itemId) return fromItem(param, itemId, filter, deps, file);
  const url = readKey(object, 'url');
  if (typeof url === 'string' && url) return fromUrl(param, url, filter, deps, file);
  throw new TaskError(`'${param}' must give a layer url, an itemId or a feature set.`);
}

function inlineFeatureSet(param: string, featureSet: Record<string, unknown>, outer: Record<string, unknown>): Record<string, unknown> {
  const features = featureSet.features;
  if (!Array.isArray(features) || features.length === 0) throw new TaskError(`'${param}' holds no features.`);
  const definition = (readKey(outer, 'layerDefinition') ?? {}) as Record<string, unknown>;
  const geometryType = featureSet.geometryType ?? definition.geometryType ?? guessGeometryType(features[0]);
  const spatialReference = featureSet.spatialReference ?? (features[0] as { geometry?: { spatialReference?: unknown } }).geometry?.spatialReference ?? { wkid: 4326 };
  const fields = featureSet.fields ?? definition.fields ?? inferFields(features);
  return { ...featureSet, geometryType, spatialReference, fields };
}

/** The `wkt` of a spatial reference that gives no wkid (OGR reads a wkid without searching). */
function wktOnly(spatialReference: unknown): string | undefined {
  const sr = spatialReference as { wkt?: unknown; wkid?: unknown; latestWkid?: unknown } | null;
  return typeof sr?.wkt === 'string' && sr.wkid === undefined && sr.latestWkid === undefined ? sr.wkt : undefined;
}

/** OGR's Esri JSON reader needs `fields`; clients often send features without them. */
function inferFields(features: unknown[]): Array<{ name: string; type: string }> {
  const types = new Map<string, string>();
  for (const feature of features.slice(0, 1000)) {
    for (const [name, value] of Object.entries((feature as { attributes?: Record<string, unknown> }).attributes ?? {})) {
      const type = typeof value === 'number' ? (Number.isInteger(value) ? 'esriFieldTypeInteger' : 'esriFieldTypeDouble') : value === null ? undefined : 'esriFieldTypeString';
      const known = types.get(name);
      if (type && (!known || (known === 'esriFieldTypeInteger' && type === 'esriFieldTypeDouble'))) types.set(name, type);
    }
  }
  return [...types].map(([name, type]) => ({ name, type }));
}

function guessGeometryType(feature: unknown): string | undefined {
  const g = (feature as { geometry?: Record<string, unknown> }).geometry ?? {};
  if ('rings' in g) return 'esriGeometryPolygon';
  if ('paths' in g) return 'esriGeometryPolyline';
  if ('points' in g) return 'esriGeometryMultipoint';
  if ('x' in g) return 'esriGeometryPoint';
  return undefined;
}

async function fromItem(param: string, itemId: string, filter: string, deps: FeatureInputDeps, file: string): Promise<AnalysisFeatures> {
  const item = await deps.stores.items.get(itemId.toLowerCase());
  if (!item || !canSeeItem(item, deps.principal)) throw new TaskError(`'${param}': item '${itemId}' does not exist or is not accessible.`);
  if (item.url) return fromUrl(param, /\/FeatureServer\/?$/i.test(item.url) ? `${item.url.replace(/\/+$/, '')}/0` : item.url, filter, deps, file);
  if (item.fileName) {
    const local = itemFilePath(deps.config, item.id, item.fileName);
    return { source: item.fileName.toLowerCase().endsWith('.zip') ? `/vsizip/${local}` : local, label: item.title || item.fileName };
  }
  throw new TaskError(`'${param}': item '${itemId}' has neither a layer URL nor a file.`);
}

async function fromUrl(param: string, url: string, filter: string, deps: FeatureInputDeps, file: string): Promise<AnalysisFeatures> {
  const match = /\/rest\/services\/(?:([^/?#]+)\/)?([^/?#]+)\/FeatureServer\/(\d+)\/?(?:[?#].*)?$/i.exec(url.trim());
  if (!match) throw new TaskError(`'${param}': '${url}' is not a feature layer URL (…/FeatureServer/<layer>).`);
  const [, folder = '', name, layerId] = match;
  const record = await deps.stores.services.get(decodeURIComponent(folder), decodeURIComponent(name), 'FeatureServer');
  if (!record) {
    if (/^https?:\/\//i.test(url) && !sameServer(url, deps)) {
      const query = new URLSearchParams({ where: filter || '1=1', outFields: '*', f: 'json' });
      return { source: `ESRIJSON:${url.split('?')[0].replace(/\/+$/, '')}/query?${query}`, label: url };
    }
    throw new TaskError(`'${param}': layer '${url}' does not exist or is not accessible.`);
  }
  const definition = record.definition as unknown as FeatureServiceDefinition;
  const item = record.itemId ? await deps.stores.items.get(record.itemId) : undefined;
  if (!canSee({ record, definition, ...(item ? { item } : {}) }, deps.principal)) throw new TaskError(`'${param}': layer '${url}' does not exist or is not accessible.`);
  const layer = [...definition.layers, ...definition.tables].find((l) => l.id === Number(layerId));
  if (!layer) throw new TaskError(`'${param}': layer ${layerId} of '${name}' does not exist.`);
  await writeFile(file, await readLayer(param, deps, definition, layer, filter));
  return { source: file, label: url };
}

/** Our own URLs are never read over HTTP (the worker holds no token): a missing layer is an error. */
function sameServer(url: string, deps: FeatureInputDeps): boolean {
  return deps.baseUrl !== undefined && url.toLowerCase().startsWith(deps.baseUrl.toLowerCase());
}

/** The layer's features matching `filter`, every field, as one Esri JSON feature set (paged reads). */
async function readLayer(param: string, deps: FeatureInputDeps, definition: FeatureServiceDefinition, layer: FeatureServiceDefinition['layers'][number], filter: string): Promise<string> {
  const model = layerModelOf(definition, layer);
  const store = deps.stores.features;
  let header: Record<string, unknown> | undefined;
  const features: unknown[] = [];
  for (let offset = 0; ; offset += PAGE) {
    let result;
    try {
      const request = readQueryRequest(new Params({ where: filter || '1=1', outFields: '*' }), model);
      request.resultOffset = offset;
      request.resultRecordCount = PAGE;
      result = await runQuery({ store, dataset: definition.dataset, model, maxRecordCount: PAGE, ...(deps.principal ? { username: deps.principal.username } : {}) }, request);
    } catch (error) {
      if (error instanceof ApiError) throw new TaskError(`'${param}': the filter is invalid: ${[error.message, ...error.details].join(' ')}`);
      throw error;
    }
    if (result.kind !== 'features') throw new TaskError(`'${param}': the layer could not be read.`);
    const page = JSON.parse(encodeFeatureSetJson(result)) as Record<string, unknown> & { features: unknown[] };
    header ??= page;
    features.push(...page.features);
    if (!result.exceededTransferLimit || page.features.length === 0) break;
  }
  if (features.length === 0) throw new TaskError(`'${param}': no features match${filter ? ` the filter '${filter}'` : ''}.`);
  const { exceededTransferLimit: _limit, ...rest } = header!;
  return JSON.stringify({ ...rest, features });
}
