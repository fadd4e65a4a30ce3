import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogStoreFor } from '../../src/imagery/store/open-catalog-store.js';
import { makeGeoTiffs } from '../fixtures/raster/make-geotiffs.js';
import { readJson, type AddItemAnswer, type CreatedService, type ErrorEnvelope, type ImageServiceJson, type Item, type JobParameter, type OutputValue } from '../helpers/answers.js';
import type { TestServer } from '../helpers/test-server.js';
import { RASTER_ANALYSIS, runJob, waitForJob } from './imagery-http.js';
import { startShareServer } from './seed-image-collection-helpers.js';

/**
 * Seed document 002 (CreateImageCollection), row by row: every inputRasters form, the output
 * imageCollection forms (including the service the ArcGIS API for Python pre-creates), rasterType,
 * context.outSR, f (html by default), the job and result resources, and refusals that create
 * nothing.
 */
describe('seed conformance: CreateImageCollection', () => {
  let server: TestServer;
  let token: string;
  let share: string;
  const task = `${RASTER_ANALYSIS}/CreateImageCollection`;
  const rows = async (name: string) => {
    const catalog = catalogStoreFor(server.context.config);
    const collection = await catalog.getCollection(name);
    return collection ? (await catalog.queryItems(collection.id, {})).map((r) => ({ name: r.name, byValue: r.byValue, path: r.path })) : [];
  };
  const messages = (job: { messages: Array<{ description: string }> }) => job.messages.map((m) => m.description).join(' | ');

  async function uploadItem(file: string, extra: Record<string, string> = {}): Promise<string> {
    const form = new FormData();
    for (const [k, v] of Object.entries({ f: 'json', token, type: 'Image', title: path.basename(file), ...extra })) form.set(k, v);
    form.set('file', new Blob([readFileSync(file)]), path.basename(file));
    const response = await readJson<AddItemAnswer>(await fetch(`${server.url}/sharing/rest/content/users/admin/addItem`, { method: 'POST', body: form }));
    if (!response.success) throw new Error(JSON.stringify(response));
    return response.id;
  }

  let stop: () => Promise<void>;
  beforeAll(async () => {
    ({ server, token, share, close: stop } = await startShareServer());
  });
  afterAll(async () => stop?.());

  it('the ArcGIS API for Python flow: isServiceNameAvailable, createService(imageService), then the job fills that service', async () => {
    const available = await server.get<unknown>(`/sharing/rest/portals/self/isServiceNameAvailable?name=pyout&serviceType=Image%20Service&f=json&token=${token}`);
    expect(available).toEqual({ available: true });
    const created = await server.post<CreatedService>('/sharing/rest/content/users/admin/createService', {
      f: 'json',
      token,
      outputType: 'imageService',
      createParameters: JSON.stringify({ name: 'pyout', description: '', capabilities: 'Image, Metadata', properties: { path: '@', description: '', copyright: '' } }),
    });
    expect(created).toMatchObject({ success: true, type: 'Image Service', name: 'pyout', serviceurl: `${server.url}/rest/services/Hosted/pyout/ImageServer` });
    expect(await server.get<unknown>(`/sharing/rest/portals/self/isServiceNameAvailable?name=pyout&serviceType=Image%20Service&f=json&token=${token}`)).toEqual({ available: false });
    const item = await server.get<Item>(`/sharing/rest/content/items/${created.itemId}?f=json&token=${token}`);
    expect(item).toMatchObject({ type: 'Image Service', url: created.serviceurl, owner: 'admin' });

    const job = await runJob(
      server,
      'CreateImageCollection',
      {
        inputRasters: { uris: ['/share/utm-rgb.tif'] },
        imageCollection: { serviceProperties: { name: 'pyout', serviceUrl: created.serviceurl }, itemProperties: { itemId: created.itemId } },
        rasterType: { rasterTypeName: 'Raster Dataset' },
        context: { outSR: { wkid: 32611 } },
      },
      token,
    );
    expect(job.jobStatus, messages(job)).toBe('esriJobSucceeded');
    expect(job.results.result).toEqual({ paramName: 'result', dataType: 'GPString', value: { itemId: created.itemId, url: created.serviceurl } });
    const info = await server.get<ImageServiceJson>(`/rest/services/Hosted/pyout/ImageServer?f=json&token=${token}`);
    expect(info).toMatchObject({ name: 'pyout', bandCount: 3, spatialReference: { wkid: 32611 } });
    expect(await rows('pyout')).toHaveLength(1);
    // A second createService with the same name is refused.
    const again = await server.post<ErrorEnvelope>('/sharing/rest/content/users/admin/createService', { f: 'json', token, outputType: 'imageService', createParameters: JSON.stringify({ name: 'pyout' }) });
    expect(again.error).toBeDefined();
  });

  it('f: submitJob without f redirects to the HTML job page, never with the token in Location', async () => {
    const body = new URLSearchParams({
      inputRasters: '{"uri": "/share/utm-rgb.tif"}',
      imageCollection: 'htmlcol',
      rasterType: 'Raster Dataset',
      context: '{"outSR": 32611}',
    });
    const viaHeader = await fetch(`${server.url}${task}/submitJob`, { method: 'POST', body, headers: { 'X-Esri-Authorization': `Bearer ${token}` }, redirect: 'manual' });
    expect(viaHeader.status).toBe(302);
    const location = viaHeader.headers.get('location')!;
    expect(location).toMatch(/\/CreateImageCollection\/jobs\/j[0-9a-f]+\?f=html$/);
    expect(location).not.toContain(token);
    const jobId = /jobs\/(j[0-9a-f]+)/.exec(location)![1]!;
    await waitForJob(server, 'CreateImageCollection', jobId, token);

    // With the token as a parameter: the job page itself, so the token never travels in a header.
    body.set('imageCollection', 'htmlcol2');
    body.set('token', token);
    const viaParam = await fetch(`${server.url}${task}/submitJob`, { method: 'POST', body, redirect: 'manual' });
    expect(viaParam.status).toBe(200);
    expect(viaParam.headers.get('content-type')).toMatch(/text\/html/);
    expect(viaParam.headers.get('location')).toBeNull();
    const page = await viaParam.text();
    const second = /(j[0-9a-f]{32})/.exec(page)![1]!;
    await waitForJob(server, 'CreateImageCollection', second, token);

    // jobs/<id> and results without f: HTML too; f=json: JSON.
    for (const suffix of ['', '/results', '/results/result']) {
      const html = await fetch(`${server.url}${task}/jobs/${jobId}${suffix}?token=${token}`);
      expect(html.headers.get('content-type'), suffix).toMatch(/text\/html/);
      const json = await server.get<Partial<ErrorEnvelope>>(`${task}/jobs/${jobId}${suffix}?f=json&token=${token}`);
      expect(json.error, suffix).toBeUndefined();
    }
    const done = await server.get<JobParameter<OutputValue>>(`${task}/jobs/${jobId}/results/result?f=json&token=${token}`);
    expect(done.value.url).toBe(`${server.url}/rest/services/Hosted/htmlcol/ImageServer`);
  });

  it('inputRasters: itemIds, itemId, uris, uri, url of a collection and urls of raster files, by value and by reference', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tessera-items-'));
    const tiffs = await makeGeoTiffs(dir);
    const a = await uploadItem(tiffs.utmRgb.path);
    const b = await uploadItem(tiffs.wgs84Dem.path);
    const publicItem = await uploadItem(tiffs.mercatorFloat.path, { access: 'public' });
    await server.post<unknown>(`/sharing/rest/content/users/admin/items/${publicItem}/share`, { f: 'json', token, everyone: 'true' });
    rmSync(dir, { recursive: true, force: true });
    const fileUrl = `${server.url}/sharing/rest/content/items/${publicItem}/data`;
    const forms: Array<[string, Record<string, unknown>, number, boolean]> = [
      ['itemids', { itemIds: [a, b] }, 2, true],
      ['itemid', { itemId: a }, 1, true],
      ['uris', { uris: ['/share/utm-rgb.tif', '/fileShares/share/wgs84-dem.tif'] }, 2, true],
      ['uriref', { uri: '/share/utm-rgb.tif', byref: true }, 1, false],
      ['urisref', { uris: ['/share/utm-rgb.tif', '/share/mercator-float.tif'], byref: 'true' }, 2, false],
      ['urlfile', { urls: [fileUrl] }, 1, true],
      ['urlfileref', { url: fileUrl, byref: true }, 1, false],
      ['urlcol', { url: `${server.url}/rest/services/Hosted/itemids/ImageServer` }, 2, true],
    ];
    for (const [name, inputRasters, count, byValue] of forms) {
      const job = await runJob(server, 'CreateImageCollection', { inputRasters, imageCollection: name, rasterType: 'Raster Dataset', context: { outSR: { wkid: 3857 } } }, token);
      expect(job.jobStatus, `${name}: ${messages(job)}`).toBe('esriJobSucceeded');
      const made = await rows(name);
      expect(made, name).toHaveLength(count);
      expect(made.every((r) => r.byValue === byValue), name).toBe(true);
    }
  });

  it('relaxed JSON, as the documents write it, in every JSON-valued parameter', async () => {
    const job = await runJob(
      server,
      'CreateImageCollection',
      {
        inputRasters: "{uris: ['/share/utm-rgb.tif'], byref: true,}",
        imageCollection: '{serviceProperties: {name: "relaxed"}}',
        rasterType: "{rasterTypeName: 'Raster Dataset'}",
        context: '{outSR: {wkid: 4326}}',
      },
      token,
    );
    expect(job.jobStatus, messages(job)).toBe('esriJobSucceeded');
    expect(await rows('relaxed')).toHaveLength(1);
  });

  it('every raster type the document lists is known (an unknown one fails the job, naming it)', async () => {
    for (const rasterTypeName of ['UAV/UAS', 'Aerial', 'ScannedAerial', 'Landsat 7 ETM+', 'Landsat 8', 'Sentinel-2', 'ZY3-SASMAC', 'ZY3-CRESDA']) {
      // A plain GeoTIFF is not a scene of these types: the job may fail, but never as an unknown or unsupported type.
      const job = await runJob(server, 'CreateImageCollection', { inputRasters: { uri: '/share/utm-rgb.tif' }, imageCollection: `t${rasterTypeName.replace(/\W/g, '')}`, rasterType: { rasterTypeName }, context: { outSR: { wkid: 32611 } } }, token);
      expect(messages(job), rasterTypeName).not.toMatch(/not supported|unknown raster type/i);
    }
    const unknown = await runJob(server, 'CreateImageCollection', { inputRasters: { uri: '/share/utm-rgb.tif' }, imageCollection: 'nosuchtype', rasterType: { rasterTypeName: 'Hyperwave-9' } }, token);
    expect(unknown.jobStatus).toBe('esriJobFailed');
    expect(messages(unknown)).toMatch(/Hyperwave-9/);
    expect(await rows('nosuchtype')).toEqual([]);
  });

  it('imageCollection {"uri": "/fileShares/<share>/<name>"}: the collection keeps its copies in that new data-store folder, and deleting it removes them', async () => {
    const uri = '/fileShares/share/oc_uri';
    const job = await runJob(server, 'CreateImageCollection', { inputRasters: { uris: ['/share/utm-rgb.tif', '/share/wgs84-dem.tif'] }, imageCollection: { uri }, rasterType: 'Raster Dataset', context: { outSR: { wkid: 3857 } } }, token);
    expect(job.jobStatus, messages(job)).toBe('esriJobSucceeded');
    expect(job.results.result.value.url).toBe(`${server.url}/rest/services/Hosted/oc_uri/ImageServer`);
    const made = await rows('oc_uri');
    expect(made).toHaveLength(2);
    const folder = path.join(share, 'oc_uri');
    for (const row of made) expect(row.path.startsWith(`${folder}${path.sep}`), row.path).toBe(true);
    expect(existsSync(path.join(server.dataDir, 'rasters', 'oc_uri'))).toBe(false);
    const info = await server.get<ImageServiceJson>(`/rest/services/Hosted/oc_uri/ImageServer?f=json&token=${token}`);
    expect(info.bandCount).toBe(3);

    const removed = await runJob(server, 'DeleteImage', { imageCollection: { uri: 'oc_uri' }, where: "Name = 'utm-rgb'" }, token);
    expect(removed.jobStatus, messages(removed)).toBe('esriJobSucceeded');
    expect(existsSync(made.find((r) => r.name === 'utm-rgb')!.path)).toBe(false);
    const deleted = await runJob(server, 'DeleteImageCollection', { imageCollection: { url: job.results.result.value.url } }, token);
    expect(deleted.jobStatus, messages(deleted)).toBe('esriJobSucceeded');
    expect(existsSync(folder)).toBe(false);
    // The sources beside it are untouched.
    expect(existsSync(path.join(share, 'utm-rgb.tif'))).toBe(true);

    // Outside every data store, or into a folder that already holds files: refused, nothing made.
    for (const bad of ['/nowhere/oc_bad', '/fileShares/share', 's3://bucket/oc_s3']) {
      const refused = await runJob(server, 'CreateImageCollection', { inputRasters: { uri: '/share/utm-rgb.tif' }, imageCollection: { uri: bad }, rasterType: 'Raster Dataset', context: { outSR: { wkid: 3857 } } }, token);
      expect(refused.jobStatus, bad).toBe('esriJobFailed');
    }
    expect(readdirSync(share).sort()).toEqual(['mercator-float.tif', 'utm-rgb.tif', 'wgs84-dem.tif']);
  });

  it('context.outSR is required to create a collection, for every type but UAV/UAS (which derives it from GPS)', async () => {
    for (const rasterTypeName of ['Raster Dataset', 'Aerial', 'ScannedAerial', 'Landsat 8']) {
      const job = await runJob(server, 'CreateImageCollection', { inputRasters: { uri: '/share/utm-rgb.tif' }, imageCollection: 'nosr', rasterType: { rasterTypeName } }, token);
      expect(job.jobStatus, rasterTypeName).toBe('esriJobFailed');
      expect(messages(job), rasterTypeName).toMatch(/context\.outSR is required/);
    }
    expect(await rows('nosr')).toEqual([]);
  });

  it('refusals create nothing: missing required parameters, malformed JSON, an existing name', async () => {
    const servicesBefore = (await server.context.stores.services.list()).length;
    const base = { inputRasters: '{"uri":"/share/utm-rgb.tif"}', imageCollection: 'refused', rasterType: 'Raster Dataset', f: 'json', token };
    for (const missing of ['inputRasters', 'imageCollection', 'rasterType']) {
      const { [missing]: _dropped, ...params } = base as Record<string, string>;
      const answer = await server.post<Partial<ErrorEnvelope>>(`${task}/submitJob`, params);
      expect(answer.error?.code, missing).toBe(400);
    }
    expect((await server.post<Partial<ErrorEnvelope>>(`${task}/submitJob`, { ...base, inputRasters: '{"uri": ' })).error?.code).toBe(400);
    const duplicate = await runJob(server, 'CreateImageCollection', { inputRasters: { uri: '/share/utm-rgb.tif' }, imageCollection: 'itemids', rasterType: 'Raster Dataset' }, token);
    expect(duplicate.jobStatus).toBe('esriJobFailed');
    expect(messages(duplicate)).toMatch(/already exists/);
    expect(await rows('itemids')).toHaveLength(2);
    expect((await server.context.stores.services.list()).length).toBe(servicesBefore);
  });
});
