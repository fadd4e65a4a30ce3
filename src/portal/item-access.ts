import type { Principal } from '../auth/principal.js';
import { ApiError } from '../errors.js';
import type { FolderRecord, ItemRecord, ItemStore } from '../store/item-store.js';

/**
 * Who sees an item: `public` everyone, `org` every signed-in user (one organisation here),
 * `private` and `shared` (no groups yet) the owner and administrators.
 */
export function canSeeItem(item: ItemRecord, principal: Principal | null): boolean {
  if (item.access === 'public') return true;
  if (!principal) return false;
  return item.access === 'org' || canManageItem(item, principal);
}

/** The owner or an administrator may change or delete an item. */
export function canManageItem(item: ItemRecord, principal: Principal | null): boolean {
  return principal !== null && (principal.isAdmin || equalsIgnoreCase(principal.username, item.owner));
}

export function equalsIgnoreCase(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** The portal's answer for a missing item; also what a caller gets for an id that is not an id. */
export function itemNotFound(): ApiError {
  return new ApiError(404, 'Item does not exist or is inaccessible.', [], { messageCode: 'CONT_0001' });
}

/**
 * An item the caller may see: 404 when missing, 499 when private and the caller is anonymous
 * (clients then sign in), 403 when a signed-in caller may not see it.
 *
 * @example const item = await resolveItem(context.stores, params.required('itemId'), request.arcgis.principal);
 */
export async function resolveItem(stores: { items: ItemStore }, id: string, principal: Principal | null): Promise<ItemRecord> {
  const item = /^[0-9a-f]{32}$/i.test(id) ? await stores.items.get(id.toLowerCase()) : undefined;
  if (!item) throw itemNotFound();
  if (canSeeItem(item, principal)) return item;
  throw principal ? ApiError.forbidden() : ApiError.tokenRequired();
}

/** An item the caller may change: as resolveItem, then 403 unless owner or administrator. */
export async function resolveManagedItem(stores: { items: ItemStore }, id: string, principal: Principal | null): Promise<ItemRecord> {
  const item = await resolveItem(stores, id, principal);
  if (!canManageItem(item, principal)) throw ApiError.forbidden();
  return item;
}

/** A folder of `owner` by id or title; 404 when there is none. */
export async function resolveFolder(stores: { items: ItemStore }, owner: string, idOrTitle: string): Promise<FolderRecord> {
  const folder = await stores.items.findFolder(owner, idOrTitle);
  if (!folder) throw new ApiError(404, 'Folder does not exist or is inaccessible.', [`Folder '${idOrTitle}' not found.`]);
  return folder;
}
