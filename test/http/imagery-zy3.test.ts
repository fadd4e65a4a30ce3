import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import gdal from 'gdal-async';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogStoreFor } from '../../src/imagery/store/open-catalog-store.js';
import { writeRaster } from '../fixtures/raster/write-raster.js';
import { makeZy3Scene, type Zy3SceneFixture } from '../fixtures/raster/make-zy3-scene.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { registerFileShare, runJob } from './imagery-http.js';

/** Issue 11, defect 4: ZY3-SASMAC and ZY3-CRESDA scenes, orthorectified by their RPCs. */
describe('ZY3 raster types', () => {
  let server: TestServer;
  let token: string;
  let share: string;
  let cresda: Zy3SceneFixture;
  let sasmac: Zy3SceneFixture;
  const rows = async (name: string) => {
    const catalog = catalogStoreFor(server.context.config);
    return catalog.queryItems((await catalog.getCollection(name))!.id, {});
  };
  const messages = (job: { messages: Array<{ description: string }> }) => job.messages.map((m) => m.description).join(' | ');
  const create = (name: string, folder: string, rasterType: Record<string, unknown>) =>
    runJob(server, 'CreateImageCollection', { inputRasters: { uri: `/share/${folder}` }, imageCollection: name, rasterType, context: { outSR: { wkid: 4326 } } }, token);

  beforeAll(async () => {
    server = await startTestServer();
    token = await server.token();
    share = mkdtempSync(path.join(tmpdir(), 'tessera-zy3-'));
    cresda = await makeZy3Scene(share, 'CRESDA');
    sasmac = await makeZy3Scene(share, 'SASMAC');
    // A flat DEM 500 m high over the scene.
    await writeRaster(path.join(share, 'dem500.tif'), { width: 20, height: 20, dataType: 'Int16', srs: 'EPSG:4326', geoTransform: [116.45, 0.005, 0, 39.95, 0, -0.005], value: () => 500 });
    await registerFileShare(server, 'share', share, token);
  });
  afterAll(async () => {
    await server?.close();
    rmSync(share, { recursive: true, force: true });
  });

  it('CRESDA product folders, Multispectral: the same pixels as gdalwarp -rpc at constantZ', async () => {
    const job = await create('zy3ms', path.basename(cresda.folder), { rasterTypeName: 'ZY3-CRESDA', rasterTypeParameters: { constantZ: 0 } });
    expect(job.jobStatus, messages(job)).toBe('esriJobSucceeded');
    const [row, ...rest] = await rows('zy3ms');
    expect(rest).toEqual([]);
    expect(row).toMatchObject({ name: 'ZY3_E116.5_N39.9_20130112_L1A_MUX', rasterType: 'ZY3-CRESDA' });
    expect(row!.fields).toMatchObject({ SensorName: 'ZY3-MUX', Tag: 'MS', CloudCover: 3, SunAzimuth: 160.5, SunElevation: 28.25, AcquisitionDate: Date.UTC(2013, 0, 12, 3, 21, 44) });

    const direct = path.join(share, 'direct-mux.tif');
    execFileSync('gdalwarp', ['-q', '-overwrite', '-rpc', '-to', 'RPC_HEIGHT=0', '-t_srs', 'EPSG:4326', '-r', 'bilinear', '-srcnodata', '0', '-dstnodata', '0', cresda.mux, direct]);
    const expected = gdal.open(direct);
    const copy = gdal.open(row!.path);
    expect(copy.bands.count()).toBe(4);
    expect(copy.rasterSize).toEqual(expected.rasterSize);
    copy.geoTransform!.forEach((v, i) => expect(v).toBeCloseTo(expected.geoTransform![i]!, 10));
    for (let b = 1; b <= 4; b++) {
      const { x, y } = copy.rasterSize;
      expect(Array.from(copy.bands.get(b).pixels.read(0, 0, x, y) as Uint8Array)).toEqual(Array.from(expected.bands.get(b).pixels.read(0, 0, x, y) as Uint8Array));
    }
    copy.close();
    expected.close();
    // Placed where the RPCs say: the scene's ground.
    expect(row!.bbox.xmin).toBeCloseTo(cresda.bounds.west, 3);
    expect(row!.bbox.ymax).toBeCloseTo(cresda.bounds.north, 3);
  });

  it('heights from the dem move the image as the RPCs say (constantZ 500 = a 500 m DEM)', async () => {
    const flat = await create('zy3z500', path.basename(cresda.folder), { rasterTypeName: 'ZY3-CRESDA', rasterTypeParameters: { constantZ: 500 } });
    const dem = await create('zy3dem', path.basename(cresda.folder), { rasterTypeName: 'ZY3-CRESDA', rasterTypeParameters: { dem: { uri: '/share/dem500.tif' } } });
    expect(flat.jobStatus, messages(flat)).toBe('esriJobSucceeded');
    expect(dem.jobStatus, messages(dem)).toBe('esriJobSucceeded');
    const [atZ] = await rows('zy3z500');
    const [atDem] = await rows('zy3dem');
    const [atZero] = await rows('zy3ms');
    // line = −P + 0.1·H: 500 m (H = 1) moves the ground 0.1 × latScale = 0.0015° north.
    expect(atZ!.bbox.ymax - atZero!.bbox.ymax).toBeCloseTo(0.0015, 3);
    expect(atDem!.bbox.ymax).toBeCloseTo(atZ!.bbox.ymax, 4);
  });

  it('SASMAC scene folder, Pansharpen: MUX sharpened by NAD at the NAD resolution, attributes from its XML', async () => {
    const job = await create('zy3ps', path.basename(sasmac.folder), { rasterTypeName: 'ZY3-SASMAC', rasterTypeParameters: { processingTemplate: 'Pansharpen', pansharpenWeights: '0.329, 0.509, 0, 0.162' } });
    expect(job.jobStatus, messages(job)).toBe('esriJobSucceeded');
    const [row] = await rows('zy3ps');
    expect(row).toMatchObject({ name: 'ZY3_01a_20130112_E116.5_N39.9_Pansharpen' });
    expect(row!.fields).toMatchObject({ Tag: 'Pansharpened', SensorName: 'ZY3-MUX', CloudCover: 3, SunElevation: 28.25 });
    const copy = gdal.open(row!.path);
    expect(copy.bands.count()).toBe(4);
    // NAD is four times finer than MUX.
    expect(copy.geoTransform![1]).toBeCloseTo((cresda.bounds.east - cresda.bounds.west) / 160, 5);
    copy.close();
  });

  it('Panchromatic and All templates; the clients\' "Pansharpen and Multispectral" default gives the MS item', async () => {
    const pan = await create('zy3pan', path.basename(sasmac.folder), { rasterTypeName: 'ZY3-SASMAC', rasterTypeParameters: { processingTemplate: 'Panchromatic' } });
    expect(pan.jobStatus, messages(pan)).toBe('esriJobSucceeded');
    expect((await rows('zy3pan')).map((r) => r.name)).toEqual(['ZY3_01a_20130112_E116.5_N39.9_NAD']);
    const all = await create('zy3all', path.basename(cresda.folder), { rasterTypeName: 'ZY3-CRESDA', rasterTypeParameters: { processingTemplate: 'All', productType: 'LEVEL1' } });
    expect(all.jobStatus, messages(all)).toBe('esriJobSucceeded');
    expect((await rows('zy3all')).map((r) => r.name).sort()).toEqual(['ZY3_E116.5_N39.9_20130112_L1A_MUX', 'ZY3_E116.5_N39.9_20130112_L1A_NAD']);
    const both = await create('zy3def', path.basename(sasmac.folder), { rasterTypeName: 'ZY3-SASMAC', rasterTypeParameters: { processingTemplate: 'Pansharpen and Multispectral' } });
    expect(both.jobStatus, messages(both)).toBe('esriJobSucceeded');
    expect((await rows('zy3def')).map((r) => r.name)).toEqual(['ZY3_01a_20130112_E116.5_N39.9_MUX']);
  });

  it('fails clearly for a folder that is not ZY3 and for stereo templates; nothing is created', async () => {
    const notZy3 = await runJob(server, 'CreateImageCollection', { inputRasters: { uri: '/share/dem500.tif' }, imageCollection: 'zy3bad', rasterType: { rasterTypeName: 'ZY3-SASMAC' }, context: { outSR: { wkid: 4326 } } }, token);
    expect(notZy3.jobStatus).toBe('esriJobFailed');
    expect(messages(notZy3)).toMatch(/not a ZY3 product/);
    const stereo = await create('zy3stereo', path.basename(cresda.folder), { rasterTypeName: 'ZY3-CRESDA', rasterTypeParameters: { processingTemplate: 'Stereo' } });
    expect(stereo.jobStatus).toBe('esriJobFailed');
    expect(messages(stereo)).toMatch(/Stereo.*not supported/);
    expect(await catalogStoreFor(server.context.config).getCollection('zy3bad')).toBeUndefined();
    expect(await catalogStoreFor(server.context.config).getCollection('zy3stereo')).toBeUndefined();
  });
});
