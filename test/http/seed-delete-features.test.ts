import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EditsAnswer, ErrorEnvelope, LayerJson } from '../helpers/answers.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { createGridService, gridId, query } from './features-helpers.js';

/**
 * Seed document 004 (feature layer deleteFeatures), row by row: f (html default), objectIds,
 * where, geometry in every syntax it shows, geometryType, inSR (wkid, JSON, Esri WKT), every
 * spatialRel value, gdbVersion, rollbackOnFailure, and both response shapes. Each bad input is
 * refused with the table unchanged.
 */
describe('seed conformance: deleteFeatures', () => {
  let server: TestServer;
  let token: string;
  let n = 0;

  const fresh = async () => `${await createGridService(server, token, `del${++n}`)}/0`;
  const del = (layer: string, params: Record<string, string | number | boolean>) => server.post<EditsAnswer>(`${layer}/deleteFeatures`, { f: 'json', token, ...params });
  const count = async (layer: string, where = '1=1') => (await query(server, `${layer}/query`, { f: 'json', token, where, returnCountOnly: true })).count as number;
  const remainingIds = async (layer: string) =>
    ((await query(server, `${layer}/query`, { f: 'json', token, where: '1=1', returnIdsOnly: true })).objectIds as number[]).sort((a, b) => a - b);

  beforeAll(async () => {
    server = await startTestServer();
    token = await server.token();
  });
  afterAll(async () => server?.close());

  it('f: without f a POST answers an HTML result page and a GET shows the form (default html)', async () => {
    const layer = await fresh();
    const form = await fetch(`${server.url}${layer}/deleteFeatures?token=${token}`);
    expect(form.headers.get('content-type')).toMatch(/text\/html/);
    const page = await form.text();
    for (const name of ['objectIds', 'where', 'geometry', 'geometryType', 'inSR', 'spatialRel', 'rollbackOnFailure']) expect(page).toContain(`name="${name}"`);
    expect(await count(layer)).toBe(100);

    const posted = await fetch(`${server.url}${layer}/deleteFeatures`, { method: 'POST', body: new URLSearchParams({ token, objectIds: '1' }) });
    expect(posted.headers.get('content-type')).toMatch(/text\/html/);
    expect(await posted.text()).toContain('deleteResults');
    expect(await count(layer)).toBe(99);
    // f=json answers JSON.
    expect(await del(layer, { objectIds: '2' })).toEqual({ deleteResults: [expect.objectContaining({ objectId: 2, success: true })] });
  });

  it('objectIds: "37, 462" with spaces; per-id results with globalId; a missing id is error 1011', async () => {
    const layer = await fresh();
    const result = await del(layer, { objectIds: '3, 4', rollbackOnFailure: false });
    expect(result.deleteResults).toEqual([
      { objectId: 3, globalId: expect.stringMatching(/^\{[0-9A-F-]{36}\}$/) as string, success: true },
      { objectId: 4, globalId: expect.stringMatching(/^\{[0-9A-F-]{36}\}$/) as string, success: true },
    ]);
    const missing = await del(layer, { objectIds: '5,9999', rollbackOnFailure: false });
    expect(missing.deleteResults[1]).toEqual({ objectId: 9999, success: false, error: { code: 1011, description: expect.any(String) as string } });
    expect(await count(layer)).toBe(97);
  });

  it('rollbackOnFailure=true (the default) deletes nothing when one id fails', async () => {
    const layer = await fresh();
    const result = await del(layer, { objectIds: '1,9999' });
    expect(result.deleteResults ?? result.error).toBeDefined();
    expect(await count(layer)).toBe(100);
  });

  it('where: "POP2000 > 350000"-style clauses; without objectIds the answer is {"success":true} or per-row results', async () => {
    const layer = await fresh();
    const result = await del(layer, { where: 'POP > 89' });
    expect(result.error).toBeUndefined();
    expect(await count(layer)).toBe(90);
    expect(await count(layer, 'POP > 89')).toBe(0);
  });

  it('geometry: the three syntaxes of the document, including its relaxed-JSON envelope', async () => {
    const cases: Array<[Record<string, string>, number]> = [
      // {xmin: -104, …} with unquoted keys, exactly as the document writes it (shifted onto the grid).
      [{ geometryType: 'esriGeometryEnvelope', geometry: '{xmin: -0.5, ymin: -0.5, xmax: 1.5, ymax: 1.5}' }, 4],
      [{ geometryType: 'esriGeometryEnvelope', geometry: '-0.5,-0.5,1.5,1.5' }, 4],
      [{ geometryType: 'esriGeometryPoint', geometry: '3,4' }, 1],
      // geometryType defaults to an envelope.
      [{ geometry: '{"xmin":-0.5,"ymin":-0.5,"xmax":0.5,"ymax":9.5}' }, 10],
      [{ geometryType: 'esriGeometryMultipoint', geometry: '{"points":[[1,1],[2,2]]}' }, 2],
      [{ geometryType: 'esriGeometryPolyline', geometry: '{"paths":[[[0,5],[9,5]]]}' }, 10],
      [{ geometryType: 'esriGeometryPolygon', geometry: "{rings: [[[-0.5,-0.5],[-0.5,2.5],[2.5,2.5],[2.5,-0.5],[-0.5,-0.5]]]}" }, 9],
    ];
    for (const [params, deleted] of cases) {
      const layer = await fresh();
      const result = await del(layer, { ...params, inSR: 4326 });
      expect(result.error, JSON.stringify(params)).toBeUndefined();
      expect(100 - (await count(layer)), JSON.stringify(params)).toBe(deleted);
    }
  });

  it('inSR: a wkid, a JSON spatial reference and Esri-flavour WKT all reproject the geometry', async () => {
    // (2,3) in Web Mercator.
    const x = 222638.98158654713;
    const y = 334111.1714019597;
    const esriWkt =
      'PROJCS["WGS_1984_Web_Mercator_Auxiliary_Sphere",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Mercator_Auxiliary_Sphere"],PARAMETER["False_Easting",0.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",0.0],PARAMETER["Standard_Parallel_1",0.0],PARAMETER["Auxiliary_Sphere_Type",0.0],UNIT["Meter",1.0]]';
    for (const inSR of ['3857', '102100', '{"wkid":102100,"latestWkid":3857}', JSON.stringify({ wkt: esriWkt })]) {
      const layer = await fresh();
      const result = await del(layer, { geometryType: 'esriGeometryEnvelope', geometry: `${x - 1000},${y - 1000},${x + 1000},${y + 1000}`, inSR });
      expect(result.error, inSR).toBeUndefined();
      expect(await remainingIds(layer), inSR).not.toContain(gridId(2, 3));
      expect(await count(layer), inSR).toBe(99);
    }
    // Esri WKT of a geographic system.
    const layer = await fresh();
    const geographic = 'GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]';
    expect((await del(layer, { geometry: '1.5,1.5,2.5,2.5', inSR: JSON.stringify({ wkt: geographic }) })).error).toBeUndefined();
    expect(await count(layer)).toBe(99);
  });

  it('spatialRel: every value the document lists is accepted', async () => {
    const polygon = JSON.stringify({ rings: [[[-0.5, -0.5], [-0.5, 1.5], [1.5, 1.5], [1.5, -0.5], [-0.5, -0.5]]] });
    // The relation is the query geometry's to each feature: "Query Geometry Contains" a point inside.
    const expected: Record<string, number> = {
      esriSpatialRelIntersects: 4,
      esriSpatialRelContains: 4,
      esriSpatialRelCrosses: 0,
      esriSpatialRelEnvelopeIntersects: 4,
      esriSpatialRelIndexIntersects: 4,
      esriSpatialRelOverlaps: 0,
      esriSpatialRelTouches: 0,
      esriSpatialRelWithin: 0,
    };
    for (const [spatialRel, deleted] of Object.entries(expected)) {
      const layer = await fresh();
      const result = await del(layer, { geometryType: 'esriGeometryPolygon', geometry: polygon, spatialRel, inSR: 4326 });
      expect(result.error, spatialRel).toBeUndefined();
      expect(100 - (await count(layer)), spatialRel).toBe(deleted);
    }
  });

  it('objectIds, where and geometry combine by AND', async () => {
    const layer = await fresh();
    await del(layer, { objectIds: `${gridId(0, 0)},${gridId(1, 0)},${gridId(5, 5)}`, where: "CAT = 'A'", geometry: '-0.5,-0.5,2.5,2.5', inSR: 4326, rollbackOnFailure: false });
    const left = await remainingIds(layer);
    expect(left).not.toContain(gridId(0, 0));
    expect(left).toContain(gridId(1, 0));
    expect(left).toContain(gridId(5, 5));
  });

  it('gdbVersion applies only to versioned layers: ignored here (isDataVersioned is false)', async () => {
    const layer = await fresh();
    const info = await server.get<LayerJson>(`${layer}?f=json&token=${token}`);
    expect(info.isDataVersioned).toBe(false);
    expect((await del(layer, { where: 'POP < 5', gdbVersion: 'SDE.DEFAULT' })).error).toBeUndefined();
    expect(await count(layer)).toBe(95);
  });

  it('bad input gets a 400 and deletes nothing', async () => {
    const layer = await fresh();
    const bad: Array<Record<string, string>> = [
      {},
      { where: 'NOPE = 1' },
      { where: "NAME = 'x' OR 1=1; DROP TABLE layer_0 --" },
      { where: 'POP IN (SELECT OBJECTID FROM layer_0)' },
      { geometry: '{"xmin": 0, "ymin":' },
      { geometry: '1,2,3', geometryType: 'esriGeometryEnvelope' },
      { geometry: '0,0,1,1', spatialRel: 'esriSpatialRelNearby' },
      { geometry: '0,0,1,1', inSR: '{"wkid": 999999}' },
      { objectIds: 'one,two' },
    ];
    for (const params of bad) {
      const result = await del(layer, params);
      expect(result.error?.code, JSON.stringify(params)).toBe(400);
    }
    expect(await count(layer)).toBe(100);
  });

  it('is POST only: a GET with f=json is refused and deletes nothing', async () => {
    const layer = await fresh();
    const result = await server.get<ErrorEnvelope>(`${layer}/deleteFeatures?f=json&token=${token}&where=1%3D1`);
    expect(result.error).toBeDefined();
    expect(await count(layer)).toBe(100);
  });
});
