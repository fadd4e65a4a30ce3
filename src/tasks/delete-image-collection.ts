import { deleteCollectionData } from '../imagery/delete-collection-data.js';
import type { TaskContext, TaskDefinition } from '../jobs/task.js';
import { locateCollection } from './image-collection/collection-ref.js';
import { JobJournal } from './image-collection/job-journal.js';
import { unpublishImageService } from './image-collection/publish-service.js';
import { collectionDeps, IMAGE_COLLECTION_PARAM, resultParam } from './image-collection/task-deps.js';
import { finishCommittedDeletion, undoImageCollectionJob } from './image-collection/undo-job.js';

/**
 * DeleteImageCollection (ArcGIS Raster Analysis): removes the catalog, the service, its portal
 * item and the copies in the raster store. Sources referenced by the collection are never
 * touched. Once the catalog is deleted the rest is finished even after a crash (rollback rolls
 * forward from the journal).
 */
export const deleteImageCollection: TaskDefinition = {
  name: 'DeleteImageCollection',
  displayName: 'Delete Image Collection',
  description: 'Deletes an image collection, its image service and portal item; source images are kept.',
  requiredPrivilege: 'premium:publisher:rasteranalysis',
  // Not retried after a crash: the rollback finishes a committed deletion, and a second run could
  // then only report the collection missing. The job ends failed, with the deletion complete.
  retryAfterCrash: false,
  parameters: [IMAGE_COLLECTION_PARAM, resultParam('GPBoolean')],
  execute: runDeleteImageCollection,
  rollback: (context) => undoImageCollectionJob(context),
};

async function runDeleteImageCollection(context: TaskContext): Promise<Record<string, unknown>> {
  // Run again after a crash that followed the commit: only the clean-up is left to do.
  if (await finishCommittedDeletion(context)) return { result: true };
  const deps = collectionDeps(context);
  const { collection, service, item } = await locateCollection(context.inputs.imageCollection, deps);
  context.signal.throwIfAborted();
  const journal = JobJournal.open(context);
  const itemId = item?.id ?? service.itemId;
  const root = collection.properties.rasterDir;
  const { itemCount } = await deleteCollectionData(context.config, deps.catalog, collection, async ({ files, folder }) => {
    await journal.record({ type: 'deleteCommitted', files, folders: [folder], ...(root ? { root } : {}), service: { folder: service.folder, name: service.name }, itemId });
    await unpublishImageService(context, service, itemId);
  });
  context.info(`Deleted image collection '${collection.name}' (${itemCount} image${itemCount === 1 ? '' : 's'}).`);
  return { result: true };
}
