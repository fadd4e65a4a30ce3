import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyArgs } from '../../src/tasks/copy-raster.js';
import { proximityArgs } from '../../src/tasks/calculate-distance.js';
import { writeRaster } from '../fixtures/raster/write-raster.js';
import { RASTER_ANALYSIS } from './imagery-http.js';
import { expectSamePixels, gdalCommand, outputRasterPath, readBand, runAnalysisJob, useDemServer } from '../helpers/analysis-server.js';
import type { CreatedService, ErrorEnvelope, Item, ResourceJson } from '../helpers/answers.js';


const demServer = useDemServer();

describe('CopyRaster over HTTP', () => {
  it('resamples and clips the Olinda DEM exactly as gdalwarp does, into a hosted imagery layer with an item', async (ctx) => {
    if (demServer.skip) return ctx.skip();
    const clip = { xmin: 290000, ymin: 9112000, xmax: 296000, ymax: 9119000, spatialReference: { wkid: 31985 } };
    const { status, results, messages } = await runAnalysisJob(demServer.env, 'CopyRaster', {
      inputRaster: { uri: '/data/dem.tif' },
      outputCellsize: 60,
      resamplingMethod: 'BILINEAR',
      clipSetting: clip,
      outputName: 'dem_copy',
    });
    expect(status, messages.join('\n')).toBe('esriJobSucceeded');
    const value = results.outputRaster.value;
    expect(value.url).toBe(`${demServer.env.server.url}/rest/services/Hosted/dem_copy/ImageServer`);
    const item = await demServer.env.server.get<Item>(`/sharing/rest/content/items/${value.itemId}?f=json&token=${demServer.env.token}`);
    expect(item).toMatchObject({ type: 'Image Service', owner: 'admin', url: value.url });
    const expected = path.join(demServer.env.share, 'expected-copy.tif');
    await gdalCommand('gdalwarp', [...copyArgs(60, 'bilinear', clip), demServer.env.dem, expected]);
    expectSamePixels(readBand(await outputRasterPath(demServer.env.server, 'dem_copy')), readBand(expected));
    const info = await demServer.env.server.get<ResourceJson & { pixelSizeX: number }>(`/rest/services/Hosted/dem_copy/ImageServer?f=json&token=${demServer.env.token}`);
    expect(info.pixelSizeX).toBeCloseTo(60, 6);
  });

  it('fills a service created beforehand (serviceProperties/itemProperties form) and reads a catalog item URL', async (ctx) => {
    if (demServer.skip) return ctx.skip();
    const first = await runAnalysisJob(demServer.env, 'CopyRaster', { inputRaster: { uri: '/data/dem.tif' }, outputName: 'dem_source' });
    expect(first.status, first.messages.join('\n')).toBe('esriJobSucceeded');
    const created = await demServer.env.server.post<CreatedService>(`/sharing/rest/content/users/admin/createService`, {
      outputType: 'imageService',
      createParameters: JSON.stringify({ name: 'precreated', description: '', capabilities: 'Image, Metadata', properties: { path: '@', description: '', copyright: '' } }),
      f: 'json',
      token: demServer.env.token,
    });
    if (!created.serviceurl && !created.itemId) return ctx.skip(); // createService for image services not merged yet
    const { status, results, messages } = await runAnalysisJob(demServer.env, 'CopyRaster', {
      inputRaster: { url: `${first.results.outputRaster.value.url}/1` },
      outputName: { serviceProperties: { name: 'precreated', serviceUrl: created.serviceurl }, itemProperties: { itemId: created.itemId } },
    });
    expect(status, messages.join('\n')).toBe('esriJobSucceeded');
    expect(results.outputRaster.value.itemId).toBe(created.itemId);
    expectSamePixels(readBand(await outputRasterPath(demServer.env.server, 'precreated')), readBand(demServer.env.dem));
  });

  it('fails naming the parameter when the input is missing or unreadable, leaving nothing behind', async (ctx) => {
    if (demServer.skip) return ctx.skip();
    // A missing required input is refused at submit, naming it; no job is made.
    const missing = await demServer.env.server.post<ErrorEnvelope>(`${RASTER_ANALYSIS}/CopyRaster/submitJob`, { outputName: 'never_made', f: 'json', token: demServer.env.token });
    expect(missing.error.code).toBe(400);
    expect(JSON.stringify(missing.error)).toMatch(/inputRaster/);
    const unreadable = await runAnalysisJob(demServer.env, 'CopyRaster', { inputRaster: { uri: '/data/nothing.tif' }, outputName: 'never_made' });
    expect(unreadable.status).toBe('esriJobFailed');
    expect(unreadable.messages.join(' ')).toMatch(/nothing\.tif|inputRaster|Copying the raster failed/);
    expect(await demServer.env.server.get(`/rest/services/Hosted/never_made/ImageServer?f=json&token=${demServer.env.token}`)).toHaveProperty('error');
    expect((await runAnalysisJob(demServer.env, 'CopyRaster', { inputRaster: { uri: '/data/dem.tif' }, outputName: 'dem_taken' })).status).toBe('esriJobSucceeded');
    const taken = await runAnalysisJob(demServer.env, 'CopyRaster', { inputRaster: { uri: '/data/dem.tif' }, outputName: 'dem_taken' });
    expect(taken.status).toBe('esriJobFailed');
    expect(taken.messages.join(' ')).toMatch(/'outputName'.*already exists/);
  });
});

describe('CalculateDistance over HTTP', () => {
  it('gives gdal_proximity distances up to maximumDistance, plus direction and allocation', async (ctx) => {
    if (demServer.skip) return ctx.skip();
    // Three source cells with values 5, 7 and 9 on a 200×150 grid of 30 m cells (UTM 25S).
    const sources = path.join(demServer.env.share, 'sources.tif');
    const at: Record<number, number> = { [20 * 200 + 30]: 5, [100 * 200 + 150]: 7, [140 * 200 + 10]: 9 };
    await writeRaster(sources, { width: 200, height: 150, dataType: 'Int16', noData: -1, srs: 'EPSG:31985', geoTransform: [290000, 30, 0, 9120000, 0, -30], value: (c, r) => at[r * 200 + c] ?? -1 });
    const { status, results, messages } = await runAnalysisJob(demServer.env, 'CalculateDistance', {
      inputSourceRasterOrFeatures: { uri: '/data/sources.tif' },
      maximumDistance: 2500,
      outputDistanceName: 'dist',
      outputDirectionName: 'dist_direction',
      outputAllocationName: 'dist_allocation',
    });
    expect(status, messages.join('\n')).toBe('esriJobSucceeded');
    expect(Object.keys(results).sort()).toEqual(expect.arrayContaining(['outputAllocationRaster', 'outputDirectionRaster', 'outputDistanceRaster']));
    // The baseline: gdal_proximity on the same source cells (1 where the raster has data).
    const targets = path.join(demServer.env.share, 'targets.tif');
    await writeRaster(targets, { width: 200, height: 150, dataType: 'Byte', srs: 'EPSG:31985', geoTransform: [290000, 30, 0, 9120000, 0, -30], value: (c, r) => (at[r * 200 + c] ? 1 : 0) });
    const expected = path.join(demServer.env.share, 'expected-distance.tif');
    await gdalCommand('gdal_proximity.py', [...proximityArgs(2500), targets, expected]);
    const distance = readBand(await outputRasterPath(demServer.env.server, 'dist'));
    expectSamePixels(distance, readBand(expected));
    const allocation = readBand(await outputRasterPath(demServer.env.server, 'dist_allocation'));
    const direction = readBand(await outputRasterPath(demServer.env.server, 'dist_direction'));
    expect(allocation.values[20 * 200 + 31]).toBe(5); // next to the first source
    expect(allocation.values[100 * 200 + 140]).toBe(7);
    expect(direction.values[20 * 200 + 30]).toBe(0); // a source
    expect(direction.values[25 * 200 + 30]).toBe(360); // due south of it: the source is north
    expect(allocation.values[0 * 200 + 199]).toBe(allocation.noData); // beyond 2500 m
  });

  it('gives distance alone from an integer raster with gdal_proximity reading its cells with data, and fails when it has none', async (ctx) => {
    if (demServer.skip) return ctx.skip();
    const GT = [290000, 30, 0, 9120000, 0, -30];
    const at: Record<number, number> = { [20 * 200 + 30]: 5, [100 * 200 + 150]: 0, [140 * 200 + 10]: 9 };
    // 0 is a value here (a source), -1 the NoData.
    await writeRaster(path.join(demServer.env.share, 'int-sources.tif'), { width: 200, height: 150, dataType: 'Int16', noData: -1, srs: 'EPSG:31985', geoTransform: GT, creationOptions: ['TILED=YES', 'BLOCKXSIZE=64', 'BLOCKYSIZE=64'], value: (c, r) => at[r * 200 + c] ?? -1 });
    const { status, messages } = await runAnalysisJob(demServer.env, 'CalculateDistance', { inputSourceRasterOrFeatures: { uri: '/data/int-sources.tif' }, maximumDistance: 2500, outputDistanceName: 'dist_only' });
    expect(status, messages.join('\n')).toBe('esriJobSucceeded');
    const targets = path.join(demServer.env.share, 'int-targets.tif');
    await writeRaster(targets, { width: 200, height: 150, dataType: 'Byte', srs: 'EPSG:31985', geoTransform: GT, value: (c, r) => (at[r * 200 + c] !== undefined ? 1 : 0) });
    const expected = path.join(demServer.env.share, 'expected-dist-only.tif');
    await gdalCommand('gdal_proximity.py', [...proximityArgs(2500), targets, expected]);
    expectSamePixels(readBand(await outputRasterPath(demServer.env.server, 'dist_only')), readBand(expected));
    await writeRaster(path.join(demServer.env.share, 'no-sources.tif'), { width: 50, height: 40, dataType: 'Byte', noData: 0, srs: 'EPSG:31985', geoTransform: GT, value: () => 0 });
    const none = await runAnalysisJob(demServer.env, 'CalculateDistance', { inputSourceRasterOrFeatures: { uri: '/data/no-sources.tif' }, outputDistanceName: 'dist_none' });
    expect(none.status).toBe('esriJobFailed');
    expect(none.messages.join(' ')).toMatch(/'inputSourceRasterOrFeatures' has no source cells/);
  });

  it('goes around barrier cells (a wall with a gap) and beside them keeps the straight-line distance', async (ctx) => {
    if (demServer.skip) return ctx.skip();
    const GT = [290000, 30, 0, 9120000, 0, -30];
    await writeRaster(path.join(demServer.env.share, 'one-source.tif'), { width: 60, height: 40, dataType: 'Byte', noData: 0, srs: 'EPSG:31985', geoTransform: GT, value: (c, r) => (c === 5 && r === 20 ? 1 : 0) });
    // A wall in column 30, rows 0–29: the way east is through the gap below it.
    await writeRaster(path.join(demServer.env.share, 'wall.tif'), { width: 60, height: 40, dataType: 'Byte', noData: 0, srs: 'EPSG:31985', geoTransform: GT, value: (c, r) => (c === 30 && r < 30 ? 1 : 0) });
    const { status, messages } = await runAnalysisJob(demServer.env, 'CalculateDistance', {
      inputSourceRasterOrFeatures: { uri: '/data/one-source.tif' },
      inputBarrierRasterOrFeatures: { uri: '/data/wall.tif' },
      outputDistanceName: 'dist_wall',
      outputBackDirectionName: 'dist_wall_back',
    });
    expect(status, messages.join('\n')).toBe('esriJobSucceeded');
    const distance = readBand(await outputRasterPath(demServer.env.server, 'dist_wall'));
    const at = (c: number, r: number) => distance.values[r * 60 + c];
    expect(at(10, 5)).toBeCloseTo(Math.hypot(5, 15) * 30, 3); // in sight of the source
    expect(at(30, 10)).toBe(distance.noData); // a barrier cell
    // East of the wall: the taut string from the source round the wall's foot (pixel corners
    // (30, 30) and (31, 30)) is the shortest; paths here turn at cell centres, within a cell of it.
    const taut = (Math.hypot(30 - 5.5, 30 - 20.5) + 1 + Math.hypot(55.5 - 31, 30 - 20.5)) * 30;
    expect(at(55, 20)).toBeGreaterThanOrEqual(taut - 1e-6);
    expect(at(55, 20)).toBeLessThan(taut + 30);
    expect(at(55, 20)).toBeGreaterThan(Math.hypot(50, 0) * 30 + 100);
    const back = readBand(await outputRasterPath(demServer.env.server, 'dist_wall_back'));
    expect(back.values[20 * 60 + 55]).toBeGreaterThan(180); // the way back heads south-west, to the gap
    expect(back.values[20 * 60 + 55]).toBeLessThan(270);
  });

  it('measures GEODESIC distance on the ellipsoid (1° along the equator, along a meridian)', async (ctx) => {
    if (demServer.skip) return ctx.skip();
    // 0.01° cells, row 0 centred on the equator, the source in the first cell.
    await writeRaster(path.join(demServer.env.share, 'equator.tif'), { width: 120, height: 100, dataType: 'Byte', noData: 0, srs: 'EPSG:4326', geoTransform: [0, 0.01, 0, 0.005, 0, -0.01], value: (c, r) => (c === 0 && r === 0 ? 1 : 0) });
    const { status, messages } = await runAnalysisJob(demServer.env, 'CalculateDistance', { inputSourceRasterOrFeatures: { uri: '/data/equator.tif' }, distanceMethod: 'GEODESIC', outputDistanceName: 'dist_geodesic' });
    expect(status, messages.join('\n')).toBe('esriJobSucceeded');
    const distance = readBand(await outputRasterPath(demServer.env.server, 'dist_geodesic'));
    expect(distance.values[100]).toBeCloseTo((6378137 * Math.PI) / 180, 0); // 1° of the equator: a·Δλ
    // 0.99° of meridian from the equator: M(φ) = 111132.954·φ − 16038.509·sin 2φ + 16.833·sin 4φ.
    const phi = 0.99;
    const rad = (phi * Math.PI) / 180;
    expect(Math.abs(distance.values[99 * 120] - (111132.954 * phi - 16038.509 * Math.sin(2 * rad) + 16.833 * Math.sin(4 * rad)))).toBeLessThan(1);
  });
});
