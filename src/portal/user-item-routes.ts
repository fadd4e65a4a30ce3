import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.js';
import type { HtmlForm } from '../html/render-page.js';
import { publicBaseUrl } from '../http/base-url.js';
import { ApiError } from '../errors.js';
import { requirePost } from '../http/guards.js';
import { formatOf, sendResource } from '../http/respond.js';
import type { ItemAccess, ItemRecord } from '../store/item-store.js';
import { pickFile, resolveOwnerFolder } from './content-routes.js';
import { equalsIgnoreCase, itemNotFound } from './item-access.js';
import { readItemFields } from './item-fields.js';
import { deleteItem, resolveFolder, resolveManagedItem, updateItem } from './item-service.js';
import { ITEM_FORM_FIELDS, itemPage, operationPage } from './portal-pages.js';
import { toItemJson } from './portal-json.js';

const READ = ['GET', 'POST'] as ('GET' | 'POST')[];
const USER_ITEM = '/sharing/rest/content/users/:username/items/:itemId';
const FOLDER_ITEM = '/sharing/rest/content/users/:username/:folder/items/:itemId';

/** `content/users/<user>[/<folder>]/items/<id>` and its operations: update, delete, move, share. */
export async function userItemRoutes(app: FastifyInstance, context: AppContext): Promise<void> {
  const portalUrl = (request: FastifyRequest) => `${publicBaseUrl(context.config, request)}/sharing/rest`;

  /** The item of the URL, owned by the URL's user, which the caller may change. */
  const resolveUserItem = async (request: FastifyRequest, itemId = (request.params as { itemId: string }).itemId): Promise<ItemRecord> => {
    const { principal, owner } = await resolveOwnerFolder(context, request);
    const item = await resolveManagedItem(context.stores, itemId, principal);
    if (!equalsIgnoreCase(item.owner, owner.username)) throw itemNotFound();
    return item;
  };

  /** GET with f=html shows the operation's form; anything else must be a POST. */
  const showForm = (request: FastifyRequest, reply: FastifyReply, title: string, fields: HtmlForm['fields'] = [], multipart = false) => {
    if (request.method !== 'GET' || formatOf(request) !== 'html') return undefined;
    return sendResource(request, reply, {}, operationPage(portalUrl(request), title, request.url.split('?')[0]!, request.arcgis.params.string('token'), fields, multipart));
  };

  const view = async (request: FastifyRequest, reply: FastifyReply) => {
    const item = await resolveUserItem(request);
    const body = { item: toItemJson(item, request.arcgis.principal), sharing: { access: item.access, groups: [] } };
    return sendResource(request, reply, body, itemPage(portalUrl(request), { ...item, name: item.fileName }, true));
  };

  const update = async (request: FastifyRequest, reply: FastifyReply) => {
    const item = await resolveUserItem(request);
    const form = showForm(request, reply, `Update ${item.title}`, ITEM_FORM_FIELDS, true);
    if (form) return form;
    requirePost(request);
    const params = request.arcgis.params;
    const file = pickFile(request.arcgis.uploads, params.string('fileName') ?? params.string('filename'));
    await updateItem(context, item, readItemFields(params), file);
    return sendResource(request, reply, { success: true, id: item.id });
  };

  const remove = async (request: FastifyRequest, reply: FastifyReply) => {
    const item = await resolveUserItem(request);
    const form = showForm(request, reply, `Delete ${item.title}`);
    if (form) return form;
    requirePost(request);
    await deleteItem(context, item);
    return sendResource(request, reply, { success: true, itemId: item.id });
  };

  const move = async (request: FastifyRequest, reply: FastifyReply) => {
    const item = await resolveUserItem(request);
    const form = showForm(request, reply, `Move ${item.title}`, [{ name: 'folder', label: 'Folder (id, or / for the root)' }]);
    if (form) return form;
    requirePost(request);
    const target = request.arcgis.params.string('folder');
    const folder = target && target !== '/' ? await resolveFolder(context.stores, item.owner, target) : null;
    await context.stores.items.update(item.id, { folderId: folder?.id ?? null });
    return sendResource(request, reply, { success: true, itemId: item.id, owner: item.owner, folder: folder?.id ?? null });
  };

  // Without groups, sharing sets the access level: everyone → public, org → org, else private.
  const share = async (request: FastifyRequest, reply: FastifyReply) => {
    const item = await resolveUserItem(request);
    const form = showForm(request, reply, `Share ${item.title}`, [
      { name: 'everyone', label: 'Everyone', type: 'select', options: ['false', 'true'] },
      { name: 'org', label: 'Organization', type: 'select', options: ['false', 'true'] },
    ]);
    if (form) return form;
    requirePost(request);
    const params = request.arcgis.params;
    const access: ItemAccess = params.bool('everyone', false) ? 'public' : params.bool('org', false) ? 'org' : 'private';
    await updateItem(context, item, { access });
    return sendResource(request, reply, { notSharedWith: [], itemId: item.id });
  };

  for (const base of [USER_ITEM, FOLDER_ITEM]) {
    app.route({ method: READ, url: base, handler: view });
    app.route({ method: READ, url: `${base}/update`, handler: update });
    app.route({ method: READ, url: `${base}/delete`, handler: remove });
    app.route({ method: READ, url: `${base}/move`, handler: move });
    app.route({ method: READ, url: `${base}/share`, handler: share });
  }

  app.route({
    method: READ,
    url: '/sharing/rest/content/users/:username/deleteItems',
    handler: async (request, reply) => {
      requirePost(request);
      const results = [];
      for (const itemId of request.arcgis.params.list('items') ?? []) {
        try {
          const item = await resolveUserItem(request, itemId);
          await deleteItem(context, item);
          results.push({ itemId, success: true });
        } catch (error) {
          if (!(error instanceof ApiError)) throw error;
          results.push({ itemId, success: false, error: { code: error.code, message: error.message } });
        }
      }
      return sendResource(request, reply, { results });
    },
  });
}
