import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogStoreFor } from '../../src/imagery/store/open-catalog-store.js';
import { createImageCollection } from '../../src/tasks/create-image-collection.js';
import { makeGeoTiffs } from '../fixtures/raster/make-geotiffs.js';
import type { ErrorEnvelope, FeatureSet, FolderJson, GeoJsonAnswer } from '../helpers/answers.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { makeTaskContext, runTask } from './imagery-task-context.js';

describe('ImageServer info and catalog query', () => {
  let server: TestServer;
  let token: string;
  let share: string;
  const q = <T = FeatureSet>(query: string) => server.get<T>(`/rest/services/Hosted/cat/ImageServer/query?${query}&token=${token}`);

  beforeAll(async () => {
    server = await startTestServer();
    token = await server.token();
    share = mkdtempSync(path.join(tmpdir(), 'tessera-share-'));
    await makeGeoTiffs(share);
    await catalogStoreFor(server.context.config).registerDataStore({ path: '/fileShares/s', name: 's', type: 'folder', localPath: share, info: {}, created: 0 });
    const context = makeTaskContext(server, {
      inputRasters: { uris: ['/s/utm-rgb.tif', '/s/wgs84-dem.tif', '/s/mercator-float.tif'], byref: true },
      imageCollection: 'cat',
      rasterType: 'Raster Dataset',
      context: { outSR: { wkid: 4326 }, fields: [{ name: 'Flight', type: 'Long' }] },
    });
    const { error } = await runTask(createImageCollection, context);
    expect(error).toBeUndefined();
  });
  afterAll(async () => {
    await server?.close();
    rmSync(share, { recursive: true, force: true });
  });

  it('answers ids, counts, extents and pages', async () => {
    expect(await q('where=1%3D1&returnIdsOnly=true&f=json')).toEqual({ objectIdFieldName: 'OBJECTID', objectIds: [1, 2, 3] });
    expect(await q('where=OBJECTID%3E1&returnCountOnly=true&f=json')).toEqual({ count: 2 });
    const page = await q('where=1%3D1&outFields=Name&orderByFields=Name%20DESC&resultOffset=1&resultRecordCount=1&returnGeometry=false&f=json');
    expect(page.features).toEqual([{ attributes: { OBJECTID: 1, Name: 'utm-rgb' } }]);
    expect(page.exceededTransferLimit).toBe(true);
    expect(page.fields.map((f: { name: string }) => f.name)).toEqual(['OBJECTID', 'Name']);
    const extent = await q('where=1%3D1&returnExtentOnly=true&f=json');
    expect(extent.extent.spatialReference).toEqual({ wkid: 4326 });
    expect(extent.extent.xmin).toBeLessThan(-117);
  });

  it('filters by geometry in another spatial reference and by objectIds', async () => {
    // A point inside the UTM image, given in UTM 11N coordinates.
    const point = await q('geometry=501200,3799000&geometryType=esriGeometryPoint&inSR=32611&outFields=Name&returnGeometry=false&f=json');
    expect(point.features.map((f) => f.attributes.Name)).toEqual(['utm-rgb']);
    const none = await q(`geometry=${encodeURIComponent(JSON.stringify({ xmin: 0, ymin: 0, xmax: 1, ymax: 1, spatialReference: { wkid: 4326 } }))}&f=json`);
    expect(none.features).toEqual([]);
    const ids = await q('objectIds=1,3&outFields=OBJECTID&returnGeometry=false&f=json');
    expect(ids.features.map((f) => f.attributes.OBJECTID)).toEqual([1, 3]);
  });

  it('returns footprints in outSR, GeoJSON in WGS84, and extra fields', async () => {
    const mercator = await q('where=Name%3D%27utm-rgb%27&outFields=*&outSR=3857&f=json');
    expect(mercator.spatialReference).toMatchObject({ latestWkid: 3857 });
    expect(Math.abs(mercator.features[0].geometry.rings[0][0][0])).toBeGreaterThan(1e7);
    expect(mercator.features[0].attributes).toHaveProperty('Flight', null);
    expect((mercator.fields.find((f) => f.name === 'Category')!.domain as { name: string }).name).toBe('MosaicCatalogItemCategoryDomain');
    const geojson = await q<GeoJsonAnswer>('where=1%3D1&outFields=Name&f=geojson');
    expect(geojson.features.map((f) => f.id)).toEqual([1, 2, 3]);
    expect(geojson.features[0].geometry.type).toBe('Polygon');
  });

  it('refuses unknown fields with the query error envelope', async () => {
    expect((await q('where=Nope%3D1&f=json')).error).toMatchObject({ code: 400, details: expect.arrayContaining(["'where' parameter is invalid"]) as string[] });
    expect((await q('where=1%3D1&outFields=Nope&f=json')).error).toMatchObject({ code: 400 });
    expect((await q('where=1%3D1&orderByFields=Name%20SIDEWAYS&f=json')).error).toMatchObject({ code: 400 });
  });

  it('serves HTML pages, a catalog item, keyProperties, and hides private services', async () => {
    const page = await fetch(`${server.url}/rest/services/Hosted/cat/ImageServer?f=html&token=${token}`);
    expect(await page.text()).toContain('cat (ImageServer)');
    const form = await fetch(`${server.url}/rest/services/Hosted/cat/ImageServer/query?f=html&token=${token}`);
    expect(await form.text()).toContain('<form');
    const item = await server.get<{ attributes: Record<string, unknown> }>(`/rest/services/Hosted/cat/ImageServer/2?f=json&token=${token}`);
    expect(item.attributes).toMatchObject({ OBJECTID: 2, Name: 'wgs84-dem' });
    expect((await server.get<ErrorEnvelope>(`/rest/services/Hosted/cat/ImageServer/99?f=json&token=${token}`)).error.code).toBe(404);
    expect(await server.get<unknown>(`/rest/services/Hosted/cat/ImageServer/keyProperties?f=json&token=${token}`)).toMatchObject({ DataType: 'Generic' });
    expect((await server.get<ErrorEnvelope>('/rest/services/Hosted/cat/ImageServer?f=json')).error.code).toBe(499);
    const listing = await server.get<FolderJson>(`/rest/services/Hosted?f=json&token=${token}`);
    expect(listing.services).toContainEqual({ name: 'Hosted/cat', type: 'ImageServer' });
  });
});
