import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { createGridService, createService, gridId, query, POINT_FIELDS } from './features-helpers.js';
import type { EditsAnswer, ServiceEditsAnswer, ServiceJson } from '../helpers/answers.js';

let server: TestServer;
let token: string;
let serial = 0;

beforeAll(async () => {
  server = await startTestServer();
  token = await server.token();
});
afterAll(async () => server.close());

/** A fresh grid service per test, so tests never see each other's edits. */
async function freshGrid(parameters: Record<string, unknown> = {}): Promise<string> {
  return createGridService(server, token, `edits_${++serial}`, parameters);
}

const count = async (url: string, where = '1=1') => (await query(server, `${url}/0/query`, { f: 'json', token, where, returnCountOnly: true })).count;

describe('addFeatures and updateFeatures', () => {
  it('adds features with new ids and GlobalIDs, in input order', async () => {
    const url = await freshGrid();
    const result = await server.post<EditsAnswer>(`${url}/0/addFeatures`, {
      f: 'json',
      token,
      features: JSON.stringify([
        { attributes: { OBJECTID: 5, NAME: 'new1', POP: 1000 }, geometry: { x: 20, y: 20 } },
        { attributes: { NAME: 'new2', WHEN: '2021-06-01T00:00:00Z' }, geometry: { x: 21, y: 21, spatialReference: { wkid: 102100 } } },
      ]),
      returnEditMoment: true,
    });
    expect(result.addResults).toHaveLength(2);
    expect(result.addResults[0]).toMatchObject({ objectId: 101, success: true });
    expect(result.addResults[0].globalId).toMatch(/^\{[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}\}$/);
    expect(result.addResults[1]).toMatchObject({ objectId: 102, success: true });
    expect(typeof result.editMoment).toBe('number');
    const stored = await query(server, `${url}/0/query`, { f: 'json', token, objectIds: '101,102', outFields: '*' });
    expect(stored.features[0].attributes).toMatchObject({ NAME: 'new1', POP: 1000 });
    expect(stored.features[1].attributes.WHEN).toBe(Date.UTC(2021, 5, 1));
    // The second geometry came in Web Mercator metres and was projected to the layer's WGS84.
    expect(stored.features[1].geometry.x).toBeCloseTo(21 / 111319.49079327357, 9);
  });

  it('reports per-feature errors with rollbackOnFailure=false and keeps the rest', async () => {
    const url = await freshGrid();
    const result = await server.post<EditsAnswer>(`${url}/0/addFeatures`, {
      f: 'json',
      token,
      rollbackOnFailure: false,
      features: JSON.stringify([
        { attributes: { NAME: 'ok' }, geometry: { x: 1, y: 1 } },
        { attributes: { NAME: 'way too long a name for a forty character field' }, geometry: { x: 1, y: 1 } },
        { attributes: { POP: 'many' }, geometry: { x: 1, y: 1 } },
        { attributes: { NAME: 'line' }, geometry: { paths: [[[0, 0], [1, 1]]] } },
        { attributes: { NAME: 'ok2' } },
      ]),
    });
    expect(result.addResults.map((r) => [r.success, r.error?.code])).toEqual([
      [true, undefined],
      [false, 1016],
      [false, 1016],
      [false, 1015],
      [true, undefined],
    ]);
    expect(result.addResults[1].error.description).toBe('Setting of value for NAME failed.');
    expect(await count(url)).toBe(102);
  });

  it('rolls everything back with rollbackOnFailure=true (the default)', async () => {
    const url = await freshGrid();
    const result = await server.post<EditsAnswer>(`${url}/0/addFeatures`, {
      f: 'json',
      token,
      features: JSON.stringify([{ attributes: { NAME: 'ok' } }, { attributes: { POP: 1.5 } }]),
    });
    expect(result.error).toEqual({ code: 400, message: 'Unable to complete operation.', details: ['Setting of value for POP failed.', 'Operation rolled back.'] });
    expect(await count(url)).toBe(100);
  });

  it('updates only the attributes sent, and the geometry when given', async () => {
    const url = await freshGrid();
    const id = gridId(5, 5);
    const result = await server.post<EditsAnswer>(`${url}/0/updateFeatures`, {
      f: 'json',
      token,
      rollbackOnFailure: false,
      features: JSON.stringify([
        { attributes: { OBJECTID: id, POP: -1 }, geometry: { x: 50, y: 50 } },
        { attributes: { OBJECTID: 99999, POP: 1 } },
        { attributes: { POP: 1 } },
      ]),
    });
    expect(result.updateResults[0]).toMatchObject({ objectId: id, success: true });
    expect(result.updateResults[0].globalId).toMatch(/^\{/);
    expect(result.updateResults[1]).toEqual({ objectId: 99999, success: false, error: { code: 1011, description: 'Object is missing.' } });
    expect(result.updateResults[2]).toMatchObject({ success: false, error: { code: 1011 } });
    const stored = await query(server, `${url}/0/query`, { f: 'json', token, objectIds: id, outFields: 'NAME,POP' });
    expect(stored.features[0]).toEqual({ attributes: { NAME: 'p5_5', POP: -1 }, geometry: { x: 50, y: 50 } });
  });

  it('refuses geometry updates when allowGeometryUpdates is false', async () => {
    const url = await freshGrid({ allowGeometryUpdates: false });
    const result = await server.post<EditsAnswer>(`${url}/0/updateFeatures`, {
      f: 'json',
      token,
      rollbackOnFailure: false,
      features: JSON.stringify([{ attributes: { OBJECTID: 1 }, geometry: { x: 50, y: 50 } }]),
    });
    expect(result.updateResults[0]).toMatchObject({ success: false, error: { code: 1004 } });
  });

  it('checks nullability, defaults and coded-value domains', async () => {
    const url = await createService(server, token, `domains_${++serial}`, {
      tables: [
        {
          name: 'Inspections',
          fields: [
            { name: 'INSPECTOR', type: 'esriFieldTypeString', nullable: false },
            { name: 'STATUS', type: 'esriFieldTypeSmallInteger', defaultValue: 0, domain: { type: 'codedValue', name: 'S', codedValues: [{ name: 'Open', code: 0 }, { name: 'Closed', code: 1 }] } },
            { name: 'SCORE', type: 'esriFieldTypeDouble', domain: { type: 'range', name: 'R', range: [0, 10] } },
          ],
        },
      ],
    });
    const result = await server.post<EditsAnswer>(`${url}/0/addFeatures`, {
      f: 'json',
      token,
      rollbackOnFailure: false,
      features: JSON.stringify([
        { attributes: { INSPECTOR: 'ann' } },
        { attributes: { STATUS: 1 } },
        { attributes: { INSPECTOR: 'bob', STATUS: 7 } },
        { attributes: { INSPECTOR: 'cy', SCORE: 11 } },
      ]),
    });
    expect(result.addResults.map((r) => r.error?.code ?? 0)).toEqual([0, 1001, 1016, 1016]);
    const stored = await query(server, `${url}/0/query`, { f: 'json', token, where: '1=1', outFields: 'STATUS' });
    expect(stored.features).toEqual([{ attributes: { STATUS: 0 } }]);
  });
});

describe('applyEdits', () => {
  it('applies adds, updates and deletes in one request', async () => {
    const url = await freshGrid();
    const result = await server.post<EditsAnswer>(`${url}/0/applyEdits`, {
      f: 'json',
      token,
      adds: JSON.stringify([{ attributes: { NAME: 'a' }, geometry: { x: 1, y: 1 } }]),
      updates: JSON.stringify([{ attributes: { OBJECTID: 2, NAME: 'renamed' } }]),
      deletes: '3,4',
    });
    expect(result).toMatchObject({
      addResults: [{ objectId: 101, success: true }],
      updateResults: [{ objectId: 2, success: true }],
      deleteResults: [{ objectId: 3, success: true }, { objectId: 4, success: true }],
    });
    expect(await count(url)).toBe(99);
  });

  it('identifies features by GlobalID with useGlobalIds', async () => {
    const url = await freshGrid();
    const guid = '{11111111-2222-3333-4444-555555555555}';
    const added = await server.post<EditsAnswer>(`${url}/0/applyEdits`, {
      f: 'json',
      token,
      useGlobalIds: true,
      adds: JSON.stringify([{ attributes: { GlobalID: guid.toLowerCase().slice(1, -1), NAME: 'g' }, geometry: { x: 1, y: 1 } }]),
    });
    expect(added.addResults).toEqual([{ objectId: 101, globalId: guid, success: true }]);
    const duplicate = await server.post<EditsAnswer>(`${url}/0/applyEdits`, {
      f: 'json',
      token,
      useGlobalIds: true,
      rollbackOnFailure: false,
      adds: JSON.stringify([{ attributes: { GlobalID: guid, NAME: 'again' } }, { attributes: { NAME: 'none' } }]),
    });
    expect(duplicate.addResults.map((r) => r.error?.code)).toEqual([1022, 1020]);
    const changed = await server.post<EditsAnswer>(`${url}/0/applyEdits`, {
      f: 'json',
      token,
      useGlobalIds: true,
      updates: JSON.stringify([{ attributes: { GlobalID: guid, NAME: 'changed' } }]),
      deletes: JSON.stringify([guid]),
    });
    expect(changed.updateResults).toEqual([{ objectId: 101, globalId: guid, success: true }]);
    expect(changed.deleteResults).toEqual([{ objectId: 101, globalId: guid, success: true }]);
  });

  it('applies service-level edits across layers as one transaction', async () => {
    const url = await createService(server, token, `multi_${++serial}`, {
      layers: [{ name: 'Points', geometryType: 'esriGeometryPoint', fields: POINT_FIELDS }],
      tables: [{ name: 'Notes', fields: [{ name: 'TEXT', type: 'esriFieldTypeString' }] }],
    });
    const ok = await server.post<ServiceEditsAnswer>(`${url}/applyEdits`, {
      f: 'json',
      token,
      returnEditMoment: true,
      edits: JSON.stringify([
        { id: 0, adds: [{ attributes: { NAME: 'p' }, geometry: { x: 0, y: 0 } }] },
        { id: 1, adds: [{ attributes: { TEXT: 'n' } }] },
      ]),
    });
    expect(ok).toHaveLength(2);
    expect(ok[0]).toMatchObject({ id: 0, addResults: [{ objectId: 1, success: true }], updateResults: [], deleteResults: [] });
    expect(ok[1]).toMatchObject({ id: 1, addResults: [{ objectId: 1, success: true }] });
    expect(typeof ok[0].editMoment).toBe('number');
    const failed = await server.post<ServiceEditsAnswer>(`${url}/applyEdits`, {
      f: 'json',
      token,
      edits: JSON.stringify([
        { id: 0, adds: [{ attributes: { NAME: 'kept?' } }] },
        { id: 1, updates: [{ attributes: { OBJECTID: 42, TEXT: 'x' } }] },
      ]),
    });
    expect(failed.error).toMatchObject({ code: 400, details: ['Object is missing.', 'Operation rolled back.'] });
    expect(await count(url)).toBe(1);
    const unknown = await server.post<ServiceEditsAnswer>(`${url}/applyEdits`, { f: 'json', token, edits: JSON.stringify([{ id: 7, adds: [] }]) });
    expect(unknown.error.message).toBe('Layer not found.');
  });

  it('answers {"success":true} with returnEditResults=false', async () => {
    const url = await freshGrid();
    const result = await server.post<EditsAnswer>(`${url}/0/applyEdits`, { f: 'json', token, deletes: '1', returnEditResults: false });
    expect(result).toEqual({ success: true });
  });

  it('never loses an edit under concurrent editors', async () => {
    const url = await freshGrid();
    const editors = Array.from({ length: 24 }, (_, i) =>
      server.post<EditsAnswer>(`${url}/0/applyEdits`, {
        f: 'json',
        token,
        adds: JSON.stringify(Array.from({ length: 10 }, (_, j) => ({ attributes: { NAME: `c${i}_${j}`, POP: i }, geometry: { x: i, y: j } }))),
        updates: JSON.stringify([{ attributes: { OBJECTID: i + 1, NAME: `u${i}` } }]),
      }),
    );
    const results = await Promise.all(editors);
    const added = results.flatMap((r) => r.addResults.map((a) => a.objectId));
    expect(new Set(added).size).toBe(240);
    expect(await count(url, "NAME LIKE 'c%'")).toBe(240);
    expect(await count(url, "NAME LIKE 'u%'")).toBe(24);
  });
});

describe('deleteFeatures (seed 004)', () => {
  const del = (url: string, form: Record<string, string | number | boolean>) => server.post<EditsAnswer>(`${url}/0/deleteFeatures`, { f: 'json', token, ...form });

  it('deletes by objectIds with per-id results, globalIds included', async () => {
    const url = await freshGrid();
    const result = await del(url, { objectIds: '37, 46' });
    expect(result.deleteResults.map((r) => [r.objectId, r.success])).toEqual([
      [37, true],
      [46, true],
    ]);
    expect(result.deleteResults[0].globalId).toMatch(/^\{[0-9A-F-]{36}\}$/);
    expect(await count(url)).toBe(98);
  });

  it('deletes by where and answers {"success":true}', async () => {
    const url = await freshGrid();
    expect(await del(url, { where: 'POP > 89' })).toEqual({ success: true });
    expect(await count(url)).toBe(90);
  });

  it('deletes by geometry (JSON and simple syntax) and spatialRel', async () => {
    const url = await freshGrid();
    expect(await del(url, { geometry: '-0.5,-0.5,1.5,1.5', geometryType: 'esriGeometryEnvelope' })).toEqual({ success: true });
    expect(await count(url)).toBe(96);
    expect(await del(url, { geometry: JSON.stringify({ xmin: 2, ymin: 2, xmax: 4, ymax: 4 }), spatialRel: 'esriSpatialRelContains' })).toEqual({ success: true });
    expect(await count(url)).toBe(95);
    expect(await del(url, { geometry: '9,9', geometryType: 'esriGeometryPoint' })).toEqual({ success: true });
    expect(await count(url)).toBe(94);
  });

  it('combines objectIds, where and geometry with AND', async () => {
    const url = await freshGrid();
    // objectIds ∩ where: only the ids that also match the where are deleted and reported.
    const idsAndWhere = await del(url, { objectIds: '1,2,3,4', where: "CAT = 'A'" });
    expect(idsAndWhere.deleteResults).toEqual([
      expect.objectContaining({ objectId: 1, success: true }),
      expect.objectContaining({ objectId: 3, success: true }),
    ]);
    expect(await count(url, 'OBJECTID IN (2, 4)')).toBe(2);
    // where ∩ geometry.
    expect(await del(url, { where: "CAT = 'B'", geometry: '0,0,9,1' })).toEqual({ success: true });
    expect(await count(url, 'POP < 20')).toBe(8);
    // all three.
    const all = await del(url, { objectIds: `${gridId(2, 5)},${gridId(3, 5)},${gridId(2, 9)}`, where: 'POP > 50', geometry: '0,0,9,6' });
    expect(all.deleteResults.map((r) => r.objectId)).toEqual([gridId(2, 5), gridId(3, 5)]);
    expect(await count(url)).toBe(100 - 2 - 10 - 2);
  });

  it('rolls back a delete of a missing id by default, reports it with rollbackOnFailure=false', async () => {
    const url = await freshGrid();
    const rolled = await del(url, { objectIds: '1,999' });
    expect(rolled.error).toMatchObject({ code: 400, details: ['Object is missing.', 'Operation rolled back.'] });
    expect(await count(url)).toBe(100);
    const partial = await del(url, { objectIds: '1,999', rollbackOnFailure: false });
    expect(partial.deleteResults).toEqual([
      expect.objectContaining({ objectId: 1, success: true }),
      { objectId: 999, success: false, error: { code: 1011, description: 'Object is missing.' } },
    ]);
    expect(await count(url)).toBe(99);
  });

  it('answers returnDeleteResults=false with {"success":true}', async () => {
    const url = await freshGrid();
    expect(await del(url, { objectIds: '5', returnDeleteResults: false })).toEqual({ success: true });
  });

  it('ignores gdbVersion on a layer whose isDataVersioned is false, as the reference says', async () => {
    const url = await freshGrid();
    const result = await del(url, { objectIds: '1', gdbVersion: 'SDE.DEFAULT' });
    expect(result.deleteResults).toEqual([expect.objectContaining({ objectId: 1, success: true })]);
    expect(await count(url)).toBe(99);
  });

  it('answers an invalid or hostile where with 400 and leaves the table unchanged', async () => {
    const url = await freshGrid();
    for (const where of ['NOPE = 1', '1=1; DELETE FROM layer_0', "NAME = '' OR 1=1 --", 'POP IN (SELECT OBJECTID FROM layer_0)', '(((']) {
      const result = await del(url, { where });
      expect(result.error?.code, where).toBe(400);
    }
    const named = await del(url, { where: 'NOPE = 1' });
    expect(named.error.details).toEqual(["'where' parameter is invalid", 'Invalid field: NOPE']);
    expect(await count(url)).toBe(100);
  });

  it('needs objectIds, where or geometry, and POST', async () => {
    const url = await freshGrid();
    expect((await del(url, {})).error.code).toBe(400);
    const viaGet = await server.get<EditsAnswer>(`${url}/0/deleteFeatures?f=json&where=1%3D1&token=${token}`);
    expect(viaGet.error.code).toBe(405);
    expect(await count(url)).toBe(100);
  });

  it('deletes 1=1 all-or-nothing in one transaction', async () => {
    const url = await freshGrid();
    expect(await del(url, { where: '1=1' })).toEqual({ success: true });
    expect(await count(url)).toBe(0);
  });
});

describe('who may edit', () => {
  it('lets the owner and administrators edit, refuses other users and anonymous callers', async () => {
    await server.addUser('pub1', 'publisher');
    await server.addUser('viewer1', 'user');
    const pubToken = await server.token('pub1', 'pub1-pw');
    const userToken = await server.token('viewer1', 'viewer1-pw');
    const url = await createService(server, pubToken, `owned_${++serial}`, { layers: [{ name: 'P', geometryType: 'esriGeometryPoint', fields: POINT_FIELDS }] }, {}, 'pub1');
    const add = (t?: string) => server.post<EditsAnswer>(`${url}/0/addFeatures`, { f: 'json', ...(t ? { token: t } : {}), features: '[{"attributes":{"NAME":"x"}}]' });
    expect((await add(pubToken)).addResults[0].success).toBe(true);
    expect((await add(token)).addResults[0].success).toBe(true);
    expect((await add(userToken)).error.code).toBe(403);
    expect((await add()).error.code).toBe(499);
  });

  it('lets signed-in users with the edit privilege edit a public service; anonymous only with allowAnonymousEdits', async () => {
    await server.addUser('viewer2', 'user');
    const userToken = await server.token('viewer2', 'viewer2-pw');
    const url = await freshGrid();
    const item = (await server.get<ServiceJson>(`${url}?f=json&token=${token}`)).serviceItemId;
    await server.post(`/sharing/rest/content/users/admin/items/${item}/share`, { f: 'json', token, everyone: true });
    const add = (t?: string) => server.post<EditsAnswer>(`${url}/0/addFeatures`, { f: 'json', ...(t ? { token: t } : {}), features: '[{"attributes":{"NAME":"x"}}]' });
    expect((await add(userToken)).addResults[0].success).toBe(true);
    expect((await add()).error.code).toBe(499);
    const name = url.split('/')[4];
    await server.post(`/rest/admin/services/Hosted/${name}/FeatureServer/updateDefinition`, { f: 'json', token, updateDefinition: '{"allowAnonymousEdits":true}' });
    expect((await add()).addResults[0].success).toBe(true);
  });

  it('refuses operations the capabilities leave out', async () => {
    const url = await createService(server, token, `readonly_${++serial}`, { layers: [{ name: 'P', geometryType: 'esriGeometryPoint', fields: POINT_FIELDS }] }, { capabilities: 'Query' });
    const result = await server.post<EditsAnswer>(`${url}/0/addFeatures`, { f: 'json', token, features: '[{"attributes":{}}]' });
    expect(result.error).toMatchObject({ code: 400, message: 'Requested operation is not supported by this service.' });
    const name = url.split('/')[4];
    await server.post(`/rest/admin/services/Hosted/${name}/FeatureServer/updateDefinition`, { f: 'json', token, updateDefinition: '{"capabilities":"Query,Create"}' });
    expect((await server.post<EditsAnswer>(`${url}/0/addFeatures`, { f: 'json', token, features: '[{"attributes":{}}]' })).addResults[0].success).toBe(true);
    expect((await server.post<EditsAnswer>(`${url}/0/deleteFeatures`, { f: 'json', token, where: '1=1' })).error.code).toBe(400);
  });
});
