import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../auth/principal.js';
import { ApiError } from '../errors.js';
import { requireAdmin, requirePost } from '../http/guards.js';

/**
 * Every admin endpoint wants an administrator (499 without a token, 498 for a bad one — raised
 * while decoding — and 403 for anyone else). Operations that change things are POST only, and a
 * POST must carry its token in the body, never only in the URL (the documented admin rule).
 */
export function authorizeAdmin(request: FastifyRequest, access: 'read' | 'write'): Principal {
  if (access === 'write') requirePost(request);
  const principal = requireAdmin(request);
  if (request.method === 'POST' && principal.tokenSource === 'parameter-query') {
    throw new ApiError(403, 'Token must be sent in the request body.', [
      'POST requests to the administrator API must carry the token in the request body, not in the URL.',
    ]);
  }
  return principal;
}

/**
 * An admin endpoint, behind `authorizeAdmin`. Write operations take GET too, so that the guard
 * refuses it in the admin shape (405) rather than the router with a 404.
 */
export function adminRoute(
  scope: FastifyInstance,
  access: 'read' | 'write',
  url: string,
  handler: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>,
  /** Operations whose reference says "The default response format is html". */
  htmlByDefault = false,
): void {
  scope.route({
    method: ['GET', 'POST'],
    url,
    config: htmlByDefault ? { defaultFormat: 'html' } : {},
    handler: async (request, reply) => {
      authorizeAdmin(request, access);
      return handler(request, reply);
    },
  });
}
