import type { FastifyReply, FastifyRequest } from 'fastify';

/** The request headers a token can travel in (decode-request.ts reads the same ones). */
const TOKEN_HEADERS = ['X-Esri-Authorization', 'Authorization'];

/**
 * Cache headers for every answer, so HTTP caches (browsers, QGIS's disk cache) never hand one
 * user's answer — or a "Token Required" error — to a request made with other credentials:
 * - error envelopes: `no-store` (a refused request must be asked again once signed in);
 * - answers to a request that carried a token: `private`, and `no-store` unless the handler gave
 *   an ETag, which is then revalidated every time (`no-cache`);
 * - anonymous answers keep what the handler set (ETags of feature queries and tiles).
 * All carry `Vary` on the token headers, since the URL alone does not say who asked.
 *
 * @example app.addHook('onSend', setCacheHeaders)
 */
export function setCacheHeaders(request: FastifyRequest, reply: FastifyReply, payload: unknown, done: (error: null, payload: unknown) => void): void {
  addVary(reply, TOKEN_HEADERS);
  // Error envelopes are sent `no-store` (app.ts sendError): a refused request must be asked again.
  if (reply.getHeader('cache-control') === 'no-store') return done(null, payload);
  if (hasCredentials(request)) {
    reply.header('cache-control', reply.hasHeader('etag') ? 'private, no-cache' : 'private, no-store');
  }
  done(null, payload);
}

function hasCredentials(request: FastifyRequest): boolean {
  if (request.arcgis?.principal) return true;
  if (request.arcgis?.params.string('token')) return true;
  return Boolean(request.headers['x-esri-authorization'] || request.headers.authorization);
}

function addVary(reply: FastifyReply, names: string[]): void {
  const current = String(reply.getHeader('vary') ?? '');
  const have = new Set(current.split(',').map((v) => v.trim().toLowerCase()).filter(Boolean));
  if (have.has('*')) return;
  const added = names.filter((n) => !have.has(n.toLowerCase()));
  if (added.length) reply.header('vary', [current, ...added].filter(Boolean).join(', '));
}
