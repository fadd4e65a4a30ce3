import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedService, ErrorEnvelope, FolderJson, SuccessAnswer } from '../helpers/answers.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

let server: TestServer;
let token: string;
beforeAll(async () => {
  server = await startTestServer();
  token = await server.token();
});
afterAll(async () => server.close());

async function createFeatureService(name: string): Promise<string> {
  const created = await server.post<CreatedService>('/sharing/rest/content/users/admin/createService', {
    f: 'json',
    token,
    outputType: 'featureService',
    createParameters: JSON.stringify({ name, spatialReference: { wkid: 4326 } }),
  });
  expect(created.success).toBe(true);
  return created.itemId;
}

describe('a hosted service follows its portal item', () => {
  it('is shared and unshared with the item', async () => {
    const itemId = await createFeatureService('follows_sharing');
    const listed = async () => (await server.get<FolderJson>('/rest/services/Hosted?f=json')).services as Array<{ name: string }>;
    expect(await listed()).not.toContainEqual({ name: 'Hosted/follows_sharing', type: 'FeatureServer' });
    await server.post<unknown>(`/sharing/rest/content/users/admin/items/${itemId}/share`, { f: 'json', token, everyone: true });
    expect(await listed()).toContainEqual({ name: 'Hosted/follows_sharing', type: 'FeatureServer' });
    await server.post<unknown>(`/sharing/rest/content/users/admin/items/${itemId}/share`, { f: 'json', token, everyone: false });
    expect(await listed()).not.toContainEqual({ name: 'Hosted/follows_sharing', type: 'FeatureServer' });
  });

  it('is deleted, with its data, when the item is deleted', async () => {
    const itemId = await createFeatureService('follows_delete');
    const deleted = await server.post<SuccessAnswer>(`/sharing/rest/content/users/admin/items/${itemId}/delete`, { f: 'json', token });
    expect(deleted.success).toBe(true);
    expect(await server.context.stores.services.get('Hosted', 'follows_delete', 'FeatureServer')).toBeUndefined();
    const root = await server.get<ErrorEnvelope>(`/rest/services/Hosted/follows_delete/FeatureServer?f=json&token=${token}`);
    expect(root.error.code).toBe(404);
  });
});
