import type { AppContext } from '../context.js';
import type { ItemHooks } from '../portal/item-hooks.js';
import type { ItemRecord } from '../store/item-store.js';
import { ensureFeatureStore, HOSTED_FOLDER } from './feature-deps.js';
import type { FeatureServiceDefinition } from './service-definition.js';

/**
 * Hooks for the portal, so a hosted service follows its "Feature Service" item (registered on
 * `context.itemHooks` by the feature routes). Sharing is also read from the item on every request.
 */
async function serviceOfItem(context: AppContext, item: ItemRecord) {
  if (item.type !== 'Feature Service') return undefined;
  return (await context.stores.services.list(HOSTED_FOLDER)).find((s) => s.type === 'FeatureServer' && s.itemId === item.id);
}

/** Call when an item is deleted: removes the hosted feature service it stands for, with its data. */
export async function deleteServiceOfItem(context: AppContext, item: ItemRecord): Promise<void> {
  const service = await serviceOfItem(context, item);
  if (!service) return;
  await context.stores.services.delete(service.folder, service.name, 'FeatureServer');
  await ensureFeatureStore(context).features.dropDataset((service.definition as unknown as FeatureServiceDefinition).dataset);
}

/** Call after an item's sharing changed: the services catalog lists the service to match. */
export async function syncServiceAccess(context: AppContext, item: ItemRecord): Promise<void> {
  const service = await serviceOfItem(context, item);
  const access = item.access === 'public' ? 'public' : 'private';
  if (service && service.access !== access) await context.stores.services.update(service.folder, service.name, 'FeatureServer', { access });
}

export function featureItemHooks(context: AppContext): ItemHooks {
  return { deleted: (item) => deleteServiceOfItem(context, item), shared: (item) => syncServiceAccess(context, item) };
}
