import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../auth/principal.js';
import type { AppContext } from '../context.js';
import { publicBaseUrl } from '../http/base-url.js';
import { ApiError } from '../errors.js';
import { requirePost, requireSelfOrAdmin } from '../http/guards.js';
import type { UploadedFile } from '../http/request-state.js';
import { formatOf, sendResource } from '../http/respond.js';
import type { FolderRecord } from '../store/item-store.js';
import type { UserRecord } from '../store/user-store.js';
import { readItemFields } from './item-fields.js';
import { createFolder, createItem, deleteFolder, resolveFolder, type ItemFileSource } from './item-service.js';
import { ITEM_FORM_FIELDS, operationPage, userContentPage } from './portal-pages.js';
import { toFolderJson, toItemJson } from './portal-json.js';
import { readPage, toPage } from './paging.js';

const READ = ['GET', 'POST'] as ('GET' | 'POST')[];
type UserParams = { username: string; folder?: string };

/** `content/users/<user>[/<folder>]`: listing, addItem, createFolder and folder delete. */
export async function contentRoutes(app: FastifyInstance, context: AppContext): Promise<void> {
  const portalUrl = (request: FastifyRequest) => `${publicBaseUrl(context.config, request)}/sharing/rest`;

  const listContent = async (request: FastifyRequest, reply: FastifyReply) => {
    const { principal, owner, folder } = await resolveOwnerFolder(context, request);
    const paging = readPage(request.arcgis.params);
    const { total, items } = await context.stores.items.query({
      owner: owner.username,
      folderId: folder?.id ?? null,
      sortField: 'created',
      sortOrder: 'asc',
      ...paging,
    });
    const folders = folder ? [] : await context.stores.items.listFolders(owner.username);
    const body = {
      username: owner.username,
      ...toPage(paging, total),
      currentFolder: folder ? toFolderJson(folder) : null,
      items: items.map((item) => toItemJson(item, principal)),
      folders: folders.map(toFolderJson),
    };
    const page = userContentPage(portalUrl(request), request.url, folder, { ...body, items: items.map(toLinkItem), folders });
    return sendResource(request, reply, body, page);
  };
  app.route({ method: READ, url: '/sharing/rest/content/users/:username', handler: listContent });
  app.route({ method: READ, url: '/sharing/rest/content/users/:username/:folder', handler: listContent });

  const addItem = async (request: FastifyRequest, reply: FastifyReply) => {
    const { owner, folder } = await resolveOwnerFolder(context, request);
    if (request.method === 'GET' && formatOf(request) === 'html') {
      return sendResource(request, reply, {}, operationPage(portalUrl(request), 'Add Item', request.url.split('?')[0]!, request.arcgis.params.string('token'), ITEM_FORM_FIELDS, true));
    }
    requirePost(request);
    const params = request.arcgis.params;
    if (params.has('dataUrl')) throw ApiError.invalidParameter("'dataUrl' is not supported: upload the file or give its 'url'");
    const item = await createItem(context, {
      ...readItemFields(params),
      owner: owner.username,
      folderId: folder?.id ?? null,
      file: pickFile(request.arcgis.uploads, params.string('fileName') ?? params.string('filename')),
    });
    return sendResource(request, reply, { success: true, id: item.id, folder: item.folderId });
  };
  app.route({ method: READ, url: '/sharing/rest/content/users/:username/addItem', handler: addItem });
  app.route({ method: READ, url: '/sharing/rest/content/users/:username/:folder/addItem', handler: addItem });

  app.route({
    method: READ,
    url: '/sharing/rest/content/users/:username/createFolder',
    handler: async (request, reply) => {
      const { owner } = await resolveOwnerFolder(context, request);
      if (request.method === 'GET' && formatOf(request) === 'html') {
        const fields = [{ name: 'title', label: 'Title' }];
        return sendResource(request, reply, {}, operationPage(portalUrl(request), 'Create Folder', request.url.split('?')[0]!, request.arcgis.params.string('token'), fields));
      }
      requirePost(request);
      const folder = await createFolder(context, owner.username, request.arcgis.params.required('title'));
      const { username, id, title } = toFolderJson(folder);
      return sendResource(request, reply, { success: true, folder: { username, id, title } });
    },
  });

  app.route({
    method: READ,
    url: '/sharing/rest/content/users/:username/:folder/delete',
    handler: async (request, reply) => {
      const { folder } = await resolveOwnerFolder(context, request);
      if (!folder) throw ApiError.invalidUrl();
      if (request.method === 'GET' && formatOf(request) === 'html') {
        return sendResource(request, reply, {}, operationPage(portalUrl(request), `Delete Folder ${folder.title}`, request.url.split('?')[0]!, request.arcgis.params.string('token'), []));
      }
      requirePost(request);
      await deleteFolder(context, folder);
      const { username, id, title } = toFolderJson(folder);
      return sendResource(request, reply, { success: true, folder: { username, id, title } });
    },
  });
}

/**
 * The user named in a `content/users/<user>` URL, for that user or an administrator (499
 * anonymous, 403 anyone else, 404 no such user), and the folder of the URL if it names one.
 */
export async function resolveOwnerFolder(
  context: AppContext,
  request: FastifyRequest,
): Promise<{ principal: Principal; owner: UserRecord; folder: FolderRecord | null }> {
  const { username, folder: folderRef } = request.params as UserParams;
  const principal = requireSelfOrAdmin(request, username);
  const owner = await context.stores.users.get(username);
  if (!owner) throw ApiError.notFound('User not found', [`User '${username}' does not exist.`]);
  const folder = folderRef && folderRef !== '/' ? await resolveFolder(context.stores, owner.username, folderRef) : null;
  return { principal, owner, folder };
}

/** The uploaded data file: the `file` part, else the only part. Its name comes from the part or `fileName`. */
export function pickFile(uploads: UploadedFile[], fileName: string | undefined): ItemFileSource | undefined {
  const upload = uploads.find((u) => u.field.toLowerCase() === 'file') ?? (uploads.length === 1 ? uploads[0] : undefined);
  if (!upload) return undefined;
  return { path: upload.path, fileName: upload.fileName || fileName || 'data' };
}

function toLinkItem(item: { id: string; title: string; type: string; owner: string; fileName: string | null }) {
  return { id: item.id, title: item.title, type: item.type, owner: item.owner, name: item.fileName };
}
