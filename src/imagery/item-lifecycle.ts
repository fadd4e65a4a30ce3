import type { AppContext } from '../context.js';
import type { ItemHooks } from '../portal/item-hooks.js';
import type { ItemRecord } from '../store/item-store.js';
import { deleteCollectionData } from './delete-collection-data.js';
import type { CatalogStore } from './store/catalog-store.js';

/**
 * An image service follows its "Image Service" item, as on the portal: deleting the item removes
 * the service, its catalog and the copies we made (never a source image); sharing the item
 * shares the service.
 */
export function imageryItemHooks(context: AppContext, catalog: CatalogStore): ItemHooks {
  const serviceOf = async (item: ItemRecord) =>
    item.type === 'Image Service'
      ? (await context.stores.services.list()).find((s) => s.type === 'ImageServer' && s.itemId === item.id)
      : undefined;
  return {
    deleted: async (item) => {
      const service = await serviceOf(item);
      if (!service) return;
      await context.stores.services.delete(service.folder, service.name, 'ImageServer');
      const collection = await catalog.getCollection(service.name);
      if (!collection) return;
      await deleteCollectionData(context.config, catalog, collection);
    },
    shared: async (item) => {
      const service = await serviceOf(item);
      const access = item.access === 'public' ? 'public' : 'private';
      if (service && service.access !== access) await context.stores.services.update(service.folder, service.name, 'ImageServer', { access });
    },
  };
}
