import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig, type Config } from '../config.js';
import { openStores, type Stores } from './index.js';

const POSTGRES_URL = process.env.TESSERA_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** One suite, every engine: what callers rely on must hold for each store implementation. */
const engines: Array<{ name: string; open: () => Promise<{ stores: Stores; config: Config; drop: () => Promise<void> }> }> = [
  {
    name: 'sqlite',
    open: async () => {
      const dataDir = await mkdtemp(path.join(tmpdir(), 'tessera-store-'));
      const config = { ...defaultConfig(), dataDir };
      const stores = await openStores(config);
      return { stores, config, drop: () => rm(dataDir, { recursive: true, force: true }) };
    },
  },
  {
    name: 'postgres',
    open: async () => {
      const schema = `test_${randomBytes(6).toString('hex')}`;
      const config: Config = { ...defaultConfig(), store: { kind: 'postgres', postgresUrl: POSTGRES_URL, postgresSchema: schema } };
      const stores = await openStores(config);
      return {
        stores,
        config,
        drop: async () => {
          const client = new pg.Client({ connectionString: POSTGRES_URL });
          await client.connect();
          await client.query(`DROP SCHEMA ${schema} CASCADE`);
          await client.end();
        },
      };
    },
  },
];

describe.each(engines)('core stores on $name', ({ open }) => {
  let stores: Stores;
  let config: Config;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    ({ stores, config, drop } = await open());
  });
  afterAll(async () => {
    await stores.close();
    await drop();
  });

  it('creates, finds case-insensitively, updates and revokes users', async () => {
    await stores.users.create({ username: 'Ana', fullName: 'Ana', email: '', role: 'publisher', passwordHash: 'h' });
    expect((await stores.users.get('ana'))?.username).toBe('Ana');
    await stores.users.update('ana', { role: 'administrator' });
    await stores.users.bumpTokenVersion('ANA');
    expect(await stores.users.get('Ana')).toMatchObject({ role: 'administrator', tokenVersion: 1 });
    expect(await stores.users.count()).toBe(1);
  });

  it("moves the catalog version with this process's writes at once, and with another's by the next request", async () => {
    const request = stores.catalogReader();
    const before = await request();
    await stores.items.createFolder({ id: 'f-version', owner: 'Ana', title: 'Version', created: Date.now() });
    const afterOwn = await request();
    expect(afterOwn).not.toBe(before);
    const other = await openStores(config); // another process on the same data (a job worker)
    try {
      await other.items.deleteFolder('f-version');
    } finally {
      await other.close();
    }
    expect(await request()).toBe(afterOwn); // one request reads the others' commits once
    expect(await stores.catalogReader()()).not.toBe(afterOwn);
  });

  it('keeps settings', async () => {
    await stores.settings.set('k', 'v1');
    await stores.settings.set('k', 'v2');
    expect(await stores.settings.get('k')).toBe('v2');
    expect(await stores.settings.get('missing')).toBeUndefined();
  });

  it('lists services by folder, case-insensitively', async () => {
    const now = Date.now();
    const base = { owner: 'Ana', itemId: null, access: 'public' as const, created: now, modified: now };
    await stores.services.create({ ...base, folder: 'Hosted', name: 'Parcels', type: 'FeatureServer', definition: { layers: [1] } });
    await stores.services.create({ ...base, folder: '', name: 'Root', type: 'MapServer', definition: {} });
    expect(await stores.services.folders()).toEqual(['Hosted']);
    expect((await stores.services.list('hosted')).map((s) => s.name)).toEqual(['Parcels']);
    await stores.services.update('HOSTED', 'parcels', 'FeatureServer', { access: 'private' });
    expect(await stores.services.get('Hosted', 'PARCELS', 'FeatureServer')).toMatchObject({ access: 'private', definition: { layers: [1] } });
    await stores.services.delete('Hosted', 'Parcels', 'FeatureServer');
    expect(await stores.services.get('Hosted', 'Parcels', 'FeatureServer')).toBeUndefined();
  });

  it('stores items and folders and searches them with paging and visibility', async () => {
    const now = Date.now();
    await stores.items.createFolder({ id: 'f1', owner: 'Ana', title: 'Scans', created: now });
    const item = (id: string, title: string, access: 'private' | 'public', folderId: string | null = null) => ({
      id, owner: 'Ana', folderId, title, type: 'Image', typeKeywords: ['Raster'], description: '', snippet: '',
      tags: ['uav'], url: null, fileName: `${id}.tif`, size: 10, textData: null, access, extent: null,
      spatialReference: null, properties: { a: 1 }, created: now + id.length, modified: now,
    });
    await stores.items.create(item('a1', 'Field 100% done', 'public'));
    await stores.items.create(item('a22', 'Field two', 'private', 'f1'));
    expect(await stores.items.get('a1')).toMatchObject({ title: 'Field 100% done', tags: ['uav'], properties: { a: 1 } });
    const all = await stores.items.query({ owner: 'ana', start: 1, num: 10 });
    expect(all.total).toBe(2);
    const literalPercent = await stores.items.query({ text: ['100%'], start: 1, num: 10 });
    expect(literalPercent.items.map((i) => i.id)).toEqual(['a1']);
    const anonymous = await stores.items.query({ visibleTo: { username: null, isAdmin: false }, start: 1, num: 10 });
    expect(anonymous.items.map((i) => i.id)).toEqual(['a1']);
    const page = await stores.items.query({ owner: 'Ana', sortField: 'title', sortOrder: 'desc', start: 2, num: 1 });
    expect(page).toMatchObject({ total: 2, items: [{ id: 'a1' }] });
    expect((await stores.items.query({ folderId: 'f1', start: 1, num: 10 })).items.map((i) => i.id)).toEqual(['a22']);
    const filtered = await stores.items.query({
      filter: { all: [{ field: 'tags', value: 'UAV' }, { not: { field: 'title', value: 'two' } }] },
      start: 1,
      num: 10,
    });
    expect(filtered.items.map((i) => i.id)).toEqual(['a1']);
    expect(await stores.items.findFolder('ANA', 'Scans')).toMatchObject({ id: 'f1' });
    await stores.items.update('a1', { title: 'Renamed' });
    expect((await stores.items.get('a1'))?.title).toBe('Renamed');
    await stores.items.delete('a1');
    expect(await stores.items.get('a1')).toBeUndefined();
  });
  it('counts login failures atomically, blocks, clears and prunes them (shared by every process)', async () => {
    const store = stores.loginFailures;
    expect(await store.blockedUntil(['k1'])).toBe(0);
    const counts = await Promise.all(Array.from({ length: 10 }, () => store.countFailure('k1', 1000, 0)));
    expect(counts.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    // A failure after a quiet spell starts the count again.
    expect(await store.countFailure('k1', 5000, 2000)).toBe(1);
    await store.block('k1', 9000);
    await store.block('k1', 8000);
    await store.countFailure('k2', 5000, 0);
    expect(await store.blockedUntil(['k1', 'k2'])).toBe(9000);
    await store.clear(['k1']);
    expect(await store.blockedUntil(['k1'])).toBe(0);
    await store.prune(6000);
    expect(await store.countFailure('k2', 7000, 0)).toBe(1);
  });

  it('keeps publish job statuses', async () => {
    await stores.publishJobs.set('j1', { status: 'processing', statusMessage: 'processing', itemId: 'i1' }, 1000);
    await stores.publishJobs.set('j1', { status: 'completed', statusMessage: 'completed', itemId: 'i1' }, 2000);
    expect(await stores.publishJobs.get('j1')).toEqual({ status: 'completed', statusMessage: 'completed', itemId: 'i1' });
    expect(await stores.publishJobs.get('nope')).toBeUndefined();
    await stores.publishJobs.prune(3000);
    expect(await stores.publishJobs.get('j1')).toBeUndefined();
  });
});
