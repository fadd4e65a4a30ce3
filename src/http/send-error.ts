import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.js';
import { ApiError, fromDomainError, toAdminErrorBody, toErrorEnvelope } from '../errors.js';
import { renderPage } from '../html/render-page.js';
import { formatOf, sendResource } from './respond.js';

/** How a capability writes its errors: the REST envelope, or the Server Administrator API's shape. */
export type ErrorShape = 'rest' | 'admin';

type ErrorHandler = (error: unknown, request: FastifyRequest, reply: FastifyReply) => FastifyReply;

/** The `setErrorHandler` / `setNotFoundHandler` pair of a capability plugin. */
export function errorHandlers(context: AppContext, shape: ErrorShape): { onError: ErrorHandler; onNotFound: (request: FastifyRequest, reply: FastifyReply) => FastifyReply } {
  const send = shape === 'admin' ? sendAdminError : sendError;
  return {
    onError: (error, request, reply) => send(context, request, reply, toApiError(error)),
    onNotFound: (request, reply) => send(context, request, reply, new ApiError(404, 'Not Found', ['Invalid URL'])),
  };
}

/** ApiErrors and domain errors as mapped in errors.ts; Fastify's own 4xx (body parse, too large) said plainly; the rest a 500. */
export function toApiError(error: unknown): ApiError {
  const known = fromDomainError(error);
  if (known) return known;
  const statusCode = (error as FastifyError | undefined)?.statusCode;
  if (statusCode && statusCode < 500) return ApiError.unableToComplete((error as Error).message);
  return ApiError.internal(error);
}

/** The envelope with HTTP 200 (as ArcGIS does) unless configured to send real statuses. */
export function sendError(context: AppContext, request: FastifyRequest, reply: FastifyReply, error: ApiError): FastifyReply {
  // A client that went away aborted its own work: nothing to report.
  if (error.extra.cause && !request.arcgis?.signal.aborted) request.log.error({ err: error.extra.cause }, error.message);
  const status = context.config.httpErrorStatus ? error.code : 200;
  // Never stored: a refused request (a "Token Required" above all) must be asked again (cache-headers.ts).
  reply.header('cache-control', 'no-store');
  // An upload refused before its body was read: close the connection rather than read the rest.
  if (request.isMultipart()) reply.header('connection', 'close');
  if (request.arcgis && formatOf(request) === 'html') {
    const page = renderPage({ title: `Error: ${error.message}`, json: toErrorEnvelope(error).error });
    return reply.code(status).type('text/html; charset=utf-8').send(page);
  }
  return reply.code(status).type('application/json; charset=utf-8').send(JSON.stringify(toErrorEnvelope(error)));
}

/** `{"status":"error","messages":[…],"code":…}`, with the same status rule as the REST envelope. */
export function sendAdminError(context: AppContext, request: FastifyRequest, reply: FastifyReply, error: ApiError): FastifyReply {
  if (error.extra.cause) request.log.error({ err: error.extra.cause }, 'admin request failed');
  const body = toAdminErrorBody(error);
  reply.code(context.config.httpErrorStatus ? error.code : 200).header('cache-control', 'no-store');
  if (request.arcgis && formatOf(request) === 'html') return sendResource(request, reply, body, { title: 'Error' });
  return reply.type('application/json; charset=utf-8').send(JSON.stringify(body));
}
