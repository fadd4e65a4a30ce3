import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.js';

/** Portal items, folders, users and search under `/sharing/rest`. */
export async function portalRoutes(_app: FastifyInstance, _context: AppContext): Promise<void> {}
