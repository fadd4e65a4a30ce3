import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { publicBaseUrl } from '../http/base-url.js';
import { confirmedRead } from '../http/confirmed-read.js';
import { ApiError } from '../errors.js';
import { formatOf, sendResource } from '../http/respond.js';
import { queryResultBody } from './encoders/esri-json.js';
import type { FeatureDeps } from './feature-deps.js';
import { layerPage, queryPage, servicePage } from './feature-pages.js';
import { buildLayerJson, buildServiceJson } from './layer-info.js';
import { layerModelOf } from './layer-model.js';
import { encodeQueryAnswer, sendQueryAnswer } from './query-answer.js';
import { answerKeyOf, etagOf } from './query-answer-cache.js';
import { readFeatureRequest, readQueryRequest, type QueryRequest } from './query-request.js';
import {
  READ_METHODS,
  requireCapability,
  resolveRequestLayer,
  resolveRequestService,
  SERVICE_BASES,
} from './routes-common.js';
import { runQuery, type QueryResult } from './run-query.js';
import type { ResolvedService } from './service-access.js';
import { allLayers, type LayerDefinition } from './service-definition.js';

const WGS84 = { wkid: 4326 };

/** Read side of a FeatureServer: service root, layers, layer JSON, query, one feature. */
export async function serviceRoutes(app: FastifyInstance, deps: FeatureDeps): Promise<void> {
  const base = (request: FastifyRequest) => publicBaseUrl(deps.config, request);

  const serviceRoot = async (request: FastifyRequest, reply: FastifyReply) => {
    const service = await resolveRequestService(deps, request);
    return sendResource(request, reply, await buildServiceJson(deps.features, service, request.arcgis.signal), servicePage(base(request), service));
  };

  const layers = async (request: FastifyRequest, reply: FastifyReply) => {
    const service = await resolveRequestService(deps, request);
    const all = await Promise.all(allLayers(service.definition).map((l) => buildLayerJson(deps.features, service, l, request.arcgis.signal)));
    const body = { layers: all.filter((l) => l.type !== 'Table'), tables: all.filter((l) => l.type === 'Table') };
    return sendResource(request, reply, body, { ...servicePage(base(request), service), title: `${service.record.name}: layers` });
  };

  const layer = async (request: FastifyRequest, reply: FastifyReply) => {
    const service = await resolveRequestService(deps, request);
    const definition = resolveRequestLayer(service, request);
    return sendResource(request, reply, await buildLayerJson(deps.features, service, definition, request.arcgis.signal), layerPage(base(request), service, definition));
  };

  /** How a query is answered, worked out before anything is sent (see confirmedRead). */
  const answerQuery = async (request: FastifyRequest): Promise<(reply: FastifyReply) => FastifyReply> => {
    const service = await resolveRequestService(deps, request);
    const definition = resolveRequestLayer(service, request);
    requireCapability(service, definition, 'Query');
    const format = formatOf(request);
    const params = request.arcgis.params;
    const token = params.string('token');
    // The bare query page (only f and token given) shows the form, as the ArcGIS directory does.
    if (format === 'html' && params.entries().every(([key]) => key === 'f' || key === 'token')) {
      return (reply) => sendResource(request, reply, {}, queryPage(base(request), service, definition, token));
    }
    // Read before the query runs: an edit landing in between can only file a newer answer under an older key.
    const key = format === 'html' ? undefined : await answerKey(deps, request, service, definition, format);
    const hit = key ? deps.answers?.get(key) : undefined;
    if (hit) return (reply) => sendQueryAnswer(request, reply, hit);
    const queryRequest = readQueryRequest(params, layerModelOf(service.definition, definition));
    const result = await runLayerQuery(deps, request, service, definition, queryRequest, format);
    if (format === 'html') return (reply) => sendResource(request, reply, {}, queryPage(base(request), service, definition, token, queryResultBody(result)));
    const answer = encodeQueryAnswer(request, result, format);
    if (!key || !deps.answers) return (reply) => sendQueryAnswer(request, reply, answer);
    // The key names the definition revision and data version the answer was made from: true
    // whatever the catalog version turns out to be.
    const kept = { ...answer, etag: etagOf(key) };
    deps.answers.set(key, kept);
    return (reply) => sendQueryAnswer(request, reply, kept);
  };

  const query = async (request: FastifyRequest, reply: FastifyReply) => (await confirmedRead(request, () => answerQuery(request)))(reply);

  const answerFeature = async (request: FastifyRequest): Promise<(reply: FastifyReply) => FastifyReply> => {
    const service = await resolveRequestService(deps, request);
    const definition = resolveRequestLayer(service, request);
    requireCapability(service, definition, 'Query');
    const objectId = Number((request.params as { objectId: string }).objectId);
    if (!Number.isSafeInteger(objectId)) throw ApiError.invalidUrl();
    const queryRequest = readFeatureRequest(request.arcgis.params, layerModelOf(service.definition, definition), objectId);
    const result = await runLayerQuery(deps, request, service, definition, queryRequest, 'json');
    const body = queryResultBody(result) as { features: unknown[] };
    if (body.features.length === 0) throw new ApiError(404, 'Feature not found.', [`Feature ${objectId} does not exist.`]);
    return (reply) => sendResource(request, reply, { feature: body.features[0] }, { ...layerPage(base(request), service, definition), title: `Feature ${objectId}` });
  };

  const feature = async (request: FastifyRequest, reply: FastifyReply) => (await confirmedRead(request, () => answerFeature(request)))(reply);

  for (const prefix of SERVICE_BASES) {
    app.route({ method: READ_METHODS, url: prefix, handler: serviceRoot });
    app.route({ method: READ_METHODS, url: `${prefix}/layers`, handler: layers });
    app.route({ method: READ_METHODS, url: `${prefix}/:layerId`, handler: layer });
    // Read-only and redone when the catalog moved: they need not wait for its version (see confirmedRead).
    app.route({ method: READ_METHODS, url: `${prefix}/:layerId/query`, handler: query, config: { speculativeCatalog: true } });
    app.route({ method: READ_METHODS, url: `${prefix}/:layerId/:objectId`, handler: feature, config: { speculativeCatalog: true } });
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
      ...(format === 'json' ? { featureJson: true } : {}),
      signal: request.arcgis.signal,
    },
    queryRequest,
  );
}

/** The answer cache's key for this query, when the store versions its data and the answer does not depend on the clock. */
async function answerKey(deps: FeatureDeps, request: FastifyRequest, service: ResolvedService, layer: LayerDefinition, format: string): Promise<string | undefined> {
  if (!deps.answers || !deps.features.dataVersion) return undefined;
  const dataset = service.definition.dataset;
  return answerKeyOf({
    dataset,
    layerId: layer.id,
    revision: service.definition.revision,
    dataVersion: await deps.features.dataVersion(dataset, request.arcgis.signal),
    format,
    params: request.arcgis.params,
    username: request.arcgis.principal?.username,
  });
}
