import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../../src/config.js';
import { readJson, type AsyncPublishAnswer, type Item, type PublishStatus } from '../../helpers/answers.js';
import { startTestServer, type TestServer } from '../../helpers/test-server.js';

let server: TestServer;
let token: string;
beforeAll(async () => {
  // Every file counts as large here, so every publish runs as a job.
  server = await startTestServer({ limits: { ...defaultConfig().limits, publishSyncMB: 0 } });
  token = await server.token();
});
afterAll(async () => server.close());

describe('publishing a large file', () => {
  it('answers at once with a job whose status turns completed when the features are in', async () => {
    const features = Array.from({ length: 3000 }, (_, i) => ({ type: 'Feature', properties: { n: i }, geometry: { type: 'Point', coordinates: [i % 180, (i % 80) - 40] } }));
    const form = new FormData();
    form.set('f', 'json');
    form.set('token', token);
    form.set('type', 'GeoJson');
    form.set('title', 'big');
    form.set('file', new Blob([JSON.stringify({ type: 'FeatureCollection', features })]), 'big.geojson');
    const item = await readJson<Item>(await fetch(`${server.url}/sharing/rest/content/users/admin/addItem`, { method: 'POST', body: form }));
    const published = await server.post<AsyncPublishAnswer>('/sharing/rest/content/users/admin/publish', { f: 'json', token, itemId: item.id, filetype: 'geojson', publishParameters: JSON.stringify({ name: 'big_async' }) });
    const service = published.services[0];
    expect(service).toMatchObject({ status: 'processing', jobId: expect.any(String) as unknown, serviceurl: `${server.url}/rest/services/Hosted/big_async/FeatureServer` });
    let status: PublishStatus | undefined;
    for (const end = Date.now() + 60_000; Date.now() < end; await new Promise((r) => setTimeout(r, 100))) {
      status = await server.get<PublishStatus>(`/sharing/rest/content/users/admin/items/${service.serviceItemId}/status?jobId=${service.jobId}&f=json&token=${token}`);
      if (status.status !== 'processing') break;
    }
    expect(status).toEqual({ status: 'completed', statusMessage: 'completed', itemId: service.serviceItemId });
    const count = await server.get<unknown>(`/rest/services/Hosted/big_async/FeatureServer/0/query?where=1%3D1&returnCountOnly=true&f=json&token=${token}`);
    expect(count).toEqual({ count: 3000 });
  });
});
