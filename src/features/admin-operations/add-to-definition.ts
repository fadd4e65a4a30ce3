import { readParams } from '../../http/operation-params.js';
import { addToServiceDefinition } from '../hosted-services.js';
import { resolveRequestLayer } from '../routes-common.js';
import { addFieldsToLayer } from '../update-definition.js';
import { changeOperation, jsonObjectParam } from './managed-service.js';

/** addToDefinition's parameter (ArcGIS Add To Definition, Feature Service and Layer). */
export const ADD_PARAMS = { addToDefinition: jsonObjectParam() };

const list = (value: unknown) => (Array.isArray(value) ? value : undefined);

/** New layers and tables for the service. */
export const addToServiceOperation = changeOperation('/addToDefinition', async (service, request, deps) => {
  const { addToDefinition: input } = readParams(ADD_PARAMS, request.arcgis.params, undefined);
  const added = await addToServiceDefinition(deps, service, { layers: list(input.layers), tables: list(input.tables) });
  return {
    layers: added.filter((l) => l.type !== 'Table').map((l) => ({ name: l.name, id: l.id })),
    tables: added.filter((l) => l.type === 'Table').map((l) => ({ name: l.name, id: l.id })),
    success: true,
  };
});

/** New fields for one layer. */
export const addToLayerOperation = changeOperation('/:layerId/addToDefinition', async (service, request, deps) => {
  const layer = resolveRequestLayer(service, request);
  const { addToDefinition: input } = readParams(ADD_PARAMS, request.arcgis.params, undefined);
  if (Array.isArray(input.fields)) await addFieldsToLayer(deps, service, layer.id, input.fields);
  return { success: true };
});
