import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { publicBaseUrl } from '../http/base-url.js';
import { ApiError } from '../http/errors.js';
import { formatOf, sendResource } from '../http/respond.js';
import { encodeFeatureSetJson, queryResultBody } from './encoders/esri-json.js';
import { toGeoJson, toPbfResult } from './encoders/feature-objects.js';
import { encodeFeatureCollectionPbf } from './encoders/pbf/encode-feature-collection-pbf.js';
import type { FeatureDeps } from './feature-deps.js';
import { layerPage, queryPage, servicePage } from './feature-pages.js';
import { buildLayerJson, buildServiceJson } from './layer-info.js';
import { layerModelOf } from './layer-model.js';
import { readFeatureRequest, readQueryRequest, type QueryRequest } from './query-request.js';
import {
  handle,
  READ_METHODS,
  requireCapability,
  resolveRequestLayer,
  resolveRequestService,
  SERVICE_BASES,
  sendJsonText,
} from './routes-common.js';
import { runQuery, type QueryResult } from './run-query.js';
import type { ResolvedService } from './service-access.js';
import { allLayers, type LayerDefinition } from './service-definition.js';

const WGS84 = { wkid: 4326 };

/** Read side of a FeatureServer: service root, layers, layer JSON, query, one feature. */
export async function serviceRoutes(app: FastifyInstance, deps: FeatureDeps): Promise<void> {
  const base = (request: FastifyRequest) => publicBaseUrl(deps.config, request);

  const serviceRoot = handle(async (request, reply) => {
    const service = await resolveRequestService(deps, request);
    return sendResource(request, reply, await buildServiceJson(deps.features, service), servicePage(base(request), service));
  });

  const layers = handle(async (request, reply) => {
    const service = await resolveRequestService(deps, request);
    const all = await Promise.all(allLayers(service.definition).map((l) => buildLayerJson(deps.features, service, l)));
    const body = { layers: all.filter((l) => l.type !== 'Table'), tables: all.filter((l) => l.type === 'Table') };
    return sendResource(request, reply, body, { ...servicePage(base(request), service), title: `${service.record.name}: layers` });
  });

  const layer = handle(async (request, reply) => {
    const service = await resolveRequestService(deps, request);
    const definition = resolveRequestLayer(service, request);
    return sendResource(request, reply, await buildLayerJson(deps.features, service, definition), layerPage(base(request), service, definition));
  });

  const query = handle(async (request, reply) => {
    const service = await resolveRequestService(deps, request);
    const definition = resolveRequestLayer(service, request);
    requireCapability(service, definition, 'Query');
    const format = formatOf(request);
    const params = request.arcgis.params;
    const token = params.string('token');
    // The bare query page (only f and token given) shows the form, as the ArcGIS directory does.
    if (format === 'html' && params.entries().every(([key]) => key === 'f' || key === 'token')) {
      return sendResource(request, reply, {}, queryPage(base(request), service, definition, token));
    }
    const model = layerModelOf(service.definition, definition);
    const queryRequest = readQueryRequest(params, model);
    const result = await runLayerQuery(deps, request, service, definition, queryRequest, format);
    if (format === 'html') return sendResource(request, reply, {}, queryPage(base(request), service, definition, token, queryResultBody(result)));
    return sendQueryResult(request, reply, result, format);
  });

  const feature = handle(async (request, reply) => {
    const service = await resolveRequestService(deps, request);
    const definition = resolveRequestLayer(service, request);
    requireCapability(service, definition, 'Query');
    const objectId = Number((request.params as { objectId: string }).objectId);
    if (!Number.isSafeInteger(objectId)) throw ApiError.invalidUrl();
    const queryRequest = readFeatureRequest(request.arcgis.params, layerModelOf(service.definition, definition), objectId);
    const result = await runLayerQuery(deps, request, service, definition, queryRequest, 'json');
    const body = queryResultBody(result) as { features: unknown[] };
    if (body.features.length === 0) throw new ApiError(404, 'Feature not found.', [`Feature ${objectId} does not exist.`]);
    return sendResource(request, reply, { feature: body.features[0] }, { ...layerPage(base(request), service, definition), title: `Feature ${objectId}` });
  });

  for (const prefix of SERVICE_BASES) {
    app.route({ method: READ_METHODS, url: prefix, handler: serviceRoot });
    app.route({ method: READ_METHODS, url: `${prefix}/layers`, handler: layers });
    app.route({ method: READ_METHODS, url: `${prefix}/:layerId`, handler: layer });
    app.route({ method: READ_METHODS, url: `${prefix}/:layerId/query`, handler: query });
    app.route({ method: READ_METHODS, url: `${prefix}/:layerId/:objectId`, handler: feature });
  }
}

function runLayerQuery(
  deps: FeatureDeps,
  request: FastifyRequest,
  service: ResolvedService,
  layer: LayerDefinition,
  queryRequest: QueryRequest,
  format: string,
): Promise<QueryResult> {
  const principal = request.arcgis.principal;
  return runQuery(
    {
      store: deps.features,
      dataset: service.definition.dataset,
      model: layerModelOf(service.definition, layer),
      maxRecordCount: service.definition.maxRecordCount,
      ...(principal ? { username: principal.username } : {}),
      ...(format === 'geojson' ? { defaultOutSR: WGS84 } : {}),
    },
    queryRequest,
  );
}

/** json (fast text encoder), pjson, geojson or pbf; anything else is a 400. */
function sendQueryResult(request: FastifyRequest, reply: FastifyReply, result: QueryResult, format: string): FastifyReply {
  switch (format) {
    case 'json':
      return sendJsonText(request, reply, result.kind === 'features' ? encodeFeatureSetJson(result) : JSON.stringify(queryResultBody(result)));
    case 'pjson':
      return sendJsonText(request, reply, JSON.stringify(queryResultBody(result), null, 2));
    case 'geojson':
      return reply.type('application/geo+json; charset=utf-8').send(JSON.stringify(toGeoJson(result) ?? queryResultBody(result)));
    case 'pbf': {
      const pbf = toPbfResult(result);
      if (!pbf) throw ApiError.invalidParameter(`'f' parameter is invalid: pbf is not supported for this kind of query`);
      const quantizationParameters = request.arcgis.params.json<never>('quantizationParameters');
      let bytes: Uint8Array;
      try {
        bytes = encodeFeatureCollectionPbf(pbf, quantizationParameters ? { quantizationParameters } : {});
      } catch (error) {
        // The encoder's way of saying the requested tolerance cannot cover the data's extent.
        if (error instanceof RangeError) throw ApiError.invalidParameter(`'quantizationParameters' parameter is invalid: ${error.message}`);
        throw error;
      }
      return reply.type('application/x-protobuf').send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    }
    default:
      throw ApiError.invalidParameter(`'f' parameter is invalid: format '${format}' is not supported by this resource`);
  }
}
