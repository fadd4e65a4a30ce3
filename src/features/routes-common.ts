import type { FastifyRequest } from 'fastify';
import { ApiError } from '../errors.js';
import type { FeatureDeps } from './feature-deps.js';
import { layerCapabilities } from './layer-info.js';
import { resolveFeatureService, type ResolvedService } from './service-access.js';
import { capabilitySet, findLayer, type LayerDefinition } from './service-definition.js';

export const READ_METHODS: Array<'GET' | 'POST'> = ['GET', 'POST'];

/** Service URL patterns: in a folder (Hosted) and at the root. */
export const SERVICE_BASES = ['/rest/services/:folder/:service/FeatureServer', '/rest/services/:service/FeatureServer'];

interface ServiceParams {
  folder?: string;
  service: string;
  layerId?: string;
}

export function resolveRequestService(deps: FeatureDeps, request: FastifyRequest): Promise<ResolvedService> {
  const params = request.params as ServiceParams;
  return resolveFeatureService(deps, params.folder ?? '', params.service, request.arcgis.principal, request.arcgis.catalog);
}

export function layerNotFound(id: string | number): ApiError {
  return new ApiError(404, 'Layer not found.', [`Layer ${id} does not exist in this service.`]);
}

/** The layer or table named by `:layerId`; 404 when there is none. */
export function resolveRequestLayer(service: ResolvedService, request: FastifyRequest): LayerDefinition {
  const text = (request.params as ServiceParams).layerId ?? '';
  const id = /^\d+$/.test(text) ? Number(text) : NaN;
  const layer = Number.isNaN(id) ? undefined : findLayer(service.definition, id);
  if (!layer) throw layerNotFound(text);
  return layer;
}

/** `Query`, `Create`, `Update` or `Delete` must be in the layer's capabilities. */
export function requireCapability(service: ResolvedService, layer: LayerDefinition, capability: 'Query' | 'Create' | 'Update' | 'Delete'): void {
  if (!capabilitySet(layerCapabilities(service, layer)).has(capability.toLowerCase())) {
    throw new ApiError(400, 'Requested operation is not supported by this service.', [`The layer does not have the '${capability}' capability.`]);
  }
}
