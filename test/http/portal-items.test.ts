import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, existsSync } from 'node:fs';
import { openAsBlob } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePrincipal } from '../../src/auth/principal.js';
import { itemDataPath, resolveItem, resolveItemData } from '../../src/portal/item-service.js';
import type { AddItemAnswer, DeleteItemsAnswer, ErrorEnvelope, Item, PortalSelf, SearchAnswer, SuccessAnswer, UserContent, UserJson } from '../helpers/answers.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

let server: TestServer;
let ana: string;
let bob: string;
let admin: string;

beforeAll(async () => {
  server = await startTestServer();
  await server.addUser('ana', 'publisher');
  await server.addUser('bob', 'user');
  [ana, bob, admin] = await Promise.all([server.token('ana', 'ana-pw'), server.token('bob', 'bob-pw'), server.token()]);
});
afterAll(async () => server.close());

const sharing = (rest: string) => `${server.url}/sharing/rest${rest}`;

/** POSTs multipart/form-data the way browsers and arcgis-rest-js do. */
async function postForm<T = SuccessAnswer>(url: string, fields: Record<string, string>, file?: { blob: Blob; name: string }): Promise<T> {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) form.append(key, value);
  if (file) form.append('file', file.blob, file.name);
  const response = await fetch(url, { method: 'POST', body: form });
  return (await response.json()) as T;
}

async function addItem(token: string, user: string, fields: Record<string, string>, file?: { blob: Blob; name: string }, folder?: string) {
  const url = sharing(`/content/users/${user}${folder ? `/${folder}` : ''}/addItem`);
  return postForm<AddItemAnswer>(url, { f: 'json', token, ...fields }, file);
}

async function sha256OfStream(body: ReadableStream<Uint8Array>): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of Readable.fromWeb(body as never)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Every file below the data directory, relative to it. */
async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const rel = path.join(prefix, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(path.join(dir, entry.name), rel)));
    else out.push(rel);
  }
  return out;
}

describe('upload and download', () => {
  it('round-trips a small file byte for byte', async () => {
    const bytes = Buffer.from('name,value\nü,1\n');
    const added = await addItem(ana, 'ana', { title: 'Small CSV', type: 'CSV', tags: 'a,b' }, { blob: new Blob([bytes]), name: 'small.csv' });
    expect(added).toEqual({ success: true, id: expect.stringMatching(/^[0-9a-f]{32}$/) as string, folder: null });
    expect(await readFile(path.join(server.dataDir, 'items', added.id, 'small.csv'))).toEqual(bytes);

    const response = await fetch(sharing(`/content/items/${added.id}/data?token=${ana}`));
    expect(response.headers.get('content-type')).toBe('text/csv');
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="small.csv"; filename*=UTF-8''small.csv`);
    expect(Buffer.from(await response.arrayBuffer())).toEqual(bytes);

    const item = await server.get<Item>(`/sharing/rest/content/items/${added.id}?f=json&token=${ana}`);
    expect(item).toMatchObject({ id: added.id, owner: 'ana', title: 'Small CSV', type: 'CSV', name: 'small.csv', size: bytes.length, tags: ['a', 'b'], access: 'private', ownerFolder: null });
  });

  it('round-trips a 20 MB random file through the disk, not memory', async () => {
    const source = path.join(server.dataDir, 'big-source.bin');
    await pipeline(Readable.from((function* () { for (let i = 0; i < 20; i++) yield randomBytes(1024 * 1024); })()), createWriteStream(source));
    const expected = createHash('sha256').update(await readFile(source)).digest('hex');
    const added = await addItem(ana, 'ana', { title: 'Big', type: 'Image' }, { blob: await openAsBlob(source), name: 'big.tif' });
    expect(added.success).toBe(true);
    expect((await stat(path.join(server.dataDir, 'items', added.id, 'big.tif'))).size).toBe(20 * 1024 * 1024);
    // Moved, not copied: nothing is left among the temporary uploads.
    expect(await readdir(path.join(server.dataDir, 'tmp', 'uploads'))).toEqual([]);

    const response = await fetch(sharing(`/content/items/${added.id}/data`), { headers: { 'X-Esri-Authorization': `Bearer ${ana}` } });
    expect(response.headers.get('content-type')).toBe('image/tiff');
    expect(response.headers.get('content-length')).toBe(String(20 * 1024 * 1024));
    expect(await sha256OfStream(response.body!)).toBe(expected);
  });

  it('keeps hostile file names inside the item folder', async () => {
    const names = ['../../evil.txt', '..\\..\\evil2.txt', '/etc/passwd', '..', `${'x'.repeat(400)}.txt`, 'a\u0001b.txt'];
    const ids: string[] = [];
    const before = new Set(await listFiles(server.dataDir));
    for (const name of names) {
      const added = await addItem(ana, 'ana', { title: `hostile ${ids.length}`, type: 'Text' }, { blob: new Blob(['x']), name });
      expect(added.success).toBe(true);
      ids.push(added.id);
    }
    // Every file the uploads added is inside an item's own folder (other capabilities' files were there before).
    const added = (await listFiles(server.dataDir)).filter((file) => !before.has(file));
    for (const file of added) expect(file).toMatch(/^(items\/[0-9a-f]{32}\/[^/]+|tessera\.sqlite.*|tmp\/.*)$/);
    expect(existsSync(path.join(server.dataDir, '..', 'evil.txt'))).toBe(false);
    for (const id of ids) {
      const item = await server.get<Item>(`/sharing/rest/content/items/${id}?f=json&token=${ana}`);
      expect(item.name).not.toMatch(/[/\\\u0000-\u001f]|^\.\.?$/);
      expect(Buffer.byteLength(item.name!)).toBeLessThanOrEqual(200);
      expect(await (await fetch(sharing(`/content/items/${id}/data?token=${ana}`))).text()).toBe('x');
    }
  });

  it('stores text and url items', async () => {
    const text = await addItem(ana, 'ana', { title: 'Map', type: 'Web Map', text: '{"operationalLayers":[]}' });
    const data = await fetch(sharing(`/content/items/${text.id}/data?f=json&token=${ana}`));
    expect(data.headers.get('content-type')).toMatch(/application\/json/);
    expect(await data.json()).toEqual({ operationalLayers: [] });

    const service = await addItem(ana, 'ana', { title: 'Service', type: 'Feature Service', url: 'https://example.org/arcgis/rest/services/x/FeatureServer' });
    const item = await server.get<Item>(`/sharing/rest/content/items/${service.id}?f=json&token=${ana}`);
    expect(item.url).toBe('https://example.org/arcgis/rest/services/x/FeatureServer');
    const none = await server.get<ErrorEnvelope>(`/sharing/rest/content/items/${service.id}/data?f=json&token=${ana}`);
    expect(none.error.code).toBe(404);
  });

  it('refuses an item without a type, and GET for addItem', async () => {
    const missing = await addItem(ana, 'ana', { title: 'No type' });
    expect(missing.error).toMatchObject({ code: 400, details: ["'type' parameter is required"] });
    const get = await server.get<ErrorEnvelope>(`/sharing/rest/content/users/ana/addItem?f=json&token=${ana}&title=x&type=y`);
    expect(get.error.code).toBe(405);
  });
});

describe('update and delete', () => {
  it('updates metadata and replaces the file, removing the old one', async () => {
    const added = await addItem(ana, 'ana', { title: 'Before', type: 'CSV' }, { blob: new Blob(['old']), name: 'old.csv' });
    const updated = await postForm(sharing(`/content/users/ana/items/${added.id}/update`), { f: 'json', token: ana, title: 'After', tags: 'x', snippet: 's' }, { blob: new Blob(['new!']), name: 'new.csv' });
    expect(updated).toEqual({ success: true, id: added.id });
    const item = await server.get<Item>(`/sharing/rest/content/items/${added.id}?f=json&token=${ana}`);
    expect(item).toMatchObject({ title: 'After', tags: ['x'], snippet: 's', name: 'new.csv', size: 4 });
    expect(item.modified).toBeGreaterThanOrEqual(item.created);
    expect(existsSync(path.join(server.dataDir, 'items', added.id, 'old.csv'))).toBe(false);
    expect(await (await fetch(sharing(`/content/items/${added.id}/data?token=${ana}`))).text()).toBe('new!');

    const metadataOnly = await server.post<SuccessAnswer>(`/sharing/rest/content/users/ana/items/${added.id}/update`, { f: 'json', token: ana, description: 'd' });
    expect(metadataOnly.success).toBe(true);
    expect((await server.get<Item>(`/sharing/rest/content/items/${added.id}?f=json&token=${ana}`)).name).toBe('new.csv');
  });

  it('deletes the item and its files', async () => {
    const added = await addItem(ana, 'ana', { title: 'Doomed', type: 'CSV' }, { blob: new Blob(['bye']), name: 'doomed.csv' });
    expect(existsSync(path.join(server.dataDir, 'items', added.id))).toBe(true);
    const deleted = await server.post<SuccessAnswer>(`/sharing/rest/content/users/ana/items/${added.id}/delete`, { f: 'json', token: ana });
    expect(deleted).toEqual({ success: true, itemId: added.id });
    expect(existsSync(path.join(server.dataDir, 'items', added.id))).toBe(false);
    const gone = await server.get<Item>(`/sharing/rest/content/items/${added.id}?f=json&token=${ana}`);
    expect(gone.error).toMatchObject({ code: 404, message: 'Item does not exist or is inaccessible.' });
  });

  it('lets only the owner or an administrator change an item', async () => {
    const added = await addItem(ana, 'ana', { title: 'Mine', type: 'CSV', access: 'public' });
    const byBob = await server.post<SuccessAnswer>(`/sharing/rest/content/users/ana/items/${added.id}/update`, { f: 'json', token: bob, title: 'Hijacked' });
    expect(byBob.error.code).toBe(403);
    const viaBobsUrl = await server.post<SuccessAnswer>(`/sharing/rest/content/users/bob/items/${added.id}/delete`, { f: 'json', token: bob });
    expect(viaBobsUrl.error.code).toBe(403);
    const byAdmin = await server.post<SuccessAnswer>(`/sharing/rest/content/users/ana/items/${added.id}/update`, { f: 'json', token: admin, title: 'Fixed' });
    expect(byAdmin.success).toBe(true);
    const deleteGet = await server.get<ErrorEnvelope>(`/sharing/rest/content/users/ana/items/${added.id}/delete?f=json&token=${ana}`);
    expect(deleteGet.error.code).toBe(405);
  });

  it('deletes several items at once', async () => {
    const a = await addItem(ana, 'ana', { title: 'A', type: 'CSV' });
    const b = await addItem(ana, 'ana', { title: 'B', type: 'CSV' });
    const result = await server.post<DeleteItemsAnswer>('/sharing/rest/content/users/ana/deleteItems', { f: 'json', token: ana, items: `${a.id},${b.id},ffffffffffffffffffffffffffffffff` });
    expect(result.results).toEqual([
      { itemId: a.id, success: true },
      { itemId: b.id, success: true },
      { itemId: 'ffffffffffffffffffffffffffffffff', success: false, error: { code: 404, message: 'Item does not exist or is inaccessible.' } },
    ]);
  });
});

describe('folders and user content', () => {
  it('creates folders, lists content by folder, moves and deletes', async () => {
    await server.addUser('cleo', 'user');
    const cleo = await server.token('cleo', 'cleo-pw');
    const created = await server.post<SuccessAnswer>('/sharing/rest/content/users/cleo/createFolder', { f: 'json', token: cleo, title: 'Rasters' });
    expect(created).toEqual({ success: true, folder: { username: 'cleo', id: expect.stringMatching(/^[0-9a-f]{32}$/) as string, title: 'Rasters' } });
    const folderId = created.folder!.id;
    const duplicate = await server.post<SuccessAnswer>('/sharing/rest/content/users/cleo/createFolder', { f: 'json', token: cleo, title: 'rasters' });
    expect(duplicate.error.code).toBe(400);

    const inFolder = await addItem(cleo, 'cleo', { title: 'In folder', type: 'Image' }, undefined, folderId);
    expect(inFolder.folder).toBe(folderId);
    const atRoot = await addItem(cleo, 'cleo', { title: 'At root', type: 'Image' });

    const root = await server.get<UserContent>(`/sharing/rest/content/users/cleo?f=json&token=${cleo}`);
    expect(root).toMatchObject({ username: 'cleo', total: 1, start: 1, num: 10, nextStart: -1, currentFolder: null });
    expect(root.items.map((i) => i.id)).toEqual([atRoot.id]);
    expect(root.folders).toEqual([{ username: 'cleo', id: folderId, title: 'Rasters', created: expect.any(Number) as number }]);

    const folder = await server.get<UserContent>(`/sharing/rest/content/users/cleo/${folderId}?f=json&token=${cleo}`);
    expect(folder.currentFolder).toMatchObject({ id: folderId, title: 'Rasters' });
    expect(folder.items.map((i) => i.id)).toEqual([inFolder.id]);
    expect(folder.items[0].ownerFolder).toBe(folderId);

    const moved = await server.post<SuccessAnswer>(`/sharing/rest/content/users/cleo/items/${atRoot.id}/move`, { f: 'json', token: cleo, folder: folderId });
    expect(moved).toEqual({ success: true, itemId: atRoot.id, owner: 'cleo', folder: folderId });
    expect((await server.get<UserContent>(`/sharing/rest/content/users/cleo/${folderId}?f=json&token=${cleo}`)).total).toBe(2);

    const deleted = await server.post<SuccessAnswer>(`/sharing/rest/content/users/cleo/${folderId}/delete`, { f: 'json', token: cleo });
    expect(deleted).toEqual({ success: true, folder: { username: 'cleo', id: folderId, title: 'Rasters' } });
    const after = await server.get<UserContent>(`/sharing/rest/content/users/cleo?f=json&token=${cleo}`);
    expect(after).toMatchObject({ total: 0, folders: [] });
  });

  it('pages user content with nextStart', async () => {
    await server.addUser('dora', 'user');
    const dora = await server.token('dora', 'dora-pw');
    for (let i = 0; i < 3; i++) await addItem(dora, 'dora', { title: `D${i}`, type: 'CSV' });
    const first = await server.get<UserContent>(`/sharing/rest/content/users/dora?f=json&num=2&token=${dora}`);
    expect(first).toMatchObject({ total: 3, start: 1, num: 2, nextStart: 3 });
    const second = await server.get<UserContent>(`/sharing/rest/content/users/dora?f=json&num=2&start=3&token=${dora}`);
    expect(second).toMatchObject({ total: 3, start: 3, nextStart: -1 });
    expect(second.items).toHaveLength(1);
  });

  it('shows content to the user and administrators only', async () => {
    expect((await server.get<ErrorEnvelope>('/sharing/rest/content/users/ana?f=json')).error.code).toBe(499);
    expect((await server.get<UserContent>(`/sharing/rest/content/users/ana?f=json&token=${bob}`)).error.code).toBe(403);
    expect((await server.get<UserContent>(`/sharing/rest/content/users/ana?f=json&token=${admin}`)).username).toBe('ana');
    expect((await server.get<ErrorEnvelope>(`/sharing/rest/content/users/nobody?f=json&token=${admin}`)).error.code).toBe(404);
    expect((await server.get<ErrorEnvelope>(`/sharing/rest/content/users/ana/ffffffffffffffffffffffffffffffff?f=json&token=${ana}`)).error.code).toBe(404);
  });
});

describe('visibility', () => {
  let privateId: string;
  let publicId: string;
  let orgId: string;
  beforeAll(async () => {
    privateId = (await addItem(ana, 'ana', { title: 'Vis private', type: 'CSV', text: 'p' })).id;
    publicId = (await addItem(ana, 'ana', { title: 'Vis public', type: 'CSV', text: 'q', access: 'public' })).id;
    orgId = (await addItem(ana, 'ana', { title: 'Vis org', type: 'CSV', text: 'o' })).id;
    const shared = await server.post<unknown>(`/sharing/rest/content/users/ana/items/${orgId}/share`, { f: 'json', token: ana, org: true, everyone: false });
    expect(shared).toEqual({ notSharedWith: [], itemId: orgId });
  });

  it.each([
    ['anonymous, private', () => privateId, () => '', 499],
    ['other user, private', () => privateId, () => bob, 403],
    ['owner, private', () => privateId, () => ana, 200],
    ['admin, private', () => privateId, () => admin, 200],
    ['anonymous, public', () => publicId, () => '', 200],
    ['anonymous, org', () => orgId, () => '', 499],
    ['other user, org', () => orgId, () => bob, 200],
  ])('%s', async (_label, id, token, expected) => {
    const query = token() ? `&token=${token()}` : '';
    const item = await server.get<Item>(`/sharing/rest/content/items/${id()}?f=json${query}`);
    const data = await server.get<Partial<ErrorEnvelope>>(`/sharing/rest/content/items/${id()}/data?f=json${query}`).catch((): Partial<ErrorEnvelope> => ({}));
    if (expected === 200) {
      expect(item.id).toBe(id());
    } else {
      expect(item.error.code).toBe(expected);
      expect(data.error!.code).toBe(expected);
    }
  });

  it('says 404 for an id that is not an item id', async () => {
    expect((await server.get<ErrorEnvelope>('/sharing/rest/content/items/..%2F..%2Fetc?f=json')).error.code).toBe(404);
  });
});

describe('search', () => {
  beforeAll(async () => {
    await server.addUser('sam', 'user');
    const sam = await server.token('sam', 'sam-pw');
    await addItem(sam, 'sam', { title: 'Roads of Paris', type: 'Feature Service', tags: 'transport,city', access: 'public' });
    await addItem(sam, 'sam', { title: 'Rivers', type: 'Feature Service', tags: 'water', snippet: 'blue lines', access: 'public' });
    await addItem(sam, 'sam', { title: 'Elevation', type: 'Image Service', typeKeywords: 'Raster', access: 'public' });
    await addItem(sam, 'sam', { title: 'Secret roads', type: 'Feature Service', access: 'private' });
  });

  const search = async (q: string, extra = '', token = '') => {
    const result = await server.get<SearchAnswer>(`/sharing/rest/search?f=json&q=${encodeURIComponent(q)}${extra}${token ? `&token=${token}` : ''}`);
    return result;
  };
  const titles = (result: SearchAnswer) => result.results.map((r) => r.title).sort();

  it.each([
    ['owner:sam', ['Elevation', 'Rivers', 'Roads of Paris']],
    ['owner:sam AND type:"Feature Service"', ['Rivers', 'Roads of Paris']],
    ['owner:sam type:"Image Service"', ['Elevation']],
    ['owner:sam AND (title:rivers OR title:elevation)', ['Elevation', 'Rivers']],
    ['owner:sam AND roads', ['Roads of Paris']],
    ['owner:sam AND blue', ['Rivers']],
    ['owner:sam AND tags:water', ['Rivers']],
    ['owner:sam AND typekeywords:raster', ['Elevation']],
    ['owner:sam AND NOT type:"Feature Service"', ['Elevation']],
    ['owner:sam AND -title:rivers', ['Elevation', 'Roads of Paris']],
    ['owner:nobody', []],
  ])('%s', async (q, expected) => {
    const result = await search(q);
    expect(titles(result)).toEqual(expected);
    expect(result).toMatchObject({ query: q, total: expected.length, start: 1, num: 10 });
  });

  it('finds by id', async () => {
    const all = await search('owner:sam');
    const id = all.results[0].id;
    expect((await search(`id:${id}`)).results.map((r) => r.id)).toEqual([id]);
  });

  it('shows private items to their owner and administrators only', async () => {
    expect(titles(await search('owner:sam AND roads', '', admin))).toEqual(['Roads of Paris', 'Secret roads']);
    expect(titles(await search('owner:sam AND roads', '', bob))).toEqual(['Roads of Paris']);
    expect(titles(await search('owner:sam AND roads', '', await server.token('sam', 'sam-pw')))).toEqual(['Roads of Paris', 'Secret roads']);
  });

  it('pages and sorts', async () => {
    const first = await search('owner:sam', '&num=2&sortField=title&sortOrder=desc');
    expect(first.results.map((r) => r.title)).toEqual(['Roads of Paris', 'Rivers']);
    expect(first).toMatchObject({ total: 3, start: 1, num: 2, nextStart: 3 });
    const second = await search('owner:sam', '&num=2&start=3&sortField=title&sortOrder=desc');
    expect(second.results.map((r) => r.title)).toEqual(['Elevation']);
    expect(second.nextStart).toBe(-1);
  });
});

describe('HTML pages', () => {
  it('links user content to items, data, folders and the next page', async () => {
    await server.addUser('hana', 'user');
    const hana = await server.token('hana', 'hana-pw');
    await server.post<SuccessAnswer>('/sharing/rest/content/users/hana/createFolder', { f: 'json', token: hana, title: 'Html folder' });
    const added = await addItem(hana, 'hana', { title: 'Html <item>', type: 'CSV' }, { blob: new Blob(['1']), name: 'h.csv' });
    await addItem(hana, 'hana', { title: 'Second', type: 'CSV' });
    const html = await (await fetch(sharing(`/content/users/hana?f=html&num=1&token=${hana}`))).text();
    expect(html).toContain(`/sharing/rest/content/items/${added.id}?f=html`);
    expect(html).toContain(`/sharing/rest/content/items/${added.id}/data`);
    expect(html).toContain('Html folder');
    expect(html).toContain('Html &#60;item&#62;');
    expect(html).not.toContain('<item>');
    expect(html).toContain('start=2');

    const itemHtml = await (await fetch(sharing(`/content/items/${added.id}?f=html&token=${hana}`))).text();
    expect(itemHtml).toContain(`/sharing/rest/content/items/${added.id}/data`);
    expect(itemHtml).toContain(`/sharing/rest/content/users/hana/items/${added.id}/update`);

    const form = await (await fetch(sharing(`/content/users/hana/addItem?f=html&token=${hana}`))).text();
    expect(form).toContain('enctype="multipart/form-data"');

    const search = await (await fetch(sharing('/search?f=html&q=owner:ana'))).text();
    expect(search).toContain('name="q"');
  });
});

describe('item service for tasks', () => {
  it('resolves items and folders to files, text and URLs with the caller’s rights', async () => {
    await server.addUser('tess', 'user');
    const tess = await server.token('tess', 'tess-pw');
    const folder = (await server.post<SuccessAnswer>('/sharing/rest/content/users/tess/createFolder', { f: 'json', token: tess, title: 'Inputs' })).folder!;
    const file = await addItem(tess, 'tess', { title: 'Scene', type: 'Image' }, { blob: new Blob(['pixels']), name: 'scene.tif' }, folder.id);
    const text = await addItem(tess, 'tess', { title: 'Notes', type: 'Text', text: 'hello' }, undefined, folder.id);
    const service = await addItem(tess, 'tess', { title: 'Svc', type: 'Image Service', url: 'https://x/ImageServer', access: 'public' });

    const tessPrincipal = makePrincipal('tess', 'user', 'header');
    const bobPrincipal = makePrincipal('bob', 'user', 'header');
    const { item, data } = await resolveItemData(server.context, file.id, tessPrincipal);
    expect(data).toEqual({ kind: 'file', path: path.join(server.dataDir, 'items', file.id, 'scene.tif'), fileName: 'scene.tif', contentType: 'image/tiff', size: 6 });
    expect(itemDataPath(server.context.config, item)).toBe(data?.kind === 'file' ? data.path : undefined);
    expect((await resolveItemData(server.context, text.id, tessPrincipal)).data).toEqual({ kind: 'text', text: 'hello' });
    expect((await resolveItemData(server.context, service.id, null)).data).toEqual({ kind: 'url', url: 'https://x/ImageServer' });
    await expect(resolveItem(server.context.stores, file.id, bobPrincipal)).rejects.toMatchObject({ code: 403 });
    await expect(resolveItem(server.context.stores, file.id, null)).rejects.toMatchObject({ code: 499 });

  });
});

describe('portal and users', () => {
  it('answers the sharing root, info and portals/self', async () => {
    expect(await server.get<unknown>('/sharing/rest?f=json')).toEqual({ currentVersion: '2024.1' });
    expect(await server.get<unknown>('/sharing/rest/info?f=json')).toEqual({
      owningSystemUrl: server.url,
      authInfo: { tokenServicesUrl: `${server.url}/sharing/rest/generateToken`, isTokenBasedSecurity: true },
    });
    const anonymous = await server.get<PortalSelf>('/sharing/rest/portals/self?f=json');
    expect(anonymous).toMatchObject({ id: '0123456789ABCDEF', isPortal: true, supportsOAuth: false, helperServices: { rasterAnalytics: { url: expect.stringMatching(/\/rest\/services\/System\/RasterAnalysisTools\/GPServer$/) as string } }, currentVersion: '2024.1' });
    expect(anonymous.user).toBeUndefined();
    const signedIn = await server.get<PortalSelf>(`/sharing/rest/portals/self?f=json&token=${ana}`);
    expect(signedIn.user).toMatchObject({ username: 'ana', role: 'org_publisher' });
    expect((await server.get<ErrorEnvelope>('/sharing/rest/portals/nope?f=json')).error.code).toBe(404);
  });

  it('shows a user’s role and privileges to themself and administrators only', async () => {
    const own = await server.get<UserJson>(`/sharing/rest/community/users/ana?f=json&token=${ana}`);
    expect(own).toMatchObject({ username: 'ana', role: 'org_publisher', orgId: '0123456789ABCDEF' });
    expect(own.privileges).toContain('portal:publisher:publishImagery');
    const other = await server.get<UserJson>(`/sharing/rest/community/users/ana?f=json&token=${bob}`);
    expect(other.username).toBe('ana');
    expect(other.privileges).toBeUndefined();
    expect(other.email).toBeUndefined();
    expect((await server.get<UserJson>(`/sharing/rest/community/self?f=json&token=${admin}`)).role).toBe('org_admin');
    expect((await server.get<UserJson>(`/sharing/rest/community/self?f=json&token=${bob}`)).role).toBe('org_user');
    expect((await server.get<UserJson>('/sharing/rest/community/users/ana?f=json')).error.code).toBe(499);
    expect((await server.get<UserJson>(`/sharing/rest/community/users/nobody?f=json&token=${bob}`)).error.code).toBe(404);
  });
});
