import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJson, type EditsAnswer, type ErrorAnswer, type FeatureSet, type FolderJson, type ServiceJson, type SuccessAnswer } from '../../helpers/answers.js';
import { startTestServer, type TestServer } from '../../helpers/test-server.js';
import { createGridService } from '../features-helpers.js';
import { defaultConfig } from '../../../src/config.js';

let server: TestServer;
let token: string;
let url: string;

beforeAll(async () => {
  server = await startTestServer({ limits: { ...defaultConfig().limits, bodyMB: 10, editBodyMB: 100, geometryVertices: 50_000, geometryMB: 8 } });
  token = await server.token();
  url = await createGridService(server, token, 'Hardening');
});
afterAll(async () => server.close());

const query = (form: Record<string, string | number>) => server.post<FeatureSet>(`${url}/0/query`, { f: 'json', token, ...form });
const deep = (levels: number, inner = '1') => '['.repeat(levels) + inner + ']'.repeat(levels);

describe('where clauses inside the documented limits run, or are a 400', () => {
  it('runs 1,000 OR terms', async () => {
    const where = Array.from({ length: 1000 }, (_, i) => `POP = ${i}`).join(' OR ');
    expect((await query({ where, returnCountOnly: 'true' })).count).toBe(100);
  });

  it('runs 5,000 AND terms', async () => {
    const where = Array.from({ length: 5000 }, (_, i) => `POP <> ${1000 + i}`).join(' AND ');
    expect((await query({ where, returnCountOnly: 'true' })).count).toBe(100);
  });

  it('refuses a LIKE pattern longer than SQLite runs with a 400', async () => {
    const answer = await query({ where: `NAME LIKE '${'%a'.repeat(30_000)}'`, returnCountOnly: 'true' });
    expect(answer.error).toMatchObject({ code: 400, details: ["'where' parameter is invalid", 'LIKE pattern is too long (at most 50,000 bytes)'] });
  });

  it('refuses 1,000 chained || with a 400', async () => {
    const where = `NAME = ${Array.from({ length: 1000 }, () => "'a'").join(' || ')}`;
    const answer = await query({ where, returnCountOnly: 'true' });
    expect(answer.error.code).toBe(400);
  });
});

describe('deeply nested JSON', () => {
  for (const [name, operation] of [
    ['objectIds', 'query'],
    ['outFields', 'query'],
    ['orderByFields', 'query'],
    ['deletes', 'applyEdits'],
  ] as const) {
    it(`is a 400 in ${name}`, async () => {
      const target = operation === 'applyEdits' ? `${url}/0/applyEdits` : `${url}/0/query`;
      const answer = await server.post<ErrorAnswer>(target, { f: 'json', token, [name]: deep(10_000) });
      expect(answer.error?.code).toBe(400);
    });
  }

  it('is a 400 in a JSON body', async () => {
    const response = await fetch(`${server.url}${url}/0/query?f=json&token=${token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: `{"objectIds":${deep(10_000)}}`,
    });
    expect((await readJson<ErrorAnswer>(response)).error.code).toBe(400);
  });
});

describe('geometry caps', () => {
  const ring = (n: number) => {
    const points = Array.from({ length: n }, (_, i) => [5 + 4 * Math.cos((2 * Math.PI * i) / n), 5 + 4 * Math.sin((2 * Math.PI * i) / n)]);
    return JSON.stringify({ rings: [[...points, points[0]]], spatialReference: { wkid: 4326 } });
  };

  it('refuses a geometry with more vertices than the setting', async () => {
    const answer = await query({ geometry: ring(60_000), geometryType: 'esriGeometryPolygon', returnCountOnly: 'true' });
    expect(answer.error).toMatchObject({ code: 400, details: ["'geometry' parameter is invalid: more than 50000 vertices"] });
  });

  it('still answers a geometry below it', async () => {
    const answer = await query({ geometry: ring(10_000), geometryType: 'esriGeometryPolygon', returnCountOnly: 'true' });
    expect(answer.count).toBeGreaterThan(30);
  });
});

describe('coordinates of edits', () => {
  const add = (geometry: unknown) =>
    server.post<EditsAnswer>(`${url}/0/addFeatures`, { f: 'json', token, rollbackOnFailure: 'false', features: JSON.stringify([{ attributes: { NAME: 'bad' }, geometry }]) });

  it.each([
    [{ x: 1e39, y: 0 }],
    [{ x: 500, y: 0 }],
    [{ x: 'NaN', y: 0 }],
    [{ x: 0, y: 'Infinity' }],
  ])('refuses %j with a per-feature error, and the extent stays', async (geometry) => {
    const answer = await add(geometry);
    expect(answer.addResults).toMatchObject([{ success: false, error: { code: 1015, description: expect.stringMatching(/^Geometry could not be set: Invalid geometry/) as unknown } }]);
    const extent = await query({ where: '1=1', returnExtentOnly: 'true' });
    expect(extent.extent).toMatchObject({ xmin: 0, ymin: 0, xmax: 9, ymax: 9 });
  });
});

describe('malformed parameters that were ignored', () => {
  it.each([
    ['time', 'yesterday'],
    ['quantizationParameters', '{"mode":'],
    ['quantizationParameters', '5'],
    ['datumTransformation', '{"wkid":'],
    ['datumTransformation', 'abc'],
  ])('%s=%s is a 400', async (name, value) => {
    expect((await query({ where: '1=1', [name]: value })).error.code).toBe(400);
  });

  it('still takes well-formed ones', async () => {
    expect((await query({ where: '1=1', time: '0,1700000000000', datumTransformation: '1188', returnCountOnly: 'true' })).count).toBe(100);
  });
});

describe('portal', () => {
  it('answers 499 to an anonymous deleteItems', async () => {
    expect(await server.post('/sharing/rest/content/users/admin/deleteItems', { f: 'json', items: 'abc' })).toEqual({ error: { code: 499, message: 'Token Required', details: [] } });
  });

  it('lists an org-shared service for the members who can query it', async () => {
    await server.addUser('member', 'user');
    const memberToken = await server.token('member', 'member-pw');
    const service = await server.get<ServiceJson>(`${url}?f=json&token=${token}`);
    const itemId = service.serviceItemId as string;
    expect(itemId).toEqual(expect.any(String));
    const shared = await server.post<SuccessAnswer>(`/sharing/rest/content/users/admin/items/${itemId}/share`, { f: 'json', token, org: 'true' });
    expect(shared.notSharedWith ?? []).toEqual([]);
    expect((await query({ where: '1=1', returnCountOnly: 'true', token: memberToken })).count).toBe(100);
    const listing = await server.get<FolderJson>(`/rest/services/Hosted?f=json&token=${memberToken}`);
    expect(listing.services).toContainEqual({ name: 'Hosted/Hardening', type: 'FeatureServer' });
  });
});

describe('large filter geometries, decoded and tested on worker threads', () => {
  /** The square (2,2)–(7,7) with `perEdge` points on each edge: the same polygon as its 4 corners. */
  const square = (perEdge: number, spatialReference: unknown = { wkid: 4326 }) => {
    const edge = (from: number[], to: number[]) => Array.from({ length: perEdge }, (_, i) => [from[0]! + ((to[0]! - from[0]!) * i) / perEdge, from[1]! + ((to[1]! - from[1]!) * i) / perEdge]);
    const ring = [...edge([2, 2], [2, 7]), ...edge([2, 7], [7, 7]), ...edge([7, 7], [7, 2]), ...edge([7, 2], [2, 2]), [2, 2]];
    return JSON.stringify({ rings: [ring], spatialReference });
  };
  const ask = (geometry: string, form: Record<string, string> = {}) =>
    query({ geometry, geometryType: 'esriGeometryPolygon', spatialRel: 'esriSpatialRelContains', ...form });

  // 1,000 vertices: decoded inline, tested on a thread; 20,000: both on threads.
  it.each([250, 5000])('answers like the 4-corner square with %i points per edge', async (perEdge) => {
    const small = square(1);
    const large = square(perEdge);
    for (const form of <Array<Record<string, string>>>[
      { returnCountOnly: 'true' },
      { returnIdsOnly: 'true' },
      { returnExtentOnly: 'true' },
      { outFields: 'OBJECTID,NAME', orderByFields: 'OBJECTID' },
      { outFields: 'OBJECTID', f: 'geojson' },
      { outStatistics: JSON.stringify([{ statisticType: 'count', onStatisticField: 'OBJECTID', outStatisticFieldName: 'n' }]) },
    ]) {
      const [expected, actual] = [await ask(small, form), await ask(large, form)];
      expect(expected.error).toBeUndefined();
      expect(actual).toEqual(expected);
    }
    expect((await ask(large, { returnCountOnly: 'true' })).count).toBe(16); // the square's inside: boundary points are not contained
  });

  it('refuses an invalid large geometry or spatial reference with a 400', async () => {
    const broken = `{"rings":[[[0,0],[1,1]]],"pad":"${'x'.repeat(300_000)}"}`;
    expect((await ask(broken, { returnCountOnly: 'true' })).error).toMatchObject({ code: 400, details: [expect.stringMatching(/fewer than 4 points/)] });
    expect((await ask(square(5000, { wkid: 999999 }), { returnCountOnly: 'true' })).error).toMatchObject({ code: 400 });
  });

  it('deletes by a large geometry exactly what it selects', async () => {
    const other = await createGridService(server, token, 'HardeningDelete');
    const large = square(5000);
    const deleted = await server.post<unknown>(`${other}/0/deleteFeatures`, { f: 'json', token, geometry: large, geometryType: 'esriGeometryPolygon', spatialRel: 'esriSpatialRelContains' });
    expect(deleted).toEqual({ success: true });
    const left = await server.post<FeatureSet>(`${other}/0/query`, { f: 'json', token, where: '1=1', returnCountOnly: 'true' });
    expect(left.count).toBe(100 - 16);
  });
});
