import zlib from 'node:zlib';
import compress from '@fastify/compress';
import cors from '@fastify/cors';
import multipart from '@fastify/multipart';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { adminRoutes } from './admin/routes.js';
import { authRoutes } from './auth/routes.js';
import type { AppContext } from './context.js';
import { directoryRoutes } from './directory/routes.js';
import { featureRoutes } from './features/routes.js';
import { bodyLimitFor, trustedProxies } from './http/body-limits.js';
import { registerFormBody } from './http/form-body.js';
import { setCacheHeaders } from './http/cache-headers.js';
import { decodeRequest } from './http/decode-request.js';
import { removeUploads } from './http/multipart.js';
import { emptyRequestState } from './http/request-state.js';
import { recordRoutes } from './http/route-table.js';
import { errorHandlers, type ErrorShape } from './http/send-error.js';
import { dataStoreRoutes } from './imagery/data-store-routes.js';
import { imageRenderRoutes } from './imagery/render-routes.js';
import { imageryRoutes } from './imagery/routes.js';
import { gpRoutes } from './jobs/routes.js';
import { portalRoutes } from './portal/routes.js';
import { inFlight } from './in-flight.js';
import { isSelfRequest, markSelfRequest } from './net/self-requests.js';

/** A capability's routes; registered by `buildApp` as a Fastify plugin of its own. */
export type RoutePlugin = (app: FastifyInstance, context: AppContext) => Promise<void>;

/**
 * A capability: its routes, the path below the base path they live under, and the shape its
 * errors take. Each is its own Fastify plugin (encapsulated: hooks and error handler stay local).
 */
export interface Capability {
  routes: RoutePlugin;
  /** Below the base path; '' for capabilities whose resources sit in `rest/` and `sharing/rest/`. */
  prefix: string;
  errors: ErrorShape;
}

const rest = (routes: RoutePlugin): Capability => ({ routes, prefix: '', errors: 'rest' });

/** In registration order (features' and imagery's item hooks run in this order). */
const CAPABILITIES: Capability[] = [
  rest(directoryRoutes),
  rest(authRoutes),
  rest(portalRoutes),
  rest(gpRoutes),
  { routes: adminRoutes, prefix: '/admin', errors: 'admin' },
  // The data-store part of the Server Administrator API; imagery's, since uri inputs of raster tasks read from it.
  { routes: dataStoreRoutes, prefix: '/admin/data', errors: 'admin' },
  rest(featureRoutes),
  rest(imageryRoutes),
  rest(imageRenderRoutes),
];

export async function buildApp(context: AppContext, extraRoutes: RoutePlugin[] = []): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: context.logger as FastifyBaseLogger,
    // One structured line per request comes from the onResponse hook below.
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy: trustedProxies(context.config.trustProxy),
    bodyLimit: context.config.limits.bodyMB * 1024 * 1024,
    routerOptions: { ignoreTrailingSlash: true, ignoreDuplicateSlashes: true, maxParamLength: 2000 },
  }) as unknown as FastifyInstance;
  await app.register(cors, { origin: true, credentials: true });
  // Level 1: most of the size win for a fraction of the CPU (a 1,000-feature page: ~1 ms, not ~6).
  await app.register(compress, {
    threshold: 1024,
    zlibOptions: { level: 1 },
    brotliOptions: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 1 } },
  });
  registerFormBody(app);
  recordRoutes(app);
  // Each route's body limit by what its operation needs (form and JSON bodies are held whole).
  app.addHook('onRoute', (route) => {
    route.bodyLimit ??= bodyLimitFor(route.url, context.config.limits);
  });
  await app.register(multipart, { limits: { fileSize: context.config.uploads.maxFileBytes, fields: 200, fieldSize: context.config.limits.editBodyMB * 1024 * 1024 } });

  app.decorateRequest('arcgis', null as never);
  app.addHook('onRequest', async (request, reply) => {
    const aborted = new AbortController();
    // This server's own GDAL reading one of its image services: its render takes no render slot.
    if (isSelfRequest(request.headers)) markSelfRequest(aborted.signal);
    countInFlight(reply);
    // The response closed before it was all written: the client went away, so stop its work.
    reply.raw.once('close', () => {
      if (!reply.raw.writableFinished) aborted.abort(new DOMException('The client closed the connection', 'AbortError'));
    });
    // Multipart requests authenticate while their upload streams in: they never speculate.
    const speculative = request.routeOptions.config?.speculativeCatalog === true && !request.isMultipart();
    request.arcgis = emptyRequestState(aborted.signal, context.stores.catalogReader({ speculative, signal: aborted.signal }));
  });
  app.addHook('preValidation', async (request) => decodeRequest(context, request));
  // Time spent in the server (standard Server-Timing, shown by browsers' developer tools; the
  // benches read it to tell server time from the client's).
  app.addHook('onSend', (_request, reply, payload, done) => {
    leaveInFlight(reply);
    reply.header('server-timing', `app;dur=${reply.elapsedTime.toFixed(2)}`);
    done(null, payload);
  });
  app.addHook('onSend', setCacheHeaders);
  app.addHook('onResponse', async (request, reply) => {
    if (request.arcgis?.uploads.length) await removeUploads(request.arcgis.uploads);
    request.log.info(
      { method: request.method, url: request.url.split('?')[0], status: reply.statusCode, ms: Math.round(reply.elapsedTime), user: request.arcgis?.principal?.username },
      'request',
    );
  });

  const root = errorHandlers(context, 'rest');
  app.setErrorHandler(root.onError);
  app.setNotFoundHandler(root.onNotFound);

  for (const capability of [...CAPABILITIES, ...extraRoutes.map(rest)]) {
    await app.register(
      async (scope) => {
        const handlers = errorHandlers(context, capability.errors);
        scope.setErrorHandler(handlers.onError);
        // Unknown paths below a prefix of its own answer in the capability's shape.
        if (capability.prefix) scope.setNotFoundHandler(handlers.onNotFound);
        await capability.routes(scope, context);
      },
      { prefix: `${context.config.basePath}${capability.prefix}` },
    );
  }
  return app;
}

const counted = new WeakSet<object>();

/**
 * Counts the request in flight (src/in-flight.ts) until its answer is being sent: a client whose
 * answer is written may ask again before the socket's write completes, and it is no other client.
 */
function countInFlight(reply: { raw: object & { once(event: 'close', listener: () => void): unknown } }): void {
  inFlight.enter();
  counted.add(reply.raw);
  reply.raw.once('close', () => leaveInFlight(reply));
}

function leaveInFlight(reply: { raw: object }): void {
  if (counted.delete(reply.raw)) inFlight.leave();
}
