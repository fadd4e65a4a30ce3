import path from 'node:path';
import gdal from 'gdal-async';
import { describe, expect, it } from 'vitest';
import { polygonizeArgs } from '../../src/tasks/convert-raster-to-feature.js';
import { writeRaster } from '../fixtures/raster/write-raster.js';
import { gdalCommand, runAnalysisJob, useDemServer } from '../helpers/analysis-server.js';
import type { Feature, FeatureSet, Item } from '../helpers/answers.js';

const GT = [290000, 30, 0, 9120000, 0, -30];

const demServer = useDemServer(async (env) => {
  // Classes: 1 on the left, 2 on the right, a 3 island in the middle, nodata in the first row.
  await writeRaster(path.join(env.share, 'classes.tif'), {
    width: 60, height: 40, dataType: 'Byte', noData: 0, srs: 'EPSG:31985', geoTransform: GT,
    value: (c, r) => (r === 0 ? 0 : c >= 20 && c < 30 && r >= 10 && r < 20 ? 3 : c < 30 ? 1 : 2),
  });
  // A road: a diagonal of 5s and a row of 7s on a background of 0.
  await writeRaster(path.join(env.share, 'roads.tif'), {
    width: 30, height: 30, dataType: 'Byte', srs: 'EPSG:31985', geoTransform: GT,
    value: (c, r) => (c === r && c > 2 && c < 25 ? 5 : r === 27 && c > 1 ? 7 : 0),
  });
  // A staircase: 1 below the diagonal, 2 above; each polygon has ~80 vertices.
  await writeRaster(path.join(env.share, 'stairs.tif'), { width: 40, height: 40, dataType: 'Byte', srs: 'EPSG:31985', geoTransform: GT, value: (c, r) => (c < r ? 1 : 2) });
});

async function query(name: string, fields: string): Promise<FeatureSet> {
  return demServer.env.server.get<FeatureSet>(`/rest/services/Hosted/${name}/FeatureServer/0/query?where=1%3D1&outFields=${fields}&f=json&token=${demServer.env.token}`);
}

/** Area of an Esri JSON polygon (rings: exterior clockwise positive, holes negative). */
function area(rings: number[][][]): number {
  return rings.reduce((sum, ring) => sum - ring.reduce((s, [x, y], i) => s + (i ? (ring[i - 1]![0]! * y! - x! * ring[i - 1]![1]!) / 2 : 0), 0), 0);
}

describe('ConvertRasterToFeature over HTTP', () => {
  it('makes the polygons gdal_polygonize makes (no simplification) in a hosted feature layer', async (ctx) => {
    if (demServer.skip) return ctx.skip();
    const { status, results, messages } = await runAnalysisJob(demServer.env, 'ConvertRasterToFeature', {
      inputRaster: { uri: '/data/classes.tif' },
      outputType: 'Polygon',
      simplifyLinesOrPolygons: false,
      outputName: 'class_polygons',
    });
    expect(status, messages.join('\n')).toBe('esriJobSucceeded');
    const item = await demServer.env.server.get<Item>(`/sharing/rest/content/items/${results.outputFeatures.value.itemId}?f=json&token=${demServer.env.token}`);
    expect(item).toMatchObject({ type: 'Feature Service', owner: 'admin' });
    const expected = path.join(demServer.env.share, 'expected-polygons.gpkg');
    await gdalCommand('gdal_polygonize.py', [...polygonizeArgs(), path.join(demServer.env.share, 'classes.tif'), expected, 'out', 'gridcode']);
    const dataset = gdal.open(expected);
    const want = dataset.layers.get(0).features.map((f) => [f.fields.get('gridcode') as number, Math.round((f.getGeometry() as gdal.Polygon).getArea())]).sort();
    dataset.close();
    const got = (await query('class_polygons', 'gridcode')).features.map((f) => [f.attributes.gridcode, Math.round(area(f.geometry.rings))]).sort();
    expect(got).toEqual(want);
    expect(got.map((g) => g[0]).sort()).toEqual([1, 2, 3]);
  });

  it('dissolves into one multipart feature per value, and simplifies', async (ctx) => {
    if (demServer.skip) return ctx.skip();
    const { status, messages } = await runAnalysisJob(demServer.env, 'ConvertRasterToFeature', { inputRaster: { uri: '/data/classes.tif' }, createMultipartFeatures: true, outputName: 'class_multipart' });
    expect(status, messages.join('\n')).toBe('esriJobSucceeded');
    const rows = (await query('class_multipart', 'gridcode')).features;
    expect(rows.map((f) => f.attributes.gridcode).sort()).toEqual([1, 2, 3]);
    // Class 1 surrounds the island: its area is the left half of rows 1–39 minus 10×10 cells.
    const one = rows.find((f) => f.attributes.gridcode === 1);
    expect(area(one!.geometry.rings)).toBeCloseTo((30 * 39 - 100) * 900, -2);
  });

  it('makes one point per cell with data', async (ctx) => {
    if (demServer.skip) return ctx.skip();
    const { status, messages } = await runAnalysisJob(demServer.env, 'ConvertRasterToFeature', { inputRaster: { uri: '/data/classes.tif' }, outputType: 'Point', outputName: 'class_points' });
    expect(status, messages.join('\n')).toBe('esriJobSucceeded');
    const count = await demServer.env.server.get<FeatureSet>(`/rest/services/Hosted/class_points/FeatureServer/0/query?where=grid_code%3D3&returnCountOnly=true&f=json&token=${demServer.env.token}`);
    expect(count.count).toBe(100);
    const total = await demServer.env.server.get<FeatureSet>(`/rest/services/Hosted/class_points/FeatureServer/0/query?where=1%3D1&returnCountOnly=true&f=json&token=${demServer.env.token}`);
    expect(total.count).toBe(60 * 39);
  });

  it('traces lines through linear cell groups', async (ctx) => {
    if (demServer.skip) return ctx.skip();
    const { status, messages } = await runAnalysisJob(demServer.env, 'ConvertRasterToFeature', { inputRaster: { uri: '/data/roads.tif' }, outputType: 'Line', simplifyLinesOrPolygons: false, outputName: 'road_lines' });
    expect(status, messages.join('\n')).toBe('esriJobSucceeded');
    const rows = (await query('road_lines', 'grid_code')).features;
    expect(rows.map((f) => f.attributes.grid_code).sort()).toEqual([5, 7]);
    const road = rows.find((f) => f.attributes.grid_code === 7);
    const [first, last] = [road!.geometry.paths[0]![0]!, road!.geometry.paths[0]!.at(-1)!];
    expect(Math.abs(last[0] - first[0])).toBeCloseTo(27 * 30, 6); // cells 2..29 centre to centre
  });

  it('cuts polygons and lines into pieces of at most maxVerticesPerFeature vertices, keeping their area and length', async (ctx) => {
    if (demServer.skip) return ctx.skip();
    const whole = await runAnalysisJob(demServer.env, 'ConvertRasterToFeature', { inputRaster: { uri: '/data/stairs.tif' }, simplifyLinesOrPolygons: false, outputName: 'stairs_whole' });
    expect(whole.status, whole.messages.join('\n')).toBe('esriJobSucceeded');
    const cut = await runAnalysisJob(demServer.env, 'ConvertRasterToFeature', { inputRaster: { uri: '/data/stairs.tif' }, simplifyLinesOrPolygons: false, maxVerticesPerFeature: 12, outputName: 'stairs_cut' });
    expect(cut.status, cut.messages.join('\n')).toBe('esriJobSucceeded');
    const wholeRows = (await query('stairs_whole', 'gridcode')).features;
    const cutRows = (await query('stairs_cut', 'gridcode')).features;
    expect(Math.max(...wholeRows.map((f) => f.geometry.rings.flat().length))).toBeGreaterThan(12);
    expect(cutRows.length).toBeGreaterThan(wholeRows.length);
    for (const f of cutRows) expect(f.geometry.rings.flat().length).toBeLessThanOrEqual(12);
    const areaOf = (rows: Feature[], code: number) => rows.filter((f) => f.attributes.gridcode === code).reduce((sum, f) => sum + area(f.geometry.rings), 0);
    for (const code of [1, 2]) expect(areaOf(cutRows, code)).toBeCloseTo(areaOf(wholeRows, code), 0);
    const lines = await runAnalysisJob(demServer.env, 'ConvertRasterToFeature', { inputRaster: { uri: '/data/roads.tif' }, outputType: 'Line', simplifyLinesOrPolygons: false, maxVerticesPerFeature: 5, outputName: 'road_pieces' });
    expect(lines.status, lines.messages.join('\n')).toBe('esriJobSucceeded');
    const pieces = (await query('road_pieces', 'grid_code')).features.filter((f) => f.attributes.grid_code === 5);
    expect(pieces.length).toBeGreaterThan(1);
    for (const f of pieces) expect(f.geometry.paths[0].length).toBeLessThanOrEqual(5);
    const length = pieces.reduce((sum: number, f) => sum + f.geometry.paths[0].reduce((s: number, p: number[], i: number, all: number[][]) => s + (i ? Math.hypot(p[0] - all[i - 1][0], p[1] - all[i - 1][1]) : 0), 0), 0);
    expect(length).toBeCloseTo(21 * 30 * Math.SQRT2, 3); // cells 3..24 on the diagonal, centre to centre
  });

  it('fails naming a field other than Value', async (ctx) => {
    if (demServer.skip) return ctx.skip();
    const { status, messages } = await runAnalysisJob(demServer.env, 'ConvertRasterToFeature', { inputRaster: { uri: '/data/classes.tif' }, field: 'Class_Name', outputName: 'never_vectorized' });
    expect(status).toBe('esriJobFailed');
    expect(messages.join(' ')).toMatch(/'field'/);
  });
});
