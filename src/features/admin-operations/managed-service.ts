import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../../errors.js';
import { requirePost } from '../../http/guards.js';
import { param } from '../../http/operation-params.js';
import { sendResource } from '../../http/respond.js';
import { HOSTED_FOLDER, type FeatureDeps } from '../feature-deps.js';
import { withKeyedLock } from '../keyed-lock.js';
import { requireServiceManager, resolveFeatureService, type ResolvedService } from '../service-access.js';

export type Json = Record<string, unknown>;

/** One operation below `rest/admin/services/<folder>/<name>/FeatureServer`: its path and handler. */
export interface AdminOperation {
  path: string;
  handle(request: FastifyRequest, reply: FastifyReply, deps: FeatureDeps): Promise<FastifyReply>;
}

/** The service of an admin URL, which the caller must own (or administer). */
export async function resolveManaged(request: FastifyRequest, deps: FeatureDeps): Promise<ResolvedService> {
  const params = request.params as { folder?: string; service: string };
  const service = await resolveFeatureService(deps, params.folder ?? HOSTED_FOLDER, params.service, request.arcgis.principal, request.arcgis.catalog);
  requireServiceManager(service, request.arcgis.principal);
  return service;
}

/** A definition change for the URL's service: POST only, one at a time per service. */
export function changeOperation(path: string, work: (service: ResolvedService, request: FastifyRequest, deps: FeatureDeps) => Promise<unknown>): AdminOperation {
  return {
    path,
    async handle(request, reply, deps) {
      requirePost(request);
      const params = request.params as { folder?: string; service: string };
      const key = `${params.folder ?? HOSTED_FOLDER}/${params.service}`.toLowerCase();
      const body = await withKeyedLock(key, async () => work(await resolveManaged(request, deps), request, deps));
      return sendResource(request, reply, body);
    },
  };
}

/** A required parameter holding a JSON object (the definition change itself). */
export const jsonObjectParam = () =>
  param((params, name): Json => {
    const value = params.json<unknown>(name);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw ApiError.invalidParameter(`'${name}' parameter is required (a JSON object)`);
    return value as Json;
  }, { type: 'textarea' });
