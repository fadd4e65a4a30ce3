import type { Config } from '../../config.js';
import { imageServiceDefinition } from '../../imagery/image-service-definition.js';
import { catalogStoreFor } from '../../imagery/store/open-catalog-store.js';
import { removeItemFiles } from '../../portal/item-files.js';
import type { Stores } from '../../store/index.js';
import { JobJournal } from './job-journal.js';
import { unpublishImageService } from './publish-service.js';
import { removeOwnedFiles, removeOwnedFolder } from '../../imagery/raster-store.js';

export interface UndoContext {
  jobId: string;
  scratchDir: string;
  config: Config;
  stores: Stores;
}

/**
 * Rolls back an image-collection job from its journal and the job id on catalog rows: removes
 * the rows and collection it added, the service and item it created (only if they are still its
 * own), restores a pre-created service it re-pointed, and deletes its raster-store folder.
 * A deletion that was already committed is finished instead (rows cannot be brought back).
 * Safe to run more than once, and on a job that did nothing.
 */
export async function undoImageCollectionJob(context: UndoContext): Promise<void> {
  if (await finishCommittedDeletion(context)) return;
  const entries = await JobJournal.read(context);
  await catalogStoreFor(context.config).removeJobWork(context.jobId);
  for (const entry of [...entries].reverse()) {
    if (entry.type === 'serviceCreated') {
      const service = await context.stores.services.get(entry.folder, entry.name, 'ImageServer');
      if (service && imageServiceDefinition(service).jobId === context.jobId) {
        await context.stores.services.delete(entry.folder, entry.name, 'ImageServer');
      }
    } else if (entry.type === 'serviceUpdated') {
      const service = await context.stores.services.get(entry.folder, entry.name, 'ImageServer');
      if (service && imageServiceDefinition(service).jobId === context.jobId) {
        await context.stores.services.update(entry.folder, entry.name, 'ImageServer', { definition: entry.previous as Record<string, unknown> });
      }
    } else if (entry.type === 'itemCreated') {
      // The id was drawn at random by this job: if an item has it, it is this job's.
      if (await context.stores.items.get(entry.id)) await context.stores.items.delete(entry.id);
      await removeItemFiles(context.config, entry.id);
    } else if (entry.type === 'rasterDir') {
      await removeOwnedFolder(context.config, entry.path, entry.root);
    }
  }
}

/**
 * Finishes a deletion whose catalog change was committed before the job stopped (removes the
 * service, item and files it listed). Returns false when the journal records no such commit.
 * Delete tasks call it first when they run again after a crash.
 */
export async function finishCommittedDeletion(context: UndoContext): Promise<boolean> {
  const committed = (await JobJournal.read(context)).find((e) => e.type === 'deleteCommitted');
  if (committed?.type !== 'deleteCommitted') return false;
  await unpublishImageService(context, committed.service, committed.itemId);
  await removeOwnedFiles(context.config, committed.files, committed.root);
  for (const folder of committed.folders) await removeOwnedFolder(context.config, folder, committed.root);
  return true;
}
