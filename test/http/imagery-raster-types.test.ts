import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogStoreFor } from '../../src/imagery/store/open-catalog-store.js';
import { fetchStarsLandsat7 } from '../fixtures/raster/fetch-stars-landsat7.js';
import { makeGeoTiffs } from '../fixtures/raster/make-geotiffs.js';
import { makeLandsat7Scene } from '../fixtures/raster/make-landsat7-scene.js';
import { makeLandsat8Scene, type LandsatSceneFixture } from '../fixtures/raster/make-landsat-scene.js';
import { makeSentinel2Safe, type Sentinel2Fixture } from '../fixtures/raster/make-sentinel2-safe.js';
import { makeUavFrames, type UavFramesFixture } from '../fixtures/raster/make-uav-frames.js';
import { readJson, type AddItemAnswer, type FeatureSet, type ImageServiceJson, type KeyPropertiesJson, type SuccessAnswer } from '../helpers/answers.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { registerFileShare, runJob } from './imagery-http.js';

/** Uploads a file as a portal item of the admin (optionally into a folder); returns its id. */
async function uploadItem(server: TestServer, token: string, file: string, folderId?: string): Promise<string> {
  const form = new FormData();
  form.set('f', 'json');
  form.set('token', token);
  form.set('type', 'Image');
  form.set('title', path.basename(file));
  form.set('file', new Blob([readFileSync(file)]), path.basename(file));
  const target = folderId ? `/sharing/rest/content/users/admin/${folderId}/addItem` : '/sharing/rest/content/users/admin/addItem';
  const response = await readJson<AddItemAnswer>(await fetch(`${server.url}${target}`, { method: 'POST', body: form }));
  if (!response.success) throw new Error(JSON.stringify(response));
  return response.id;
}

describe('raster types and input forms', () => {
  let server: TestServer;
  let token: string;
  let share: string;
  let landsat: LandsatSceneFixture;
  let sentinel: Sentinel2Fixture;
  let uav: UavFramesFixture;

  beforeAll(async () => {
    server = await startTestServer();
    token = await server.token();
    share = mkdtempSync(path.join(tmpdir(), 'tessera-share-'));
    landsat = await makeLandsat8Scene(share);
    sentinel = await makeSentinel2Safe(share);
    uav = await makeUavFrames(share);
    await registerFileShare(server, 'share', share, token);
  });
  afterAll(async () => {
    await server?.close();
    rmSync(share, { recursive: true, force: true });
  });

  const rows = async (name: string) => {
    const catalog = catalogStoreFor(server.context.config);
    return catalog.queryItems((await catalog.getCollection(name))!.id, {});
  };
  const messages = (job: { messages: Array<{ description: string }> }) => JSON.stringify(job.messages);

  it('ingests a Landsat 8 Collection 2 scene folder with its metadata', async () => {
    const job = await runJob(
      server,
      'CreateImageCollection',
      {
        inputRasters: { uri: `/share/${path.basename(landsat.folder)}` },
        imageCollection: 'landsat8',
        rasterType: { rasterTypeName: 'Landsat 8', imageCollectionProps: { imageCollectionType: 'Satellite' } },
        context: { outSR: { wkid: landsat.epsg } },
      },
      token,
    );
    expect(job.jobStatus, messages(job)).toBe('esriJobSucceeded');
    const items = await rows('landsat8');
    expect(items.length).toBeGreaterThan(0);
    expect(items[0].fields).toMatchObject({ SensorName: expect.stringMatching(/Landsat/) as string, AcquisitionDate: expect.any(Number) as number, CloudCover: expect.any(Number) as number });
    expect(items[0].raster.bandCount).toBeGreaterThan(1);
    const info = await server.get<ImageServiceJson>(`/rest/services/Hosted/landsat8/ImageServer?f=json&token=${token}`);
    expect(info).toMatchObject({ imageCollectionType: 'Satellite', rasterTypeInfos: [{ name: 'Landsat 8' }], pixelType: 'U16' });
    const dated = await server.get<FeatureSet>(`/rest/services/Hosted/landsat8/ImageServer/query?where=${encodeURIComponent("AcquisitionDate > DATE '2020-01-01'")}&returnCountOnly=true&f=json&token=${token}`);
    expect(dated.count).toBe(items.length);
  });

  it('reports key properties that follow a rendering rule: band names through ExtractBand, none after NDVI, Thematic after Remap', async () => {
    const keys = (rule?: unknown) => server.get<KeyPropertiesJson>(`/rest/services/Hosted/landsat8/ImageServer/keyProperties?f=json&token=${token}${rule ? `&renderingRule=${encodeURIComponent(JSON.stringify(rule))}` : ''}`);
    const info = await server.get<ImageServiceJson>(`/rest/services/Hosted/landsat8/ImageServer?f=json&token=${token}`);
    const plain = await keys();
    expect(plain).toMatchObject({ DataType: 'Processed', ImageCollectionType: 'Satellite' });
    const names = plain.BandProperties!.map((b: { BandName: string }) => b.BandName);
    expect(names).toHaveLength(info.bandCount);
    const extracted = await keys({ rasterFunction: 'ExtractBand', rasterFunctionArguments: { BandIDs: [3, 2, 1] } });
    expect(extracted.BandProperties!.map((b: { BandName: string }) => b.BandName)).toEqual([names[3], names[2], names[1]]);
    const ndvi = await keys({ rasterFunction: 'NDVI', rasterFunctionArguments: { VisibleBandID: 3, InfraredBandID: 4 } });
    expect(ndvi.DataType).toBe('Generic');
    expect(ndvi.BandProperties).toBeUndefined();
    const classes = await keys({ rasterFunction: 'Remap', rasterFunctionArguments: { InputRanges: [0, 10000, 10000, 70000], OutputValues: [1, 2], Raster: { rasterFunction: 'ExtractBand', rasterFunctionArguments: { BandIDs: [0] } } } });
    expect(classes.DataType).toBe('Thematic');
    expect(classes.LowCellSize).toBe(plain.LowCellSize);
  });

  it('ingests a Sentinel-2 L1C SAFE product', async () => {
    const job = await runJob(
      server,
      'CreateImageCollection',
      {
        inputRasters: { uris: [`/share/${path.basename(sentinel.folder)}`], byref: false },
        imageCollection: { serviceProperties: { name: 'sentinel2' } },
        rasterType: { rasterTypeName: 'Sentinel-2' },
        context: { outSR: { wkid: 3857 } },
      },
      token,
    );
    expect(job.jobStatus, messages(job)).toBe('esriJobSucceeded');
    const items = await rows('sentinel2');
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((item) => item.byValue && item.path.endsWith('.tif'))).toBe(true);
    expect(items[0].fields.SensorName).toMatch(/MSI|Sentinel/i);
  });

  it('places EXIF-GPS drone frames as UAV/UAS by reference, deriving the UTM zone without outSR', async () => {
    const job = await runJob(
      server,
      'CreateImageCollection',
      {
        inputRasters: { uris: uav.frames.map((f) => `/share/flight1/${f.name}`), byref: true },
        imageCollection: 'drone',
        rasterType: { rasterTypeName: 'UAV/UAS', rasterTypeParameters: { cameraProperties: uav.camera, constantZ: uav.groundZ, isAltitudeFlightHeight: 'false' } },
      },
      token,
    );
    expect(job.jobStatus, messages(job)).toBe('esriJobSucceeded');
    const collection = await catalogStoreFor(server.context.config).getCollection('drone');
    expect(collection?.epsg).toBe(32611);
    const items = await rows('drone');
    expect(items).toHaveLength(uav.frames.length);
    // By reference, each frame is read through the GCP recipe kept in the raster store; the JPEG stays put.
    expect(items.every((item) => !item.byValue && item.path.startsWith(server.dataDir) && item.path.endsWith('.vrt'))).toBe(true);
    expect(items.map((item) => readFileSync(item.path, 'utf8')).join('\n')).toContain(uav.frames[0].name);
  });

  it('fails a UAV/UAS frame that has neither GPS nor georeference, naming it', async () => {
    const job = await runJob(
      server,
      'CreateImageCollection',
      { inputRasters: { uri: '/share/flight1', byref: true }, imageCollection: 'nogps', rasterType: { rasterTypeName: 'UAV/UAS', rasterTypeParameters: { constantZ: uav.groundZ } } },
      token,
    );
    expect(job.jobStatus).toBe('esriJobFailed');
    expect(messages(job)).toMatch(/NO_GPS\.JPG/);
    expect(await catalogStoreFor(server.context.config).getCollection('nogps')).toBeUndefined();
  });

  it('places drone frames given as portal items with gps rows, by value', async () => {
    const ids: string[] = [];
    for (const frame of uav.frames) ids.push(await uploadItem(server, token, frame.path));
    const gps = uav.frames.map((f) => [f.name, String(f.latitude), String(f.longitude), String(f.altitude)]);
    const job = await runJob(
      server,
      'CreateImageCollection',
      {
        inputRasters: { itemIds: ids },
        imageCollection: 'droneitems',
        rasterType: { rasterTypeName: 'UAV/UAS', rasterTypeParameters: { gps, cameraProperties: uav.camera, constantZ: uav.groundZ, isAltitudeFlightHeight: false } },
        context: { outSR: { wkid: 32611 } },
      },
      token,
    );
    expect(job.jobStatus, messages(job)).toBe('esriJobSucceeded');
    const items = await rows('droneitems');
    expect(items).toHaveLength(3);
    expect(items.every((item) => item.byValue && item.raster.epsg === 32611 && item.raster.geoTransform !== null)).toBe(true);
  });

  it('takes every image item of a portal folder (folderId)', async () => {
    const folder = await server.post<SuccessAnswer>('/sharing/rest/content/users/admin/createFolder', { title: 'tiffs', f: 'json', token });
    const dir = mkdtempSync(path.join(tmpdir(), 'tessera-items-'));
    const tiffs = await makeGeoTiffs(dir);
    await uploadItem(server, token, tiffs.utmRgb.path, folder.folder!.id);
    await uploadItem(server, token, tiffs.wgs84Dem.path, folder.folder!.id);
    const job = await runJob(
      server,
      'CreateImageCollection',
      { inputRasters: { folderId: folder.folder!.id }, imageCollection: 'fromfolder', rasterType: 'Raster Dataset', context: { outSR: 4326 } },
      token,
    );
    rmSync(dir, { recursive: true, force: true });
    expect(job.jobStatus, messages(job)).toBe('esriJobSucceeded');
    expect((await rows('fromfolder')).map((r) => r.name).sort()).toEqual(['utm-rgb', 'wgs84-dem']);
  });

  it('refuses a folderId of another user, and one of no folder', async () => {
    await server.addUser('stranger', 'publisher');
    const stranger = await server.token('stranger', 'stranger-pw');
    const folder = await server.post<SuccessAnswer>('/sharing/rest/content/users/admin/createFolder', { title: 'private-tiffs', f: 'json', token });
    const attempts: Array<[string, string]> = [
      [folder.folder!.id, stranger],
      ['ffffffffffffffffffffffffffffffff', token],
    ];
    for (const [index, [folderId, caller]] of attempts.entries()) {
      const job = await runJob(server, 'CreateImageCollection', { inputRasters: { folderId }, imageCollection: `nofolder${index}`, rasterType: 'Raster Dataset', context: { outSR: 4326 } }, caller);
      expect(job.jobStatus, messages(job)).toBe('esriJobFailed');
      expect(messages(job)).toContain(`Input folder '${folderId}' does not exist or is not accessible.`);
    }
  });

  it('ingests the real Landsat 7 ETM+ subset L7_ETMs.tif', async (context) => {
    const stars = await fetchStarsLandsat7();
    if (stars.path === null) return context.skip('reason' in stars ? stars.reason : 'L7_ETMs.tif unavailable');
    await registerFileShare(server, 'l7', path.dirname(stars.path), token);
    const job = await runJob(
      server,
      'CreateImageCollection',
      { inputRasters: { uri: '/l7/L7_ETMs.tif', byref: true }, imageCollection: 'stars', rasterType: 'Raster Dataset', context: { outSR: { wkid: 31985 } } },
      token,
    );
    expect(job.jobStatus, messages(job)).toBe('esriJobSucceeded');
    const info = await server.get<ImageServiceJson>(`/rest/services/Hosted/stars/ImageServer?f=json&token=${token}`);
    expect(info).toMatchObject({ bandCount: 6, pixelType: 'U8', spatialReference: { wkid: 31985 } });
    expect(info.pixelSizeX).toBeCloseTo(28.5, 1);

    // The same pixels as a Collection 2 scene folder, through the Landsat 7 type (its "Landsat 7" alias).
    const scene = await makeLandsat7Scene(share, stars.path);
    const typed = await runJob(
      server,
      'AddImage',
      { inputRasters: { uri: `/share/${path.basename(scene.folder)}` }, imageCollection: { url: job.results.result.value.url }, rasterType: { rasterTypeName: 'Landsat 7' } },
      token,
    );
    expect(typed.jobStatus, messages(typed)).toBe('esriJobSucceeded');
    const items = await rows('stars');
    expect(items.length).toBeGreaterThan(1);
    expect(items[items.length - 1]).toMatchObject({ rasterType: 'Landsat 7 ETM+', fields: { SensorName: expect.stringMatching(/Landsat/) as string } });
  });
});
