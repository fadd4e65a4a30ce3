import path from 'node:path';
import gdal from 'gdal-async';
import type { CatalogItem } from '../../imagery/store/catalog-store.js';
import { TaskError } from '../../jobs/task.js';
import { inspectRaster } from '../../raster/inspect-raster.js';
import { RasterError } from '../../raster/raster-error.js';
import type { IngestAttributes, IngestItem } from '../../raster/raster-types/ingest-item.js';
import { resolveRasterType } from '../../raster/resolve-raster-type.js';
import type { RasterInput } from '../input-rasters.js';
import type { CatalogStore } from '../../imagery/store/catalog-store.js';
import type { RasterTypeSpec } from './raster-type-param.js';
import { runPool } from './run-pool.js';

/** One image to ingest: what to open, how to name it, and its catalog attributes. */
export interface ImagePlan {
  name: string;
  /** What GDAL opens (file, `/vsicurl/…`, VRT written by a raster type, subdataset name). */
  source: string;
  /** The input it came from, as the client named it (for messages; never a server path). */
  label: string;
  rasterType: string;
  attributes: IngestAttributes;
  bandNames?: string[];
  noData?: number;
  /** A row of another collection given as input, copied with its attributes. */
  fromCatalog?: CatalogItem;
  /** The data-store folder of the collection `fromCatalog` belongs to, when it has one. */
  fromCatalogDir?: string;
}

export interface PlanContext {
  catalog: CatalogStore;
  /** Where raster types write their VRTs; must outlive the ingest when images are referenced. */
  recipeDir: string;
  /** How many inputs are read at once where the raster type allows (Raster Dataset). */
  parallelism: number;
  signal?: AbortSignal;
}

/**
 * Expands resolved inputs into images with the raster type: a Landsat scene folder gives one
 * stacked image, a folder of drone frames one image each, an image collection its rows.
 */
export async function planImages(inputs: RasterInput[], rasterType: RasterTypeSpec, context: PlanContext): Promise<ImagePlan[]> {
  const plans: ImagePlan[] = [];
  for (const input of inputs) {
    if (input.kind !== 'collection') continue;
    for (const row of await context.catalog.queryItems(input.collection.id, {})) {
      plans.push({ name: row.name, source: row.path, label: `${input.label} #${row.objectId}`, rasterType: row.rasterType, attributes: {}, fromCatalog: row, fromCatalogDir: input.collection.properties.rasterDir });
    }
  }
  const rasters = inputs.filter((i): i is Extract<RasterInput, { kind: 'raster' }> => i.kind === 'raster');
  if (rasters.length === 0) return plans;
  const labels = new Map(rasters.map((r) => [r.source, r.label]));
  let items: IngestItem[];
  try {
    items = await resolveWithType(rasterType, rasters.map((r) => r.source), context);
  } catch (error) {
    if (error instanceof RasterError) throw new TaskError(error.message);
    throw error;
  }
  for (const item of items) {
    plans.push({
      name: item.name,
      source: item.sourcePath,
      label: labels.get(item.sourcePath) ?? item.name,
      rasterType: rasterType.name,
      attributes: item.attributes,
      bandNames: item.bandNames,
      noData: item.noData,
    });
  }
  return plans;
}

async function resolveWithType(rasterType: RasterTypeSpec, sources: string[], context: PlanContext): Promise<IngestItem[]> {
  const remote = sources.filter((s) => s.startsWith('/vsi'));
  const local = sources.filter((s) => !s.startsWith('/vsi'));
  if (remote.length > 0 && rasterType.name !== 'Raster Dataset') {
    throw new TaskError(`The ${rasterType.name} raster type reads scene folders: give them as data-store uris, not URLs or zipped items.`);
  }
  const options = { scratchDir: context.recipeDir, signal: context.signal };
  // Raster datasets are independent of each other: read them in parallel. Other types read their
  // inputs together (frames take their heading from the track; scenes group band files).
  const items =
    rasterType.name === 'Raster Dataset' && local.length > 1
      ? (await runPool(local, context.parallelism, (source) => resolveRasterType(source, rasterType.name, rasterType.parameters, options), context.signal)).flat()
      : local.length > 0
        ? await resolveRasterType(local, rasterType.name, rasterType.parameters, options)
        : [];
  // Remote and archived rasters are opened where they are (raster types list local folders only).
  for (const source of remote) {
    for (const member of await listArchiveRasters(source)) items.push(await describeRemote(member, context.signal));
  }
  return items;
}

/** A zip's raster members (`/vsizip/a.zip/b.tif`), or the source itself when it is not an archive. */
async function listArchiveRasters(source: string, depth = 0): Promise<string[]> {
  if (!source.startsWith('/vsizip/') || depth > 4) return [source];
  const names = await gdal.fs.readDirAsync(source).catch(() => null);
  if (names === null) return depth === 0 ? [source] : [];
  const out: string[] = [];
  for (const name of names.sort()) {
    const member = `${source.replace(/\/+$/, '')}/${name}`;
    if (RASTER_MEMBER.test(name)) out.push(member);
    else if (!name.includes('.')) out.push(...(await listArchiveRasters(member, depth + 1)));
  }
  if (depth === 0 && out.length === 0) throw new TaskError(`${path.posix.basename(source)} holds no raster files.`);
  return out;
}

const RASTER_MEMBER = /\.(tiff?|jpe?g|png|jp2|img|vrt|ntf|dt[012]|hgt)$/i;
async function describeRemote(source: string, signal: AbortSignal | undefined): Promise<IngestItem> {
  const info = await inspectRaster(source, { signal });
  const name = path.posix.basename(source).replace(/\.[^.]+$/, '');
  if (!info.isGeoreferenced) throw new TaskError(`${name} has no georeference, so it cannot be added as a Raster Dataset.`);
  return { name, sourcePath: source, attributes: { ProductName: info.driver, Tag: 'Dataset', GroupName: name } };
}
