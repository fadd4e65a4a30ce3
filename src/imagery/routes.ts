import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { renderServiceInfo } from './render/render-service-info.js';
import { imageryItemHooks } from './item-lifecycle.js';
import { findVisibleService } from '../catalog/service-access.js';
import type { AppContext } from '../context.js';
import { publicBaseUrl } from '../http/base-url.js';
import { ApiError } from '../errors.js';
import { formatOf, sendJson, sendResource } from '../http/respond.js';
import type { ServiceRecord } from '../store/service-store.js';
import { readCatalogQuery } from './catalog-query.js';
import { runCatalogQuery } from './catalog-query-result.js';
import { clientMetadataRoutes } from './client-metadata-routes.js';
import { parseRenderingRule } from './render/raster-functions/rendering-rule.js';
import { ruleOutput, ruleServiceInfo } from './render/rule-output.js';
import { requestRuleRasters } from './render/rule-rasters.js';
import { imageServiceDefinition } from './image-service-definition.js';
import { collectionKeyProperties } from './key-properties.js';
import { catalogItemPage, queryPage, servicePage } from './image-service-pages.js';
import { servicePreview } from './service-preview.js';
import { buildServiceInfo, MAX_RECORD_COUNT } from './service-info.js';
import type { CollectionRecord } from './store/catalog-store.js';
import { catalogStoreFor } from './store/open-catalog-store.js';

interface ServiceParams {
  folder?: string;
  name: string;
  rasterId?: string;
}

/**
 * Image collections as ImageServer resources (ArcGIS Image Service): service info, the catalog
 * `query`, one catalog item, `keyProperties` (the admin data-store endpoints are in data-store-routes.ts). Rendering
 * operations (exportImage, identify, …) are another capability's.
 */
export async function imageryRoutes(app: FastifyInstance, context: AppContext): Promise<void> {
  const catalog = catalogStoreFor(context.config);
  context.onClose.push(() => catalog.close());
  context.itemHooks.push(imageryItemHooks(context, catalog));
  await clientMetadataRoutes(app, context);

  const resolve = async (request: FastifyRequest): Promise<{ service: ServiceRecord; collection: CollectionRecord; url: string }> => {
    const { folder = '', name } = request.params as ServiceParams;
    const service = await findVisibleService(context.stores.services, request.arcgis.principal, folder, name, 'ImageServer');
    const id = imageServiceDefinition(service).collectionId;
    const collection = id ? await catalog.getCollection(id) : undefined;
    // A service the portal created before its collection job finished has nothing to serve yet.
    if (!collection) throw new ApiError(404, 'Service not found', [`Image service '${name}' has no image collection yet.`]);
    const base = publicBaseUrl(context.config, request);
    return { service, collection, url: `${base}/rest/services/${service.folder ? `${service.folder}/` : ''}${service.name}/ImageServer` };
  };

  const info = async (request: FastifyRequest, reply: FastifyReply) => {
    const { service, collection, url } = await resolve(request);
    const base = publicBaseUrl(context.config, request);
    const page = { ...servicePage(base, url, service), map: servicePreview(base, url, collection) };
    // The SDK reads the service JSON again with the rule it switched to: describe the rule's output.
    const rule = parseRenderingRule(request.arcgis.params.json('renderingRule'));
    const ruled = rule ? ruleServiceInfo(await ruleOutput(catalog, collection, rule, requestRuleRasters(context, catalog, request))) : {};
    return sendResource(request, reply, { ...buildServiceInfo(service, collection), ...renderServiceInfo(collection), ...ruled }, page);
  };

  const query = async (request: FastifyRequest, reply: FastifyReply) => {
    const { service, collection, url } = await resolve(request);
    const format = formatOf(request);
    const params = request.arcgis.params;
    if (format === 'html' && !params.has('where') && !params.has('objectIds') && !params.has('geometry')) {
      return sendResource(request, reply, {}, queryPage(url, service, undefined));
    }
    const parsed = readCatalogQuery(params, collection, MAX_RECORD_COUNT, catalog.dialect);
    const body = await runCatalogQuery(catalog, collection, parsed, format === 'geojson' ? 'geojson' : 'json', request.arcgis.signal);
    if (format === 'geojson') return sendJson(request, reply, body);
    return sendResource(request, reply, body, queryPage(url, service, body));
  };

  const keyProperties = async (request: FastifyRequest, reply: FastifyReply) => {
    const { collection } = await resolve(request);
    const rule = parseRenderingRule(request.arcgis.params.json('renderingRule'));
    const body = await collectionKeyProperties(catalog, collection, rule, request.arcgis.signal, requestRuleRasters(context, catalog, request));
    return sendResource(request, reply, body, { title: 'Key Properties' });
  };

  const catalogItem = async (request: FastifyRequest, reply: FastifyReply) => {
    const { service, collection, url } = await resolve(request);
    const raw = (request.params as ServiceParams).rasterId ?? '';
    if (!/^\d+$/.test(raw)) throw ApiError.invalidUrl();
    const [row] = await catalog.queryItems(collection.id, { objectIds: [Number(raw)], returnGeometry: false }, request.arcgis.signal);
    if (!row) throw new ApiError(404, 'Raster not found', [`Raster ${raw} does not exist in '${service.name}'.`]);
    const body = { attributes: row.fields, bbox: row.bbox, rasterInfo: { width: row.raster.width, height: row.raster.height, bandCount: row.raster.bandCount, pixelType: row.raster.pixelType } };
    return sendResource(request, reply, body, catalogItemPage(url, service, row.objectId));
  };

  for (const prefix of ['/rest/services/:folder/:name/ImageServer', '/rest/services/:name/ImageServer']) {
    const methods: Array<'GET' | 'POST'> = ['GET', 'POST'];
    app.route({ method: methods, url: prefix, handler: info });
    app.route({ method: methods, url: `${prefix}/query`, handler: query });
    app.route({ method: methods, url: `${prefix}/keyProperties`, handler: keyProperties });
    app.route({ method: methods, url: `${prefix}/:rasterId`, handler: catalogItem });
  }
}
