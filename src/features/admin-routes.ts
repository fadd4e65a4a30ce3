import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../errors.js';
import { requirePost } from '../http/guards.js';
import { sendResource } from '../http/respond.js';
import { HOSTED_FOLDER, type FeatureDeps } from './feature-deps.js';
import { addToServiceDefinition, deleteFromServiceDefinition, deleteHostedService } from './hosted-services.js';
import { withKeyedLock } from './keyed-lock.js';
import { buildLayerJson, buildServiceJson } from './layer-info.js';
import { READ_METHODS, resolveRequestLayer } from './routes-common.js';
import { requireServiceManager, resolveFeatureService, type ResolvedService } from './service-access.js';
import { allLayers } from './service-definition.js';
import { addFieldsToLayer, deleteFieldsFromLayer, updateServiceDefinition } from './update-definition.js';

type Json = Record<string, unknown>;

/**
 * The hosted feature service admin endpoints clients use to shape a service, below
 * `rest/admin/services/<folder>/<name>/FeatureServer` (ArcGIS Online omits the folder; then the
 * Hosted folder is meant): addToDefinition, deleteFromDefinition, updateDefinition, per service
 * and per layer, plus `rest/admin/services/<folder>/<name>.FeatureServer/delete`.
 */
export async function adminRoutes(app: FastifyInstance, deps: FeatureDeps): Promise<void> {
  /** The service of an admin URL, which the caller must own (or administer). */
  const resolveManaged = async (request: FastifyRequest): Promise<ResolvedService> => {
    const params = request.params as { folder?: string; service: string };
    const service = await resolveFeatureService(deps, params.folder ?? HOSTED_FOLDER, params.service, request.arcgis.principal, request.arcgis.catalog);
    requireServiceManager(service, request.arcgis.principal);
    return service;
  };

  /** Runs a definition change for the URL's service, one at a time per service. */
  const change = (work: (service: ResolvedService, request: FastifyRequest) => Promise<unknown>) =>
    async (request: FastifyRequest, reply: FastifyReply) => {
      requirePost(request);
      const params = request.params as { folder?: string; service: string };
      const key = `${params.folder ?? HOSTED_FOLDER}/${params.service}`.toLowerCase();
      const body = await withKeyedLock(key, async () => work(await resolveManaged(request), request));
      return sendResource(request, reply, body);
    };

  const jsonParam = (request: FastifyRequest, name: string): Json => {
    const value = request.arcgis.params.json<unknown>(name);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw ApiError.invalidParameter(`'${name}' parameter is required (a JSON object)`);
    return value as Json;
  };

  const info = async (request: FastifyRequest, reply: FastifyReply) => {
    const service = await resolveManaged(request);
    const layers = await Promise.all(allLayers(service.definition).map((l) => buildLayerJson(deps.features, service, l)));
    const body = {
      ...(await buildServiceJson(deps.features, service)),
      adminServiceInfo: { name: service.record.name, type: 'FeatureServer', status: 'Started', cacheMaxAge: 0 },
      layers: layers.filter((l) => l.type !== 'Table'),
      tables: layers.filter((l) => l.type === 'Table'),
    };
    return sendResource(request, reply, body, { title: `${service.record.name} (FeatureServer) administration` });
  };

  const addToDefinition = change(async (service, request) => {
    const input = jsonParam(request, 'addToDefinition');
    const list = (value: unknown) => (Array.isArray(value) ? value : undefined);
    const added = await addToServiceDefinition(deps, service, { layers: list(input.layers), tables: list(input.tables) });
    return {
      layers: added.filter((l) => l.type !== 'Table').map((l) => ({ name: l.name, id: l.id })),
      tables: added.filter((l) => l.type === 'Table').map((l) => ({ name: l.name, id: l.id })),
      success: true,
    };
  });

  const deleteFromDefinition = change(async (service, request) => {
    const input = jsonParam(request, 'deleteFromDefinition');
    const ids = [...(Array.isArray(input.layers) ? (input.layers as unknown[]) : []), ...(Array.isArray(input.tables) ? (input.tables as unknown[]) : [])].map((entry) =>
      Number((entry as { id?: unknown })?.id ?? entry),
    );
    await deleteFromServiceDefinition(deps, service, ids);
    return { success: true };
  });

  const updateDefinition = change(async (service, request) => {
    await updateServiceDefinition(deps, service, jsonParam(request, 'updateDefinition'));
    return { success: true };
  });

  const layerAddToDefinition = change(async (service, request) => {
    const layer = resolveRequestLayer(service, request);
    const input = jsonParam(request, 'addToDefinition');
    if (Array.isArray(input.fields)) await addFieldsToLayer(deps, service, layer.id, input.fields);
    return { success: true };
  });

  const layerDeleteFromDefinition = change(async (service, request) => {
    const layer = resolveRequestLayer(service, request);
    const input = jsonParam(request, 'deleteFromDefinition');
    const names = (Array.isArray(input.fields) ? input.fields : []).map((f) => String((f as { name?: unknown })?.name ?? f));
    await deleteFieldsFromLayer(deps, service, layer.id, names);
    return { success: true };
  });

  const layerUpdateDefinition = change(async (service, request) => {
    const layer = resolveRequestLayer(service, request);
    await updateServiceDefinition(deps, service, { layers: [{ ...jsonParam(request, 'updateDefinition'), id: layer.id }] });
    return { success: true };
  });

  const remove = async (request: FastifyRequest, reply: FastifyReply) => {
    requirePost(request);
    const params = request.params as { folder?: string; serviceType: string };
    const match = /^(.+)\.FeatureServer$/i.exec(params.serviceType);
    if (!match) throw ApiError.invalidUrl();
    const service = await resolveFeatureService(deps, params.folder ?? HOSTED_FOLDER, match[1]!, request.arcgis.principal, request.arcgis.catalog);
    requireServiceManager(service, request.arcgis.principal);
    await deleteHostedService(deps, service, { deleteItem: true });
    return sendResource(request, reply, { status: 'success' });
  };

  for (const prefix of ['/rest/admin/services/:folder/:service/FeatureServer', '/rest/admin/services/:service/FeatureServer']) {
    app.route({ method: READ_METHODS, url: prefix, handler: info });
    app.route({ method: READ_METHODS, url: `${prefix}/addToDefinition`, handler: addToDefinition });
    app.route({ method: READ_METHODS, url: `${prefix}/deleteFromDefinition`, handler: deleteFromDefinition });
    app.route({ method: READ_METHODS, url: `${prefix}/updateDefinition`, handler: updateDefinition });
    app.route({ method: READ_METHODS, url: `${prefix}/:layerId/addToDefinition`, handler: layerAddToDefinition });
    app.route({ method: READ_METHODS, url: `${prefix}/:layerId/deleteFromDefinition`, handler: layerDeleteFromDefinition });
    app.route({ method: READ_METHODS, url: `${prefix}/:layerId/updateDefinition`, handler: layerUpdateDefinition });
  }
  app.route({ method: READ_METHODS, url: '/rest/admin/services/:folder/:serviceType/delete', handler: remove });
  app.route({ method: READ_METHODS, url: '/rest/admin/services/:serviceType/delete', handler: remove });
}
