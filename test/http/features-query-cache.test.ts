import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/sqlite/database.js';
import { startTestServer, TEST_STORE, type TestServer } from '../helpers/test-server.js';
import { createGridService, gridId } from './features-helpers.js';
import type { EditsAnswer, FeatureSet, ServiceJson, SuccessAnswer } from '../helpers/answers.js';

let server: TestServer;
let token: string;
let grid: string;

beforeAll(async () => {
  server = await startTestServer();
  token = await server.token();
  grid = await createGridService(server, token, 'cached');
});
afterAll(async () => server.close());

/** A raw GET of the grid layer's query: status, headers and text. */
async function fetchQuery(params: Record<string, string>, headers: Record<string, string> = {}): Promise<{ status: number; etag: string | null; text: string }> {
  const search = new URLSearchParams({ f: 'json', token, ...params });
  const response = await fetch(`${server.url}${grid}/0/query?${search}`, { headers });
  return { status: response.status, etag: response.headers.get('etag'), text: await response.text() };
}

/** A query answer's text, parsed. */
const parseAnswer = (text: string) => JSON.parse(text) as FeatureSet;

const countOf = async (where: string) => parseAnswer((await fetchQuery({ where, returnCountOnly: 'true' })).text).count as number;

describe('query answers are cached until the data changes', () => {
  it('answers a repeated query with the same bytes and entity tag, and 304 to If-None-Match', async () => {
    const params = { where: 'POP < 30', outFields: '*', orderByFields: 'POP DESC' };
    const first = await fetchQuery(params);
    const second = await fetchQuery(params);
    expect(first.etag).toMatch(/^"[\w-]+"$/);
    expect(second).toEqual(first);
    expect(parseAnswer(first.text).features).toHaveLength(30);
    const revalidated = await fetchQuery(params, { 'if-none-match': first.etag! });
    expect(revalidated.status).toBe(304);
    expect(revalidated.text).toBe('');
    // Same parameters in another order and another token name the same answer.
    const reordered = new URLSearchParams({ orderByFields: 'POP DESC', outFields: '*', token: await server.token(), where: 'POP < 30', f: 'json' });
    const response = await fetch(`${server.url}${grid}/0/query?${reordered}`);
    expect(response.headers.get('etag')).toBe(first.etag);
  });

  it('never serves an answer older than an edit made through the API', async () => {
    const params = { where: "CAT = 'A'", outFields: 'OBJECTID,NAME' };
    const before = await fetchQuery(params);
    expect(parseAnswer(before.text).features).toHaveLength(50);
    const deleted = await server.post<EditsAnswer>(`${grid}/0/deleteFeatures`, { f: 'json', token, objectIds: String(gridId(0, 0)) });
    expect(deleted.deleteResults[0].success).toBe(true);
    const after = await fetchQuery(params);
    expect(parseAnswer(after.text).features).toHaveLength(49);
    expect(after.etag).not.toBe(before.etag);
    expect((await fetchQuery(params, { 'if-none-match': before.etag! })).status).toBe(200);
  });

  it('sees writes another process commits to the dataset', async () => {
    const before = await countOf('POP >= 0');
    const service = await server.get<ServiceJson>(`${grid}?f=json&token=${token}`);
    if (TEST_STORE === 'postgres') {
      await server.sql(`DELETE FROM "fd_${service.serviceItemId!}_0" WHERE "POP" = 99`);
      expect(await countOf('POP >= 0')).toBe(before - 1);
      return;
    }
    const db = openDatabase(path.join(server.dataDir, 'features', `${service.serviceItemId!}.sqlite`), { spatialite: true });
    try {
      db.prepare('DELETE FROM layer_0 WHERE "POP" = 99').run();
    } finally {
      db.close();
    }
    expect(await countOf('POP >= 0')).toBe(before - 1);
  });

  it('follows a change of the layer definition', async () => {
    const params = { where: 'POP = 5', outFields: 'NAME' };
    expect(parseAnswer((await fetchQuery(params)).text).fields[0].alias).toBe('Name');
    const updated = await server.post<SuccessAnswer>(`/rest/admin/services/Hosted/cached/FeatureServer/0/updateDefinition`, {
      f: 'json',
      token,
      updateDefinition: JSON.stringify({ fields: [{ name: 'NAME', alias: 'Place name' }] }),
    });
    expect(updated.success).toBe(true);
    expect(parseAnswer((await fetchQuery(params)).text).fields[0].alias).toBe('Place name');
  });

  it('wraps a cached answer for each JSONP callback', async () => {
    const params = { where: 'POP = 7', outFields: 'POP' };
    await fetchQuery(params);
    const wrapped = await fetchQuery({ ...params, callback: 'show' });
    expect(wrapped.text).toMatch(/^show\(\{.*\}\);$/s);
    expect(parseAnswer(wrapped.text.slice(5, -2)).features[0].attributes.POP).toBe(7);
  });

  it('does not keep answers that depend on the clock', async () => {
    const answer = await fetchQuery({ where: 'WHEN < CURRENT_DATE', returnCountOnly: 'true' });
    expect(answer.etag).toBeNull();
    expect(parseAnswer(answer.text).count).toBeGreaterThan(90);
  });
});
