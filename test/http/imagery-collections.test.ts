import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeGeoTiffs, type GeoTiffFixtures } from '../fixtures/raster/make-geotiffs.js';
import type { FeatureSet, GeoJsonAnswer, ImageServiceJson } from '../helpers/answers.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { registerFileShare, runJob } from './imagery-http.js';

/** Every file below a folder, relative to it. */
function filesBelow(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name))) : [];
}

describe('image collections over HTTP', () => {
  let server: TestServer;
  let token: string;
  let share: string;
  let tiffs: GeoTiffFixtures;

  beforeAll(async () => {
    server = await startTestServer();
    token = await server.token();
    share = mkdtempSync(path.join(tmpdir(), 'tessera-share-'));
    tiffs = await makeGeoTiffs(share);
    expect(await registerFileShare(server, 'share', share, token)).toMatchObject({ status: 'success', path: '/fileShares/share' });
  });
  afterAll(async () => {
    await server?.close();
    rmSync(share, { recursive: true, force: true });
  });

  it('creates a collection by value and serves its info and catalog', async () => {
    const job = await runJob(
      server,
      'CreateImageCollection',
      {
        inputRasters: { uris: ['/share/utm-rgb.tif', '/share/wgs84-dem.tif', '/share/mercator-float.tif'] },
        imageCollection: { serviceProperties: { name: 'threecrs' } },
        rasterType: { rasterTypeName: 'Raster Dataset' },
        context: { outSR: { wkid: 3857 } },
      },
      token,
    );
    expect(job.jobStatus, JSON.stringify(job.messages)).toBe('esriJobSucceeded');
    const url = `${server.url}/rest/services/Hosted/threecrs/ImageServer`;
    expect(job.results.result).toEqual({ paramName: 'result', dataType: 'GPString', value: { itemId: expect.stringMatching(/^[0-9a-f]{32}$/) as string, url } });

    const info = await server.get<ImageServiceJson>(`/rest/services/Hosted/threecrs/ImageServer?f=json&token=${token}`);
    expect(info).toMatchObject({
      name: 'threecrs',
      spatialReference: { wkid: 102100, latestWkid: 3857 },
      serviceSourceType: 'esriImageServiceSourceTypeMosaicDataset',
      objectIdField: 'OBJECTID',
      capabilities: 'Image,Metadata,Catalog,Mensuration',
      defaultMosaicMethod: 'Northwest',
    });
    expect(info.bandCount).toBe(3);
    expect(info.minValues).toHaveLength(3);
    expect(info.pixelSizeX).toBeGreaterThan(0);
    expect(info.fields.map((f: { name: string }) => f.name)).toEqual(expect.arrayContaining(['OBJECTID', 'Shape', 'Name', 'MinPS', 'MaxPS', 'LowPS', 'HighPS', 'Category', 'CenterX', 'ZOrder']));

    const query = await server.get<FeatureSet>(`/rest/services/Hosted/threecrs/ImageServer/query?where=1%3D1&outFields=Name,LowPS&orderByFields=Name&f=json&token=${token}`);
    expect(query.features.map((f) => f.attributes.Name)).toEqual(['mercator-float', 'utm-rgb', 'wgs84-dem']);
    expect(query.features[0].geometry.rings[0].length).toBeGreaterThan(3);
    expect(query.spatialReference).toEqual({ wkid: 102100, latestWkid: 3857 });

    const geojson = await server.get<GeoJsonAnswer>(`/rest/services/Hosted/threecrs/ImageServer/query?where=Name%3D'utm-rgb'&outFields=*&f=geojson&token=${token}`);
    expect(geojson.type).toBe('FeatureCollection');
    const [lon, lat] = geojson.features[0].geometry.coordinates[0][0];
    expect(lon).toBeCloseTo(-117, 0);
    expect(lat).toBeCloseTo(34.3, 0);

    expect(filesBelow(path.join(server.dataDir, 'rasters', 'threecrs')).filter((f) => f.endsWith('.tif'))).toHaveLength(3);
    expect(filesBelow(share).sort()).toEqual(['mercator-float.tif', 'utm-rgb.tif', 'wgs84-dem.tif']);
    expect(tiffs.utmRgb.epsg).toBe(32611);
  });

  it('creates a collection by reference, adds to it, and copies nothing', async () => {
    const created = await runJob(
      server,
      'CreateImageCollection',
      {
        inputRasters: { uri: '/share/utm-rgb.tif', byref: true },
        imageCollection: 'byref',
        rasterType: { rasterTypeName: 'Raster Dataset', imageCollectionProps: { imageCollectionType: 'Aerial' } },
        context: { outSR: { wkid: 32611 } },
      },
      token,
    );
    expect(created.jobStatus, JSON.stringify(created.messages)).toBe('esriJobSucceeded');
    const added = await runJob(
      server,
      'AddImage',
      {
        inputRasters: { uris: ['/fileShares/share/wgs84-dem.tif', '/share/mercator-float.tif'], byref: true },
        imageCollection: { url: created.results.result.value.url },
        rasterType: 'Raster Dataset',
      },
      token,
    );
    expect(added.jobStatus, JSON.stringify(added.messages)).toBe('esriJobSucceeded');
    expect(added.results.result.value).toEqual({ url: created.results.result.value.url, itemId: created.results.result.value.itemId });
    const query = await server.get<FeatureSet>(`/rest/services/Hosted/byref/ImageServer/query?where=1%3D1&outFields=OBJECTID,Name&returnGeometry=false&f=json&token=${token}`);
    expect(query.features.map((f) => f.attributes)).toEqual([
      { OBJECTID: 1, Name: 'utm-rgb' },
      { OBJECTID: 2, Name: 'wgs84-dem' },
      { OBJECTID: 3, Name: 'mercator-float' },
    ]);
    const info = await server.get<ImageServiceJson>(`/rest/services/Hosted/byref/ImageServer?f=json&token=${token}`);
    expect(info).toMatchObject({ imageCollectionType: 'Aerial', spatialReference: { wkid: 32611 } });
    // The extent grew to hold the images added in other CRSs.
    expect(info.extent.xmax - info.extent.xmin).toBeGreaterThan(2400);
    expect(filesBelow(path.join(server.dataDir, 'rasters', 'byref')).filter((f) => /\.tif$/.test(f))).toEqual([]);
  });

  it('deletes images by where: rows and copies go, sources stay, an emptied collection remains', async () => {
    const created = await runJob(
      server,
      'CreateImageCollection',
      {
        inputRasters: { uris: ['/share/utm-rgb.tif', '/share/wgs84-dem.tif'] },
        imageCollection: { serviceProperties: { name: 'deleting' } },
        rasterType: 'Raster Dataset',
        context: { outSR: 4326 },
      },
      token,
    );
    expect(created.jobStatus, JSON.stringify(created.messages)).toBe('esriJobSucceeded');
    const itemId = created.results.result.value.itemId;
    const copies = () => filesBelow(path.join(server.dataDir, 'rasters', 'deleting')).filter((f) => f.endsWith('.tif'));
    expect(copies()).toHaveLength(2);

    const one = await runJob(server, 'DeleteImage', { imageCollection: { itemId }, where: "Name = 'utm-rgb'" }, token);
    expect(one.jobStatus, JSON.stringify(one.messages)).toBe('esriJobSucceeded');
    expect(one.results.result).toEqual({ paramName: 'result', dataType: 'GPString', value: { url: created.results.result.value.url } });
    expect(copies()).toEqual([expect.stringMatching(/wgs84-dem\.tif$/) as string]);

    const none = await runJob(server, 'DeleteImage', { imageCollection: { itemId }, where: 'OBJECTID = 99' }, token);
    expect(none.jobStatus).toBe('esriJobSucceeded');
    expect(none.messages.map((m) => m.description).join(' ')).toMatch(/selects no images/);

    const all = await runJob(server, 'DeleteImage', { imageCollection: { itemId }, where: '1=1' }, token);
    expect(all.jobStatus).toBe('esriJobSucceeded');
    expect(copies()).toEqual([]);
    const info = await server.get<ImageServiceJson>(`/rest/services/Hosted/deleting/ImageServer?f=json&token=${token}`);
    expect(info.name).toBe('deleting');
    expect(info.bandCount).toBe(0);
    const count = await server.get<FeatureSet>(`/rest/services/Hosted/deleting/ImageServer/query?where=1%3D1&returnCountOnly=true&f=json&token=${token}`);
    expect(count).toEqual({ count: 0 });
    expect(filesBelow(share).sort()).toEqual(['mercator-float.tif', 'utm-rgb.tif', 'wgs84-dem.tif']);
  });

  it('deletes a collection with its service, item and copies, never a source', async () => {
    const created = await runJob(
      server,
      'CreateImageCollection',
      { inputRasters: { uris: ['/share/utm-rgb.tif'] }, imageCollection: 'doomed', rasterType: 'Raster Dataset', context: { outSR: 3857 } },
      token,
    );
    expect(created.jobStatus, JSON.stringify(created.messages)).toBe('esriJobSucceeded');
    const { itemId, url } = created.results.result.value;
    const deleted = await runJob(server, 'DeleteImageCollection', { imageCollection: { url } }, token);
    expect(deleted.jobStatus, JSON.stringify(deleted.messages)).toBe('esriJobSucceeded');
    expect(deleted.results.result).toEqual({ paramName: 'result', dataType: 'GPBoolean', value: true });
    expect((await server.get<ImageServiceJson>(`/rest/services/Hosted/doomed/ImageServer?f=json&token=${token}`)).error.code).toBe(404);
    expect(await server.context.stores.items.get(itemId)).toBeUndefined();
    expect(existsSync(path.join(server.dataDir, 'rasters', 'doomed'))).toBe(false);
    expect(filesBelow(share)).toContain('utm-rgb.tif');

    const again = await runJob(server, 'DeleteImageCollection', { imageCollection: { url } }, token);
    expect(again.jobStatus).toBe('esriJobFailed');
    expect(again.messages.map((m) => m.description).join(' ')).toMatch(/Image collection .*doomed.* does not exist/);
  });
});
