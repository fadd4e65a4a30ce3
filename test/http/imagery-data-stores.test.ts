import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveDataStorePath } from '../../src/imagery/data-stores.js';
import type { DataItems } from '../helpers/answers.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { registerFileShare } from './imagery-http.js';

describe('admin data stores', () => {
  let server: TestServer;
  let token: string;
  let share: string;

  beforeAll(async () => {
    server = await startTestServer();
    token = await server.token();
    await server.addUser('pub', 'publisher');
    share = mkdtempSync(path.join(tmpdir(), 'tessera-share-'));
  });
  afterAll(async () => {
    await server?.close();
    rmSync(share, { recursive: true, force: true });
  });

  it('registers, lists, finds and unregisters a folder', async () => {
    const registered = await registerFileShare(server, 'imagery', share, token);
    expect(registered).toMatchObject({ status: 'success', path: '/fileShares/imagery', type: 'folder', info: { path: share } });
    expect((await registerFileShare(server, 'imagery', share, token)).status).toBe('error');
    const listing = await server.get<DataItems>(`/admin/data/items/fileShares?f=json&token=${token}`);
    expect(listing.items.map((i: { path: string }) => i.path)).toEqual(['/fileShares/imagery']);
    expect((await server.get<DataItems>(`/admin/data/findItems?parentPath=/fileShares&f=json&token=${token}`)).items).toHaveLength(1);
    expect(await server.get<unknown>(`/admin/data/items/fileShares/imagery?f=json&token=${token}`)).toMatchObject({ path: '/fileShares/imagery' });
    expect(await server.post<unknown>('/admin/data/unregisterItem', { itemPath: '/fileShares/imagery', f: 'json', token })).toEqual({ status: 'success' });
    expect((await server.get<DataItems>(`/admin/data/items/fileShares?f=json&token=${token}`)).items).toEqual([]);
  });

  it('refuses non-administrators, tokens in the URL of a POST, missing folders and the data directory', async () => {
    const publisher = await server.token('pub', 'pub-pw');
    expect(await registerFileShare(server, 'x', share, publisher)).toMatchObject({ status: 'error', code: 403 });
    const inUrl = await fetch(`${server.url}/admin/data/registerItem?token=${token}`, {
      method: 'POST',
      body: new URLSearchParams({ item: JSON.stringify({ path: '/fileShares/x', type: 'folder', info: { path: share } }), f: 'json' }),
    });
    expect(await inUrl.json()).toMatchObject({ status: 'error', code: 403 });
    expect(await registerFileShare(server, 'x', path.join(share, 'missing'), token)).toMatchObject({ status: 'error', code: 400 });
    expect(await registerFileShare(server, 'x', server.dataDir, token)).toMatchObject({ status: 'error', code: 400 });
    expect(await registerFileShare(server, 'x', path.dirname(server.dataDir), token)).toMatchObject({ status: 'error', code: 400 });
    expect(await registerFileShare(server, '../x', share, token)).toMatchObject({ status: 'error', code: 400 });
  });
});

describe('resolveDataStorePath', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'tessera-stores-'));
  const store = path.join(root, 'store');
  const outside = path.join(root, 'outside');
  mkdirSync(path.join(store, 'a'), { recursive: true });
  mkdirSync(outside);
  writeFileSync(path.join(store, 'a', 'x.tif'), '');
  writeFileSync(path.join(outside, 'secret.tif'), '');
  symlinkSync(outside, path.join(store, 'link'));
  const stores = [{ path: '/fileShares/share', name: 'share', type: 'folder' as const, localPath: store, info: {}, created: 0 }];
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it.each([
    ['/share/a/x.tif', path.join(store, 'a', 'x.tif')],
    ['/SHARE/a/x.tif', path.join(store, 'a', 'x.tif')],
    ['/fileShares/share/a/x.tif', path.join(store, 'a', 'x.tif')],
    [path.join(store, 'a', 'x.tif'), path.join(store, 'a', 'x.tif')],
    ['\\share\\a\\x.tif', path.join(store, 'a', 'x.tif')],
  ])('resolves %s', async (uri, expected) => {
    expect(await resolveDataStorePath(uri, stores)).toBe(expected);
  });

  it.each([
    ['/share/../outside/secret.tif', /not inside a registered data store/],
    ['/share/link/secret.tif', /not inside a registered data store/],
    [path.join(outside, 'secret.tif'), /not inside a registered data store/],
    ['/other/a/x.tif', /not inside a registered data store/],
    ['share/a/x.tif', /not inside a registered data store/],
    ['/share/a/missing.tif', /does not exist in data store 'share'/],
  ])('refuses %s', async (uri, message) => {
    await expect(resolveDataStorePath(uri, stores)).rejects.toThrow(message);
  });
});
