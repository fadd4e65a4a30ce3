import { ArcGISIdentityManager, request } from '@esri/arcgis-rest-request';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorAnswer } from '../helpers/answers.js';
import { ADMIN, startTestServer, type TestServer } from '../helpers/test-server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server.close());

describe('token exchange for server URLs', () => {
  it('lets an identity signed in to the portal call server resources (token + serverUrl)', async () => {
    const session = await ArcGISIdentityManager.signIn({ ...ADMIN, portal: `${server.url}/sharing/rest` });
    const serverUrl = `${server.url}/rest/services`;
    const token = await session.getToken(`${serverUrl}/System/RasterAnalysisTools/GPServer`);
    expect(token).toMatch(/\./);
    const catalog: unknown = await request(serverUrl, { authentication: session, httpMethod: 'GET' });
    expect(catalog).toHaveProperty('currentVersion');
  });

  it('refuses the exchange with a bad portal token', async () => {
    const body = await server.post<ErrorAnswer>('/sharing/rest/generateToken', { token: 'bad.token', serverUrl: server.url, f: 'json' });
    expect(body.error.code).toBe(498);
  });
});
