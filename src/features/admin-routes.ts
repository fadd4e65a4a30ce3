import type { FastifyInstance } from 'fastify';
import { addToLayerOperation, addToServiceOperation } from './admin-operations/add-to-definition.js';
import { adminInfoOperation } from './admin-operations/admin-info.js';
import { deleteFromLayerOperation, deleteFromServiceOperation } from './admin-operations/delete-from-definition.js';
import { deleteServiceHandler } from './admin-operations/delete-service.js';
import type { AdminOperation } from './admin-operations/managed-service.js';
import { updateLayerOperation, updateServiceOperation } from './admin-operations/update-definition.js';
import type { FeatureDeps } from './feature-deps.js';
import { READ_METHODS } from './routes-common.js';

/** The admin operations of a hosted feature service, one module each in `admin-operations/`. */
const OPERATIONS: AdminOperation[] = [
  adminInfoOperation,
  addToServiceOperation,
  deleteFromServiceOperation,
  updateServiceOperation,
  addToLayerOperation,
  deleteFromLayerOperation,
  updateLayerOperation,
];

/**
 * The hosted feature service admin endpoints clients use to shape a service, below
 * `rest/admin/services/<folder>/<name>/FeatureServer` (ArcGIS Online omits the folder; then the
 * Hosted folder is meant): addToDefinition, deleteFromDefinition, updateDefinition, per service
 * and per layer, plus `rest/admin/services/<folder>/<name>.FeatureServer/delete`.
 */
export async function adminRoutes(app: FastifyInstance, deps: FeatureDeps): Promise<void> {
  for (const prefix of ['/rest/admin/services/:folder/:service/FeatureServer', '/rest/admin/services/:service/FeatureServer']) {
    for (const operation of OPERATIONS) {
      app.route({ method: READ_METHODS, url: `${prefix}${operation.path}`, handler: (request, reply) => operation.handle(request, reply, deps) });
    }
  }
  for (const url of ['/rest/admin/services/:folder/:serviceType/delete', '/rest/admin/services/:serviceType/delete']) {
    app.route({ method: READ_METHODS, url, handler: (request, reply) => deleteServiceHandler(request, reply, deps) });
  }
}
