import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig, type Config } from '../../../src/config.js';
import { readJson, type AsyncPublishAnswer, type EditsAnswer, type ErrorAnswer, type Feature, type FeatureSet, type Item, type PublishStatus, type ServiceJson, type TokenReply } from '../../helpers/answers.js';
import { ADMIN, startTestServer, type TestServer } from '../../helpers/test-server.js';
import { createService } from '../features-helpers.js';

const POSTGRES_URL = process.env.TESSERA_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * Two servers on one store, as two processes of `--processes 2` (SQLite, one data folder) or two
 * nodes of a cluster (PostgreSQL): a request may land on either, so what one counts or starts the
 * other must see.
 */
const modes: Array<{ name: string; store: () => Config['store'] }> = [
  { name: 'SQLite (one data folder)', store: () => defaultConfig().store },
  { name: 'PostgreSQL (one schema)', store: () => ({ kind: 'postgres', postgresUrl: POSTGRES_URL, postgresSchema: `test_${randomBytes(6).toString('hex')}` }) },
];

describe.each(modes)('state shared by two servers on $name', ({ store: storeOf }) => {
  let a: TestServer;
  let b: TestServer;
  const store = storeOf();
  beforeAll(async () => {
    const settings = { trustProxy: '127.0.0.1', store, limits: { ...defaultConfig().limits, publishSyncMB: 0 } };
    a = await startTestServer(settings);
    b = await startTestServer({ ...settings, dataDir: a.dataDir });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
    if (store.kind !== 'postgres') return;
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${store.postgresSchema} CASCADE; DROP SCHEMA IF EXISTS ${store.postgresSchema}_boss CASCADE`);
    await client.end();
  });

  it('throttles logons guessed on one server on the other too, for that address only', async () => {
    const attempt = (server: TestServer, password: string, ip: string) =>
      server.post<TokenReply>('/sharing/rest/generateToken', { username: 'admin', password, f: 'json' }, { 'X-Forwarded-For': ip });
    await Promise.all(Array.from({ length: 10 }, () => attempt(a, 'wrong', '10.0.0.66')));
    expect((await attempt(b, ADMIN.password, '10.0.0.66')).error.details).toEqual(['Too many invalid logon attempts. Try again later.']);
    expect((await attempt(b, ADMIN.password, '10.0.0.7')).token).toEqual(expect.any(String));
  });

  it('answers a feature query on one server by the catalog as the other left it: a new field, new sharing, a revoked token', async () => {
    // A query may take the catalog version its server read last and confirm it alongside its own
    // SQL (store/catalog-version.ts): whatever B changed before A's next query must show there.
    const token = await a.token();
    const url = await createService(a, token, 'shared_catalog', { layers: [{ name: 'P', geometryType: 'esriGeometryPoint', fields: [{ name: 'A', type: 'esriFieldTypeString' }] }] });
    const added = await a.post<EditsAnswer>(`${url}/0/addFeatures`, { f: 'json', token, features: '[{"attributes":{"A":"x"},"geometry":{"x":1,"y":2}}]' });
    expect(added.addResults[0].success).toBe(true);
    const query = (server: TestServer, params: string) => server.get<FeatureSet>(`${url}/0/query?where=1%3D1&f=json&${params}`);
    const feature = (server: TestServer, params: string) => server.get<ErrorAnswer & { feature: Feature }>(`${url}/0/1?f=json&${params}`);
    // A answers, so it holds the service and the token's user for the catalog version it read.
    expect((await query(a, `outFields=*&token=${token}`)).features[0].attributes).toEqual({ OBJECTID: 1, A: 'x' });
    expect((await query(a, 'outFields=A')).error.code).toBe(499);
    expect((await feature(a, `token=${token}`)).feature.attributes).toEqual({ OBJECTID: 1, A: 'x' });

    const admin = '/rest/admin/services/Hosted/shared_catalog/FeatureServer';
    expect(await b.post(`${admin}/0/addToDefinition`, { f: 'json', token, addToDefinition: '{"fields":[{"name":"B","type":"esriFieldTypeInteger"}]}' })).toEqual({ success: true });
    expect((await query(a, `outFields=A,B&token=${token}`)).features[0].attributes).toEqual({ A: 'x', B: null });
    expect((await feature(a, `token=${token}`)).feature.attributes).toEqual({ OBJECTID: 1, A: 'x', B: null });

    const itemId = (await a.get<ServiceJson>(`${url}?f=json&token=${token}`)).serviceItemId!;
    expect((await b.post<ErrorAnswer & { notSharedWith: string[] }>(`/sharing/rest/content/users/admin/items/${itemId}/share`, { f: 'json', token, everyone: true })).notSharedWith).toEqual([]);
    expect((await query(a, 'outFields=A')).features[0].attributes).toEqual({ A: 'x' });

    await b.addUser('reader_shared', 'user');
    const readerToken = await b.token('reader_shared', 'reader_shared-pw');
    expect((await query(a, `outFields=A&token=${readerToken}`)).features).toHaveLength(1);
    await b.context.stores.users.bumpTokenVersion('reader_shared');
    expect((await query(a, `outFields=A&token=${readerToken}`)).error.code).toBe(498);
    expect((await feature(a, `token=${readerToken}`)).error.code).toBe(498);
  });

  it('answers the status of a publish started on the other server', async () => {
    const token = await a.token(ADMIN.username, ADMIN.password, {});
    const features = Array.from({ length: 5000 }, (_, i) => ({ type: 'Feature', properties: { n: i }, geometry: { type: 'Point', coordinates: [i % 180, (i % 80) - 40] } }));
    const form = new FormData();
    form.set('f', 'json');
    form.set('token', token);
    form.set('type', 'GeoJson');
    form.set('title', 'shared');
    form.set('file', new Blob([JSON.stringify({ type: 'FeatureCollection', features })]), 'shared.geojson');
    const item = await readJson<Item>(await fetch(`${a.url}/sharing/rest/content/users/admin/addItem`, { method: 'POST', body: form }));
    const published = await a.post<AsyncPublishAnswer>('/sharing/rest/content/users/admin/publish', { f: 'json', token, itemId: item.id, filetype: 'geojson', publishParameters: JSON.stringify({ name: 'shared_async' }) });
    const service = published.services[0];
    expect(service).toMatchObject({ status: 'processing', jobId: expect.any(String) as unknown });
    const statusOn = (server: TestServer, jobId: string) =>
      server.get<PublishStatus>(`/sharing/rest/content/users/admin/items/${service.serviceItemId}/status?jobId=${jobId}&f=json&token=${token}`);
    // 5,000 features take far longer to load than one status request: b must know the job is running.
    let status = await statusOn(b, service.jobId);
    expect(status).toEqual({ status: 'processing', statusMessage: 'processing', itemId: service.serviceItemId });
    for (const end = Date.now() + 60_000; status.status === 'processing' && Date.now() < end; await new Promise((r) => setTimeout(r, 100))) {
      status = await statusOn(b, service.jobId);
    }
    expect(status).toEqual({ status: 'completed', statusMessage: 'completed', itemId: service.serviceItemId });
  });
});
