import { mergeFields } from '../imagery/catalog-fields.js';
import { imageServiceUrl } from '../imagery/image-service-definition.js';
import { TaskError, type TaskContext, type TaskDefinition } from '../jobs/task.js';
import { locateCollection } from './image-collection/collection-ref.js';
import { ingestImages } from './image-collection/ingest-images.js';
import { readIngestSettings } from './image-collection/ingest-settings.js';
import { JobJournal } from './image-collection/job-journal.js';
import { readRasterType } from './image-collection/raster-type-param.js';
import { collectionDeps, CONTEXT_PARAM, extentInWgs84, IMAGE_COLLECTION_PARAM, INPUT_RASTERS_PARAM, RASTER_TYPE_PARAM, resultParam } from './image-collection/task-deps.js';
import { undoImageCollectionJob } from './image-collection/undo-job.js';
import { resolveInputRasters } from './input-rasters.js';

/**
 * AddImage (ArcGIS Raster Analysis): adds images to an existing collection, same inputs and raster
 * types as CreateImageCollection. New rows get fresh OBJECTIDs and are committed together; the
 * collection's clip extent and cell size apply unless `context` gives others.
 */
export const addImage: TaskDefinition = {
  name: 'AddImage',
  displayName: 'Add Image',
  description: 'Adds images to an existing image collection.',
  requiredPrivilege: 'premium:publisher:rasteranalysis',
  parameters: [INPUT_RASTERS_PARAM, IMAGE_COLLECTION_PARAM, RASTER_TYPE_PARAM, CONTEXT_PARAM, resultParam()],
  execute: runAddImage,
  rollback: (context) => undoImageCollectionJob(context),
};

async function runAddImage(context: TaskContext): Promise<Record<string, unknown>> {
  const deps = collectionDeps(context);
  const { collection, service, item } = await locateCollection(context.inputs.imageCollection, deps);
  const rasterType = readRasterType(context.inputs.rasterType);
  const settings = readIngestSettings(context.inputs.context);
  settings.extent ??= collection.properties.clipExtent;
  settings.cellSize ??= collection.properties.cellSize;
  const resolved = await resolveInputRasters(context.inputs.inputRasters, deps);
  if (resolved.inputs.some((input) => input.kind === 'collection' && input.collection.id === collection.id)) {
    throw new TaskError('An image collection cannot be added to itself.');
  }
  const journal = JobJournal.open(context);
  const ingest = await ingestImages({ context, catalog: deps.catalog, collectionName: collection.name, rasterDir: collection.properties.rasterDir, srs: collection.srsWkt, settings, rasterType, inputs: resolved, deps, journal });
  context.signal.throwIfAborted();
  context.progress(96, 'Writing the catalog');
  const ids = await deps.catalog.addItems(collection.id, ingest.items, context.jobId, {
    rasterTypes: [...new Set([...collection.properties.rasterTypes, rasterType.name])],
    extraFields: mergeFields(collection.properties.extraFields, settings.fields, ingest.attributeFields),
  });
  const updated = (await deps.catalog.getCollection(collection.id))!;
  const extent = extentInWgs84(updated);
  if (item && extent) {
    await context.stores.items.update(item.id, { extent: [[extent.xmin, extent.ymin], [extent.xmax, extent.ymax]] });
  }
  context.info(`Added ${ids.length} image${ids.length === 1 ? '' : 's'} to '${collection.name}' (OBJECTID ${ids[0]}–${ids[ids.length - 1]}).`);
  context.progress(100, 'Done');
  return { result: { url: imageServiceUrl(context.baseUrl, service.folder, service.name), itemId: item?.id ?? service.itemId } };
}
