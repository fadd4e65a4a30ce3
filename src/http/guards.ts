import type { FastifyRequest } from 'fastify';
import type { Principal } from '../auth/principal.js';
import type { Privilege } from '../auth/privileges.js';
import { ApiError } from '../errors.js';

/** The signed-in principal, or 499 Token Required. */
export function requireUser(request: FastifyRequest): Principal {
  const principal = request.arcgis.principal;
  if (!principal) throw ApiError.tokenRequired();
  return principal;
}

export function requireAdmin(request: FastifyRequest): Principal {
  const principal = requireUser(request);
  if (!principal.isAdmin) throw ApiError.forbidden();
  return principal;
}

export function requirePrivilege(request: FastifyRequest, privilege: Privilege): Principal {
  const principal = requireUser(request);
  if (!principal.privileges.includes(privilege)) throw ApiError.forbidden();
  return principal;
}

/** The user itself or an administrator; 403 otherwise. */
export function requireSelfOrAdmin(request: FastifyRequest, username: string): Principal {
  const principal = requireUser(request);
  if (!principal.isAdmin && principal.username.toLowerCase() !== username.toLowerCase()) throw ApiError.forbidden();
  return principal;
}

/** Edits, admin operations and generateToken are POST only. */
export function requirePost(request: FastifyRequest): void {
  if (request.method !== 'POST') throw ApiError.methodNotAllowed(request.method);
}
