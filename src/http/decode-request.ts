import path from 'node:path';
import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../context.js';
import type { Principal } from '../auth/principal.js';
import { ApiError } from '../errors.js';
import { checkGeometryLimits } from './geometry-limits.js';
import { readMultipart, removeUploads } from './multipart.js';
import { Params } from '../params.js';

/**
 * Merges query string and body into `request.arcgis.params`, saves uploads, and resolves the
 * token (parameter, then X-Esri-Authorization, then Authorization: Bearer) into a principal.
 * A token that is present but bad is a 498 even on public resources, so clients refresh it.
 */
export async function decodeRequest(context: AppContext, request: FastifyRequest): Promise<void> {
  const state = request.arcgis;
  let body: Record<string, unknown> | undefined;
  if (request.isMultipart()) {
    // A bad token in the URL or a header is refused before a large upload is read.
    const early = findToken(request, new Params(request.query as Record<string, unknown>), new Set());
    if (early) await context.auth.authenticate(early.token, { referer: request.headers.referer, ip: request.ip }, early.source, request.arcgis.catalog);
    // A token from the URL, a header or a field before the first file is checked before the file
    // reaches the disk (ArcGIS Pro puts `token` and `f` first). arcgis-rest-js appends `token`
    // after the file: that upload is written within the route's limit, and removed at once when
    // no token follows.
    let tokenAfterFiles = false;
    const beforeFiles = async (fields: Record<string, string>) => {
      const found = findToken(request, new Params(request.query as Record<string, unknown>, fields), new Set(Object.keys(fields).map((k) => k.toLowerCase())));
      if (!found) {
        tokenAfterFiles = true;
        return;
      }
      await context.auth.authenticate(found.token, { referer: request.headers.referer, ip: request.ip }, found.source, request.arcgis.catalog);
    };
    const { fields, uploads } = await readMultipart(request, path.join(context.config.dataDir, 'tmp', 'uploads'), beforeFiles);
    if (tokenAfterFiles && !findToken(request, new Params(request.query as Record<string, unknown>, fields), new Set(Object.keys(fields).map((k) => k.toLowerCase())))) {
      await removeUploads(uploads);
      throw ApiError.tokenRequired();
    }
    body = fields;
    state.uploads = uploads;
  } else if (request.body && typeof request.body === 'object' && !Buffer.isBuffer(request.body)) {
    body = request.body as Record<string, unknown>;
  }
  state.params = new Params(request.query as Record<string, unknown>, body);
  state.bodyKeys = new Set(Object.keys(body ?? {}).map((key) => key.toLowerCase()));
  checkGeometryLimits(state.params, context.config.limits);
  const found = findToken(request, state.params, state.bodyKeys);
  if (!found) return;
  const authenticate = async () => {
    state.principal = await context.auth.authenticate(found.token, { referer: request.headers.referer, ip: request.ip }, found.source, state.catalog);
  };
  state.reauthenticate = authenticate;
  try {
    await authenticate();
  } catch (error) {
    // Refused by a token user cached for a speculated catalog version that proved wrong: ask again.
    if (!state.catalog || (await state.catalog.confirm())) throw error;
    await authenticate();
  }
}

function findToken(
  request: FastifyRequest,
  params: Params,
  bodyKeys: Set<string>,
): { token: string; source: Principal['tokenSource'] } | undefined {
  const parameter = params.string('token');
  if (parameter) return { token: parameter, source: bodyKeys.has('token') ? 'parameter-body' : 'parameter-query' };
  for (const header of [request.headers['x-esri-authorization'], request.headers.authorization]) {
    const match = /^Bearer\s+(\S+)$/i.exec(String(header ?? ''));
    if (match) return { token: match[1]!, source: 'header' };
  }
  return undefined;
}
