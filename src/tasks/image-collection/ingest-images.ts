import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import gdal from 'gdal-async';
import { isValidFieldName, type CatalogField } from '../../imagery/catalog-fields.js';
import type { Bounds, CatalogStore, NewCatalogItem } from '../../imagery/store/catalog-store.js';
import { TaskError, type TaskContext } from '../../jobs/task.js';
import { computeFootprint } from '../../raster/compute-footprint.js';
import { inspectRaster } from '../../raster/inspect-raster.js';
import { findUtmEpsg } from '../../raster/raster-types/frame-camera.js';
import { toSpatialReference, type SrsInput } from '../../raster/srs-input.js';
import { transformBounds } from '../../raster/transform-bounds.js';
import type { InputDeps, ResolvedInputs } from '../input-rasters.js';
import { resolveElevationInputs } from './dem-param.js';
import { ingestImage, type IngestTarget } from './ingest-image.js';
import type { IngestSettings } from './ingest-settings.js';
import type { JobJournal } from './job-journal.js';
import { planImages, type ImagePlan } from './plan-images.js';
import type { RasterTypeSpec } from './raster-type-param.js';
import { isOwnedFile, jobRasterDir } from '../../imagery/raster-store.js';
import type { Config } from '../../config.js';
import { runPool } from './run-pool.js';
import { shareRecipes } from './shared-recipes.js';

export interface IngestRequest {
  context: Pick<TaskContext, 'jobId' | 'scratchDir' | 'config' | 'signal' | 'progress' | 'warning' | 'info'>;
  catalog: CatalogStore;
  collectionName: string;
  /** The collection's data-store folder for copies (an output `uri`); else the raster store. */
  rasterDir?: string;
  /** The collection's SR, or 'derive' (new UAV/aerial collections: the UTM zone of the first frame). */
  srs: SrsInput | 'derive';
  settings: IngestSettings;
  rasterType: RasterTypeSpec;
  inputs: ResolvedInputs;
  /** For resolving the elevation inputs of the raster type (dem). */
  deps: InputDeps;
  journal: JobJournal;
}

export interface IngestResult {
  items: NewCatalogItem[];
  srs: SrsInput;
  /** Fields the raster type filled beyond the standard ones (SunAzimuth, …). */
  attributeFields: CatalogField[];
}

/**
 * Turns the inputs into catalog rows, `settings.parallelism` images at a time. Files go to the
 * job's own raster-store folder (announced in the journal first); nothing is written to the
 * catalog here — the caller commits all rows in one transaction.
 */
export async function ingestImages(request: IngestRequest): Promise<IngestResult> {
  const { context, settings } = request;
  const outputDir = request.rasterDir ? path.join(request.rasterDir, context.jobId.replace(/[^\w-]/g, '_')) : jobRasterDir(context.config, request.collectionName, context.jobId);
  await request.journal.record({ type: 'rasterDir', path: outputDir, ...(request.rasterDir ? { root: request.rasterDir } : {}) });
  // Object storage has no folders (and GDAL writes there itself).
  if (!outputDir.startsWith('/vsis3/')) await mkdir(outputDir, { recursive: true });
  const byRef = request.inputs.byRef && !request.inputs.inputs.some((i) => i.kind === 'raster' && i.fromItem);
  if (request.inputs.byRef && !byRef) context.warning('Portal items are always copied into the raster store; byref applies to url and uri inputs only.');
  if (byRef) refuseOwnedSources(request.inputs, context.config);
  // By reference, recipes must outlive the job: in the collection's folder, or (object storage,
  // where raster types cannot write) in scratch first and uploaded once planned.
  const objectStore = outputDir.startsWith('/vsis3/');
  const recipeDir = byRef && !objectStore ? path.join(outputDir, 'recipes') : path.join(context.scratchDir, 'recipes');
  await mkdir(recipeDir, { recursive: true });
  context.progress(2, 'Reading the inputs');
  const rasterType = await resolveElevationInputs(request.rasterType, request.deps, recipeDir);
  const plans = await planImages(request.inputs.inputs, rasterType, { catalog: request.catalog, recipeDir, parallelism: settings.parallelism, signal: context.signal });
  if (plans.length === 0) throw new TaskError('The inputs hold no images to add.');
  const sharedPath = byRef && objectStore ? await shareRecipes(recipeDir, path.posix.join(outputDir, 'recipes')) : undefined;
  // By value to object storage, each COG is finished in scratch and uploaded once (see IngestTarget).
  const stagingDir = objectStore && !byRef ? path.join(context.scratchDir, 'staging') : undefined;
  if (stagingDir) await mkdir(stagingDir, { recursive: true });
  const srs = request.srs === 'derive' ? await deriveUtmZone(plans[0], context.signal) : request.srs;
  const target: IngestTarget = {
    config: context.config,
    srs,
    byRef,
    outputDir,
    extent: settings.extent ? toCollectionBounds(settings.extent, srs) : undefined,
    resampling: settings.resampling,
    compression: settings.compression,
    footprintGrid: settings.footprintGrid,
    signal: context.signal,
    ...(sharedPath ? { sharedPath } : {}),
    ...(stagingDir ? { stagingDir } : {}),
  };
  if (settings.cellSize !== undefined) {
    if (byRef) context.warning('context.cellSize is ignored for images added by reference (they are read at their own resolution).');
    else target.cellSize = typeof settings.cellSize === 'number' ? settings.cellSize : await pickCellSize(plans, settings.cellSize, srs, context.signal);
  }
  const names = uniqueFileNames(plans);
  let done = 0;
  context.info(`Adding ${plans.length} image${plans.length === 1 ? '' : 's'} ${byRef ? 'by reference' : 'by value'}, ${settings.parallelism} at a time.`);
  const rows = await runPool(
    plans,
    settings.parallelism,
    async (plan, i) => {
      const row = await ingestImage(plan, names[i], target);
      done++;
      context.progress(5 + Math.round((90 * done) / plans.length), `Added ${done} of ${plans.length} images`);
      if (!row) context.warning(`${plan.label}: skipped, it has no valid pixels${target.extent ? ' inside context.extent' : ''}.`);
      return row;
    },
    context.signal,
  );
  const items = rows.filter((row): row is NewCatalogItem => row !== null);
  if (items.length === 0) throw new TaskError(`None of the images has valid pixels${target.extent ? ' inside context.extent' : ''}.`);
  return { items, srs, attributeFields: inferAttributeFields(items) };
}

/**
 * A source inside the raster store is a file some collection owns: referencing it would let
 * this collection's deletion remove it (or that collection's deletion break this one).
 */
function refuseOwnedSources(inputs: ResolvedInputs, config: Config): void {
  for (const input of inputs.inputs) {
    if (input.kind === 'raster' && isOwnedFile(config, input.source)) {
      throw new TaskError(`Input '${input.label}' lies inside the server's raster store: give the image collection it belongs to, or add it by value.`);
    }
  }
}

/** `<name>.tif` per plan, made unique within the job (two folders may hold the same file name). */
function uniqueFileNames(plans: ImagePlan[]): string[] {
  const used = new Set<string>();
  return plans.map((plan) => {
    const base = plan.name.replace(/[^\w.-]+/g, '_').replace(/^\.+/, '') || 'image';
    let name = `${base}.tif`;
    for (let n = 2; used.has(name.toLowerCase()); n++) name = `${base}_${n}.tif`;
    used.add(name.toLowerCase());
    return name;
  });
}

function toCollectionBounds(extent: NonNullable<IngestSettings['extent']>, srs: SrsInput): Bounds {
  if (!extent.spatialReference) return extent;
  const from = toSpatialReference(extent.spatialReference);
  const to = toSpatialReference(srs);
  return from.isSame(to) ? extent : transformBounds(extent, from, to);
}

/** `MaxOfIn` / `MinOfIn`: the largest / smallest native pixel size of the inputs, in the collection's units. */
async function pickCellSize(plans: ImagePlan[], rule: 'MaxOfIn' | 'MinOfIn', srs: SrsInput, signal: AbortSignal): Promise<number | undefined> {
  const target = toSpatialReference(srs);
  const sizes: number[] = [];
  for (const plan of plans) {
    const info = await inspectRaster(plan.source, { signal });
    if (!info.extent || !info.srsWkt) continue;
    const b = transformBounds(info.extent, gdal.SpatialReference.fromWKT(info.srsWkt), target);
    sizes.push(((b.xmax - b.xmin) / info.width + (b.ymax - b.ymin) / info.height) / 2);
  }
  if (sizes.length === 0) return undefined;
  return rule === 'MaxOfIn' ? Math.max(...sizes) : Math.min(...sizes);
}

/** WGS 84 / UTM zone of the first image's centre, for collections of frames created without outSR. */
async function deriveUtmZone(plan: ImagePlan, signal: AbortSignal): Promise<SrsInput> {
  const { rings } = await computeFootprint(plan.source, 4326, { signal });
  const ring = rings[0];
  if (!ring) throw new TaskError('context.outSR is required: the spatial reference could not be derived from the first image.');
  const lon = ring.reduce((s, p) => s + p[0], 0) / ring.length;
  const lat = ring.reduce((s, p) => s + p[1], 0) / ring.length;
  return { wkid: findUtmEpsg(lon, lat) };
}

function inferAttributeFields(items: NewCatalogItem[]): CatalogField[] {
  const fields = new Map<string, CatalogField>();
  for (const item of items) {
    for (const [name, value] of Object.entries(item.attributes ?? {})) {
      if (fields.has(name) || value === null || !isValidFieldName(name)) continue;
      fields.set(name, { name, type: typeof value === 'number' ? 'esriFieldTypeDouble' : 'esriFieldTypeString' });
    }
  }
  return [...fields.values()];
}
