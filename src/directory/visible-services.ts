import type { Principal } from '../auth/principal.js';
import { canSeeService } from '../catalog/service-access.js';
import type { ItemStore } from '../store/item-store.js';
import type { ServiceRecord } from '../store/service-store.js';

/**
 * The services a caller may see in the directory. A hosted feature service follows its portal
 * item, as its endpoints do (features/service-access.ts): one shared with the organisation is listed for every signed-in member
 * (the service record itself only knows private or public).
 */
export async function visibleServices(services: ServiceRecord[], principal: Principal | null, items: ItemStore): Promise<ServiceRecord[]> {
  const out: ServiceRecord[] = [];
  for (const service of services) {
    if (canSeeService(service, principal)) out.push(service);
    else if (principal && service.type === 'FeatureServer' && service.itemId && (await items.get(service.itemId))?.access === 'org') out.push(service);
  }
  return out;
}
