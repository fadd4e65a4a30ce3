import type { Principal } from '../../auth/principal.js';
import { canManageService, findVisibleService } from '../../catalog/service-access.js';
import { ApiError } from '../../errors.js';
import type { ServiceRecord, ServiceStore } from '../../store/service-store.js';
import { DEFAULT_CAPABILITIES, imageServiceDefinition } from '../image-service-definition.js';
import type { CatalogStore, CollectionRecord } from '../store/catalog-store.js';

/** ImageServer capabilities an operation needs (ArcGIS Image Service capabilities). */
export type Capability = 'Image' | 'Metadata' | 'Catalog' | 'Download' | 'Mensuration' | 'Pixels';

export interface RenderTarget {
  service: ServiceRecord;
  collection: CollectionRecord;
  capabilities: Set<string>;
  /** The owner or an administrator (may download whatever the capabilities say). */
  canManage: boolean;
}

/**
 * The service and collection a request names, checked: visible to the caller (404/499/403 as for
 * every service), backed by a collection, and offering the capabilities the operation needs
 * (400 otherwise, the way ArcGIS refuses an operation a service does not support).
 */
export async function loadRenderTarget(
  services: ServiceStore,
  catalog: CatalogStore,
  principal: Principal | null,
  location: { folder: string; name: string },
  needs: Capability[],
): Promise<RenderTarget> {
  const service = await findVisibleService(services, principal, location.folder, location.name, 'ImageServer');
  const definition = imageServiceDefinition(service);
  const collection = definition.collectionId ? await catalog.getCollection(definition.collectionId) : undefined;
  if (!collection) throw new ApiError(404, 'Service not found', [`Image service '${location.name}' has no image collection yet.`]);
  const capabilities = new Set((definition.capabilities ?? DEFAULT_CAPABILITIES).split(',').map((c) => c.trim().toLowerCase()));
  const canManage = canManageService(service, principal);
  for (const capability of needs) {
    if (capability === 'Download' && canManage) continue;
    if (!capabilities.has(capability.toLowerCase())) {
      throw new ApiError(400, 'Requested operation is not supported by this service.', [`The '${capability}' capability is not enabled for '${service.name}'.`]);
    }
  }
  return { service, collection, capabilities, canManage };
}
