import type { Config } from '../config.js';
import { collectionFolder, isOwnedFile, removeOwnedFiles, removeOwnedFolder } from './raster-store.js';
import { TileCache, tileCacheRoot } from './render/tile-cache.js';
import type { CatalogStore, CollectionRecord } from './store/catalog-store.js';

/** What is left to remove once a collection's catalog is gone: our copies and its raster folder. */
export interface CollectionLeftovers {
  /** Files the raster store owns; sources the collection only referenced are never listed. */
  files: string[];
  folder: string;
  /** Catalog rows removed. */
  itemCount: number;
}

/**
 * Deletes a collection's catalog, then the copies we made, its raster folder and its cached
 * tiles. `afterCatalog` runs between the two (DeleteImageCollection journals the leftovers there
 * and unpublishes the service, so that a crash rolls forward).
 */
export async function deleteCollectionData(
  config: Config,
  catalog: CatalogStore,
  collection: CollectionRecord,
  afterCatalog?: (leftovers: CollectionLeftovers) => Promise<void>,
): Promise<CollectionLeftovers> {
  const removed = await catalog.deleteCollection(collection.id);
  const root = collection.properties.rasterDir;
  const leftovers: CollectionLeftovers = {
    files: removed.map((row) => row.path).filter((file) => isOwnedFile(config, file, root)),
    folder: collectionFolder(config, collection),
    itemCount: removed.length,
  };
  await afterCatalog?.(leftovers);
  await removeOwnedFiles(config, leftovers.files, root);
  await removeOwnedFolder(config, leftovers.folder, root);
  await new TileCache(tileCacheRoot(config)).remove(collection.id);
  return leftovers;
}
