import { stat } from 'node:fs/promises';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.js';
import { publicBaseUrl } from '../http/base-url.js';
import { ApiError } from '../errors.js';
import { requirePost, requirePrivilege } from '../http/guards.js';
import type { Params } from '../params.js';
import { sendResource } from '../http/respond.js';
import { resolveOwnerFolder } from '../portal/content-routes.js';
import { itemDataPath, resolveManagedItem } from '../portal/item-service.js';
import { createEmptyImageService } from '../imagery/create-image-service.js';
import type { FeatureDeps } from './feature-deps.js';
import { createHostedService, type CreatedService } from './hosted-services.js';
import { publishFile } from './publish/publish-file.js';
import { PublishJobs } from './publish/publish-jobs.js';
import type { SourceFormat } from './publish/vector-source.js';
import { READ_METHODS } from './routes-common.js';

const FILE_TYPES: Record<string, SourceFormat> = {
  geojson: 'geojson',
  csv: 'csv',
  shapefile: 'shapefile',
  geopackage: 'geopackage',
  gpkg: 'geopackage',
};

/** What createService and publish answer for a new service, as ArcGIS Online writes it. */
function serviceJson(created: CreatedService): Record<string, unknown> {
  return {
    encodedServiceURL: encodeURI(created.url),
    itemId: created.item.id,
    name: created.record.name,
    serviceItemId: created.item.id,
    serviceurl: created.url,
    size: -1,
    success: true,
    type: 'Feature Service',
    typeKeywords: created.item.typeKeywords,
    isView: false,
  };
}

/**
 * Portal operations that make hosted feature services: `content/users/<user>[/<folder>]/createService`
 * (an empty service, layers follow through addToDefinition) and `…/publish` (a new service from
 * an uploaded GeoJSON, CSV, zipped Shapefile or GeoPackage item). Files up to `limits.publishSyncMB`
 * publish before the answer (the job id reports `completed` at `items/<id>/status`); larger ones
 * as a job (PublishJobs).
 */
export async function publishRoutes(app: FastifyInstance, context: AppContext, deps: FeatureDeps): Promise<void> {
  const publishJobs = new PublishJobs(context.stores.publishJobs);
  const start = async (request: FastifyRequest) => {
    requirePost(request);
    const { owner, folder } = await resolveOwnerFolder(context, request);
    requirePrivilege(request, 'portal:publisher:publishFeatures');
    return { owner: owner.username, folderId: folder?.id ?? null, baseUrl: publicBaseUrl(context.config, request) };
  };

  const createService = async (request: FastifyRequest, reply: FastifyReply) => {
    const { owner, folderId, baseUrl } = await start(request);
    const params = request.arcgis.params;
    const parameters = params.json<unknown>('createParameters');
    if (typeof parameters !== 'object' || parameters === null || Array.isArray(parameters)) {
      throw ApiError.invalidParameter("'createParameters' parameter is required (a JSON object)");
    }
    const outputType = params.string('outputType')?.toLowerCase();
    if (outputType === 'imageservice') {
      requirePrivilege(request, 'portal:publisher:publishImagery');
      const image = await createEmptyImageService(context, { owner, folderId, baseUrl, parameters: parameters as Record<string, unknown>, ...itemExtras(params) });
      return sendResource(request, reply, {
        encodedServiceURL: encodeURI(image.url),
        itemId: image.itemId,
        name: image.name,
        serviceItemId: image.itemId,
        serviceurl: image.url,
        size: -1,
        success: true,
        type: 'Image Service',
        typeKeywords: image.typeKeywords,
        isView: false,
      });
    }
    if (outputType && outputType !== 'featureservice') throw ApiError.invalidParameter(`'outputType' '${params.string('outputType')}' is not supported: use featureService or imageService`);
    const created = await createHostedService(deps, { owner, folderId, baseUrl, parameters: parameters as Record<string, unknown>, ...itemExtras(params) });
    return sendResource(request, reply, serviceJson(created));
  };

  const publish = async (request: FastifyRequest, reply: FastifyReply) => {
    const { owner, folderId, baseUrl } = await start(request);
    const params = request.arcgis.params;
    const item = await resolveManagedItem(context.stores, params.required('itemId'), request.arcgis.principal);
    const file = itemDataPath(context.config, item);
    if (!file) throw ApiError.invalidParameter('The item has no file to publish.');
    const format = FILE_TYPES[(params.string('filetype') ?? params.string('fileType') ?? '').toLowerCase()];
    if (!format) throw ApiError.invalidParameter("'filetype' parameter is invalid: use geojson, csv, shapefile or geoPackage");
    const publishParameters = (params.json<Record<string, unknown>>('publishParameters') ?? {}) as Record<string, unknown>;
    const name = typeof publishParameters.name === 'string' && publishParameters.name.trim() ? publishParameters.name : item.title;
    const location = {
      ...(typeof publishParameters.longitudeFieldName === 'string' ? { x: publishParameters.longitudeFieldName } : {}),
      ...(typeof publishParameters.latitudeFieldName === 'string' ? { y: publishParameters.latitudeFieldName } : {}),
    };
    const input = { owner, folderId, baseUrl, file, format, name, location, title: name, ...itemExtras(params) };
    // Large files publish as a job, as on ArcGIS Online: the service is answered at once and its
    // status (items/<id>/status?jobId=) says processing until the features are in.
    if ((await stat(file)).size > context.config.limits.publishSyncMB * 1024 * 1024) {
      const { created, jobId } = await publishJobs.start((onCreated) => publishFile(deps, { ...input, onCreated }));
      return sendResource(request, reply, { services: [{ ...serviceJson(created), jobId, status: 'processing' }] });
    }
    const created = await publishFile(deps, input);
    const jobId = await publishJobs.completed(created.item.id);
    return sendResource(request, reply, { services: [{ ...serviceJson(created), jobId, status: 'completed' }] });
  };

  for (const base of ['/sharing/rest/content/users/:username', '/sharing/rest/content/users/:username/:folder']) {
    app.route({ method: READ_METHODS, url: `${base}/createService`, handler: createService });
    app.route({ method: READ_METHODS, url: `${base}/publish`, handler: publish });
    const status = `${base}/items/:itemId/status`;
    // A job id of another item, or none, reads as completed: the item exists and its publish ended.
    if (!app.hasRoute({ method: 'GET', url: status })) {
      app.route({
        method: READ_METHODS,
        url: status,
        handler: async (request: FastifyRequest, reply: FastifyReply) => {
          const { itemId } = request.params as { itemId: string };
          await resolveManagedItem(context.stores, itemId, request.arcgis.principal);
          const job = await publishJobs.get(request.arcgis.params.string('jobId') ?? '');
          if (job && job.itemId === itemId) return sendResource(request, reply, { ...job });
          return sendResource(request, reply, { status: 'completed', statusMessage: 'completed', itemId });
        },
      });
    }
  }
}

/** Item title and tags when the client sends them beside the service parameters. */
function itemExtras(params: Params): { title?: string; tags?: string[] } {
  const extras: { title?: string; tags?: string[] } = {};
  const title = params.string('title');
  if (title) extras.title = title;
  const tags = params.list('tags');
  if (tags) extras.tags = tags;
  return extras;
}
