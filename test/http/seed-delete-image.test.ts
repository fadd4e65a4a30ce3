import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorEnvelope, ImageServiceJson } from '../helpers/answers.js';
import type { TestServer } from '../helpers/test-server.js';
import { RASTER_ANALYSIS, runJob, waitForJob } from './imagery-http.js';
import { collectionState, makeCollection, messagesOf, startShareServer } from './seed-image-collection-helpers.js';

/**
 * Seed document 001 (DeleteImage), row by row: imageCollection as {"itemId"}, {"url"}, {"uri"} and a
 * plain name; where (required) in the document's form `"OBJECTID=10"` (quoted, as its example
 * writes it) and other SQL; all rows selected empties but keeps the collection; sources are never
 * removed; f (html by default); the result `{"url": …}`. Bad input changes nothing.
 */
describe('seed conformance: DeleteImage', () => {
  let server: TestServer;
  let token: string;
  let share: string;
  let n = 0;
  const sources = () => readdirSync(share).sort();

  let stop: () => Promise<void>;
  beforeAll(async () => {
    ({ server, token, share, close: stop } = await startShareServer());
  });
  afterAll(async () => stop?.());

  it('imageCollection: {"itemId"}, {"url"}, {"uri"} and a name each select the collection; the result is {"url"}', async () => {
    for (const form of ['itemId', 'url', 'uri', 'name'] as const) {
      const name = `di${++n}`;
      const made = await makeCollection(server, token, name);
      const imageCollection = form === 'itemId' ? { itemId: made.itemId } : form === 'url' ? { url: made.url } : form === 'uri' ? { uri: name } : name;
      const job = await runJob(server, 'DeleteImage', { imageCollection, where: "Name = 'utm-rgb'" }, token);
      expect(job.jobStatus, `${form}: ${messagesOf(job)}`).toBe('esriJobSucceeded');
      expect(job.results.result).toEqual({ paramName: 'result', dataType: 'GPString', value: { url: made.url } });
      const state = await collectionState(server, name);
      expect(state.rows, form).toEqual(['mercator-float', 'wgs84-dem']);
      expect(state.files, form).toHaveLength(2);
    }
  });

  it('where: the document\'s quoted "OBJECTID=10" form, LIKE, IN, and Shape IS NOT NULL', async () => {
    const name = `di${++n}`;
    const made = await makeCollection(server, token, name);
    const first = await runJob(server, 'DeleteImage', { imageCollection: { url: made.url }, where: '"OBJECTID=1"' }, token);
    expect(first.jobStatus, messagesOf(first)).toBe('esriJobSucceeded');
    expect((await collectionState(server, name)).rows).toEqual(['mercator-float', 'wgs84-dem']);
    const second = await runJob(server, 'DeleteImage', { imageCollection: { url: made.url }, where: "Name LIKE 'wgs%' OR OBJECTID IN (99, 100)" }, token);
    expect(second.jobStatus, messagesOf(second)).toBe('esriJobSucceeded');
    expect((await collectionState(server, name)).rows).toEqual(['mercator-float']);
  });

  it('selecting every image empties the collection but keeps it, its service and item; sources stay', async () => {
    const name = `di${++n}`;
    const made = await makeCollection(server, token, name);
    const job = await runJob(server, 'DeleteImage', { imageCollection: { url: made.url }, where: '1=1' }, token);
    expect(job.jobStatus, messagesOf(job)).toBe('esriJobSucceeded');
    expect(await collectionState(server, name)).toEqual({ rows: [], files: [], service: true, item: true });
    expect(sources()).toEqual(['mercator-float.tif', 'utm-rgb.tif', 'wgs84-dem.tif']);
    const info = await server.get<ImageServiceJson>(`/rest/services/Hosted/${name}/ImageServer?f=json&token=${token}`);
    expect(info.name).toBe(name);
  });

  it('a where that selects nothing succeeds with a warning and changes nothing', async () => {
    const name = `di${++n}`;
    const made = await makeCollection(server, token, name);
    const before = await collectionState(server, name);
    const job = await runJob(server, 'DeleteImage', { imageCollection: { url: made.url }, where: "Name = 'none'" }, token);
    expect(job.jobStatus).toBe('esriJobSucceeded');
    expect(job.messages.some((m) => m.type === 'esriJobMessageTypeWarning')).toBe(true);
    expect(await collectionState(server, name)).toEqual(before);
  });

  it('f: submitJob without f answers HTML; f=json answers {jobId, jobStatus}', async () => {
    const made = await makeCollection(server, token, `di${++n}`);
    const body = new URLSearchParams({ imageCollection: JSON.stringify({ url: made.url }), where: "Name = 'none'", token });
    const html = await fetch(`${server.url}${RASTER_ANALYSIS}/DeleteImage/submitJob`, { method: 'POST', body, redirect: 'manual' });
    expect(html.headers.get('content-type')).toMatch(/text\/html/);
    const jobId = /(j[0-9a-f]{32})/.exec(await html.text())![1]!;
    expect((await waitForJob(server, 'DeleteImage', jobId, token)).jobStatus).toBe('esriJobSucceeded');
    body.set('f', 'json');
    expect(await (await fetch(`${server.url}${RASTER_ANALYSIS}/DeleteImage/submitJob`, { method: 'POST', body })).json()).toEqual({ jobId: expect.stringMatching(/^j/) as string, jobStatus: 'esriJobSubmitted' });
  });

  it('bad input changes nothing: missing where, unknown field, injection, a missing collection, malformed JSON', async () => {
    const name = `di${++n}`;
    const made = await makeCollection(server, token, name);
    const before = await collectionState(server, name);
    const missing = await server.post<Partial<ErrorEnvelope>>(`${RASTER_ANALYSIS}/DeleteImage/submitJob`, { f: 'json', token, imageCollection: JSON.stringify({ url: made.url }) });
    expect(missing.error?.code).toBe(400);
    const malformed = await server.post<Partial<ErrorEnvelope>>(`${RASTER_ANALYSIS}/DeleteImage/submitJob`, { f: 'json', token, imageCollection: '{"url": ', where: '1=1' });
    expect(malformed.error?.code).toBe(400);
    for (const where of ['NOPE = 1', "Name = 'x'; DELETE FROM catalog --", "Name = '' OR 1=1 --", 'OBJECTID IN (SELECT 1)', '(((']) {
      const job = await runJob(server, 'DeleteImage', { imageCollection: { url: made.url }, where }, token);
      expect(job.jobStatus, where).toBe('esriJobFailed');
      expect(messagesOf(job), where).toMatch(/where/i);
    }
    for (const imageCollection of [{ itemId: 'b'.repeat(32) }, { url: `${server.url}/rest/services/Hosted/nosuch/ImageServer` }, { uri: 'nosuch' }]) {
      const job = await runJob(server, 'DeleteImage', { imageCollection, where: '1=1' }, token);
      expect(job.jobStatus).toBe('esriJobFailed');
      expect(messagesOf(job)).toMatch(/does not exist/);
    }
    expect(await collectionState(server, name)).toEqual(before);
    expect(existsSync(path.join(share, 'utm-rgb.tif'))).toBe(true);
  });
});
