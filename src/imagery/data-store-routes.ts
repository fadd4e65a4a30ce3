import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { adminRoute } from '../admin/admin-guard.js';
import type { AppContext } from '../context.js';
import { ApiError } from '../errors.js';
import { sendResource } from '../http/respond.js';
import { FILE_SHARES, isInside } from './data-stores.js';
import type { DataStoreRecord } from './store/catalog-store.js';
import { catalogStoreFor } from './store/open-catalog-store.js';

/**
 * The data-store part of the Server Administrator API (`admin/data/…`): an administrator
 * registers a server folder as a file share; `uri` inputs of raster tasks may then name files in
 * it (`/<name>/a/b.tif` or `/fileShares/<name>/a/b.tif`). Answers use the admin shapes
 * (`{"status":"success"}`, `{"status":"error","messages":[…],"code":…}`); app.ts registers them
 * below `/admin/data` with the admin error shape.
 */
export async function dataStoreRoutes(scope: FastifyInstance, context: AppContext): Promise<void> {
  const catalog = catalogStoreFor(context.config);
  const route = (access: 'read' | 'write', url: string, handler: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>) =>
    adminRoute(scope, access, url, handler);

  route('read', '', async (request, reply) => {
    return sendResource(request, reply, { resources: ['items'], operations: ['registerItem', 'unregisterItem', 'findItems', 'validateDataItem'] }, { title: 'Data' });
  });

  route('read', '/items', async (request, reply) => {
    return sendResource(request, reply, { rootItems: [FILE_SHARES] }, { title: 'Data Items' });
  });

  route('read', '/items/fileShares', async (request, reply) => {
    const items = (await catalog.listDataStores()).map(toDataItem);
    return sendResource(request, reply, { path: FILE_SHARES, type: 'datadir', items }, { title: 'File Shares' });
  });

  route('read', '/items/fileShares/:name', async (request, reply) => {
    const store = await catalog.getDataStore(`${FILE_SHARES}/${(request.params as { name: string }).name}`);
    if (!store) throw new ApiError(404, 'Data item not found', [`Data item '${request.url.split('?')[0]}' does not exist.`]);
    return sendResource(request, reply, toDataItem(store), { title: store.path });
  });

  route('read', '/findItems', async (request, reply) => {
    const parent = request.arcgis.params.string('parentPath') ?? FILE_SHARES;
    const items = parent.toLowerCase() === FILE_SHARES.toLowerCase() ? (await catalog.listDataStores()).map(toDataItem) : [];
    return sendResource(request, reply, { items }, { title: 'Find Items' });
  });

  route('write', '/validateDataItem', async (request, reply) => {
    await readDataItem(request, context.config.dataDir);
    return sendResource(request, reply, { status: 'success' }, { title: 'Validate Data Item' });
  });

  route('write', '/registerItem', async (request, reply) => {
    const store = await readDataItem(request, context.config.dataDir);
    if (await catalog.getDataStore(store.path)) throw ApiError.invalidParameter(`A data item is already registered at '${store.path}'.`);
    if (await catalog.getDataStore(store.name)) throw ApiError.invalidParameter(`A data item named '${store.name}' is already registered.`);
    await catalog.registerDataStore(store);
    return sendResource(request, reply, { status: 'success', ...toDataItem(store) }, { title: 'Register Item' });
  });

  const unregister = async (request: FastifyRequest, reply: FastifyReply, itemPath: string) => {
    if (!(await catalog.unregisterDataStore(itemPath))) throw new ApiError(404, 'Data item not found', [`Data item '${itemPath}' does not exist.`]);
    return sendResource(request, reply, { status: 'success' }, { title: 'Unregister Item' });
  };
  route('write', '/unregisterItem', async (request, reply) => unregister(request, reply, request.arcgis.params.required('itemPath')));
  route('write', '/items/fileShares/:name/unregister', async (request, reply) =>
    unregister(request, reply, `${FILE_SHARES}/${(request.params as { name: string }).name}`),
  );
}

/** Reads and checks `item`: a `/fileShares/<name>` folder item whose `info.path` is an existing folder. */
async function readDataItem(request: FastifyRequest, dataDir: string): Promise<DataStoreRecord> {
  const item = request.arcgis.params.json<{ path?: unknown; type?: unknown; info?: { path?: unknown; dataStoreConnectionType?: unknown } }>('item');
  if (!item || typeof item !== 'object') throw ApiError.invalidParameter("'item' parameter is required");
  const itemPath = String(item.path ?? '');
  const match = /^\/fileShares\/([A-Za-z0-9_][A-Za-z0-9_.-]{0,99})$/i.exec(itemPath);
  if (!match) throw ApiError.invalidParameter(`'item.path' must be '/fileShares/<name>' (letters, digits, '_', '-', '.').`);
  if ((item.type ?? 'folder') !== 'folder') throw ApiError.invalidParameter("Only 'folder' data items are supported.");
  const localPath = String(item.info?.path ?? '');
  if (!path.isAbsolute(localPath)) throw ApiError.invalidParameter("'item.info.path' must be an absolute folder path on the server.");
  const resolved = path.resolve(localPath);
  const isFolder = await stat(resolved).then((s) => s.isDirectory(), () => false);
  if (!isFolder) throw ApiError.invalidParameter(`The folder '${localPath}' does not exist on the server.`);
  // The data directory holds every user's item files and tokens' keys: never expose it.
  const data = path.resolve(dataDir);
  if (isInside(data, resolved) || isInside(resolved, data)) {
    throw ApiError.invalidParameter("The server's data directory cannot be registered as a data store.");
  }
  return {
    path: `${FILE_SHARES}/${match[1]}`,
    name: match[1],
    type: 'folder',
    localPath: resolved,
    info: { path: resolved, dataStoreConnectionType: item.info?.dataStoreConnectionType ?? 'shared' },
    created: Date.now(),
  };
}

function toDataItem(store: DataStoreRecord): Record<string, unknown> {
  return { path: store.path, type: store.type, id: store.name, info: store.info, provider: 'fileShare' };
}
