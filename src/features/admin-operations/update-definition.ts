import { readParams } from '../../http/operation-params.js';
import { resolveRequestLayer } from '../routes-common.js';
import { updateServiceDefinition } from '../update-definition.js';
import { changeOperation, jsonObjectParam } from './managed-service.js';

/** updateDefinition's parameter (ArcGIS Update Definition, Feature Service and Layer). */
export const UPDATE_PARAMS = { updateDefinition: jsonObjectParam() };

/** Service properties, and layers' by id. */
export const updateServiceOperation = changeOperation('/updateDefinition', async (service, request, deps) => {
  const { updateDefinition } = readParams(UPDATE_PARAMS, request.arcgis.params, undefined);
  await updateServiceDefinition(deps, service, updateDefinition);
  return { success: true };
});

/** One layer's properties. */
export const updateLayerOperation = changeOperation('/:layerId/updateDefinition', async (service, request, deps) => {
  const layer = resolveRequestLayer(service, request);
  const { updateDefinition } = readParams(UPDATE_PARAMS, request.arcgis.params, undefined);
  await updateServiceDefinition(deps, service, { layers: [{ ...updateDefinition, id: layer.id }] });
  return { success: true };
});
