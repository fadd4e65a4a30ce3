import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedService, ErrorAnswer, GPServiceJson, GPTaskJson, InfoAnswer, Item, JobParameter, JobStatus, PortalSelf, ServiceJson } from '../helpers/answers.js';
import type { TestServer, TokenAnswer } from '../helpers/test-server.js';
import { ADMIN } from '../helpers/test-server.js';
import { RASTER_ANALYSIS } from './imagery-http.js';
import { startShareServer } from './seed-image-collection-helpers.js';

/**
 * The ArcGIS API for Python's requests for `arcgis.raster.analytics.create_image_collection`,
 * replayed in order as its source sends them (the package cannot be installed here): `GIS()`
 * sign-in, `is_supported` (helperServices.rasterAnalytics), the federated-server token it trades
 * for on "Token Required" and then sends as `X-Esri-Authorization`, tool discovery, the output
 * service it pre-creates, the job it polls with POSTs, the results, the item updates and sharing.
 */
describe('ArcGIS API for Python: create_image_collection', () => {
  let server: TestServer;
  let stop: () => Promise<void>;
  beforeAll(async () => {
    ({ server, close: stop } = await startShareServer());
  });
  afterAll(async () => stop?.());

  const form = (values: Record<string, unknown>) => new URLSearchParams(Object.entries(values).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
  const post = async <T>(url: string, values: Record<string, unknown>, headers: Record<string, string> = {}) =>
    (await (await fetch(url.startsWith('http') ? url : `${server.url}${url}`, { method: 'POST', body: form(values), headers })).json()) as T;
  const get = async <T>(url: string, headers: Record<string, string> = {}) => (await (await fetch(url.startsWith('http') ? url : `${server.url}${url}`, { headers })).json()) as T;

  it('signs in, finds Raster Analysis, pre-creates the output, runs the job, updates and shares the item', async () => {
    // GIS(url, username, password): portal info, a portal token, portals/self, the user.
    const info = await get<InfoAnswer>('/sharing/rest/info?f=json');
    expect(info.authInfo).toMatchObject({ isTokenBasedSecurity: true, tokenServicesUrl: `${server.url}/sharing/rest/generateToken` });
    const signedIn = await post<TokenAnswer>(info.authInfo.tokenServicesUrl, { username: ADMIN.username, password: ADMIN.password, referer: 'http', expiration: 60, f: 'json' });
    const token = signedIn.token!;
    expect(token).toBeTruthy();
    const self = await get<PortalSelf>(`/sharing/rest/portals/self?f=json&token=${token}`);
    expect(self.isPortal).toBe(true);
    expect(self.user!.username).toBe(ADMIN.username);
    const user = await get<unknown>(`/sharing/rest/community/users/${ADMIN.username}?f=json&token=${token}`);
    expect(user).toMatchObject({ username: ADMIN.username, role: 'org_admin' });

    // arcgis.raster.analytics.is_supported(gis), then gis._tools.rasteranalysis.
    expect(Object.keys(self.helperServices)).toContain('rasterAnalytics');
    const toolsUrl = self.helperServices.rasterAnalytics.url;
    expect(toolsUrl).toBe(`${server.url}${RASTER_ANALYSIS}`);
    // Asked without a token first; on "Token Required" the package reads the server's rest/info
    // and trades its portal token for a server token (request=getToken, serverURL).
    const refused = await get<ErrorAnswer>(`${toolsUrl}?f=json`);
    if (refused.error) {
      expect(refused.error.code).toBe(499);
      const serverInfo = await get<InfoAnswer>(`${server.url}/rest/info?f=json`);
      const serverToken = await post<TokenAnswer>(serverInfo.authInfo.tokenServicesUrl, { request: 'getToken', serverURL: server.url, referer: 'http', f: 'json', expiration: 16000, token });
      expect(serverToken.token).toBeTruthy();
    }
    const bearer = { 'X-Esri-Authorization': `Bearer ${token}`, referer: 'http' };
    const tools = await get<GPServiceJson>(`${toolsUrl}?f=json`, bearer);
    expect(tools.tasks).toContain('CreateImageCollection');
    const task = await get<GPTaskJson>(`${toolsUrl}/CreateImageCollection?f=json`, bearer);
    expect(task.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['imageCollection', 'inputRasters', 'rasterType', 'context']));

    // _create_output_image_service: name check, createService, item description/tags/snippet.
    const name = 'python_collection';
    expect(await get<unknown>(`/sharing/rest/portals/self/isServiceNameAvailable?name=${name}&serviceType=Image%20Service&f=json&token=${token}`)).toEqual({ available: true });
    const created = await post<CreatedService>(`/sharing/rest/content/users/${ADMIN.username}/createService`, {
      createParameters: { name, description: '', capabilities: 'Image, Metadata', properties: { path: '@', description: '', copyright: '' } },
      outputType: 'imageService',
      f: 'json',
      token,
    });
    expect(created).toMatchObject({ success: true, itemId: expect.any(String) as string, serviceurl: `${server.url}/rest/services/Hosted/${name}/ImageServer` });
    const described = await post<unknown>(`/sharing/rest/content/users/${ADMIN.username}/items/${created.itemId}/update`, { description: 'Image Collection', tags: 'Analysis Result, CreateImageCollection', snippet: 'Analysis Image Service generated from CreateImageCollection', f: 'json', token });
    expect(described).toMatchObject({ success: true });

    // _analysis_job: submitJob, then jobs/<id> polled with POSTs, then each result's paramUrl.
    const submitted = await post<JobStatus>(`${toolsUrl}/CreateImageCollection/submitJob`, {
      imageCollection: { serviceProperties: { name, serviceUrl: created.serviceurl }, itemProperties: { itemId: created.itemId } },
      inputRasters: { uris: ['/share/utm-rgb.tif'] },
      rasterType: { rasterTypeName: 'Raster Dataset', rasterTypeParameters: {}, imageCollectionProps: {} },
      context: { outSR: { wkid: 3857 } },
      f: 'json',
    }, bearer);
    expect(submitted.jobId).toBeTruthy();
    const jobUrl = `${toolsUrl}/CreateImageCollection/jobs/${submitted.jobId}`;
    let job = await post<JobStatus>(jobUrl, { f: 'json' }, bearer);
    for (let i = 0; i < 600 && !/Succeeded|Failed|Cancelled|TimedOut/.test(job.jobStatus); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      job = await post<JobStatus>(jobUrl, { f: 'json' }, bearer);
    }
    expect(job.jobStatus, JSON.stringify(job.messages)).toBe('esriJobSucceeded');
    const result = await post<JobParameter>(`${jobUrl}/${job.results.result.paramUrl}`, { f: 'json' }, bearer);
    expect(result.value).toEqual({ itemId: created.itemId, url: created.serviceurl });

    // The item gets the job's properties; the service draws; the item is shared publicly.
    const properties = { jobUrl: `${toolsUrl}/CreateImageCollection/jobs/${submitted.jobId}`, jobType: 'GPServer', jobId: submitted.jobId, jobStatus: 'completed' };
    expect(await post<unknown>(`/sharing/rest/content/users/${ADMIN.username}/items/${created.itemId}/update`, { properties, f: 'json', token })).toMatchObject({ success: true });
    const item = await get<Item>(`/sharing/rest/content/items/${created.itemId}?f=json&token=${token}`);
    expect(item).toMatchObject({ type: 'Image Service', url: created.serviceurl, properties, snippet: 'Analysis Image Service generated from CreateImageCollection' });
    expect(item.tags).toEqual(['Analysis Result', 'CreateImageCollection']);
    const layer = await get<unknown>(`${created.serviceurl}?f=json`, bearer);
    expect(layer).toMatchObject({ name, bandCount: 3 });
    const shared = await post<{ notSharedWith?: unknown[] }>(`/sharing/rest/content/users/${ADMIN.username}/items/${created.itemId}/share`, { everyone: true, org: true, groups: '', f: 'json', token });
    expect(shared.notSharedWith ?? []).toEqual([]);
    expect((await get<ServiceJson>(`${created.serviceurl}?f=json`)).name).toBe(name); // public now
  });
});
