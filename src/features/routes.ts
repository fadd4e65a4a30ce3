import type { FastifyInstance } from 'fastify';
import { featureItemHooks } from './item-lifecycle.js';
import type { AppContext } from '../context.js';
import { adminRoutes } from './admin-routes.js';
import { editRoutes } from './edit-routes.js';
import { ensureFeatureStore } from './feature-deps.js';
import { publishRoutes } from './publish-routes.js';
import { serviceRoutes } from './service-routes.js';

/** Hosted feature services: FeatureServer resources, edits, their admin endpoints, createService and publish. */
export async function featureRoutes(app: FastifyInstance, context: AppContext): Promise<void> {
  const deps = ensureFeatureStore(context);
  context.itemHooks.push(featureItemHooks(context));
  await serviceRoutes(app, deps);
  await editRoutes(app, deps);
  await adminRoutes(app, deps);
  await publishRoutes(app, context, deps);
}
