import type { Principal } from '../auth/principal.js';
import { ApiError } from '../errors.js';
import type { ServiceRecord, ServiceStore, ServiceType } from '../store/service-store.js';

/** Public services are open to all; private ones to their owner and administrators. */
export function canSeeService(service: ServiceRecord, principal: Principal | null): boolean {
  if (service.access === 'public') return true;
  if (!principal) return false;
  return principal.isAdmin || principal.username.toLowerCase() === service.owner?.toLowerCase();
}

/** The owner or an administrator may change a service. */
export function canManageService(service: ServiceRecord, principal: Principal | null): boolean {
  return principal !== null && (principal.isAdmin || principal.username.toLowerCase() === service.owner?.toLowerCase());
}

export function serviceNotFound(folder: string, name: string, type: ServiceType): ApiError {
  const full = folder ? `${folder}/${name}` : name;
  return new ApiError(404, 'Service not found', [`Service '${full}' of type '${type}' does not exist or is inaccessible.`]);
}

/**
 * Looks a service up for a request: 404 when missing, 499 when it is private and the caller is
 * anonymous (clients then sign in), 403 when the signed-in caller may not see it.
 */
export async function findVisibleService(
  services: ServiceStore,
  principal: Principal | null,
  folder: string,
  name: string,
  type: ServiceType,
): Promise<ServiceRecord> {
  const service = await services.get(folder, name, type);
  if (!service) throw serviceNotFound(folder, name, type);
  if (canSeeService(service, principal)) return service;
  throw principal ? ApiError.forbidden() : ApiError.tokenRequired();
}
