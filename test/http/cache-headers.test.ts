import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJson, type ErrorAnswer } from '../helpers/answers.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { createGridService } from './features-helpers.js';

/**
 * HTTP caches (browsers, QGIS's disk cache) key answers by URL. A token travelling in a header
 * does not change the URL, so token-dependent answers must not be stored, errors (a "Token
 * Required" above all) must never be, and every answer varies on the token headers.
 */
describe('cache headers', () => {
  let server: TestServer;
  let token: string;
  let layer: string;

  beforeAll(async () => {
    server = await startTestServer();
    token = await server.token();
    layer = `${await createGridService(server, token, 'cached')}/0`; // private to admin
  });
  afterAll(() => server?.close());

  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${server.url}${path}`, { headers });

  it('sends "Token Required" with no-store, so the answer signed in is fetched afresh', async () => {
    const anonymous = await get(`${layer}?f=json`);
    expect((await readJson<ErrorAnswer>(anonymous)).error.code).toBe(499);
    expect(anonymous.headers.get('cache-control')).toBe('no-store');
    expect(anonymous.headers.get('vary')).toMatch(/X-Esri-Authorization, Authorization/);
  });

  it('marks answers to a token in a header or a parameter private and unstored', async () => {
    for (const [path, headers] of [
      [`${layer}?f=json`, { 'X-Esri-Authorization': `Bearer ${token}` }],
      [`${layer}?f=json`, { Authorization: `Bearer ${token}` }],
      [`${layer}?f=json&token=${token}`, {}],
      [`/sharing/rest/portals/self?f=json&token=${token}`, {}],
    ] as const) {
      const response = await get(path, headers);
      expect((await readJson<ErrorAnswer>(response)).error, path).toBeUndefined();
      expect(response.headers.get('cache-control'), path).toBe('private, no-store');
      expect(response.headers.get('vary'), path).toMatch(/X-Esri-Authorization, Authorization/);
    }
  });

  it('revalidates a signed-in query answer by its ETag instead of dropping it', async () => {
    const url = `${layer}/query?where=1%3D1&outFields=*&f=json`;
    const headers = { 'X-Esri-Authorization': `Bearer ${token}` };
    const first = await get(url, headers);
    const etag = first.headers.get('etag');
    expect(etag).toBeTruthy();
    expect(first.headers.get('cache-control')).toBe('private, no-cache');
    const again = await get(url, { ...headers, 'If-None-Match': etag! });
    expect(again.status).toBe(304);
  });

  it('leaves public anonymous answers cacheable by their ETag', async () => {
    const info = await get('/rest/info?f=json');
    expect(info.headers.get('cache-control')).toBeNull();
    expect(info.headers.get('vary')).toMatch(/X-Esri-Authorization, Authorization/);
    const services = await get('/rest/services?f=json');
    expect(services.headers.get('cache-control')).toBeNull();
  });
});
