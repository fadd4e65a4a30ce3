import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { copyFile, mkdir, rename } from 'node:fs/promises';
import path from 'node:path';
import type { Principal } from '../../auth/principal.js';
import { ensureFeatureStoreFor } from './feature-store.js';
import { deleteFromServiceDefinition, deleteHostedService } from '../../features/hosted-services.js';
import { publishFile, publishFileInto } from '../../features/publish/publish-file.js';
import type { ResolvedService } from '../../features/service-access.js';
import type { FeatureServiceDefinition } from '../../features/service-definition.js';
import { HOSTED_FOLDER } from '../../imagery/image-service-definition.js';
import type { CatalogStore } from '../../imagery/store/catalog-store.js';
import { catalogStoreFor } from '../../imagery/store/open-catalog-store.js';
import { TaskError, type TaskContext } from '../../jobs/task.js';
import { computeFootprint } from '../../raster/compute-footprint.js';
import { convertToCog } from '../../raster/convert-to-cog.js';
import { inspectRaster } from '../../raster/inspect-raster.js';
import { addInternalOverviews } from '../../raster/internal-overviews.js';
import { RasterError } from '../../raster/raster-error.js';
import type { RasterInfo } from '../../raster/raster-info.js';
import { describeRaster } from '../image-collection/ingest-image.js';
import { JobJournal } from '../image-collection/job-journal.js';
import { publishImageService } from '../image-collection/publish-service.js';
import { jobRasterDir } from '../../imagery/raster-store.js';
import { describeSrs, extentInWgs84, newCollectionId } from '../image-collection/task-deps.js';
import { undoImageCollectionJob } from '../image-collection/undo-job.js';
import type { OutputName } from './output-name.js';

/** The `{"url", "itemId"}` value of a result parameter (§2.4). */
export interface OutputValue {
  url: string;
  itemId: string | null;
}

type PublishContext = Pick<TaskContext, 'jobId' | 'scratchDir' | 'config' | 'stores' | 'principal' | 'baseUrl' | 'signal'>;

/**
 * Publishes a raster an analysis wrote (any GDAL format, usually a GeoTIFF in the scratch folder)
 * as a hosted image service with an "Image Service" item owned by the submitter: a lossless COG
 * in the raster store (pixels unchanged), a one-image collection, the service and the item, each
 * announced in the job journal first so that `rollbackAnalysis` removes them after a failure,
 * a cancel or a crash.
 */
export async function publishRasterOutput(file: string, output: OutputName, context: PublishContext, description: string): Promise<OutputValue> {
  const owner = requireOwner(context.principal);
  const journal = JobJournal.open(context);
  const catalog = catalogStoreFor(context.config);
  const dir = jobRasterDir(context.config, output.name, context.jobId);
  await journal.record({ type: 'rasterDir', path: dir });
  await mkdir(dir, { recursive: true });
  const stored = path.join(dir, `${output.name}.tif`);
  try {
    const info = await storeRaster(file, stored, context.signal);
    if (!info.srsWkt || !info.geoTransform) throw new TaskError(`'${output.param}': the result has no georeference.`);
    const footprint = await computeFootprint(stored, info.srsWkt, { signal: context.signal });
    const pixelSize = ((info.pixelSizeX ?? 0) + (info.pixelSizeY ?? 0)) / 2;
    const coarsest = Math.max(1, ...info.overviewFactors);
    const id = newCollectionId();
    const raster = await describeRaster(info, stored);
    context.signal.throwIfAborted();
    await createCollection(catalog, output, () =>
      catalog.createCollection(
        { id, name: output.name, owner, collectionType: 'Raster Dataset', ...describeSrs(info.srsWkt!), properties: { rasterTypes: ['Raster Dataset'], extraFields: [], description }, jobId: context.jobId },
        [
          {
            name: output.name,
            footprint: footprint.rings.length > 0 ? footprint.rings : boxRings(info.extent!),
            lowPs: pixelSize,
            highPs: pixelSize * coarsest,
            minPs: 0,
            maxPs: pixelSize * coarsest * 10,
            category: 1,
            rasterType: 'Raster Dataset',
            source: output.name,
            path: stored,
            byValue: true,
            raster,
          },
        ],
      ),
    );
    const collection = (await catalog.getCollection(id))!;
    return await publishImageService(
      {
        name: output.name,
        collectionId: id,
        jobId: context.jobId,
        owner,
        baseUrl: context.baseUrl,
        ...(output.existing ? { existing: output.existing } : {}),
        folderId: await ownFolder(context, output.folderId),
        extentWgs84: extentInWgs84(collection),
        spatialReference: String(collection.epsg ?? ''),
        description,
      },
      context,
      journal,
    );
  } catch (error) {
    if (error instanceof RasterError) throw new TaskError(`'${output.param}': the result could not be stored: ${error.message}`);
    throw error;
  }
}

/**
 * Puts a result into the raster store without touching its pixels. A tiled GeoTIFF (what the
 * tasks write) gets internal overviews in place (average for floats, nearest for integer classes
 * and counts) and is moved in; anything else is copied as a lossless COG. Moving instead of
 * re-encoding halves a job's time on large grids (bench/raster-analysis.ts).
 */
async function storeRaster(file: string, stored: string, signal: AbortSignal): Promise<RasterInfo> {
  if (!(await addInternalOverviews(file, signal))) return convertToCog(file, stored, { compression: 'DEFLATE' }, signal);
  await rename(file, stored).catch(async () => copyFile(file, stored));
  return inspectRaster(stored, { signal });
}

/** Entries of the analysis journal: feature services this job created or filled. */
type FeatureEntry = { type: 'featureServiceCreated'; name: string; since: number } | { type: 'featureServiceFilled'; name: string };
const FEATURE_JOURNAL = 'analysis-features.jsonl';

/**
 * Publishes a vector file (GeoPackage, GeoJSON, CSV) as a hosted feature layer or table owned by
 * the submitter, or loads it into the empty service the portal created for this output.
 */
export async function publishFeatureOutput(file: string, format: 'geopackage' | 'geojson' | 'csv', output: OutputName, context: PublishContext, description: string): Promise<OutputValue> {
  const owner = requireOwner(context.principal);
  const deps = ensureFeatureStoreFor(context.config, context.stores);
  context.signal.throwIfAborted();
  if (output.existing) {
    const { service: record, item } = output.existing;
    recordFeatureEntry(context.scratchDir, { type: 'featureServiceFilled', name: record.name });
    const service: ResolvedService = { record, definition: record.definition as unknown as FeatureServiceDefinition, ...(item ? { item } : {}) };
    await publishFileInto(deps, service, file, format);
    return { url: `${context.baseUrl}/rest/services/${HOSTED_FOLDER}/${record.name}/FeatureServer`, itemId: item?.id ?? record.itemId };
  }
  recordFeatureEntry(context.scratchDir, { type: 'featureServiceCreated', name: output.name, since: Date.now() });
  const created = await publishFile(deps, {
    owner,
    file,
    format,
    name: output.name,
    baseUrl: context.baseUrl,
    folderId: await ownFolder(context, output.folderId),
    tags: ['Analysis Result'],
  });
  if (description) await context.stores.items.update(created.item.id, { description });
  return { url: created.url, itemId: created.item.id };
}

/**
 * Undoes what an analysis job published: its image services, items, collections and stored
 * rasters (through the image-collection journal), and its feature services (deleted when it
 * created them, emptied again when it filled a pre-created one). Safe to run more than once.
 */
export async function rollbackAnalysis(context: Pick<TaskContext, 'jobId' | 'scratchDir' | 'config' | 'stores'>): Promise<void> {
  await undoImageCollectionJob(context);
  const entries = readFeatureEntries(context.scratchDir);
  if (entries.length === 0) return;
  const deps = ensureFeatureStoreFor(context.config, context.stores);
  for (const entry of entries.reverse()) {
    const record = await context.stores.services.get(HOSTED_FOLDER, entry.name, 'FeatureServer');
    if (!record) continue;
    const service: ResolvedService = { record, definition: record.definition as unknown as FeatureServiceDefinition };
    if (entry.type === 'featureServiceCreated' && record.created >= entry.since) await deleteHostedService(deps, service, { deleteItem: true });
    else if (entry.type === 'featureServiceFilled') {
      const ids = [...service.definition.layers, ...service.definition.tables].map((l) => l.id);
      if (ids.length > 0) await deleteFromServiceDefinition(deps, service, ids);
    }
  }
}

function recordFeatureEntry(scratchDir: string, entry: FeatureEntry): void {
  mkdirSync(scratchDir, { recursive: true });
  appendFileSync(path.join(scratchDir, FEATURE_JOURNAL), `${JSON.stringify(entry)}\n`);
}

function readFeatureEntries(scratchDir: string): FeatureEntry[] {
  let text = '';
  try {
    text = readFileSync(path.join(scratchDir, FEATURE_JOURNAL), 'utf8');
  } catch {
    return [];
  }
  return text.split('\n').flatMap((line) => {
    try {
      return line.trim() ? [JSON.parse(line) as FeatureEntry] : [];
    } catch {
      return [];
    }
  });
}

/** Outputs are hosted services: they need a signed-in owner. */
function requireOwner(principal: Principal | null): string {
  if (!principal) throw new TaskError('Analysis outputs are hosted services: sign in to run this task.');
  return principal.username;
}

async function createCollection(catalog: CatalogStore, output: OutputName, write: () => Promise<number[]>): Promise<void> {
  try {
    await write();
  } catch (error) {
    if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') throw new TaskError(`'${output.param}': an image service named '${output.name}' already exists.`);
    throw error;
  }
}

function boxRings(e: { xmin: number; ymin: number; xmax: number; ymax: number }): [number, number][][] {
  return [[[e.xmin, e.ymin], [e.xmin, e.ymax], [e.xmax, e.ymax], [e.xmax, e.ymin], [e.xmin, e.ymin]]];
}

/** `itemProperties.folderId` when it is a folder of the submitter; the root folder otherwise. */
async function ownFolder(context: Pick<TaskContext, 'stores' | 'principal'>, folderId: string | null): Promise<string | null> {
  if (!folderId || !context.principal) return null;
  const folder = await context.stores.items.findFolder(context.principal.username, folderId);
  return folder?.id ?? null;
}


