import zlib from 'node:zlib';
import compress from '@fastify/compress';
import cors from '@fastify/cors';
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { adminRoutes } from '../admin/routes.js';
import { authRoutes } from '../auth/routes.js';
import type { AppContext } from '../context.js';
import { directoryRoutes } from '../directory/routes.js';
import { featureRoutes } from '../features/routes.js';
import { imageryRoutes } from '../imagery/routes.js';
import { imageRenderRoutes } from '../imagery/render-routes.js';
import { gpRoutes } from '../jobs/routes.js';
import { portalRoutes } from '../portal/routes.js';
import { setCacheHeaders } from './cache-headers.js';
import { decodeRequest } from './decode-request.js';
import { ApiError, toErrorEnvelope } from './errors.js';
import { removeUploads } from './multipart.js';
import { emptyRequestState } from './request-state.js';
import { formatOf } from './respond.js';
import { renderPage } from '../directory/html.js';

/** Capability plugins, registered below the base path. Each owns its prefix, hooks and errors. */
export type RoutePlugin = (app: FastifyInstance, context: AppContext) => Promise<void>;

const CAPABILITY_ROUTES: RoutePlugin[] = [directoryRoutes, authRoutes, portalRoutes, gpRoutes, adminRoutes, featureRoutes, imageryRoutes, imageRenderRoutes];

export async function buildApp(context: AppContext, extraRoutes: RoutePlugin[] = []): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: context.logger as FastifyBaseLogger,
    // One structured line per request comes from the onResponse hook below.
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy: true,
    bodyLimit: 512 * 1024 * 1024,
    routerOptions: { ignoreTrailingSlash: true, ignoreDuplicateSlashes: true, maxParamLength: 2000 },
  }) as unknown as FastifyInstance;
  await app.register(cors, { origin: true, credentials: true });
  // Level 1: most of the size win for a fraction of the CPU (a 1,000-feature page: ~1 ms, not ~6).
  await app.register(compress, {
    threshold: 1024,
    zlibOptions: { level: 1 },
    brotliOptions: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 1 } },
  });
  await app.register(formbody, { bodyLimit: 512 * 1024 * 1024 });
  await app.register(multipart, { limits: { fileSize: context.config.uploads.maxFileBytes, fields: 200, fieldSize: 64 * 1024 * 1024 } });

  app.decorateRequest('arcgis', null as never);
  app.addHook('onRequest', async (request) => {
    request.arcgis = emptyRequestState();
  });
  app.addHook('preValidation', async (request) => decodeRequest(context, request));
  // Time spent in the server (standard Server-Timing, shown by browsers' developer tools; the
  // benches read it to tell server time from the client's).
  app.addHook('onSend', (_request, reply, payload, done) => {
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

  app.setErrorHandler((error, request, reply) => sendError(context, request, reply, toApiError(error as Error, request)));
  app.setNotFoundHandler((request, reply) =>
    sendError(context, request, reply, new ApiError(404, 'Not Found', ['Invalid URL'])),
  );

  await app.register(
    async (scope) => {
      for (const routes of [...CAPABILITY_ROUTES, ...extraRoutes]) await routes(scope, context);
    },
    { prefix: context.config.basePath },
  );
  return app;
}

function toApiError(error: FastifyError | Error, request: FastifyRequest): ApiError {
  if (error instanceof ApiError) return error;
  const fastifyError = error as FastifyError;
  if (fastifyError.statusCode && fastifyError.statusCode < 500) {
    // Body parse errors, payload too large, and the like: the client's fault, said plainly.
    return new ApiError(400, 'Unable to complete operation.', [fastifyError.message]);
  }
  request.log.error({ err: error }, 'unhandled error');
  return ApiError.internal(error);
}

/** The envelope with HTTP 200 (as ArcGIS does) unless configured to send real statuses. */
export function sendError(context: AppContext, request: FastifyRequest, reply: FastifyReply, error: ApiError): FastifyReply {
  if (error.extra.cause) request.log.error({ err: error.extra.cause }, error.message);
  const status = context.config.httpErrorStatus ? error.code : 200;
  reply.header('cache-control', 'no-store');
  // An upload refused before its body was read: close the connection rather than read the rest.
  if (request.isMultipart()) reply.header('connection', 'close');
  if (request.arcgis && formatOf(request) === 'html') {
    const page = renderPage({ title: `Error: ${error.message}`, json: toErrorEnvelope(error).error });
    return reply.code(status).type('text/html; charset=utf-8').send(page);
  }
  return reply.code(status).type('application/json; charset=utf-8').send(JSON.stringify(toErrorEnvelope(error)));
}
