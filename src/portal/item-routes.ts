import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.js';
import { publicBaseUrl } from '../http/base-url.js';
import { ApiError } from '../errors.js';
import { sendResource } from '../http/respond.js';
import type { ItemQuery } from '../store/item-store.js';
import { canManageItem, resolveItem, resolveItemData } from './item-service.js';
import { contentDisposition } from './item-files.js';
import { itemPage, searchPage } from './portal-pages.js';
import { toItemJson } from './portal-json.js';
import { readPage, toPage } from './paging.js';
import { parseSearchQuery } from './search-query.js';

const READ = ['GET', 'POST'] as ('GET' | 'POST')[];
const SORT_FIELDS: Record<string, NonNullable<ItemQuery['sortField']>> = {
  title: 'title',
  created: 'created',
  uploaded: 'created',
  modified: 'modified',
  type: 'type',
  owner: 'owner',
};

/** `content/items/<id>`, its `/data`, and `search`. */
export async function itemRoutes(app: FastifyInstance, context: AppContext): Promise<void> {
  const portalUrl = (request: FastifyRequest) => `${publicBaseUrl(context.config, request)}/sharing/rest`;

  app.route({
    method: READ,
    url: '/sharing/rest/content/items/:itemId',
    handler: async (request, reply) => {
      const principal = request.arcgis.principal;
      const item = await resolveItem(context.stores, (request.params as { itemId: string }).itemId, principal);
      const page = itemPage(portalUrl(request), { ...item, name: item.fileName }, canManageItem(item, principal));
      return sendResource(request, reply, toItemJson(item, principal), page);
    },
  });

  // The bytes whatever `f` says: clients (arcgis-rest-js getItemData) send f=json for text data too.
  app.route({
    method: READ,
    url: '/sharing/rest/content/items/:itemId/data',
    handler: async (request, reply) => {
      const { itemId } = request.params as { itemId: string };
      const { data } = await resolveItemData(context, itemId, request.arcgis.principal);
      if (!data || data.kind === 'url') throw ApiError.notFound('Item has no data.', [`Item '${itemId}' has no data file or text.`]);
      if (data.kind === 'text') {
        const json = isJson(data.text);
        return reply.type(json ? 'application/json; charset=utf-8' : 'text/plain; charset=utf-8').send(data.text);
      }
      const size = await stat(data.path).then((s) => s.size, () => undefined);
      if (size === undefined) {
        request.log.error({ itemId, path: data.path }, 'item data file missing');
        throw ApiError.notFound('Item has no data.', [`The data file of item '${itemId}' is missing.`]);
      }
      return reply
        .type(data.contentType)
        .header('content-length', size)
        .header('content-disposition', contentDisposition(data.fileName))
        .send(createReadStream(data.path));
    },
  });

  app.route({
    method: READ,
    url: '/sharing/rest/search',
    handler: async (request, reply) => {
      const params = request.arcgis.params;
      const principal = request.arcgis.principal;
      const q = params.string('q') ?? '';
      const page = readPage(params);
      const sortField = SORT_FIELDS[(params.string('sortField') ?? '').split(',')[0]!.trim().toLowerCase()];
      const sortOrder = params.string('sortOrder')?.toLowerCase() === 'desc' ? 'desc' : 'asc';
      const { total, items } = await context.stores.items.query({
        filter: parseSearchQuery(q),
        visibleTo: { username: principal?.username ?? null, isAdmin: principal?.isAdmin ?? false },
        sortField,
        sortOrder,
        ...page,
      });
      const body = { query: q, ...toPage(page, total), results: items.map((item) => toItemJson(item, principal)) };
      const links = items.map((item) => ({ ...item, name: item.fileName }));
      return sendResource(request, reply, body, searchPage(portalUrl(request), request.url, body, links));
    },
  });
}

function isJson(text: string): boolean {
  const first = text.trimStart()[0];
  if (first !== '{' && first !== '[') return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
