import type { FastifyReply, FastifyRequest } from 'fastify';
import { renderPage, type HtmlPage } from '../html/render-page.js';
import { ApiError } from '../errors.js';

export type Format = 'html' | 'json' | 'pjson' | string;

/**
 * The `f` of a request: as given; else the route's documented default (html for the operations
 * whose reference says "The default response format is html"); else HTML for browsers
 * (Accept: text/html) and JSON for everyone else, so API clients that forget `f` still get JSON.
 */
export function formatOf(request: FastifyRequest): Format {
  const f = request.arcgis?.params.string('f')?.toLowerCase();
  if (f) return f;
  if (request.routeOptions?.config?.defaultFormat === 'html') return 'html';
  return String(request.headers.accept ?? '').includes('text/html') ? 'html' : 'json';
}

/** Page parts for `f=html`; the body's JSON is shown when no custom body is given. */
export type PageSpec = Omit<HtmlPage, 'json'> & { json?: unknown };

/**
 * Sends a resource as json, pjson (indented), JSONP (`callback`) or an HTML directory page.
 * Other formats are the handler's business; an unsupported one is a 400.
 */
export function sendResource(
  request: FastifyRequest,
  reply: FastifyReply,
  body: unknown,
  page?: PageSpec | ((body: unknown) => PageSpec),
): FastifyReply {
  const format = formatOf(request);
  if (format === 'html') {
    const spec = typeof page === 'function' ? page(body) : page;
    return reply
      .type('text/html; charset=utf-8')
      .send(renderPage({ title: spec?.title ?? 'Resource', ...spec, json: spec?.json ?? body }));
  }
  if (format !== 'json' && format !== 'pjson') {
    throw ApiError.invalidParameter(`'f' parameter is invalid: format '${format}' is not supported by this resource`);
  }
  return sendJson(request, reply, body, format === 'pjson');
}

export function sendJson(request: FastifyRequest, reply: FastifyReply, body: unknown, pretty = false): FastifyReply {
  return sendJsonText(request, reply, pretty ? JSON.stringify(body, null, 2) : JSON.stringify(body));
}

/** JSON text (already encoded), wrapped as JSONP when the request has a `callback`. */
export function sendJsonText(request: FastifyRequest, reply: FastifyReply, text: string): FastifyReply {
  const callback = request.arcgis?.params.string('callback');
  if (callback) {
    if (!/^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/.test(callback)) {
      throw ApiError.invalidParameter("'callback' parameter is invalid");
    }
    return reply.type('application/javascript; charset=utf-8').send(`${callback}(${text});`);
  }
  return reply.type('application/json; charset=utf-8').send(text);
}
