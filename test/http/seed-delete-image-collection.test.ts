import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorEnvelope } from '../helpers/answers.js';
import type { TestServer } from '../helpers/test-server.js';
import { RASTER_ANALYSIS, runJob, waitForJob } from './imagery-http.js';
import { collectionState, makeCollection, messagesOf, startShareServer } from './seed-image-collection-helpers.js';

/**
 * Seed document 000 (DeleteImageCollection), row by row: imageCollection as {"itemId"}, {"url"},
 * {"uri"} (case-sensitive keys) and a name; the service, its portal item and our copies go, the
 * source images stay; the result is a Boolean; f (html by default). A collection that does not
 * exist, another owner's, or one on another server: the job fails and nothing changes.
 */
describe('seed conformance: DeleteImageCollection', () => {
  let server: TestServer;
  let token: string;
  let share: string;
  let n = 0;
  const gone = { rows: [], files: [], service: false, item: false };

  let stop: () => Promise<void>;
  beforeAll(async () => {
    ({ server, token, share, close: stop } = await startShareServer());
    await server.addUser('pub', 'publisher');
  });
  afterAll(async () => stop?.());

  it('imageCollection: {"itemId"}, {"url"}, {"uri"} and a name; the result is true; sources stay', async () => {
    for (const form of ['itemId', 'url', 'uri', 'name'] as const) {
      const name = `dc${++n}`;
      const made = await makeCollection(server, token, name);
      const imageCollection = form === 'itemId' ? { itemId: made.itemId } : form === 'url' ? { url: made.url } : form === 'uri' ? { uri: name } : name;
      const job = await runJob(server, 'DeleteImageCollection', { imageCollection }, token);
      expect(job.jobStatus, `${form}: ${messagesOf(job)}`).toBe('esriJobSucceeded');
      expect(job.results.result).toEqual({ paramName: 'result', dataType: 'GPBoolean', value: true });
      expect(await collectionState(server, name), form).toEqual(gone);
      expect((await server.get<Partial<ErrorEnvelope>>(`/sharing/rest/content/items/${made.itemId}?f=json&token=${token}`)).error).toBeDefined();
      expect((await server.get<Partial<ErrorEnvelope>>(`/rest/services/Hosted/${name}/ImageServer?f=json&token=${token}`)).error).toBeDefined();
    }
    expect(readdirSync(share).sort()).toEqual(['mercator-float.tif', 'utm-rgb.tif', 'wgs84-dem.tif']);
  });

  it('f: without f, submitJob and the job resources answer HTML', async () => {
    const made = await makeCollection(server, token, `dc${++n}`);
    const body = new URLSearchParams({ imageCollection: JSON.stringify({ url: made.url }), token });
    const html = await fetch(`${server.url}${RASTER_ANALYSIS}/DeleteImageCollection/submitJob`, { method: 'POST', body, redirect: 'manual' });
    expect(html.headers.get('content-type')).toMatch(/text\/html/);
    const jobId = /(j[0-9a-f]{32})/.exec(await html.text())![1]!;
    expect((await waitForJob(server, 'DeleteImageCollection', jobId, token)).jobStatus).toBe('esriJobSucceeded');
    const results = await fetch(`${server.url}${RASTER_ANALYSIS}/DeleteImageCollection/jobs/${jobId}/results?token=${token}`);
    expect(results.headers.get('content-type')).toMatch(/text\/html/);
  });

  it('a missing collection, wrong key case, another owner\'s collection, another server\'s URL: failed job, nothing changed', async () => {
    const name = `dc${++n}`;
    const made = await makeCollection(server, token, name);
    const before = await collectionState(server, name);
    const pub = await server.token('pub', 'pub-pw');
    const cases: Array<[unknown, string]> = [
      [{ itemId: 'c'.repeat(32) }, token],
      [{ url: `${server.url}/rest/services/Hosted/nosuch/ImageServer` }, token],
      [{ uri: 'nosuch' }, token],
      [{ URL: made.url }, token],
      [{ url: made.url.replace('127.0.0.1', 'example.com') }, token],
      [{ url: made.url }, pub],
    ];
    for (const [imageCollection, who] of cases) {
      const job = await runJob(server, 'DeleteImageCollection', { imageCollection }, who);
      expect(job.jobStatus, JSON.stringify(imageCollection)).toBe('esriJobFailed');
      expect(await collectionState(server, name)).toEqual(before);
    }
    const missing = await server.post<Partial<ErrorEnvelope>>(`${RASTER_ANALYSIS}/DeleteImageCollection/submitJob`, { f: 'json', token });
    expect(missing.error?.code).toBe(400);
  });
});
