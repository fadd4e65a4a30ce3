import type { ItemRecord } from '../store/item-store.js';

/**
 * What other capabilities do when a portal item changes: a hosted service follows its item
 * (deleting the item removes the service and its data; sharing it changes who sees the service).
 * Capabilities register theirs on `context.itemHooks` when their routes are set up.
 */
export interface ItemHooks {
  deleted?(item: ItemRecord): Promise<void>;
  shared?(item: ItemRecord): Promise<void>;
}

export async function runItemHooks(hooks: ItemHooks[] | undefined, event: keyof ItemHooks, item: ItemRecord): Promise<void> {
  for (const hook of hooks ?? []) await hook[event]?.(item);
}
