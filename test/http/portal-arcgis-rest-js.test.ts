import type { PortalSelf, UserJson } from '../helpers/answers.js';
import { ArcGISIdentityManager, request } from '@esri/arcgis-rest-request';
import {
  createFolder,
  createItem,
  getItem,
  getItemData,
  getUser,
  getUserContent,
  removeItem,
  SearchQueryBuilder,
  searchItems,
  updateItem,
} from '@esri/arcgis-rest-portal';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

// arcgis-rest-js is the reference client: if it works unchanged, so do apps built on it.
let server: TestServer;
let portal: string;
let session: ArcGISIdentityManager;

beforeAll(async () => {
  server = await startTestServer();
  await server.addUser('ana', 'publisher');
  portal = `${server.url}/sharing/rest`;
  session = await ArcGISIdentityManager.signIn({ username: 'ana', password: 'ana-pw', portal });
});
afterAll(async () => server.close());

describe('@esri/arcgis-rest-request', () => {
  it('signs in and reads community/self and the user', async () => {
    expect(session.username).toBe('ana');
    expect(session.tokenExpires.getTime()).toBeGreaterThan(Date.now());
    const me = (await request(`${portal}/community/self`, { authentication: session })) as UserJson;
    expect(me).toMatchObject({ username: 'ana', role: 'org_publisher', orgId: '0123456789ABCDEF' });
    expect(me.privileges).toContain('portal:user:createItem');
    const user = await getUser({ username: 'ana', authentication: session });
    expect(user.username).toBe('ana');
    const portalSelf = (await session.getPortal()) as PortalSelf;
    expect(portalSelf).toMatchObject({ isPortal: true, supportsOAuth: false, user: { username: 'ana' } });
  });

  it('reports a missing item as the portal does (rest-js prefers the messageCode)', async () => {
    await expect(request(`${portal}/content/items/ffffffffffffffffffffffffffffffff`, { authentication: session })).rejects.toMatchObject({
      name: 'ArcGISRequestError',
      code: 'CONT_0001',
      message: 'CONT_0001: Item does not exist or is inaccessible.',
    });
  });
});

describe('@esri/arcgis-rest-portal', () => {
  it('creates, reads, updates, searches and removes an item with a file', async () => {
    const bytes = new TextEncoder().encode('x,y\n1,2\n');
    const created = await createItem({
      item: {
        title: 'Points from rest-js',
        type: 'CSV',
        tags: ['points', 'test'],
        typeKeywords: ['CSV', 'Data'],
        snippet: 'A tiny CSV',
        properties: { source: 'arcgis-rest-js' },
        extent: [[-10, 40], [5, 50]],
      },
      file: new File([bytes], 'points.csv', { type: 'text/csv' }),
      authentication: session,
    } as never);
    expect(created).toMatchObject({ success: true, id: expect.stringMatching(/^[0-9a-f]{32}$/) as string });

    const item = await getItem(created.id, { authentication: session });
    expect(item).toMatchObject({
      id: created.id,
      owner: 'ana',
      title: 'Points from rest-js',
      tags: ['points', 'test'],
      typeKeywords: ['CSV', 'Data'],
      properties: { source: 'arcgis-rest-js' },
      extent: [[-10, 40], [5, 50]],
      name: 'points.csv',
      size: bytes.length,
    });

    const blob = (await getItemData(created.id, { authentication: session, file: true })) as Blob;
    expect(new Uint8Array(await blob.arrayBuffer())).toEqual(bytes);

    const updated = await updateItem({ item: { id: created.id, snippet: 'Changed' }, authentication: session });
    expect(updated).toEqual({ success: true, id: created.id });
    expect((await getItem(created.id, { authentication: session })).snippet).toBe('Changed');

    const query = new SearchQueryBuilder().match('ana').in('owner').and().match('CSV').in('type');
    const found = await searchItems({ q: query, authentication: session });
    expect(found.results.map((r) => r.id)).toContain(created.id);
    expect(found.nextStart).toBe(-1);

    expect(await removeItem({ id: created.id, authentication: session })).toEqual({ success: true, itemId: created.id });
    await expect(getItem(created.id, { authentication: session })).rejects.toMatchObject({ code: 'CONT_0001' });
  });

  it('stores text data and lists folders', async () => {
    const folder = await createFolder({ title: 'Maps', authentication: session });
    expect(folder).toMatchObject({ success: true, folder: { username: 'ana', title: 'Maps' } });
    const map = await createItem({
      item: { title: 'A map', type: 'Web Map', text: JSON.stringify({ operationalLayers: [], version: '2.31' }) } as never,
      folderId: folder.folder.id,
      authentication: session,
    } as never);
    expect(await getItemData(map.id, { authentication: session })).toEqual({ operationalLayers: [], version: '2.31' });

    const content = await getUserContent({ folderId: folder.folder.id, authentication: session });
    expect(content.currentFolder).toMatchObject({ id: folder.folder.id, title: 'Maps' });
    expect(content.items.map((i) => i.id)).toEqual([map.id]);
  });
});
