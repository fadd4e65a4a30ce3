import type { Principal } from '../auth/principal.js';
import { hasPrivilege } from '../auth/principal.js';
import { canManageService, serviceNotFound } from '../catalog/service-access.js';
import { ApiError } from '../errors.js';
import { VersionedCache, type CatalogReader } from '../store/catalog-version.js';
import type { ItemRecord } from '../store/item-store.js';
import type { ServiceRecord } from '../store/service-store.js';
import type { FeatureDeps } from './feature-deps.js';
import type { FeatureServiceDefinition } from './service-definition.js';

/** A feature service found for a request, with its parsed definition and its portal item. */
export interface ResolvedService {
  record: ServiceRecord;
  definition: FeatureServiceDefinition;
  item?: ItemRecord;
}

const parsed = new Map<string, FeatureServiceDefinition>();

/**
 * The definition object for a service record, reused while the record is unchanged so that the
 * per-layer models built from it (field maps, storage schema) are computed once.
 */
function definitionOf(record: ServiceRecord): FeatureServiceDefinition {
  const key = `${record.folder}/${record.name}`.toLowerCase();
  const definition = record.definition as unknown as FeatureServiceDefinition;
  const hit = parsed.get(key);
  if (hit && hit.dataset === definition.dataset && hit.revision === definition.revision) return hit;
  parsed.set(key, definition);
  return definition;
}

/**
 * Looks up a hosted feature service: 404 when missing. A hosted service follows its item: the
 * item's sharing decides who sees it, and a service whose item was deleted is removed here (the
 * portal may delete items without knowing about services). 499/403 as for any private resource.
 */
export async function resolveFeatureService(
  deps: FeatureDeps,
  folder: string,
  name: string,
  principal: Principal | null,
  catalog?: CatalogReader,
): Promise<ResolvedService> {
  const resolved = await lookUpService(deps, folder, name, catalog);
  if (canSee(resolved, principal)) return { ...resolved };
  throw principal ? ApiError.forbidden() : ApiError.tokenRequired();
}

/** Resolved services by catalog version, per catalog (several servers may share a process, as in tests). */
const caches = new WeakMap<object, VersionedCache<ResolvedService>>();

/**
 * A resolved service is kept for the catalog version it was read at (see store/catalog-version.ts):
 * a request reads the version once and skips the service and item look-ups and the definition
 * parse. Without a reader (the CLI) every call looks up.
 */
async function lookUpService(deps: FeatureDeps, folder: string, name: string, catalog?: CatalogReader): Promise<ResolvedService> {
  const key = `${folder}/${name}`.toLowerCase();
  const version = catalog ? await catalog() : undefined;
  let cache = caches.get(deps.stores.services);
  if (!cache) caches.set(deps.stores.services, (cache = new VersionedCache()));
  const hit = version === undefined ? undefined : cache.get(version, key);
  if (hit) return hit;
  const record = await deps.stores.services.get(folder, name, 'FeatureServer');
  if (!record || !(record.definition as { dataset?: unknown }).dataset) throw serviceNotFound(folder, name, 'FeatureServer');
  const resolved: ResolvedService = { record, definition: definitionOf(record) };
  if (record.itemId) {
    const item = await deps.stores.items.get(record.itemId);
    if (!item) {
      await removeOrphan(deps, resolved);
      throw serviceNotFound(folder, name, 'FeatureServer');
    }
    resolved.item = item;
  }
  if (version !== undefined) cache.set(version, key, resolved);
  return resolved;
}

async function removeOrphan(deps: FeatureDeps, service: ResolvedService): Promise<void> {
  await deps.stores.services.delete(service.record.folder, service.record.name, 'FeatureServer');
  await deps.features.dropDataset(service.definition.dataset);
}

/** `public` everyone, `org` every signed-in user, otherwise the owner and administrators. */
export function canSee(service: ResolvedService, principal: Principal | null): boolean {
  const access = service.item?.access ?? service.record.access;
  if (access === 'public') return true;
  if (!principal) return false;
  return access === 'org' || canManageService(service.record, principal);
}

export function isPublic(service: ResolvedService): boolean {
  return (service.item?.access ?? service.record.access) === 'public';
}

/**
 * Who may edit: the owner and administrators always; other signed-in users who can see the
 * service and hold `features:user:edit`; anonymous callers only on a public service that allows
 * anonymous edits. Capabilities (Create/Update/Delete) are checked per operation elsewhere.
 */
export function requireEditor(service: ResolvedService, principal: Principal | null): void {
  if (canManageService(service.record, principal)) return;
  if (!principal) {
    if (isPublic(service) && service.definition.allowAnonymousEdits) return;
    throw ApiError.tokenRequired();
  }
  if (!hasPrivilege(principal, 'features:user:edit')) throw ApiError.forbidden();
}

/** The owner or an administrator, for definition changes and deletion. */
export function requireServiceManager(service: ResolvedService, principal: Principal | null): void {
  if (!principal) throw ApiError.tokenRequired();
  if (!canManageService(service.record, principal)) throw ApiError.forbidden();
}
