import { sendResource } from '../../http/respond.js';
import { buildLayerJson, buildServiceJson } from '../layer-info.js';
import { allLayers } from '../service-definition.js';
import { resolveManaged, type AdminOperation } from './managed-service.js';

/** The admin view of a hosted feature service: its JSON plus `adminServiceInfo`. */
export const adminInfoOperation: AdminOperation = {
  path: '',
  async handle(request, reply, deps) {
    const service = await resolveManaged(request, deps);
    const layers = await Promise.all(allLayers(service.definition).map((l) => buildLayerJson(deps.features, service, l, request.arcgis.signal)));
    const body = {
      ...(await buildServiceJson(deps.features, service, request.arcgis.signal)),
      adminServiceInfo: { name: service.record.name, type: 'FeatureServer', status: 'Started', cacheMaxAge: 0 },
      layers: layers.filter((l) => l.type !== 'Table'),
      tables: layers.filter((l) => l.type === 'Table'),
    };
    return sendResource(request, reply, body, { title: `${service.record.name} (FeatureServer) administration` });
  },
};
