import { readParams } from '../../http/operation-params.js';
import { deleteFromServiceDefinition } from '../hosted-services.js';
import { resolveRequestLayer } from '../routes-common.js';
import { deleteFieldsFromLayer } from '../update-definition.js';
import { changeOperation, jsonObjectParam } from './managed-service.js';

/** deleteFromDefinition's parameter (ArcGIS Delete From Definition, Feature Service and Layer). */
export const DELETE_PARAMS = { deleteFromDefinition: jsonObjectParam() };

/** Layers and tables out of the service, named by id (`{"layers":[{"id":1}]}` or `[1]`). */
export const deleteFromServiceOperation = changeOperation('/deleteFromDefinition', async (service, request, deps) => {
  const { deleteFromDefinition: input } = readParams(DELETE_PARAMS, request.arcgis.params, undefined);
  const ids = [...(Array.isArray(input.layers) ? (input.layers as unknown[]) : []), ...(Array.isArray(input.tables) ? (input.tables as unknown[]) : [])].map((entry) =>
    Number((entry as { id?: unknown })?.id ?? entry),
  );
  await deleteFromServiceDefinition(deps, service, ids);
  return { success: true };
});

/** Fields out of one layer, named (`{"fields":[{"name":"X"}]}` or `["X"]`). */
export const deleteFromLayerOperation = changeOperation('/:layerId/deleteFromDefinition', async (service, request, deps) => {
  const layer = resolveRequestLayer(service, request);
  const { deleteFromDefinition: input } = readParams(DELETE_PARAMS, request.arcgis.params, undefined);
  const names = (Array.isArray(input.fields) ? input.fields : []).map((f) => String((f as { name?: unknown })?.name ?? f));
  await deleteFieldsFromLayer(deps, service, layer.id, names);
  return { success: true };
});
