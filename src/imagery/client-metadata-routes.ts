import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.js';
import { ApiError } from '../errors.js';
import { sendResource } from '../http/respond.js';
import { buildLegend } from './render/legend.js';
import { parseRenderingRule, RASTER_FUNCTION_INFOS } from './render/raster-functions/rendering-rule.js';
import { loadRenderTarget, type Capability, type RenderTarget } from './render/render-target.js';
import { catalogStoreFor } from './store/open-catalog-store.js';

/**
 * The ImageServer resources clients read while loading a layer, beside the service JSON: the
 * ArcGIS Maps SDK for JavaScript asks `rasterFunctionInfos` before anything draws, and
 * `rasterAttributeTable` / `multiDimensionalInfo` when the service JSON says they exist, and the
 * Legend widget asks `legend`. Answers
 * follow the ArcGIS REST reference (functionType 0 = mosaic-level template); a collection has
 * no attribute table and no dimensions, which ArcGIS reports as an error on those two.
 */
export async function clientMetadataRoutes(app: FastifyInstance, context: AppContext): Promise<void> {
  const catalog = catalogStoreFor(context.config);
  const target = (request: FastifyRequest, needs: Capability[]): Promise<RenderTarget> => {
    const { folder = '', name } = request.params as { folder?: string; name: string };
    return loadRenderTarget(context.stores.services, catalog, request.arcgis.principal, { folder, name }, needs);
  };

  const rasterFunctionInfos = async (request: FastifyRequest, reply: FastifyReply) => {
    await target(request, ['Image']);
    const body = { rasterFunctionInfos: RASTER_FUNCTION_INFOS.map((info) => ({ ...info, functionType: 0 })) };
    return sendResource(request, reply, body, { title: 'Raster Function Infos' });
  };

  const rasterAttributeTable = async (request: FastifyRequest) => {
    const { service } = await target(request, ['Image']);
    throw new ApiError(400, 'Unable to complete operation.', [`'${service.name}' has no raster attribute table.`]);
  };

  const multiDimensionalInfo = async (request: FastifyRequest) => {
    const { service } = await target(request, ['Image']);
    throw new ApiError(400, 'Unable to complete operation.', [`'${service.name}' has no multidimensional information.`]);
  };

  const legend = async (request: FastifyRequest, reply: FastifyReply) => {
    const { collection, service } = await target(request, ['Image']);
    const params = request.arcgis.params;
    const bandIds = params.list('bandIds')?.map(Number);
    if (bandIds?.some((id) => !Number.isInteger(id) || id < 0 || id >= collection.summary.bandCount)) throw ApiError.invalidParameter("'bandIds' parameter is invalid");
    const body = await buildLegend(collection, { bandIds, rule: parseRenderingRule(params.json('renderingRule')) });
    return sendResource(request, reply, body, { title: `Legend: ${service.name}` });
  };

  for (const prefix of ['/rest/services/:folder/:name/ImageServer', '/rest/services/:name/ImageServer']) {
    const methods: Array<'GET' | 'POST'> = ['GET', 'POST'];
    app.route({ method: methods, url: `${prefix}/rasterFunctionInfos`, handler: rasterFunctionInfos });
    app.route({ method: methods, url: `${prefix}/rasterAttributeTable`, handler: rasterAttributeTable });
    app.route({ method: methods, url: `${prefix}/multiDimensionalInfo`, handler: multiDimensionalInfo });
    app.route({ method: methods, url: `${prefix}/legend`, handler: legend });
  }
}
