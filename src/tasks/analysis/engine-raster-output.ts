import path from 'node:path';
import gdal from 'gdal-async';
import { TaskError, type TaskContext } from '../../jobs/task.js';
import { findEpsgCode } from '../../raster/srs-input.js';
import { ingestImages } from '../image-collection/ingest-images.js';
import { readIngestSettings } from '../image-collection/ingest-settings.js';
import { JobJournal } from '../image-collection/job-journal.js';
import { readOutputCollection } from '../image-collection/output-collection.js';
import { publishImageService, requirePublisher } from '../image-collection/publish-service.js';
import { readRasterType } from '../image-collection/raster-type-param.js';
import { collectionDeps, extentInWgs84, newCollectionId } from '../image-collection/task-deps.js';

/** What a raster output parameter returns (raster-analysis.md §2.4). */
export interface PublishedRaster {
  itemId: string | null;
  url: string;
}

/**
 * Publishes an engine's output file as a hosted imagery layer: a one-image collection (a COG
 * copy in the raster store), `Hosted/<name>/ImageServer`, and its portal item. `outputValue` is
 * the task's output parameter in any §2.2 form (plain name, serviceProperties/itemProperties,
 * or a pre-created service). Everything written is journalled first, so the task's rollback
 * (`undoImageCollectionJob`) removes it after a failure, cancel or crash.
 */
export async function publishEngineRaster(context: TaskContext, parameter: string, outputValue: unknown, file: string, description: string): Promise<PublishedRaster> {
  const owner = requirePublisher(context.principal);
  const deps = collectionDeps(context);
  const output = await readOutputCollection(outputValue, deps).catch((error: unknown) => {
    if (error instanceof TaskError) throw new TaskError(`'${parameter}': ${error.message.replace(/'imageCollection'/g, 'the output name')}`);
    throw error;
  });
  const wkt = readWkt(file);
  const srs = { wkt };
  const journal = JobJournal.open(context);
  const ingest = await ingestImages({
    context,
    catalog: deps.catalog,
    collectionName: output.name,
    srs,
    settings: { ...readIngestSettings({}), parallelism: 1, compression: 'DEFLATE' },
    rasterType: readRasterType('Raster Dataset'),
    inputs: { inputs: [{ kind: 'raster', source: file, label: parameter, fileName: `${output.name}${path.extname(file) || '.tif'}`, fromItem: false }], byRef: false },
    deps,
    journal,
  });
  context.signal.throwIfAborted();
  const id = newCollectionId();
  const reference = gdal.SpatialReference.fromWKT(wkt);
  try {
    await deps.catalog.createCollection(
      {
        id,
        name: output.name,
        owner,
        collectionType: 'Raster Dataset',
        srsWkt: wkt,
        epsg: findEpsgCode(reference),
        properties: { rasterTypes: ['Raster Dataset'], extraFields: ingest.attributeFields, rasterTypeParameters: {} },
        jobId: context.jobId,
      },
      ingest.items,
    );
  } catch (error) {
    if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') throw new TaskError(`'${parameter}': a layer named '${output.name}' already exists.`);
    throw error;
  }
  const collection = (await deps.catalog.getCollection(id))!;
  return publishImageService(
    {
      name: output.name,
      collectionId: id,
      jobId: context.jobId,
      owner,
      baseUrl: context.baseUrl,
      existing: output.existing,
      folderId: await ownFolder(context, output.folderId),
      extentWgs84: extentInWgs84(collection),
      spatialReference: String(collection.epsg ?? ''),
      description,
    },
    context,
    journal,
  );
}

function readWkt(file: string): string {
  const dataset = gdal.open(file);
  try {
    const srs = dataset.srs;
    if (!srs) throw new TaskError('The analysis result has no spatial reference.');
    return srs.toWKT();
  } finally {
    dataset.close();
  }
}

async function ownFolder(context: TaskContext, folderId: string | null): Promise<string | null> {
  if (!folderId || !context.principal) return null;
  const folder = await context.stores.items.findFolder(context.principal.username, folderId);
  return folder?.id ?? null;
}
