import { TaskError, type TaskContext, type TaskDefinition } from '../jobs/task.js';
import { mergeFields } from '../imagery/catalog-fields.js';
import { ingestImages } from './image-collection/ingest-images.js';
import { readIngestSettings } from './image-collection/ingest-settings.js';
import { JobJournal } from './image-collection/job-journal.js';
import { readOutputCollection } from './image-collection/output-collection.js';
import { createAndPublishCollection, requirePublisher } from './image-collection/publish-service.js';
import { readRasterType } from './image-collection/raster-type-param.js';
import {
  collectionDeps,
  CONTEXT_PARAM,
  describeSrs,
  INPUT_RASTERS_PARAM,
  RASTER_TYPE_PARAM,
  resultParam,
} from './image-collection/task-deps.js';
import { undoImageCollectionJob } from './image-collection/undo-job.js';
import { resolveInputRasters } from './input-rasters.js';

/**
 * The document: "The outSR setting is required if you want the service to create the mosaic
 * dataset and hosted image service." The one exception is UAV/UAS, whose collection takes the UTM
 * zone of the frames' GPS positions, as ArcGIS's drone workflow does (raster-analysis.md §3.3).
 * Aerial and ScannedAerial need outSR like every other type.
 */
const DERIVES_OUT_SR = new Set(['UAV/UAS']);

/**
 * CreateImageCollection (ArcGIS Raster Analysis): ingests images into a new collection (catalog
 * rows, COG copies or references) and publishes it as `Hosted/<name>/ImageServer` with a portal
 * item. All-or-nothing: rows are committed in one transaction after every image is in; a failure,
 * cancel or crash is undone by `rollback` from the job's journal.
 */
export const createImageCollection: TaskDefinition = {
  name: 'CreateImageCollection',
  displayName: 'Create Image Collection',
  description: 'Creates an image collection (mosaic dataset) from images and publishes it as a hosted image service.',
  requiredPrivilege: 'premium:publisher:rasteranalysis',
  parameters: [
    INPUT_RASTERS_PARAM,
    {
      name: 'imageCollection',
      dataType: 'GPString',
      displayName: 'Output Image Collection',
      description: 'The new collection: {"serviceProperties": {"name": …}} or a plain name.',
      direction: 'input',
      required: true,
    },
    RASTER_TYPE_PARAM,
    CONTEXT_PARAM,
    resultParam(),
  ],
  execute: runCreateImageCollection,
  rollback: (context) => undoImageCollectionJob(context),
};

async function runCreateImageCollection(context: TaskContext): Promise<Record<string, unknown>> {
  const owner = requirePublisher(context.principal);
  const deps = collectionDeps(context);
  const { inputs } = context;
  const rasterType = readRasterType(inputs.rasterType);
  const settings = readIngestSettings(inputs.context);
  const output = await readOutputCollection(inputs.imageCollection, deps);
  if (!settings.outSR && !DERIVES_OUT_SR.has(rasterType.name)) {
    throw new TaskError(`context.outSR is required to create a new image collection of type ${rasterType.name}, e.g. {"outSR": {"wkid": 3857}}.`);
  }
  const resolved = await resolveInputRasters(inputs.inputRasters, deps);
  const journal = JobJournal.open(context);
  const ingest = await ingestImages({
    context,
    catalog: deps.catalog,
    collectionName: output.name,
    ...(output.rasterDir ? { rasterDir: output.rasterDir } : {}),
    srs: settings.outSR ?? 'derive',
    settings,
    rasterType,
    inputs: resolved,
    deps,
    journal,
  });
  context.signal.throwIfAborted();
  context.progress(96, 'Writing the catalog');
  const published = await createAndPublishCollection(
    {
      collection: {
        name: output.name,
        owner,
        collectionType: rasterType.collectionType ?? 'UAV/UAS',
        ...describeSrs(ingest.srs),
        properties: {
          rasterTypes: [rasterType.name],
          extraFields: mergeFields(settings.fields, ingest.attributeFields),
          ...(typeof settings.cellSize === 'number' ? { cellSize: settings.cellSize } : {}),
          ...(settings.extent ? { clipExtent: settings.extent } : {}),
          rasterTypeParameters: rasterType.parameters,
          ...(output.rasterDir ? { rasterDir: output.rasterDir } : {}),
        },
      },
      items: ingest.items,
      duplicateMessage: `An image collection named '${output.name}' already exists.`,
      ...(output.existing ? { existing: output.existing } : {}),
      folderId: await ownFolder(context, output.folderId),
    },
    deps.catalog,
    context,
    journal,
  );
  context.info(`Created image collection '${output.name}' with ${ingest.items.length} image${ingest.items.length === 1 ? '' : 's'}.`);
  context.progress(100, 'Done');
  return { result: { itemId: published.itemId, url: published.url } };
}

/** `itemProperties.folderId`, when it is a folder of the submitter; the root folder otherwise. */
async function ownFolder(context: TaskContext, folderId: string | null): Promise<string | null> {
  if (!folderId || !context.principal) return null;
  const folder = await context.stores.items.findFolder(context.principal.username, folderId);
  if (!folder) context.warning(`Folder '${folderId}' was not found; the item is in your root folder.`);
  return folder?.id ?? null;
}
