import { compileWhere } from '../where/compile-where.js';
import { WhereClauseError } from '../where/where-clause-error.js';
import type { WhereDialect } from '../where/where-types.js';
import { catalogFields } from '../imagery/catalog-fields.js';
import { imageServiceUrl } from '../imagery/image-service-definition.js';
import { TaskError, type TaskContext, type TaskDefinition } from '../jobs/task.js';
import { locateCollection } from './image-collection/collection-ref.js';
import { JobJournal } from './image-collection/job-journal.js';
import { isOwnedFile, removeOwnedFiles } from '../imagery/raster-store.js';
import { collectionDeps, IMAGE_COLLECTION_PARAM, resultParam } from './image-collection/task-deps.js';
import { finishCommittedDeletion, undoImageCollectionJob } from './image-collection/undo-job.js';

/**
 * DeleteImage (ArcGIS Raster Analysis): removes the catalog rows a `where` selects, in one
 * transaction, then the copies we own of them. Sources are never deleted. Selecting every row
 * empties the collection but keeps it and its service.
 */
export const deleteImage: TaskDefinition = {
  name: 'DeleteImage',
  displayName: 'Delete Image',
  description: 'Removes images from an image collection; source images are kept.',
  requiredPrivilege: 'premium:publisher:rasteranalysis',
  retryAfterCrash: true,
  parameters: [
    IMAGE_COLLECTION_PARAM,
    {
      name: 'where',
      dataType: 'GPString',
      displayName: 'Where',
      description: "SQL on the catalog fields, e.g. OBJECTID=10 or Name LIKE 'IMG_00%'.",
      direction: 'input',
      required: true,
    },
    resultParam(),
  ],
  execute: runDeleteImage,
  rollback: (context) => undoImageCollectionJob(context),
};

async function runDeleteImage(context: TaskContext): Promise<Record<string, unknown>> {
  const deps = collectionDeps(context);
  const { collection, service } = await locateCollection(context.inputs.imageCollection, deps);
  if (await finishCommittedDeletion(context)) return { result: { url: imageServiceUrl(context.baseUrl, service.folder, service.name) } };
  const where = compileCatalogWhere(context.inputs.where, collection.properties.extraFields, deps.catalog.dialect);
  const url = imageServiceUrl(context.baseUrl, service.folder, service.name);
  const matched = await deps.catalog.countItems(collection.id, { where });
  if (matched === 0) {
    context.warning(`The where clause selects no images of '${collection.name}'; nothing was deleted.`);
    return { result: { url } };
  }
  // Past this point the deletion is committed and finished, never undone.
  context.signal.throwIfAborted();
  const journal = JobJournal.open(context);
  const removed = await deps.catalog.deleteItems(collection.id, { where });
  const root = collection.properties.rasterDir;
  const owned = removed.map((row) => row.path).filter((file) => isOwnedFile(context.config, file, root));
  await journal.record({ type: 'deleteCommitted', files: owned, folders: [], ...(root ? { root } : {}) });
  await removeOwnedFiles(context.config, owned, root);
  context.info(`Deleted ${removed.length} image${removed.length === 1 ? '' : 's'} from '${collection.name}'.`);
  return { result: { url } };
}

/** Compiles `where` against a collection's catalog fields; an invalid clause fails the job. */
export function compileCatalogWhere(value: unknown, extraFields: Parameters<typeof catalogFields>[0], dialect: WhereDialect): { sql: string; params: unknown[] } {
  if (typeof value !== 'string' || value.trim() === '') throw new TaskError("'where' is required, e.g. OBJECTID=10.");
  try {
    const compiled = compileWhere(unwrapQuotedClause(value), { fields: [...catalogFields(extraFields), { name: 'Shape', type: 'esriFieldTypeGeometry' }], dialect });
    return { sql: compiled.sql, params: compiled.params };
  } catch (error) {
    if (error instanceof WhereClauseError) throw new TaskError(`'where' is invalid: ${error.message}.`);
    throw error;
  }
}

/**
 * The DeleteImage reference writes its example as `where="OBJECTID=10"`: a whole clause in double
 * quotes (which SQL would read as one identifier) is taken as the clause inside them.
 */
function unwrapQuotedClause(where: string): string {
  const match = /^\s*"([^"]*)"\s*$/.exec(where);
  return match && /[=<>]|\b(?:LIKE|IN|IS|BETWEEN)\b/i.test(match[1]!) ? match[1]! : where;
}
