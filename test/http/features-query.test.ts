import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeFeatureCollectionPbf } from '../../src/features/encoders/pbf/decode-feature-collection-pbf.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { createGridService, createService, gridId, ids, query } from './features-helpers.js';
import type { ErrorEnvelope, Feature, FeatureSet, GeoJsonAnswer, LayerJson } from '../helpers/answers.js';

let server: TestServer;
let token: string;
let grid: string;
let shapes: string;

beforeAll(async () => {
  server = await startTestServer();
  token = await server.token();
  grid = await createGridService(server, token, 'grid');
  shapes = await createService(server, token, 'shapes', {
    layers: [
      { name: 'Squares', geometryType: 'esriGeometryPolygon', fields: [{ name: 'LABEL', type: 'esriFieldTypeString' }] },
      { name: 'Lines', geometryType: 'esriGeometryPolyline', fields: [{ name: 'LABEL', type: 'esriFieldTypeString' }] },
    ],
  });
  const square = (xmin: number, ymin: number, xmax: number, ymax: number) => ({
    rings: [[[xmin, ymin], [xmin, ymax], [xmax, ymax], [xmax, ymin], [xmin, ymin]]],
  });
  await server.post(`${shapes}/0/addFeatures`, {
    f: 'json',
    token,
    features: JSON.stringify([
      { attributes: { LABEL: 'overlapping' }, geometry: square(0, 0, 2, 2) },
      { attributes: { LABEL: 'inside' }, geometry: square(1.2, 1.2, 1.8, 1.8) },
      { attributes: { LABEL: 'touching' }, geometry: square(3, 0, 4, 1) },
      { attributes: { LABEL: 'far' }, geometry: square(10, 10, 12, 12) },
      { attributes: { LABEL: 'covering' }, geometry: square(-5, -5, 8, 8) },
    ]),
  });
  await server.post(`${shapes}/1/addFeatures`, {
    f: 'json',
    token,
    features: JSON.stringify([
      { attributes: { LABEL: 'crossing' }, geometry: { paths: [[[-1, 1.5], [5, 1.5]]] } },
      { attributes: { LABEL: 'inside' }, geometry: { paths: [[[1.1, 1.1], [1.9, 1.9]]] } },
      { attributes: { LABEL: 'touching' }, geometry: { paths: [[[3, 3], [5, 5]]] } },
      { attributes: { LABEL: 'far' }, geometry: { paths: [[[20, 20], [21, 21]]] } },
    ]),
  });
});
afterAll(async () => server.close());

const q = (params: Record<string, string | number | boolean>, layer = 0, path = grid) =>
  query(server, `${path}/${layer}/query`, { f: 'json', token, ...params });

describe('where, objectIds and outFields', () => {
  it('answers the feature-set shape of spec §5', async () => {
    const result = await q({ where: 'POP = 23', outFields: 'NAME,POP' });
    expect(result).toEqual({
      objectIdFieldName: 'OBJECTID',
      uniqueIdField: { name: 'OBJECTID', isSystemMaintained: true },
      globalIdFieldName: 'GlobalID',
      geometryType: 'esriGeometryPoint',
      spatialReference: { wkid: 4326 },
      hasZ: false,
      hasM: false,
      fields: [
        { name: 'NAME', type: 'esriFieldTypeString', alias: 'Name', sqlType: 'sqlTypeNVarchar', length: 40, domain: null, defaultValue: null },
        { name: 'POP', type: 'esriFieldTypeInteger', alias: 'Population', sqlType: 'sqlTypeInteger', domain: null, defaultValue: null },
      ],
      features: [{ attributes: { NAME: 'p3_2', POP: 23 }, geometry: { x: 3, y: 2 } }],
    });
  });

  it('combines where with objectIds by AND and ignores unknown ids', async () => {
    const result = await q({ where: "CAT = 'A'", objectIds: `${gridId(0, 0)}, ${gridId(1, 0)}, 9999`, outFields: 'OBJECTID' });
    expect(ids(result)).toEqual([gridId(0, 0)]);
  });

  it('supports the standardized SQL of spec §6.4', async () => {
    const cases: Array<[string, number]> = [
      ["NAME LIKE 'p1\\_%' ESCAPE '\\'", 10],
      ['POP BETWEEN 10 AND 19', 10],
      ['POP IN (1, 2, 3)', 3],
      ["WHEN >= DATE '2020-01-09'", 20],
      ['MOD(POP, 50) = 0', 2],
      ["UPPER(CAT) = 'A' AND NOT POP < 90", 5],
      ['RATIO * 4 = 2', 10],
      ['Shape IS NULL', 0],
    ];
    for (const [where, count] of cases) {
      expect((await q({ where, returnCountOnly: true })).count, where).toBe(count);
    }
  });

  it('returns only the objectId without outFields, every field with *', async () => {
    const none = await q({ where: 'POP = 1' });
    expect(none.fields.map((f: { name: string }) => f.name)).toEqual(['OBJECTID']);
    const all = await q({ where: 'POP = 1', outFields: '*' });
    expect(all.fields.map((f: { name: string }) => f.name)).toEqual(['OBJECTID', 'NAME', 'POP', 'CAT', 'RATIO', 'WHEN', 'GlobalID']);
    expect(all.features[0].attributes.WHEN).toBe(Date.UTC(2020, 0, 1));
    expect(all.features[0].attributes.GlobalID).toMatch(/^\{[0-9A-F-]{36}\}$/);
  });

  it('answers 400 for unknown fields in where, outFields and orderByFields', async () => {
    expect((await q({ where: 'NOPE = 1' })).error).toMatchObject({ code: 400, details: ["'where' parameter is invalid", 'Invalid field: NOPE'] });
    expect((await q({ outFields: 'NAME,NOPE' })).error).toEqual({
      code: 400,
      message: 'Cannot perform query. Invalid query parameters.',
      details: ["'Invalid field: NOPE' parameter is invalid"],
    });
    expect((await q({ orderByFields: 'NOPE DESC' })).error.details).toEqual(["'Invalid field: NOPE' parameter is invalid"]);
  });

  it('refuses SQL injection in where with 400', async () => {
    for (const where of ['1=1; DROP TABLE layer_0', "NAME = 'x' OR 1=1 --", 'POP IN (SELECT POP FROM layer_0)', 'sqlite_version() = 1']) {
      expect((await q({ where })).error?.code, where).toBe(400);
    }
  });

  it('returns returnGeometry=false features without geometry', async () => {
    const result = await q({ where: 'POP = 5', outFields: 'POP', returnGeometry: false });
    expect(result.features).toEqual([{ attributes: { POP: 5 } }]);
  });
});

describe('ids, counts, extents, distinct values', () => {
  it('returns ids, count, and extent (with count)', async () => {
    expect((await q({ where: 'POP < 3', returnIdsOnly: true })).objectIds).toEqual([1, 2, 3]);
    expect(await q({ where: 'POP < 3', returnIdsOnly: true, returnCountOnly: true })).toEqual({ count: 3 });
    expect(await q({ where: 'POP >= 0', returnExtentOnly: true })).toEqual({
      extent: { xmin: 0, ymin: 0, xmax: 9, ymax: 9, spatialReference: { wkid: 4326 } },
    });
    const both = await q({ where: 'POP IN (11, 35)', returnExtentOnly: true, returnCountOnly: true });
    expect(both).toEqual({ count: 2, extent: { xmin: 1, ymin: 1, xmax: 5, ymax: 3, spatialReference: { wkid: 4326 } } });
  });

  it('reports an empty extent with NaN bounds', async () => {
    expect((await q({ where: 'POP < 0', returnExtentOnly: true })).extent).toMatchObject({ xmin: 'NaN', ymax: 'NaN' });
  });

  it('returns distinct values and counts them', async () => {
    const distinct = await q({ where: '1=1', outFields: 'CAT', returnDistinctValues: true, returnGeometry: false, orderByFields: 'CAT' });
    expect(distinct.features).toEqual([{ attributes: { CAT: 'A' } }, { attributes: { CAT: 'B' } }]);
    expect(await q({ outFields: 'CAT', returnDistinctValues: true, returnCountOnly: true })).toEqual({ count: 2 });
  });
});

describe('orderByFields and paging', () => {
  it('orders by several fields and validates them', async () => {
    const result = await q({ where: 'POP < 20', outFields: 'CAT,POP', orderByFields: 'CAT DESC, POP DESC', resultRecordCount: 3, returnGeometry: false });
    expect(result.features.map((f) => f.attributes)).toEqual([
      { CAT: 'B', POP: 19 },
      { CAT: 'B', POP: 17 },
      { CAT: 'B', POP: 15 },
    ]);
  });

  it('pages with resultOffset/resultRecordCount and flags exceededTransferLimit', async () => {
    const page1 = await q({ where: '1=1', resultOffset: 0, resultRecordCount: 40 });
    const page3 = await q({ where: '1=1', resultOffset: 80, resultRecordCount: 40 });
    expect(page1.features).toHaveLength(40);
    expect(page1.exceededTransferLimit).toBe(true);
    expect(page3.features).toHaveLength(20);
    expect(page3.exceededTransferLimit).toBeUndefined();
    expect(ids(page3)[0]).toBe(81);
    const beyond = await q({ where: '1=1', resultOffset: 500 });
    expect(beyond.features).toEqual([]);
  });

  it('caps pages at maxRecordCount', async () => {
    const small = await createGridService(server, token, 'small_pages', { maxRecordCount: 25 });
    const result = await query(server, `${small}/0/query`, { f: 'json', token, where: '1=1', resultRecordCount: 1000 });
    expect(result.features).toHaveLength(25);
    expect(result.exceededTransferLimit).toBe(true);
    const capped = await query(server, `${small}/0/query`, { f: 'json', token, where: '1=1', returnExceededLimitFeatures: false });
    expect(capped.features).toEqual([]);
    expect(capped.exceededTransferLimit).toBe(true);
    const standard = await query(server, `${small}/0/query`, { f: 'json', token, where: '1=1', resultType: 'standard' });
    expect(standard.features).toHaveLength(100);
  });
});

describe('spatial filters', () => {
  const envelope = JSON.stringify({ xmin: 2, ymin: 2, xmax: 4, ymax: 4 });

  it('filters points by each spatialRel', async () => {
    const expected: Record<string, number[]> = {
      esriSpatialRelIntersects: [2, 3, 4].flatMap((y) => [2, 3, 4].map((x) => gridId(x, y))),
      esriSpatialRelEnvelopeIntersects: [2, 3, 4].flatMap((y) => [2, 3, 4].map((x) => gridId(x, y))),
      esriSpatialRelIndexIntersects: [2, 3, 4].flatMap((y) => [2, 3, 4].map((x) => gridId(x, y))),
      esriSpatialRelContains: [gridId(3, 3)],
      esriSpatialRelTouches: [2, 3, 4].flatMap((y) => [2, 3, 4].map((x) => gridId(x, y))).filter((id) => id !== gridId(3, 3)),
      esriSpatialRelWithin: [],
      esriSpatialRelCrosses: [],
      esriSpatialRelOverlaps: [],
    };
    for (const [spatialRel, wanted] of Object.entries(expected)) {
      const result = await q({ geometry: envelope, geometryType: 'esriGeometryEnvelope', spatialRel, returnIdsOnly: true });
      expect(result.objectIds.sort((a: number, b: number) => a - b), spatialRel).toEqual(wanted.sort((a, b) => a - b));
    }
  });

  it('filters polygons and lines by each spatialRel', async () => {
    const filter = { rings: [[[1, 1], [1, 3], [3, 3], [3, 1], [1, 1]]] };
    const labels = async (layer: number, spatialRel: string, geometry: unknown = filter, geometryType = 'esriGeometryPolygon') => {
      const result = await q({ geometry: JSON.stringify(geometry), geometryType, spatialRel, outFields: 'LABEL', returnGeometry: false }, layer, shapes);
      return result.features.map((f) => f.attributes.LABEL).sort();
    };
    expect(await labels(0, 'esriSpatialRelIntersects')).toEqual(['covering', 'inside', 'overlapping', 'touching']);
    expect(await labels(0, 'esriSpatialRelContains')).toEqual(['inside']);
    expect(await labels(0, 'esriSpatialRelWithin')).toEqual(['covering']);
    expect(await labels(0, 'esriSpatialRelOverlaps')).toEqual(['overlapping']);
    expect(await labels(0, 'esriSpatialRelTouches')).toEqual(['touching']);
    expect(await labels(0, 'esriSpatialRelEnvelopeIntersects')).toEqual(['covering', 'inside', 'overlapping', 'touching']);
    expect(await labels(1, 'esriSpatialRelCrosses')).toEqual(['crossing']);
    expect(await labels(1, 'esriSpatialRelTouches')).toEqual(['touching']);
    expect(await labels(1, 'esriSpatialRelContains')).toEqual(['inside']);
    expect(await labels(1, 'esriSpatialRelIndexIntersects')).toEqual(['crossing', 'inside', 'touching']);
    const line = { paths: [[[-1, 0.5], [1, 0.5]]] };
    expect(await labels(0, 'esriSpatialRelCrosses', line, 'esriGeometryPolyline')).toEqual(['overlapping']);
  });

  it('accepts the simple x,y and xmin,ymin,xmax,ymax syntaxes', async () => {
    expect((await q({ geometry: '3,3', geometryType: 'esriGeometryPoint', returnIdsOnly: true })).objectIds).toEqual([gridId(3, 3)]);
    expect((await q({ geometry: '2.5,2.5,3.5,3.5', returnIdsOnly: true })).objectIds).toEqual([gridId(3, 3)]);
  });

  it('projects the filter geometry from inSR (and from its own spatialReference)', async () => {
    // x 2.5…3.5°, y 2.5…3.5° in Web Mercator metres.
    const mercator = '278298.7,278829.5,389618.2,389860.8';
    expect((await q({ geometry: mercator, inSR: 102100, returnIdsOnly: true })).objectIds).toEqual([gridId(3, 3)]);
    expect((await q({ geometry: mercator, inSR: '{"wkid":3857}', returnIdsOnly: true })).objectIds).toEqual([gridId(3, 3)]);
    const withSr = JSON.stringify({ xmin: 278298.7, ymin: 278829.5, xmax: 389618.2, ymax: 389860.8, spatialReference: { wkid: 102100 } });
    expect((await q({ geometry: withSr, returnIdsOnly: true })).objectIds).toEqual([gridId(3, 3)]);
  });

  it('buffers the filter geometry by distance in units (metres on the ground for WGS84 layers)', async () => {
    const near = (params: Record<string, string | number>) => q({ geometry: '0,0', geometryType: 'esriGeometryPoint', returnIdsOnly: true, ...params });
    // 1° is ~111 km at the equator: within 120 km of (0,0) lie (0,0), (1,0), (0,1) but not (1,1) (157 km).
    const expected = [gridId(0, 0), gridId(1, 0), gridId(0, 1)];
    expect((await near({ distance: 120, units: 'esriSRUnit_Kilometer' })).objectIds).toEqual(expected);
    expect((await near({ distance: 75, units: 'esriSRUnit_StatuteMile' })).objectIds).toEqual(expected);
    expect((await near({ distance: 400_000 })).objectIds).toEqual(expected); // feet, ArcGIS Enterprise's default
    expect((await near({ distance: 100, units: 'esriSRUnit_Kilometer' })).objectIds).toEqual([gridId(0, 0)]);
    expect((await near({ distance: 120_000, units: 'esriSRUnit_Meter', inSR: 3857 })).objectIds).toEqual(expected);
    const layer = await server.get<LayerJson>(`${grid}/0?f=json&token=${token}`);
    expect(layer.advancedQueryCapabilities.supportsQueryWithDistance).toBe(true);
  });

  it('answers 400 for a distance without geometry, negative, or in unknown units', async () => {
    expect((await q({ where: '1=1', distance: 10, units: 'esriSRUnit_Meter' })).error.code).toBe(400);
    expect((await q({ geometry: '0,0', geometryType: 'esriGeometryPoint', distance: -5 })).error.code).toBe(400);
    expect((await q({ geometry: '0,0', geometryType: 'esriGeometryPoint', distance: 5, units: 'esriSRUnit_Parsec' })).error.code).toBe(400);
  });

  it('answers 400 for a malformed geometry or unknown spatialRel', async () => {
    expect((await q({ geometry: '{"rings":[[1,2]]}', geometryType: 'esriGeometryPolygon' })).error.code).toBe(400);
    expect((await q({ geometry: '1,2,3', returnIdsOnly: true })).error.code).toBe(400);
    expect((await q({ geometry: '1,2', geometryType: 'esriGeometryPoint', spatialRel: 'esriSpatialRelNear' })).error.code).toBe(400);
    expect((await q({ geometry: '1,2', geometryType: 'esriGeometryPoint', inSR: 999999 })).error.code).toBe(400);
  });
});

describe('outSR', () => {
  const point = async (outSR: string | number, where = 'POP = 21') => {
    const result = await q({ where, outSR: String(outSR) });
    return { sr: result.spatialReference, geometry: result.features[0].geometry };
  };

  it('projects to Web Mercator as 102100, 3857 and JSON', async () => {
    const expected = { x: 111319.49079327357, y: 222684.20850554405 };
    const for102100 = await point(102100);
    expect(for102100.sr).toEqual({ wkid: 102100, latestWkid: 3857 });
    expect(for102100.geometry.x).toBeCloseTo(expected.x, 4);
    expect(for102100.geometry.y).toBeCloseTo(expected.y, 4);
    const for3857 = await point('{"wkid":3857}');
    expect(for3857.sr).toEqual({ wkid: 3857, latestWkid: 3857 });
    expect(for3857.geometry.x).toBeCloseTo(expected.x, 4);
  });

  it('projects to WGS84 (identity here) and to a UTM zone', async () => {
    expect(await point(4326)).toEqual({ sr: { wkid: 4326 }, geometry: { x: 1, y: 2 } });
    const utm = await point(32631, 'POP = 3');
    expect(utm.sr).toEqual({ wkid: 32631 });
    expect(utm.geometry.x).toBeCloseTo(500000, 3);
    expect(utm.geometry.y).toBeCloseTo(0, 3);
  });

  it('rounds with geometryPrecision and answers 400 for an unknown SR', async () => {
    const rounded = await q({ where: 'POP = 21', outSR: 102100, geometryPrecision: 1 });
    expect(rounded.features[0].geometry).toEqual({ x: 111319.5, y: 222684.2 });
    expect((await q({ where: 'POP = 21', outSR: 987654 })).error.code).toBe(400);
  });

  it('projects extents', async () => {
    const result = await q({ where: 'POP IN (0, 99)', returnExtentOnly: true, outSR: 102100 });
    expect(result.extent.spatialReference).toEqual({ wkid: 102100, latestWkid: 3857 });
    expect(result.extent.xmax).toBeCloseTo(1001875.417, 2);
  });
});

describe('statistics', () => {
  it('computes every statistic type, grouped and ordered', async () => {
    const outStatistics = JSON.stringify([
      { statisticType: 'count', onStatisticField: 'OBJECTID', outStatisticFieldName: 'N' },
      { statisticType: 'sum', onStatisticField: 'POP', outStatisticFieldName: 'TOTAL' },
      { statisticType: 'min', onStatisticField: 'POP', outStatisticFieldName: 'LOW' },
      { statisticType: 'max', onStatisticField: 'POP', outStatisticFieldName: 'HIGH' },
      { statisticType: 'avg', onStatisticField: 'RATIO', outStatisticFieldName: 'MEAN' },
      { statisticType: 'stddev', onStatisticField: 'POP', outStatisticFieldName: 'SD' },
      { statisticType: 'var', onStatisticField: 'POP', outStatisticFieldName: 'V' },
    ]);
    const result = await q({ where: 'POP < 10', outStatistics, groupByFieldsForStatistics: 'CAT', orderByFields: 'TOTAL DESC' });
    expect(result.fields.map((f) => [f.name, f.type])).toEqual([
      ['CAT', 'esriFieldTypeString'],
      ['N', 'esriFieldTypeInteger'],
      ['TOTAL', 'esriFieldTypeInteger'],
      ['LOW', 'esriFieldTypeInteger'],
      ['HIGH', 'esriFieldTypeInteger'],
      ['MEAN', 'esriFieldTypeDouble'],
      ['SD', 'esriFieldTypeDouble'],
      ['V', 'esriFieldTypeDouble'],
    ]);
    const [b, a] = result.features.map((f) => f.attributes);
    expect(b).toMatchObject({ CAT: 'B', N: 5, TOTAL: 25, LOW: 1, HIGH: 9, MEAN: 1.25 });
    expect(a).toMatchObject({ CAT: 'A', N: 5, TOTAL: 20, LOW: 0, HIGH: 8, MEAN: 1 });
    expect(a.V).toBeCloseTo(10, 10);
    expect(a.SD).toBeCloseTo(Math.sqrt(10), 10);
  });

  it('filters groups with havingClause on aggregates and group-by fields', async () => {
    const outStatistics = JSON.stringify([{ statisticType: 'count', onStatisticField: 'OBJECTID', outStatisticFieldName: 'N' }]);
    const groups = (havingClause: string) =>
      q({ where: 'POP < 15', outStatistics, groupByFieldsForStatistics: 'CAT', orderByFields: 'CAT', havingClause }).then((r) =>
        r.error ? r : r.features.map((f) => [f.attributes.CAT, f.attributes.N]),
      );
    // POP < 15: A has 0,2,4,6,8,10,12,14 (8 rows, sum 56), B has 1,3,…,13 (7 rows, sum 49).
    expect(await groups('COUNT(*) > 7')).toEqual([['A', 8]]);
    expect(await groups('SUM(POP) < 50 OR MAX(POP) = 14')).toEqual([['A', 8], ['B', 7]]);
    expect(await groups("cat = 'B' AND AVG(RATIO) > 0")).toEqual([['B', 7]]);
    expect(await groups('COUNT(DISTINCT NAME) BETWEEN 1 AND 7')).toEqual([['B', 7]]);
    const layer = await server.get<LayerJson>(`${grid}/0?f=json&token=${token}`);
    expect(layer.advancedQueryCapabilities.supportsHavingClause).toBe(true);
  });

  it('answers 400 for havingClause without statistics, with bare fields, nested aggregates or injections', async () => {
    const outStatistics = JSON.stringify([{ statisticType: 'count', onStatisticField: 'OBJECTID', outStatisticFieldName: 'N' }]);
    const having = (havingClause: string, extra: Record<string, string> = { outStatistics, groupByFieldsForStatistics: 'CAT' }) => q({ havingClause, ...extra });
    expect((await having('COUNT(*) > 1', {})).error.code).toBe(400);
    const bare = await having('POP > 3');
    expect(bare.error.code).toBe(400);
    expect(bare.error.details.join(' ')).toMatch(/POP must be inside an aggregate/);
    expect((await having('SUM(COUNT(*)) > 1')).error.code).toBe(400);
    expect((await having('SUM(NAME) > 1')).error.code).toBe(400);
    expect((await having('COUNT(*) > 1; DROP TABLE layer_0')).error.code).toBe(400);
    expect((await having('COUNT(*) > (SELECT 1)')).error.code).toBe(400);
    expect((await q({ where: 'COUNT(*) > 1', returnCountOnly: true })).error.code).toBe(400);
  });

  it('invents names, pages groups, and refuses bad statistics', async () => {
    const grouped = await q({ outStatistics: JSON.stringify([{ statisticType: 'sum', onStatisticField: 'POP' }]), groupByFieldsForStatistics: 'NAME', orderByFields: 'NAME', resultRecordCount: 2 });
    expect(grouped.fields.map((f) => f.name)).toEqual(['NAME', 'SUM_POP']);
    expect(grouped.features).toHaveLength(2);
    expect(grouped.exceededTransferLimit).toBe(true);
    expect((await q({ outStatistics: JSON.stringify([{ statisticType: 'sum', onStatisticField: 'NAME' }]) })).error.code).toBe(400);
    expect((await q({ outStatistics: JSON.stringify([{ statisticType: 'median', onStatisticField: 'POP' }]) })).error.code).toBe(400);
    expect((await q({ outStatistics: '[]' })).error.code).toBe(400);
  });
});

describe('formats and single features', () => {
  it('answers f=geojson with WGS84 features and ids', async () => {
    const response = await fetch(`${server.url}${grid}/0/query?where=POP%3D12&outFields=NAME&f=geojson&token=${token}`);
    expect(response.headers.get('content-type')).toMatch(/geo\+json/);
    expect(await response.json()).toEqual({
      type: 'FeatureCollection',
      features: [{ type: 'Feature', id: gridId(2, 1), geometry: { type: 'Point', coordinates: [2, 1] }, properties: { NAME: 'p2_1' } }],
    });
  });

  it('writes GeoJSON polygons with RFC 7946 winding', async () => {
    const result = await query<GeoJsonAnswer>(server, `${shapes}/0/query`, { f: 'geojson', token, where: "LABEL = 'far'" });
    const ring = result.features[0].geometry.coordinates[0];
    const area = ring.slice(0, -1).reduce((sum: number, p: number[], i: number) => sum + (ring[i + 1][0] - p[0]) * (ring[i + 1][1] + p[1]), 0);
    expect(area).toBeLessThan(0);
  });

  it('answers f=pbf with a FeatureCollectionPBuffer', async () => {
    const response = await fetch(`${server.url}${grid}/0/query?where=POP<3&outFields=POP&f=pbf&token=${token}`);
    expect(response.headers.get('content-type')).toBe('application/x-protobuf');
    const decoded = decodeFeatureCollectionPbf(new Uint8Array(await response.arrayBuffer()));
    const set = decoded.queryResult as unknown as FeatureSet;
    expect(set.features.map((f) => f.attributes.POP)).toEqual([0, 1, 2]);
    expect(set.features[2].geometry.x).toBeCloseTo(2, 6);
    const count = await fetch(`${server.url}${grid}/0/query?where=1=1&returnCountOnly=true&f=pbf&token=${token}`);
    expect(decodeFeatureCollectionPbf(new Uint8Array(await count.arrayBuffer())).queryResult).toEqual({ count: 100 });
  });

  it('indents f=pjson and serves an HTML query page', async () => {
    const text = await (await fetch(`${server.url}${grid}/0/query?where=POP=1&f=pjson&token=${token}`)).text();
    expect(text).toContain('\n  "objectIdFieldName"');
    const html = await (await fetch(`${server.url}${grid}/0/query?f=html&token=${token}`)).text();
    expect(html).toContain('<form');
    const withResult = await (await fetch(`${server.url}${grid}/0/query?f=html&where=POP%3D7&outFields=NAME&token=${token}`)).text();
    expect(withResult).toContain('p7_0');
  });

  it('answers every read operation as POST too', async () => {
    const viaPost = await server.post<FeatureSet>(`${grid}/0/query`, { f: 'json', token, where: 'POP = 4', outFields: 'POP' });
    expect(viaPost.features[0].attributes.POP).toBe(4);
  });

  it('serves one feature at /<layer>/<objectId>', async () => {
    const feature = await server.get<{ feature: Feature }>(`${grid}/0/${gridId(4, 4)}?f=json&token=${token}`);
    expect(feature.feature.attributes).toMatchObject({ OBJECTID: gridId(4, 4), NAME: 'p4_4', POP: 44 });
    expect(feature.feature.geometry).toEqual({ x: 4, y: 4 });
    expect((await server.get<ErrorEnvelope>(`${grid}/0/99999?f=json&token=${token}`)).error.code).toBe(404);
  });

  it('wraps JSONP and refuses unknown formats', async () => {
    const text = await (await fetch(`${server.url}${grid}/0/query?where=POP=1&f=json&callback=cb&token=${token}`)).text();
    expect(text).toMatch(/^cb\(\{.*\}\);$/);
    expect((await q({ f: 'kmz' })).error.code).toBe(400);
  });
});
