import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { createGridService, gridId } from './features-helpers.js';
import { readJson, type EditsAnswer, type FeatureSet, type ServiceJson, type SuccessAnswer, type UserJson } from '../helpers/answers.js';

const POSTGRES_URL = process.env.TESSERA_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const schema = `test_${randomBytes(6).toString('hex')}`;
const store = { kind: 'postgres' as const, postgresUrl: POSTGRES_URL, postgresSchema: schema };

// Two servers on one PostgreSQL schema, as two nodes behind a load balancer: each keeps its own
// query answer cache, keyed by the data version PostgreSQL keeps, so neither answers stale.
let a: TestServer;
let b: TestServer;
let token: string;
let grid: string;

beforeAll(async () => {
  [a, b] = [await startTestServer({ store }), await startTestServer({ store })];
  token = await a.token();
  grid = await createGridService(a, token, 'shared');
});
afterAll(async () => {
  await a?.close();
  await b?.close();
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE; DROP SCHEMA IF EXISTS ${schema}_boss CASCADE`);
  await client.end();
});

async function queryText(server: TestServer, params: Record<string, string>): Promise<FeatureSet> {
  const search = new URLSearchParams({ f: 'json', token, ...params });
  return readJson<FeatureSet>(await fetch(`${server.url}${grid}/0/query?${search}`));
}

describe('two nodes on one PostgreSQL store', () => {
  it('publish on one node, query on the other; an edit on either is never answered stale by the other', async () => {
    const params = { where: "CAT = 'A'", outFields: 'OBJECTID,NAME' };
    expect((await queryText(b, params)).features).toHaveLength(50);
    expect((await queryText(b, params)).features).toHaveLength(50); // now cached on b
    const deleted = await a.post<EditsAnswer>(`${grid}/0/deleteFeatures`, { f: 'json', token, objectIds: String(gridId(0, 0)) });
    expect(deleted.deleteResults[0].success).toBe(true);
    expect((await queryText(b, params)).features).toHaveLength(49);
    const updated = await b.post<EditsAnswer>(`${grid}/0/updateFeatures`, {
      f: 'json',
      token,
      features: JSON.stringify([{ attributes: { OBJECTID: gridId(2, 0), CAT: 'Z' } }]),
    });
    expect(updated.updateResults[0].success).toBe(true);
    expect((await queryText(a, params)).features).toHaveLength(48);
    expect((await queryText(a, { where: "CAT = 'Z'", returnCountOnly: 'true' })).count).toBe(1);
  });

  it('a sharing change, a revoked token and a deleted service on one node hold on the other at once', async () => {
    const itemId = (await b.get<ServiceJson>(`${grid}?f=json&token=${token}`)).serviceItemId!;
    const anonymous = async (server: TestServer) => readJson<FeatureSet>(await fetch(`${server.url}${grid}/0/query?where=1%3D1&returnCountOnly=true&f=json`));
    expect((await anonymous(b)).error.code).toBe(499);
    await a.post(`/sharing/rest/content/users/admin/items/${itemId}/share`, { f: 'json', token, everyone: true });
    expect((await anonymous(b)).count).toBe(99);
    await a.post(`/sharing/rest/content/users/admin/items/${itemId}/share`, { f: 'json', token, everyone: false });
    expect((await anonymous(b)).error.code).toBe(499);

    await a.addUser('viewer', 'user');
    const viewer = await a.token('viewer', 'viewer-pw');
    expect((await b.get<UserJson>(`/sharing/rest/community/self?f=json&token=${viewer}`)).username).toBe('viewer');
    await a.context.stores.users.bumpTokenVersion('viewer');
    expect((await b.get<UserJson>(`/sharing/rest/community/self?f=json&token=${viewer}`)).error.code).toBe(498);

    expect((await queryText(b, { where: '1=1', returnCountOnly: 'true' })).count).toBe(99);
    const deleted = await a.post<SuccessAnswer>('/rest/admin/services/Hosted/shared.FeatureServer/delete', { f: 'json', token });
    expect(deleted.status).toBe('success');
    expect((await queryText(b, { where: '1=1', returnCountOnly: 'true' })).error.code).toBe(404);
  });
});
