import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { addFeatures, applyEdits, deleteFeatures, queryFeatures, updateFeatures } from '@esri/arcgis-rest-feature-service';
import { ArcGISIdentityManager, type IPoint } from '@esri/arcgis-rest-request';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, startTestServer, type TestServer } from '../helpers/test-server.js';
import { createGridService } from './features-helpers.js';
import type { FeatureSet, ServiceJson } from '../helpers/answers.js';

const run = promisify(execFile);

let server: TestServer;
let token: string;

beforeAll(async () => {
  server = await startTestServer();
  token = await server.token();
});
afterAll(async () => server.close());

/** Signed in at the portal; the manager trades its token for one for this server (federation). */
function session(): Promise<ArcGISIdentityManager> {
  return ArcGISIdentityManager.signIn({ username: ADMIN.username, password: ADMIN.password, portal: `${server.url}/sharing/rest` });
}

describe('@esri/arcgis-rest-feature-service', () => {
  it('queries and edits with an ArcGISIdentityManager', async () => {
    const path = await createGridService(server, token, 'restjs');
    const url = `${server.url}${path}/0`;
    const authentication = await session();

    const page = (await queryFeatures({ url, where: 'POP < 5', outFields: ['NAME', 'POP'], orderByFields: 'POP', authentication })) as FeatureSet;
    expect(page.features.map((f) => f.attributes.NAME)).toEqual(['p0_0', 'p1_0', 'p2_0', 'p3_0', 'p4_0']);
    const counted = (await queryFeatures({ url, where: "CAT = 'A'", returnCountOnly: true, authentication })) as FeatureSet;
    expect(counted.count).toBe(50);

    const added = await addFeatures({ url, features: [{ attributes: { NAME: 'rest-js', POP: 500 }, geometry: { x: 30, y: 30 } as IPoint }], authentication });
    expect(added.addResults[0]).toMatchObject({ objectId: 101, success: true });
    const updated = await updateFeatures({ url, features: [{ attributes: { OBJECTID: 101, POP: 501 } }], authentication });
    expect(updated.updateResults[0]).toMatchObject({ objectId: 101, success: true });
    const deleted = await deleteFeatures({ url, objectIds: [101, 1], authentication });
    expect(deleted.deleteResults.map((r) => r.success)).toEqual([true, true]);
    const edits = await applyEdits({
      url,
      adds: [{ attributes: { NAME: 'batch' }, geometry: { x: 1, y: 1 } as IPoint }],
      updates: [{ attributes: { OBJECTID: 2, NAME: 'renamed' } }],
      deletes: [3],
      authentication,
    });
    expect(edits.addResults[0].success && edits.updateResults[0].success && edits.deleteResults[0].success).toBe(true);
    const after = (await queryFeatures({ url, where: '1=1', returnCountOnly: true, authentication })) as FeatureSet;
    expect(after.count).toBe(99);
  });

  it('surfaces our errors as ArcGISRequestError', async () => {
    const path = await createGridService(server, token, 'restjs_errors');
    const authentication = await session();
    await expect(queryFeatures({ url: `${server.url}${path}/0`, where: 'NOPE = 1', authentication })).rejects.toMatchObject({ code: 400 });
  });
});

describe('GDAL ESRIJSON driver', () => {
  it('reads a layer through the query endpoint, paging past maxRecordCount', async () => {
    const path = await createGridService(server, token, 'for_gdal', { maxRecordCount: 30 });
    const itemId = (await server.get<ServiceJson>(`${path}?f=json&token=${token}`)).serviceItemId;
    await server.post(`/sharing/rest/content/users/admin/items/${itemId}/share`, { f: 'json', token, everyone: true });
    const source = `ESRIJSON:${server.url}${path}/0/query?where=1=1&outFields=*&f=json`;
    const summary = await run('ogrinfo', ['-ro', '-al', '-so', source, '-oo', 'FEATURE_SERVER_PAGING=YES']);
    expect(summary.stdout).toMatch(/Geometry: Point/);
    expect(summary.stdout).toMatch(/Feature Count: 100/);
    expect(summary.stdout).toMatch(/NAME: String/);
    expect(summary.stdout).toMatch(/POP: Integer/);
    const all = await run('ogrinfo', ['-ro', '-al', '-q', source, '-oo', 'FEATURE_SERVER_PAGING=YES'], { maxBuffer: 16 * 1024 * 1024 });
    const names = all.stdout.match(/NAME \(String\) = p\d_\d/g) ?? [];
    expect(new Set(names).size).toBe(100);
    expect(all.stdout).toContain('POINT (9 9)');
  });
});
