import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../../errors.js';
import { requirePost } from '../../http/guards.js';
import { sendResource } from '../../http/respond.js';
import { HOSTED_FOLDER, type FeatureDeps } from '../feature-deps.js';
import { deleteHostedService } from '../hosted-services.js';
import { requireServiceManager, resolveFeatureService } from '../service-access.js';

/** `rest/admin/services/[<folder>/]<name>.FeatureServer/delete`: the service, its data and its item. */
export async function deleteServiceHandler(request: FastifyRequest, reply: FastifyReply, deps: FeatureDeps): Promise<FastifyReply> {
  requirePost(request);
  const params = request.params as { folder?: string; serviceType: string };
  const match = /^(.+)\.FeatureServer$/i.exec(params.serviceType);
  if (!match) throw ApiError.invalidUrl();
  const service = await resolveFeatureService(deps, params.folder ?? HOSTED_FOLDER, match[1]!, request.arcgis.principal, request.arcgis.catalog);
  requireServiceManager(service, request.arcgis.principal);
  await deleteHostedService(deps, service, { deleteItem: true });
  return sendResource(request, reply, { status: 'success' });
}
