import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.js';
import { contentRoutes } from './content-routes.js';
import { itemRoutes } from './item-routes.js';
import { selfRoutes } from './self-routes.js';
import { userItemRoutes } from './user-item-routes.js';

/** Portal items, folders, users and search under `/sharing/rest`. */
export async function portalRoutes(app: FastifyInstance, context: AppContext): Promise<void> {
  await selfRoutes(app, context);
  await contentRoutes(app, context);
  await userItemRoutes(app, context);
  await itemRoutes(app, context);
}
