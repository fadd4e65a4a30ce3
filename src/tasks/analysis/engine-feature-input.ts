import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { TaskError, type TaskContext } from '../../jobs/task.js';
import { isServerUrl, serverUrlsOf } from '../image-collection/service-url.js';
import { fetchInputUrl, urlPolicy } from '../public-url.js';

/** Features written where engines (through GDAL's ESRIJSON driver) can read them. */
export interface EngineFeatures {
  /** An Esri JSON feature set file in the job's scratch folder. */
  file: string;
  features: EsriFeature[];
  /** WKID or WKT of the features' spatial reference, when the input names one. */
  spatialReference: { wkid?: number; latestWkid?: number; wkt?: string } | undefined;
}

export interface EsriFeature {
  geometry?: Record<string, unknown> | null;
  attributes?: Record<string, unknown>;
}

/** True when a value looks like a feature input rather than a raster (inline set or a layer URL). */
export function isFeatureInput(value: unknown): boolean {
  const object = parse(value);
  if (!object) return typeof value === 'string' && /\/FeatureServer\/\d+/i.test(value);
  if ('features' in object || 'featureSet' in object || 'layerDefinition' in object) return true;
  return typeof object.url === 'string' && /\/(FeatureServer|MapServer)\/\d+/i.test(object.url);
}

/**
 * Resolves a feature input (raster-analysis.md §2.1): an inline feature set (`{"features": …}`
 * or `{"layerDefinition", "featureSet"}`), or `{"url": <layer>, "filter": <where>}` queried over
 * HTTP with the submitter's token when the URL carries none. Written to the scratch folder as
 * Esri JSON.
 */
export async function resolveEngineFeatures(name: string, value: unknown, context: TaskContext): Promise<EngineFeatures> {
  const object = parse(value) ?? (typeof value === 'string' ? { url: value } : undefined);
  if (!object) throw new TaskError(`'${name}' must be a feature set or {"url": <layer url>}.`);
  const set = (object.featureSet as Record<string, unknown> | undefined) ?? (Array.isArray(object.features) ? object : await queryLayer(name, object, context));
  const features = (set.features as EsriFeature[] | undefined) ?? [];
  if (features.length === 0) throw new TaskError(`'${name}' holds no features.`);
  const spatialReference = (set.spatialReference ?? (object.layerDefinition as Record<string, unknown> | undefined)?.spatialReference) as EngineFeatures['spatialReference'];
  const dir = path.join(context.scratchDir, 'inputs');
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${name}.json`);
  const fields = Array.isArray(set.fields) ? set.fields : guessFields(features);
  await writeFile(file, JSON.stringify({ geometryType: set.geometryType ?? guessGeometryType(features), spatialReference, fields, features }));
  return { file, features, spatialReference };
}

async function queryLayer(name: string, object: Record<string, unknown>, context: TaskContext): Promise<Record<string, unknown>> {
  if (typeof object.url !== 'string') throw new TaskError(`'${name}' must be a feature set or {"url": <layer url>}.`);
  let url: URL;
  try {
    url = new URL(`${object.url.replace(/\/+$/, '')}/query`);
  } catch {
    throw new TaskError(`'${name}': '${object.url}' is not a valid URL.`);
  }
  const inputUrl = new URL(object.url);
  for (const [key, val] of inputUrl.searchParams) url.searchParams.set(key, val);
  url.searchParams.set('where', typeof object.filter === 'string' && object.filter ? object.filter : '1=1');
  url.searchParams.set('outFields', '*');
  url.searchParams.set('f', 'json');
  const body = (await readJson(url, object.url, context).catch(() => undefined)) as Record<string, unknown> | undefined;
  if (!body || body.error || !Array.isArray(body.features)) throw new TaskError(`'${name}': the layer ${object.url} could not be read.`);
  return body;
}

/**
 * A layer of this server is read as is; any other URL with every hop's address checked, as all URL
 * inputs are (a publisher must not make the server query its own network).
 */
async function readJson(url: URL, label: string, context: TaskContext): Promise<unknown> {
  if (isServerUrl(url, serverUrlsOf(context))) return (await fetch(url, { signal: context.signal, redirect: 'error' })).json();
  const response = await fetchInputUrl(url, label, urlPolicy(context.config), { signal: context.signal });
  return JSON.parse(response.body.toString('utf8'));
}

function parse(value: unknown): Record<string, unknown> | undefined {
  if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  if (typeof value !== 'string' || !value.trim().startsWith('{')) return undefined;
  try {
    return JSON.parse(value) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

function guessGeometryType(features: EsriFeature[]): string {
  const geometry = features.find((f) => f.geometry)?.geometry ?? {};
  if ('rings' in geometry) return 'esriGeometryPolygon';
  if ('paths' in geometry) return 'esriGeometryPolyline';
  if ('points' in geometry) return 'esriGeometryMultipoint';
  return 'esriGeometryPoint';
}

/** Field definitions from the first feature's attributes (GDAL's ESRIJSON reader needs them). */
function guessFields(features: EsriFeature[]): Array<{ name: string; type: string }> {
  const attributes = features[0]?.attributes ?? {};
  return Object.entries(attributes).map(([name, value]) => ({
    name,
    type: /^objectid$/i.test(name)
      ? 'esriFieldTypeOID'
      : typeof value !== 'number'
        ? 'esriFieldTypeString'
        : features.every((f) => Number.isInteger(f.attributes?.[name]))
          ? 'esriFieldTypeInteger'
          : 'esriFieldTypeDouble',
  }));
}
