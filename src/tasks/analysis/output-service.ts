import { copyFile, mkdir, rename } from 'node:fs/promises';
import path from 'node:path';
import type { Principal } from '../../auth/principal.js';
import { ensureFeatureStoreFor } from './feature-store.js';
import { deleteFromServiceDefinition, deleteHostedService } from '../../features/hosted-services.js';
import { publishFile, publishFileInto } from '../../features/publish/publish-file.js';
import type { ResolvedService } from '../../features/service-access.js';
import type { FeatureServiceDefinition } from '../../features/service-definition.js';
import { HOSTED_FOLDER } from '../../imagery/image-service-definition.js';
import { catalogStoreFor } from '../../imagery/store/open-catalog-store.js';
import { TaskError, type TaskContext } from '../../jobs/task.js';
import { computeFootprint } from '../../raster/compute-footprint.js';
import { convertToCog } from '../../raster/convert-to-cog.js';
import { inspectRaster } from '../../raster/inspect-raster.js';
import { isFloatType } from '../../raster/pixel-type.js';
import { addInternalOverviews } from '../../raster/internal-overviews.js';
import { RasterError } from '../../raster/raster-error.js';
import type { RasterInfo } from '../../raster/raster-info.js';
import { describeRaster } from '../image-collection/ingest-image.js';
import { JobJournal, type JournalEntry } from '../image-collection/job-journal.js';
import { createAndPublishCollection } from '../image-collection/publish-service.js';
import { isObjectStore, jobRasterDir } from '../../imagery/raster-store.js';
import { putObject } from '../../raster/s3-objects.js';
import { describeSrs } from '../image-collection/task-deps.js';
import { undoImageCollectionJob } from '../image-collection/undo-job.js';
import { timeSection } from './engines/section-times.js';
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
  // Object storage: the COG is finished in scratch, read there, then uploaded as it is.
  const remote = isObjectStore(context.config);
  const stored = path.posix.join(dir, `${output.name}.tif`);
  const local = remote ? path.join(context.scratchDir, 'stored', `${output.name}.tif`) : stored;
  await mkdir(path.dirname(local), { recursive: true });
  try {
    const info = await timeSection('store raster', () => storeRaster(file, local, context.signal));
    const srsWkt = info.srsWkt;
    if (!srsWkt || !info.geoTransform) throw new TaskError(`'${output.param}': the result has no georeference.`);
    // Every cell of an integer result without nodata or mask is data, zeros included: its footprint
    // is its extent. (gdalinfo lists a band's mask only when it is not all-valid; a float band may
    // hold NaN cells without declaring them, so floats are traced.)
    const allValid = info.bands.every((b) => b.maskFlags.length === 0 && b.noData === null && !isFloatType(b.dataType));
    const footprint = allValid ? { rings: [] } : await timeSection('footprint', () => computeFootprint(local, srsWkt, { signal: context.signal }));
    const pixelSize = ((info.pixelSizeX ?? 0) + (info.pixelSizeY ?? 0)) / 2;
    const coarsest = Math.max(1, ...info.overviewFactors);
    const raster = await timeSection('describe raster', () => describeRaster(info, local));
    context.signal.throwIfAborted();
    if (remote) await putObject(local, stored, { signal: context.signal });
    context.signal.throwIfAborted();
    const folderId = await ownFolder(context, output.folderId);
    return await timeSection('publish collection', () => createAndPublishCollection(
      {
        collection: { name: output.name, owner, collectionType: 'Raster Dataset', ...describeSrs(srsWkt), properties: { rasterTypes: ['Raster Dataset'], extraFields: [], description } },
        items: [
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
        duplicateMessage: `'${output.param}': an image service named '${output.name}' already exists.`,
        ...(output.existing ? { existing: output.existing } : {}),
        folderId,
        description,
      },
      catalog,
      context,
      journal,
    ));
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

/** Entries of the job journal for feature services this job created or filled. */
type FeatureEntry = Extract<JournalEntry, { type: 'featureServiceCreated' | 'featureServiceFilled' }>;

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
    await JobJournal.open(context).record({ type: 'featureServiceFilled', name: record.name });
    const service: ResolvedService = { record, definition: record.definition as unknown as FeatureServiceDefinition, ...(item ? { item } : {}) };
    await publishFileInto(deps, service, file, format);
    return { url: `${context.baseUrl}/rest/services/${HOSTED_FOLDER}/${record.name}/FeatureServer`, itemId: item?.id ?? record.itemId };
  }
  await JobJournal.open(context).record({ type: 'featureServiceCreated', name: output.name, since: Date.now() });
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
  // From the shared journal in a cluster: the node undoing a killed node's job has no scratch of it.
  const entries = (await JobJournal.read(context)).filter((e): e is FeatureEntry => e.type === 'featureServiceCreated' || e.type === 'featureServiceFilled');
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

/** Outputs are hosted services: they need a signed-in owner. */
function requireOwner(principal: Principal | null): string {
  if (!principal) throw new TaskError('Analysis outputs are hosted services: sign in to run this task.');
  return principal.username;
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


