import path from 'node:path';
import { writeFile } from 'node:fs/promises';
import gdal from 'gdal-async';
import { describe, expect, it } from 'vitest';
import { rasterizeArgs } from '../../src/tasks/convert-feature-to-raster.js';
import { viewshedArgs } from '../../src/tasks/create-viewshed.js';
import { gridArgs } from '../../src/tasks/interpolate-points.js';
import { expectSamePixels, gdalCommand, outputRasterPath, readBand, runAnalysisJob, useDemServer } from '../helpers/analysis-server.js';


const demServer = useDemServer();

const SR = { wkid: 31985 };
/** Two observers on the Olinda DEM, the second with its own height in a field. */
const OBSERVERS = {
  geometryType: 'esriGeometryPoint',
  spatialReference: SR,
  fields: [{ name: 'OBJECTID', type: 'esriFieldTypeOID' }, { name: 'h', type: 'esriFieldTypeDouble' }],
  features: [
    { attributes: { OBJECTID: 1, h: 10 }, geometry: { x: 292000, y: 9117000 } },
    { attributes: { OBJECTID: 2, h: 25 }, geometry: { x: 296500, y: 9113000 } },
  ],
};

describe('CreateViewshed over HTTP', () => {
  it('counts the observers that see each cell, as gdal_viewshed per observer summed, NoData where none does', async (ctx) => {
    if (demServer.skip) return ctx.skip();
    const { status, results, messages } = await runAnalysisJob(demServer.env, 'CreateViewshed', {
      inputElevationSurface: { uri: '/data/dem.tif' },
      inputObserverFeatures: OBSERVERS,
      observersHeightField: 'h',
      targetHeight: 2,
      maximumViewingDistance: 6000,
      outputName: 'olinda_viewshed',
      aboveGroundLevelOutputName: 'olinda_agl',
    });
    expect(status, messages.join('\n')).toBe('esriJobSucceeded');
    expect(results.outputRaster.value.url).toMatch(/olinda_viewshed\/ImageServer$/);
    expect(results.outputAboveGroundLevelRaster.value.url).toMatch(/olinda_agl\/ImageServer$/);
    const counts = readBand(await outputRasterPath(demServer.env.server, 'olinda_viewshed'));
    const expected = new Float64Array(counts.values.length);
    for (const [i, f] of OBSERVERS.features.entries()) {
      const file = path.join(demServer.env.share, `viewshed-${i}.tif`);
      await gdalCommand('gdal_viewshed', [...viewshedArgs({ x: f.geometry.x, y: f.geometry.y, height: f.attributes.h, target: 2, maxDistance: 6000 }), demServer.env.dem, file]);
      // With a maximum distance gdal_viewshed writes only the window around the observer.
      const window = readBand(file);
      const col = Math.round((window.geoTransform[0] - counts.geoTransform[0]) / counts.geoTransform[1]);
      const row = Math.round((window.geoTransform[3] - counts.geoTransform[3]) / counts.geoTransform[5]);
      window.values.forEach((v, w) => (expected[(Math.floor(w / window.width) + row) * counts.width + (w % window.width) + col] += v > 0 ? 1 : 0));
    }
    // Cells no observer sees are NoData, as ArcGIS gives them.
    expect(counts.values.includes(0)).toBe(false);
    expect([...counts.values].map((v) => (v === counts.noData ? 0 : v))).toEqual([...expected]);
    expect(Math.max(...counts.values)).toBe(2);
  });

  it('leaves the cells nearer than minimumViewingDistance unseen', async (ctx) => {
    if (demServer.skip) return ctx.skip();
    const [first] = OBSERVERS.features;
    const one = { ...OBSERVERS, features: [first] };
    const { status, messages } = await runAnalysisJob(demServer.env, 'CreateViewshed', { inputElevationSurface: { uri: '/data/dem.tif' }, inputObserverFeatures: one, observersHeight: 10, minimumViewingDistance: 1500, outputName: 'olinda_far_view' });
    expect(status, messages.join('\n')).toBe('esriJobSucceeded');
    const counts = readBand(await outputRasterPath(demServer.env.server, 'olinda_far_view'));
    const file = path.join(demServer.env.share, 'viewshed-far.tif');
    await gdalCommand('gdal_viewshed', [...viewshedArgs({ x: first.geometry.x, y: first.geometry.y, height: 10, target: 0 }), demServer.env.dem, file]);
    const seen = readBand(file);
    const [ox, px, , oy, , py] = counts.geoTransform;
    const expected = [...seen.values].map((v, i) => {
      const dx = ox + ((i % counts.width) + 0.5) * px - first.geometry.x;
      const dy = oy + (Math.floor(i / counts.width) + 0.5) * py - first.geometry.y;
      return v > 0 && dx * dx + dy * dy >= 1500 ** 2 ? 1 : 0;
    });
    expect(expected.includes(1)).toBe(true);
    expect([...counts.values].map((v) => (v === counts.noData ? 0 : v))).toEqual(expected);
  });

  it('fails naming an observer outside the surface', async (ctx) => {
    if (demServer.skip) return ctx.skip();
    const far = { ...OBSERVERS, features: [{ attributes: { OBJECTID: 1, h: 1 }, geometry: { x: 100000, y: 9117000 } }] };
    const { status, messages } = await runAnalysisJob(demServer.env, 'CreateViewshed', { inputElevationSurface: { uri: '/data/dem.tif' }, inputObserverFeatures: far, outputName: 'never_seen' });
    expect(status).toBe('esriJobFailed');
    expect(messages.join(' ')).toMatch(/'inputObserverFeatures'.*outside the elevation surface/);
  });
});

describe('InterpolatePoints over HTTP', () => {
  it('interpolates a field with inverse distance exactly as gdal_grid does', async (ctx) => {
    if (demServer.skip) return ctx.skip();
    let seed = 11;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const features = Array.from({ length: 40 }, (_, i) => ({ attributes: { OBJECTID: i + 1, temp: Math.round(random() * 300) / 10 }, geometry: { x: 290000 + random() * 8000, y: 9112000 + random() * 8000 } }));
    const points = { geometryType: 'esriGeometryPoint', spatialReference: SR, fields: [{ name: 'OBJECTID', type: 'esriFieldTypeOID' }, { name: 'temp', type: 'esriFieldTypeDouble' }], features };
    const { status, results, messages } = await runAnalysisJob(demServer.env, 'InterpolatePoints', { inputPointFeatures: points, interpolateField: 'temp', optimizeFor: 'SPEED', outputCellSize: 100, numberOfNeighbors: 6, outputName: 'temp_surface' });
    expect(status, messages.join('\n')).toBe('esriJobSucceeded');
    expect((results.processInfo.value as unknown as string[]).join(' ')).toMatch(/inverse distance/);
    const source = path.join(demServer.env.share, 'points.json');
    await writeFile(source, JSON.stringify(points));
    const xs = features.map((f) => f.geometry.x);
    const ys = features.map((f) => f.geometry.y);
    const expected = path.join(demServer.env.share, 'expected-idw.tif');
    await gdalCommand('gdal_grid', [...gridArgs('temp', 'points', { xmin: Math.min(...xs), ymin: Math.min(...ys), xmax: Math.max(...xs), ymax: Math.max(...ys) }, 100, 6), source, expected]);
    const actual = readBand(await outputRasterPath(demServer.env.server, 'temp_surface'));
    // The points reach OGR through a layer's Esri JSON here and a file in the baseline: the same doubles.
    expectSamePixels({ ...actual, noData: null }, { ...readBand(expected), noData: null });
  });
});

describe('ConvertFeatureToRaster over HTTP', () => {
  it('burns a field of inline polygons exactly as gdal_rasterize does', async (ctx) => {
    if (demServer.skip) return ctx.skip();
    const square = (x: number, y: number, s: number) => [[[x, y], [x, y + s], [x + s, y + s], [x + s, y], [x, y]]];
    const polygons = {
      geometryType: 'esriGeometryPolygon',
      spatialReference: SR,
      fields: [{ name: 'OBJECTID', type: 'esriFieldTypeOID' }, { name: 'landuse', type: 'esriFieldTypeInteger' }],
      features: [
        { attributes: { OBJECTID: 1, landuse: 3 }, geometry: { rings: square(290000, 9112000, 3000) } },
        { attributes: { OBJECTID: 2, landuse: 8 }, geometry: { rings: square(292500, 9114000, 2500) } },
      ],
    };
    const { status, messages } = await runAnalysisJob(demServer.env, 'ConvertFeatureToRaster', { inputFeature: polygons, valueField: 'landuse', outputCellSize: 50, outputName: 'landuse_raster' });
    expect(status, messages.join('\n')).toBe('esriJobSucceeded');
    const source = path.join(demServer.env.share, 'polygons.json');
    await writeFile(source, JSON.stringify(polygons));
    const expected = path.join(demServer.env.share, 'expected-landuse.tif');
    await gdalCommand('gdal_rasterize', [...rasterizeArgs({ name: 'landuse', integer: true }, 50, { layerName: 'polygons' }), source, expected]);
    const actual = readBand(await outputRasterPath(demServer.env.server, 'landuse_raster'));
    expectSamePixels(actual, readBand(expected));
    expect(new Set(actual.values)).toEqual(new Set([3, 8, actual.noData]));
  });

  it('lays the cells out in context.outSR, as ogr2ogr -t_srs then gdal_rasterize do', async (ctx) => {
    if (demServer.skip) return ctx.skip();
    const polygons = {
      geometryType: 'esriGeometryPolygon',
      spatialReference: SR,
      fields: [{ name: 'OBJECTID', type: 'esriFieldTypeOID' }, { name: 'landuse', type: 'esriFieldTypeInteger' }],
      features: [{ attributes: { OBJECTID: 1, landuse: 4 }, geometry: { rings: [[[290000, 9112000], [290000, 9115000], [293000, 9115000], [293000, 9112000], [290000, 9112000]]] } }],
    };
    const { status, messages } = await runAnalysisJob(demServer.env, 'ConvertFeatureToRaster', { inputFeature: polygons, valueField: 'landuse', outputCellSize: 50, context: { outSR: { wkid: 3857 } }, outputName: 'landuse_3857' });
    expect(status, messages.join('\n')).toBe('esriJobSucceeded');
    const source = path.join(demServer.env.share, 'polygons-sr.json');
    await writeFile(source, JSON.stringify(polygons));
    const moved = path.join(demServer.env.share, 'polygons-3857.gpkg');
    await gdalCommand('ogr2ogr', ['-f', 'GPKG', '-t_srs', 'EPSG:3857', '-nln', 'polygons', moved, source]);
    const expected = path.join(demServer.env.share, 'expected-landuse-3857.tif');
    await gdalCommand('gdal_rasterize', [...rasterizeArgs({ name: 'landuse', integer: true }, 50, { layerName: 'polygons' }), moved, expected]);
    const actual = readBand(await outputRasterPath(demServer.env.server, 'landuse_3857'));
    expectSamePixels(actual, readBand(expected));
    expect(gdal.SpatialReference.fromWKT(actual.srsWkt).getAuthorityCode()).toBe('3857');
  });

  it('fails naming a value field that is not numeric or missing', async (ctx) => {
    if (demServer.skip) return ctx.skip();
    const { status, messages } = await runAnalysisJob(demServer.env, 'ConvertFeatureToRaster', { inputFeature: OBSERVERS, valueField: 'nope', outputName: 'never_burnt' });
    expect(status).toBe('esriJobFailed');
    expect(messages.join(' ')).toMatch(/'valueField'.*no field 'nope'/);
  });
});
