import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenSigner } from '../../src/auth/tokens.js';
import { routeTable } from '../../src/http/route-table.js';
import { makeGeoTiffs } from '../fixtures/raster/make-geotiffs.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { createGridService } from '../http/features-helpers.js';
import { registerFileShare, runJob } from '../http/imagery-http.js';
import { errorCode } from './attack-size.js';

/**
 * Who may call each route. Every route the server registers must have an entry: a new route
 * without one fails this test, so its access is decided, not inherited by accident.
 * - public: anyone (a bad or expired token is still a 498, so clients refresh it)
 * - signed-in: any signed-in user; anonymous callers get 499
 * - owner: the administrator's own private resource; another user gets `other` (403 by default)
 * - admin: administrators only; another user gets 403
 * - login: the token services themselves (credentials, not tokens)
 */
type Access = 'public' | 'signed-in' | 'owner' | 'admin' | 'login';
interface Entry {
  access: Access;
  /** What another (non-admin) user gets on an owner/admin route, when not 403. */
  other?: number;
  /** Set on the folder-less twins of service routes: no such service exists, so 404 for everyone. */
  missing?: boolean;
}

const ADMIN_API = { access: 'admin' } as const;
const OWNED = { access: 'owner' } as const;
const PUBLIC = { access: 'public' } as const;
const SIGNED_IN = { access: 'signed-in' } as const;
const LOGIN = { access: 'login' } as const;

/** Patterns without the base path; `{fs}` routes exist with and without a folder segment. */
const MATRIX: Record<string, Entry> = {
  '/rest/info': PUBLIC,
  // Leaflet and the map preview scripts of the HTML pages.
  '/static/*': PUBLIC,
  '/rest/info/healthCheck': PUBLIC,
  '/rest/services': PUBLIC,
  '/rest/services/:folder': PUBLIC,
  // Output files are capability URLs (random names, short-lived), public as on ArcGIS Server.
  '/rest/directories/arcgisoutput/:folder/:service/:file': PUBLIC,
  '/sharing/rest': PUBLIC,
  '/sharing/rest/info': PUBLIC,
  '/sharing/rest/portals/:portalId': PUBLIC,
  '/sharing/rest/portals/:portalId/isServiceNameAvailable': SIGNED_IN,
  '/sharing/rest/search': PUBLIC,
  '/sharing/rest/community/self': SIGNED_IN,
  '/sharing/rest/community/users/:username': SIGNED_IN,
  '/sharing/rest/content/items/:itemId': OWNED,
  '/sharing/rest/content/items/:itemId/data': OWNED,
  '/sharing/rest/content/users/:username': OWNED,
  '/sharing/rest/content/users/:username/:folder': OWNED,
  '/sharing/rest/content/users/:username{/:folder}/addItem': OWNED,
  '/sharing/rest/content/users/:username{/:folder}/createService': OWNED,
  '/sharing/rest/content/users/:username{/:folder}/publish': OWNED,
  '/sharing/rest/content/users/:username{/:folder}/items/:itemId': OWNED,
  '/sharing/rest/content/users/:username{/:folder}/items/:itemId/delete': OWNED,
  '/sharing/rest/content/users/:username{/:folder}/items/:itemId/move': OWNED,
  '/sharing/rest/content/users/:username{/:folder}/items/:itemId/share': OWNED,
  '/sharing/rest/content/users/:username{/:folder}/items/:itemId/status': OWNED,
  '/sharing/rest/content/users/:username{/:folder}/items/:itemId/update': OWNED,
  '/sharing/rest/content/users/:username/:folder/delete': OWNED,
  '/sharing/rest/content/users/:username/createFolder': OWNED,
  '/sharing/rest/content/users/:username/deleteItems': OWNED,
  '/sharing/generateToken': LOGIN,
  '/sharing/rest/generateToken': LOGIN,
  '/tokens': LOGIN,
  '/tokens/generateToken': LOGIN,
  '/admin/generateToken': LOGIN,
  '/admin': ADMIN_API,
  '/admin/data': ADMIN_API,
  '/admin/data/findItems': ADMIN_API,
  '/admin/data/items': ADMIN_API,
  '/admin/data/items/fileShares': ADMIN_API,
  '/admin/data/items/fileShares/:name': ADMIN_API,
  '/admin/data/items/fileShares/:name/unregister': ADMIN_API,
  '/admin/data/registerItem': ADMIN_API,
  '/admin/data/unregisterItem': ADMIN_API,
  '/admin/data/validateDataItem': ADMIN_API,
  '/admin/services': ADMIN_API,
  '/admin/services{/:folder}/:service': ADMIN_API,
  '/admin/services{/:folder}/:service/jobs': ADMIN_API,
  '/admin/services{/:folder}/:service/jobs/:jobId': ADMIN_API,
  '/admin/services{/:folder}/:service/jobs/:jobId/cancel': ADMIN_API,
  '/admin/services{/:folder}/:service/jobs/:jobId/delete': ADMIN_API,
  '/admin/services{/:folder}/:service/jobs/purgeQueue': ADMIN_API,
  '/admin/services{/:folder}/:service/jobs/query': ADMIN_API,
  '/admin/services{/:folder}/:service/jobs/statistics': ADMIN_API,
  '/rest/admin/services{/:folder}/:service/FeatureServer': OWNED,
  '/rest/admin/services{/:folder}/:service/FeatureServer/addToDefinition': OWNED,
  '/rest/admin/services{/:folder}/:service/FeatureServer/deleteFromDefinition': OWNED,
  '/rest/admin/services{/:folder}/:service/FeatureServer/updateDefinition': OWNED,
  '/rest/admin/services{/:folder}/:service/FeatureServer/:layerId/addToDefinition': OWNED,
  '/rest/admin/services{/:folder}/:service/FeatureServer/:layerId/deleteFromDefinition': OWNED,
  '/rest/admin/services{/:folder}/:service/FeatureServer/:layerId/updateDefinition': OWNED,
  '/rest/admin/services{/:folder}/:serviceType/delete': OWNED,
  '/rest/services{/:folder}/:service/FeatureServer': OWNED,
  '/rest/services{/:folder}/:service/FeatureServer/layers': OWNED,
  '/rest/services{/:folder}/:service/FeatureServer/applyEdits': OWNED,
  '/rest/services{/:folder}/:service/FeatureServer/:layerId': OWNED,
  '/rest/services{/:folder}/:service/FeatureServer/:layerId/:objectId': OWNED,
  '/rest/services{/:folder}/:service/FeatureServer/:layerId/query': OWNED,
  '/rest/services{/:folder}/:service/FeatureServer/:layerId/addFeatures': OWNED,
  '/rest/services{/:folder}/:service/FeatureServer/:layerId/updateFeatures': OWNED,
  '/rest/services{/:folder}/:service/FeatureServer/:layerId/deleteFeatures': OWNED,
  '/rest/services{/:folder}/:service/FeatureServer/:layerId/applyEdits': OWNED,
  // The task list and parameters are public; running a task needs the publisher privilege.
  '/rest/services{/:folder}/:name/GPServer': PUBLIC,
  '/rest/services{/:folder}/:name/GPServer/:task': PUBLIC,
  // Asynchronous tasks: execute answers 400 (use submitJob) to everyone.
  '/rest/services{/:folder}/:name/GPServer/:task/execute': PUBLIC,
  '/rest/services{/:folder}/:name/GPServer/:task/submitJob': OWNED,
  '/rest/services{/:folder}/:name/GPServer/:task/jobs/:jobId': OWNED,
  '/rest/services{/:folder}/:name/GPServer/:task/jobs/:jobId/cancel': OWNED,
  '/rest/services{/:folder}/:name/GPServer/:task/jobs/:jobId/delete': OWNED,
  '/rest/services{/:folder}/:name/GPServer/:task/jobs/:jobId/inputs': OWNED,
  '/rest/services{/:folder}/:name/GPServer/:task/jobs/:jobId/inputs/:param': OWNED,
  '/rest/services{/:folder}/:name/GPServer/:task/jobs/:jobId/results': OWNED,
  '/rest/services{/:folder}/:name/GPServer/:task/jobs/:jobId/results/:param': OWNED,
  '/rest/services{/:folder}/:name/ImageServer': OWNED,
  '/rest/services{/:folder}/:name/ImageServer/:rasterId': OWNED,
  '/rest/services{/:folder}/:name/ImageServer/:rasterId/info': OWNED,
  '/rest/services{/:folder}/:name/ImageServer/:rasterId/info/histograms': OWNED,
  '/rest/services{/:folder}/:name/ImageServer/:rasterId/info/keyProperties': OWNED,
  '/rest/services{/:folder}/:name/ImageServer/computeHistograms': OWNED,
  '/rest/services{/:folder}/:name/ImageServer/computeStatisticsHistograms': OWNED,
  '/rest/services{/:folder}/:name/ImageServer/download': OWNED,
  '/rest/services{/:folder}/:name/ImageServer/exportImage': OWNED,
  '/rest/services{/:folder}/:name/ImageServer/file': OWNED,
  '/rest/services{/:folder}/:name/ImageServer/getSamples': OWNED,
  '/rest/services{/:folder}/:name/ImageServer/histograms': OWNED,
  '/rest/services{/:folder}/:name/ImageServer/identify': OWNED,
  '/rest/services{/:folder}/:name/ImageServer/keyProperties': OWNED,
  '/rest/services{/:folder}/:name/ImageServer/query': OWNED,
  '/rest/services{/:folder}/:name/ImageServer/statistics': OWNED,
  '/rest/services{/:folder}/:name/ImageServer/tile/:level/:row/:col': OWNED,
  '/rest/services{/:folder}/:name/ImageServer/rasterFunctionInfos': OWNED,
  '/rest/services{/:folder}/:name/ImageServer/rasterAttributeTable': OWNED,
  '/rest/services{/:folder}/:name/ImageServer/multiDimensionalInfo': OWNED,
  '/rest/services{/:folder}/:name/ImageServer/legend': OWNED,
};

/** Expands `{/:folder}` into the two registered forms. */
function expandedMatrix(): Map<string, Entry> {
  const out = new Map<string, Entry>();
  for (const [pattern, entry] of Object.entries(MATRIX)) {
    if (pattern.includes('{/:folder}')) {
      out.set(pattern.replace('{/:folder}', '/:folder'), entry);
      out.set(pattern.replace('{/:folder}', ''), pattern.startsWith('/rest/services') ? { ...entry, missing: true } : entry);
    } else out.set(pattern, entry);
  }
  return out;
}

type Case = 'none' | 'bad' | 'expired' | 'other user' | 'cookie';
const CASES: Case[] = ['none', 'bad', 'expired', 'other user', 'cookie'];

/** What each case must get; undefined means "not refused for authorization" (anything but 498/499/403). */
function expected(entry: Entry, testCase: Case): number | undefined {
  if (testCase === 'bad' || testCase === 'expired') return 498;
  if (entry.missing) return 404;
  if (entry.access === 'public') return undefined;
  if (testCase === 'none' || testCase === 'cookie') return 499;
  if (entry.access === 'signed-in') return undefined;
  return entry.other ?? 403;
}

describe('authorization matrix over the route table', () => {
  let server: TestServer;
  let share: string;
  let adminToken: string;
  let otherToken: string;
  let expiredToken: string;
  const fill: Record<string, string> = {};

  beforeAll(async () => {
    server = await startTestServer();
    adminToken = await server.token();
    await server.addUser('bob', 'user');
    otherToken = await server.token('bob', 'bob-pw');
    const secret = await server.context.stores.settings.get('token-secret');
    expiredToken = new TokenSigner(Buffer.from(secret!, 'base64')).sign({ username: 'admin', expires: Date.now() - 1000, binding: '', tokenVersion: 0 });
    await createGridService(server, adminToken, 'Matrix');
    share = mkdtempSync(path.join(tmpdir(), 'tessera-share-'));
    await makeGeoTiffs(share);
    await registerFileShare(server, 'share', share, adminToken);
    const images = await runJob(
      server,
      'CreateImageCollection',
      { inputRasters: { uris: ['/share/wgs84-dem.tif'] }, imageCollection: { serviceProperties: { name: 'MatrixImages' } }, rasterType: 'Raster Dataset', context: { outSR: 4326 } },
      adminToken,
    );
    expect(images.jobStatus, JSON.stringify(images.messages)).toBe('esriJobSucceeded');
    const folder = await server.post<{ folder: { id: string } }>('/sharing/rest/content/users/admin/createFolder', { f: 'json', token: adminToken, title: 'matrix' });
    const item = await server.post<{ id: string }>(`/sharing/rest/content/users/admin/${folder.folder.id}/addItem`, { f: 'json', token: adminToken, title: 'M', type: 'CSV', text: 'a\n1' });
    const exported = await server.get<{ href?: string }>(`/rest/services/Hosted/MatrixImages/ImageServer/exportImage?f=json&bbox=-1,-1,1,1&bboxSR=4326&size=16,16&token=${adminToken}`);
    const output = /\/rest\/directories\/arcgisoutput\/(.+)$/.exec(String(exported.href))?.[1];
    expect(output, JSON.stringify(exported)).toBeDefined();
    Object.assign(fill, { jobId: images.jobId, folderId: folder.folder.id, itemId: item.id, output: output! });
  }, 180_000);
  afterAll(async () => {
    await server?.close();
    rmSync(share, { recursive: true, force: true });
  });

  /** A concrete URL for a route pattern, naming the fixtures made above. */
  function concrete(pattern: string): string {
    const kind = /FeatureServer|:serviceType/.test(pattern) ? 'feature' : /ImageServer/.test(pattern) ? 'image' : /GPServer|admin\/services/.test(pattern) ? 'gp' : 'portal';
    if (pattern.startsWith('/rest/directories/arcgisoutput/')) return `/rest/directories/arcgisoutput/${fill.output}`;
    if (pattern === '/static/*') return '/static/map-preview.js';
    return pattern
      .replace(':serviceType', 'Matrix.FeatureServer')
      .replace(':folder', kind === 'feature' || kind === 'image' ? 'Hosted' : kind === 'gp' ? 'System' : fill.folderId!)
      .replace(':service', kind === 'feature' ? 'Matrix' : kind === 'gp' ? 'RasterAnalysisTools.GPServer' : 'MatrixImages')
      .replace(':name', kind === 'image' ? 'MatrixImages' : 'RasterAnalysisTools')
      .replace(':task', 'CreateImageCollection')
      .replace(':jobId', fill.jobId!)
      .replace(':itemId', fill.itemId!)
      .replace(':username', 'admin')
      .replace(':portalId', 'self')
      .replace(':layerId', '0')
      .replace(':objectId', '1')
      .replace(':rasterId', '1')
      .replace(':param', 'result')
      .replace(':file', 'x.tif')
      .replace(':name', 'share')
      .replace(':level/:row/:col', '0/0/0');
  }

  async function probe(url: string, testCase: Case, post: boolean): Promise<unknown> {
    const form = new URLSearchParams({ f: 'json' });
    const headers: Record<string, string> = {};
    if (testCase === 'bad') form.set('token', 'not-a-token');
    if (testCase === 'expired') form.set('token', expiredToken);
    if (testCase === 'other user') form.set('token', otherToken);
    if (testCase === 'cookie') headers.cookie = `token=${adminToken}; agstoken=${adminToken}`;
    const response = post
      ? await fetch(`${server.url}${url}`, { method: 'POST', body: form, headers })
      : await fetch(`${server.url}${url}?${form}`, { headers });
    const text = await response.text();
    try {
      return JSON.parse(text);
    } catch {
      return { nonJson: response.status };
    }
  }

  it('has an entry for every route, and every route refuses as its entry says', async () => {
    const matrix = expandedMatrix();
    const table = routeTable(server.app);
    const routes = table.map((r) => r.url.slice(server.context.config.basePath.length));
    const missing = routes.filter((url) => !matrix.has(url));
    expect(missing, 'routes without an entry in the authorization matrix').toEqual([]);
    const stale = [...matrix.keys()].filter((pattern) => !routes.includes(pattern));
    expect(stale, 'matrix entries for routes that no longer exist').toEqual([]);

    const failures: string[] = [];
    let probes = 0;
    let refused = 0;
    for (const [i, pattern] of routes.entries()) {
      const entry = matrix.get(pattern)!;
      const post = table[i]!.methods.includes('POST');
      if (entry.access === 'login') continue;
      const url = concrete(pattern);
      for (const testCase of CASES) {
        const answer = await probe(url, testCase, post);
        const code = errorCode(answer);
        const want = expected(entry, testCase);
        probes++;
        if (want !== undefined) {
          if (code === want) refused++;
          else failures.push(`${testCase} ${url}: expected ${want}, got ${code ?? 'success'}`);
        } else if (code === 498 || code === 499 || code === 403 || (code ?? 0) >= 500) {
          failures.push(`${testCase} ${url}: expected no refusal, got ${code}`);
        }
      }
    }
    const checked = routes.filter((r) => matrix.get(r)!.access !== 'login').length;
    console.log(`authorization matrix: ${routes.length} routes (${checked} probed) × ${CASES.length} cases = ${probes} probes, ${refused} refused with the right code, ${failures.length} wrong`);
    expect(failures).toEqual([]);
  }, 300_000);
});
