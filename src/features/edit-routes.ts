import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { publicBaseUrl } from '../http/base-url.js';
import { ApiError } from '../errors.js';
import { requirePost } from '../http/guards.js';
import type { Params } from '../params.js';
import { formatOf, sendResource } from '../http/respond.js';
import { applyLayerEdits, type AppliedEdits, type EditOptionsInput, type LayerEditRequest } from './apply-edits.js';
import type { FeatureDeps } from './feature-deps.js';
import { editPage } from './feature-pages.js';
import { compileFilter, hasGeometry, isEmptyFilter, readFilterRequest } from './filter-request.js';
import { layerModelOf } from './layer-model.js';
import { layerNotFound, READ_METHODS, requireCapability, resolveRequestLayer, resolveRequestService, SERVICE_BASES } from './routes-common.js';
import { requireEditor, type ResolvedService } from './service-access.js';
import { findLayer, type LayerDefinition } from './service-definition.js';

type EditOperation = 'addFeatures' | 'updateFeatures' | 'deleteFeatures' | 'applyEdits';

const FORM_FIELDS: Record<EditOperation, string[]> = {
  addFeatures: ['features', 'rollbackOnFailure', 'useGlobalIds', 'returnEditMoment'],
  updateFeatures: ['features', 'rollbackOnFailure', 'useGlobalIds', 'returnEditMoment'],
  deleteFeatures: ['objectIds', 'where', 'geometry', 'geometryType', 'inSR', 'spatialRel', 'rollbackOnFailure', 'returnDeleteResults'],
  applyEdits: ['adds', 'updates', 'deletes', 'rollbackOnFailure', 'useGlobalIds', 'returnEditMoment', 'returnEditResults'],
};

/** Edits (POST only): addFeatures, updateFeatures, deleteFeatures, and applyEdits per layer and per service. */
export async function editRoutes(app: FastifyInstance, deps: FeatureDeps): Promise<void> {
  /** GET with f=html shows the operation's form; any other GET is refused (edits are POST). */
  const start = (request: FastifyRequest, reply: FastifyReply, service: ResolvedService, layer: LayerDefinition | undefined, operation: EditOperation) => {
    if (request.method === 'GET' && formatOf(request) === 'html') {
      const fields = layer ? FORM_FIELDS[operation] : ['edits', 'rollbackOnFailure', 'useGlobalIds', 'returnEditMoment', 'returnEditResults'];
      return sendResource(request, reply, {}, editPage(publicBaseUrl(deps.config, request), service, layer, operation, fields, request.arcgis.params.string('token')));
    }
    requirePost(request);
    requireEditor(service, request.arcgis.principal);
    return undefined;
  };

  const layerEdit = (operation: EditOperation) =>
    async (request: FastifyRequest, reply: FastifyReply) => {
      const service = await resolveRequestService(deps, request);
      const layer = resolveRequestLayer(service, request);
      const form = start(request, reply, service, layer, operation);
      if (form) return form;
      const params = request.arcgis.params;
      const options = readEditOptions(params, service);
      const model = layerModelOf(service.definition, layer);
      const edit: LayerEditRequest = { model };
      if (operation === 'addFeatures') edit.adds = readFeatures(params, 'features');
      if (operation === 'updateFeatures') edit.updates = readFeatures(params, 'features');
      if (operation === 'applyEdits') {
        edit.adds = readFeatures(params, 'adds');
        edit.updates = readFeatures(params, 'updates');
        const deletes = readDeletes(params);
        if (deletes) edit.deletes = deletes;
        refuseAttachments(params);
      }
      if (operation === 'deleteFeatures') await readDeleteSelection(deps, params, edit, request.arcgis.principal?.username);
      requireEditCapabilities(service, layer, edit);
      const applied = await applyLayerEdits(deps.features, service.definition.dataset, [edit], options);
      return sendResource(request, reply, layerResponse(operation, applied, params));
    };

  const serviceApplyEdits = async (request: FastifyRequest, reply: FastifyReply) => {
    const service = await resolveRequestService(deps, request);
    const form = start(request, reply, service, undefined, 'applyEdits');
    if (form) return form;
    const params = request.arcgis.params;
    const options = readEditOptions(params, service);
    const edits = params.json<unknown>('edits') ?? [];
    if (!Array.isArray(edits)) throw ApiError.invalidParameter("'edits' parameter is invalid: expected a JSON array");
    const requests = edits.map((entry) => readServiceLayerEdits(service, entry));
    refuseAttachments(params);
    const applied = await applyLayerEdits(deps.features, service.definition.dataset, requests, options);
    if (!params.bool('returnEditResults', true)) return sendResource(request, reply, { success: true });
    const moment = params.bool('returnEditMoment', false) ? { editMoment: applied.editMoment } : {};
    return sendResource(request, reply, applied.layers.map((l) => ({ ...l, ...moment })));
  };

  for (const prefix of SERVICE_BASES) {
    for (const operation of Object.keys(FORM_FIELDS) as EditOperation[]) {
      // deleteFeatures' reference: "The default response format is html".
      const config = operation === 'deleteFeatures' ? { defaultFormat: 'html' as const } : {};
      app.route({ method: READ_METHODS, url: `${prefix}/:layerId/${operation}`, handler: layerEdit(operation), config });
    }
    app.route({ method: READ_METHODS, url: `${prefix}/applyEdits`, handler: serviceApplyEdits });
  }
}

function refuseAttachments(params: Params): void {
  const attachments = params.json<Record<string, unknown[]>>('attachments');
  if (attachments && Object.values(attachments).some((list) => Array.isArray(list) && list.length > 0)) {
    throw ApiError.invalidParameter("'attachments' parameter is invalid: the layer does not support attachments");
  }
}

function readEditOptions(params: Params, service: ResolvedService): EditOptionsInput {
  return {
    rollbackOnFailure: params.bool('rollbackOnFailure', true),
    useGlobalIds: params.bool('useGlobalIds', false),
    allowGeometryUpdates: service.definition.allowGeometryUpdates,
  };
}

function readFeatures(params: Params, name: string): unknown[] | undefined {
  const value = params.json<unknown>(name);
  if (value === undefined) return undefined;
  // A single feature object is accepted where an array is expected.
  if (Array.isArray(value)) return value as unknown[];
  if (typeof value === 'object' && value !== null) return [value];
  throw ApiError.invalidParameter(`'${name}' parameter is invalid: expected a JSON array of features`);
}

function readDeletes(params: Params): unknown[] | undefined {
  return params.list('deletes');
}

/**
 * deleteFeatures: objectIds, where and geometry combine by AND. With objectIds the keys are
 * deleted one by one (results per id); otherwise every row the filter selects is deleted.
 */
async function readDeleteSelection(deps: FeatureDeps, params: Params, edit: LayerEditRequest, username: string | undefined): Promise<void> {
  const filter = readFilterRequest(params, { deferLarge: true });
  const ids = filter.objectIds;
  delete filter.objectIds;
  if (!ids && filter.where === undefined && !hasGeometry(filter)) {
    throw ApiError.invalidParameter("One of 'objectIds', 'where' or 'geometry' is required");
  }
  if (ids) edit.deletes = ids;
  if (!isEmptyFilter(filter) || !ids) edit.deleteFilter = await compileFilter(deps.features, edit.model, filter, username);
}

function requireEditCapabilities(service: ResolvedService, layer: LayerDefinition, edit: LayerEditRequest): void {
  if (edit.adds?.length) requireCapability(service, layer, 'Create');
  if (edit.updates?.length) requireCapability(service, layer, 'Update');
  if (edit.deletes?.length || edit.deleteFilter) requireCapability(service, layer, 'Delete');
}

function readServiceLayerEdits(service: ResolvedService, entry: unknown): LayerEditRequest {
  const source = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
  const layer = typeof source.id === 'number' ? findLayer(service.definition, source.id) : undefined;
  if (!layer) throw layerNotFound(String(source.id));
  const edit: LayerEditRequest = { model: layerModelOf(service.definition, layer) };
  const list = (value: unknown, name: string) => {
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value)) throw ApiError.invalidParameter(`'edits' parameter is invalid: '${name}' of layer ${layer.id} must be an array`);
    return value as unknown[];
  };
  const adds = list(source.adds, 'adds');
  const updates = list(source.updates, 'updates');
  const deletes = typeof source.deletes === 'string' ? source.deletes.split(',').map((s) => s.trim()).filter(Boolean) : list(source.deletes, 'deletes');
  if (adds) edit.adds = adds;
  if (updates) edit.updates = updates;
  if (deletes) edit.deletes = deletes;
  requireEditCapabilities(service, layer, edit);
  return edit;
}

function layerResponse(operation: EditOperation, applied: AppliedEdits, params: Params): unknown {
  const results = applied.layers[0]!;
  const moment = params.bool('returnEditMoment', false) ? { editMoment: applied.editMoment } : {};
  switch (operation) {
    case 'addFeatures':
      return { addResults: results.addResults, ...moment };
    case 'updateFeatures':
      return { updateResults: results.updateResults, ...moment };
    case 'deleteFeatures':
      if (params.has('objectIds') && params.bool('returnDeleteResults', true)) return { deleteResults: results.deleteResults, ...moment };
      return { success: true, ...moment };
    case 'applyEdits':
      if (!params.bool('returnEditResults', true)) return { success: true, ...moment };
      return { addResults: results.addResults, updateResults: results.updateResults, deleteResults: results.deleteResults, ...moment };
  }
}
